using System.Diagnostics;
using System.Text.Json;

namespace PromptGen.Generator.Tests.ConsumerBuild;

/// <summary>
/// A real `dotnet build` of samples/CiDiagnostics, a consumer that references the runtime and the generator as an
/// analyzer: the diagnostics reach the build output and the SARIF error log, and -warnaserror fails the build.
/// </summary>
public class CiDiagnosticsBuildTests
{
    [Fact]
    public void Warnaserror_build_fails_on_the_risky_settings_and_the_sarif_log_lists_them()
    {
        string project = Path.Combine(PromptGen.Tests.TestPaths.RepoRoot, "samples", "CiDiagnostics", "CiDiagnostics.csproj");
        string sarif = Path.Combine(Path.GetTempPath(), "promptgen-ci-" + Guid.NewGuid().ToString("N") + ".sarif");
        try
        {
            (int exitCode, string output) = Run("dotnet", $"build \"{project}\" -warnaserror --nologo -p:ErrorLog=\"{sarif},version=2.1\"");

            Assert.NotEqual(0, exitCode);
            Assert.Contains("error PG0001", output, StringComparison.Ordinal);
            Assert.Contains("RiskyPrompts.cs(11,", output, StringComparison.Ordinal);
            Assert.DoesNotContain("AD0001", output, StringComparison.Ordinal);
            Assert.DoesNotContain("CS8785", output, StringComparison.Ordinal);

            using JsonDocument log = JsonDocument.Parse(File.ReadAllText(sarif));
            var ruleIds = log.RootElement.GetProperty("runs")[0].GetProperty("results").EnumerateArray()
                .Select(r => r.GetProperty("ruleId").GetString())
                .ToHashSet();
            Assert.Contains("PG0001", ruleIds);
            Assert.Contains("PG0003", ruleIds);
        }
        finally
        {
            File.Delete(sarif);
        }
    }

    private static (int ExitCode, string Output) Run(string file, string arguments)
    {
        var start = new ProcessStartInfo(file, arguments)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["MSBUILDDISABLENODEREUSE"] = "1";
        using Process process = Process.Start(start)!;
        Task<string> stdout = process.StandardOutput.ReadToEndAsync();
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        process.WaitForExit();
        return (process.ExitCode, stdout.Result + stderr.Result);
    }
}
