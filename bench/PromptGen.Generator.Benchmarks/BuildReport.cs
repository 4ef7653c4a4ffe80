using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

namespace PromptGen.Generator.Benchmarks;

/// <summary>
/// The analyzers' cost in a real <c>dotnet build</c> (<c>-- --build N</c>). The synthetic 200-interface project is written
/// to a temporary folder as a consumer project (ProjectReferences to the runtime and the generator, as the samples do) and
/// compiled N times in each of three configurations, in rotating order: the default build (the SDK's analyzers and
/// PromptGen's); the same build with PromptGen's analyzer switched off (every PG rule set to <c>none</c> in a global
/// AnalyzerConfig, which makes the compiler skip the analyzer; the generator still runs); and a build without analyzers
/// (<c>-p:RunAnalyzers=false</c>, generators still run). Each build recompiles only the consumer (one source file is
/// touched) with the compiler's analyzer report on (<c>-p:ReportAnalyzer=true</c>, read at detailed verbosity) and the
/// compiler server on (<c>UseSharedCompilation=true</c>), as on a developer machine.
/// </summary>
internal static partial class BuildReport
{
    private enum Configuration
    {
        Default,
        WithoutPromptGenAnalyzer,
        NoAnalyzers,
    }

    public static void Run(int rounds)
    {
        string repo = PromptGen.Tests.TestPaths.RepoRoot;
        string project = Path.Combine(Path.GetTempPath(), "promptgen-build-bench");
        Write(project, repo);
        Console.WriteLine($"synthetic consumer project: {project}");

        // Restore, build the references and warm the compiler server up (it keeps the analyzers loaded between builds).
        Configuration[] order = Enum.GetValues<Configuration>();
        Build(project, Configuration.Default, restore: true);
        foreach (Configuration configuration in order)
        {
            Build(project, configuration, restore: false);
        }

        var csc = order.ToDictionary(c => c, _ => new List<double>());
        var promptGen = new List<double>();
        var allAnalyzers = new List<double>();
        for (int round = 0; round < rounds; round++)
        {
            for (int k = 0; k < order.Length; k++)
            {
                Configuration configuration = order[(round + k) % order.Length];
                File.SetLastWriteTimeUtc(Path.Combine(project, "Prompts0.cs"), DateTime.UtcNow);
                (double time, double? ownSeconds, double? total) = Build(project, configuration, restore: false);
                csc[configuration].Add(time);
                if (configuration == Configuration.Default)
                {
                    promptGen.Add(ownSeconds ?? double.NaN);
                    allAnalyzers.Add(total ?? double.NaN);
                }
                else if (configuration == Configuration.WithoutPromptGenAnalyzer && ownSeconds is not null)
                {
                    throw new InvalidOperationException("PromptGen's analyzer ran although every PG rule is set to none.");
                }

                Console.WriteLine($"round {round}: {configuration,-25} Csc task {time,7:F0} ms" +
                    (configuration == Configuration.Default ? $"; analyzers (compiler's report): all {total * 1000,5:F0} ms, PromptGen's {ownSeconds * 1000,4:F0} ms" : string.Empty));
            }
        }

        static double Median(List<double> values) => values.Order().ElementAt(values.Count / 2);
        double withPromptGen = Median(csc[Configuration.Default]);
        double withoutPromptGen = Median(csc[Configuration.WithoutPromptGenAnalyzer]);
        double noAnalyzers = Median(csc[Configuration.NoAnalyzers]);
        double own = Median(promptGen) * 1000;
        Console.WriteLine($"medians of {rounds} rounds, Csc task: default build {withPromptGen:F0} ms; PromptGen's analyzer off {withoutPromptGen:F0} ms " +
            $"(default / off = {withPromptGen / withoutPromptGen:F3}); no analyzers {noAnalyzers:F0} ms");
        Console.WriteLine($"analyzer execution time (compiler's report, median): all analyzers {Median(allAnalyzers) * 1000:F0} ms, PromptGen's {own:F0} ms = " +
            $"{own / withoutPromptGen * 100:F1} % of the build's compilation without it, {own / noAnalyzers * 100:F1} % of a compilation with no analyzers");
    }

    private static (double CscMilliseconds, double? PromptGenSeconds, double? AllAnalyzersSeconds) Build(string project, Configuration configuration, bool restore)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = project,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (string argument in new[]
        {
            "build", "-c", "Release", "-v:d", "-clp:PerformanceSummary", "-nologo", "-p:UseSharedCompilation=true", "-p:ReportAnalyzer=true",
            configuration == Configuration.NoAnalyzers ? "-p:RunAnalyzers=false" : "-p:RunAnalyzers=true",
            configuration == Configuration.WithoutPromptGenAnalyzer ? "-p:PromptGenAnalyzerOff=true" : "-p:PromptGenAnalyzerOff=false",
        })
        {
            start.ArgumentList.Add(argument);
        }

        if (!restore)
        {
            // The references are built once, by the first build: the configurations' global properties would otherwise
            // rebuild them (with or without analyzers) each time, and their compilations would be measured too.
            start.ArgumentList.Add("--no-restore");
            start.ArgumentList.Add("--no-dependencies");
        }

        using Process process = Process.Start(start)!;
        Task<string> error = process.StandardError.ReadToEndAsync();
        string output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        File.WriteAllText(Path.Combine(project, $"last-{configuration}.log"), output);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"dotnet build failed ({process.ExitCode}):\n{output}\n{error.Result}");
        }

        // "Task Performance Summary" lists "  1234 ms  Csc   1 calls"; only the consumer compiles (the references are up to date).
        Match csc = CscTime().Match(output);
        // The analyzer report comes before the generator report, which lists PromptGen.Generator too (as a generator).
        int generators = output.IndexOf("Total generator execution time", StringComparison.Ordinal);
        Match own = PromptGenAnalyzerTime().Match(generators < 0 ? output : output[..generators]);
        Match total = TotalAnalyzerTime().Match(output);
        return (
            csc.Success ? double.Parse(csc.Groups[1].Value, CultureInfo.InvariantCulture) : double.NaN,
            own.Success ? double.Parse(own.Groups[1].Value, CultureInfo.InvariantCulture) : null,
            total.Success ? double.Parse(total.Groups[1].Value, CultureInfo.InvariantCulture) : null);
    }

    [GeneratedRegex(@"^\s+(\d+) ms\s+Csc\s+\d+ calls", RegexOptions.Multiline)]
    private static partial Regex CscTime();

    // The per-assembly line of the analyzer report: "      0.123    12   PromptGen.Generator, Version=0.1.0.0, ..."
    [GeneratedRegex(@"^\s+(?:\d+>)?\s*([\d.]+)\s+<?\d+\s+PromptGen\.Generator, Version", RegexOptions.Multiline)]
    private static partial Regex PromptGenAnalyzerTime();

    [GeneratedRegex(@"Total analyzer execution time: ([\d.]+) seconds", RegexOptions.Multiline)]
    private static partial Regex TotalAnalyzerTime();

    private static void Write(string project, string repo)
    {
        Directory.CreateDirectory(project);
        for (int i = 0; i < 200; i++)
        {
            File.WriteAllText(Path.Combine(project, $"Prompts{i}.cs"), GeneratorBenchmarks.InterfaceSource(i));
        }

        // Every PG rule off: the compiler then skips the analyzer altogether (the report no longer lists it).
        File.WriteAllText(Path.Combine(project, "promptgen-off.globalconfig"), "is_global = true\n" + string.Concat(
            new Analyzers.PromptAnalyzer().SupportedDiagnostics.Select(d => $"dotnet_diagnostic.{d.Id}.severity = none\n")));
        File.WriteAllText(Path.Combine(project, "Synthetic.csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <Import Project="{repo}/src/Runtime/buildTransitive/PromptGen.props" />
              <PropertyGroup>
                <OutputType>Library</OutputType>
                <TargetFramework>net10.0</TargetFramework>
                <Nullable>enable</Nullable>
                <ImplicitUsings>enable</ImplicitUsings>
              </PropertyGroup>
              <ItemGroup Condition="'$(PromptGenAnalyzerOff)' == 'true'">
                <GlobalAnalyzerConfigFiles Include="promptgen-off.globalconfig" />
              </ItemGroup>
              <ItemGroup>
                <ProjectReference Include="{repo}/src/Runtime/PromptGen.Runtime.csproj" />
                <ProjectReference Include="{repo}/src/Generator/PromptGen.Generator.csproj" OutputItemType="Analyzer" ReferenceOutputAssembly="false" />
              </ItemGroup>
            </Project>
            """);
    }

}
