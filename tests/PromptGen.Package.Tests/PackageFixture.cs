using System.IO.Compression;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using PromptGen.Tests;

namespace PromptGen.Package.Tests;

/// <summary>
/// Packs PromptGen and PromptGen.Testing once, then restores them into a brand-new consumer project, builds it and runs
/// it once; every test of the <see cref="PackageCollection"/> reads these results.
/// </summary>
/// <remarks>
/// Packing runs <c>dotnet pack</c> on the source projects with <c>UseArtifactsOutput</c> and an <c>ArtifactsPath</c> in a
/// temp folder, so the whole pack (restore, obj, bin of the runtime, generator, code fixes and emulator) happens beside
/// the repository's build, never in its bin/obj folders. <c>dotnet test</c> at the root builds the solution while test
/// assemblies already run; a pack into the projects' own obj folders would race with that build (and with the other
/// consumer builds of the tests), and packing from a build target of this project would do the same at build time.
/// It also packs what the sources are now, not whatever an earlier build left.
/// </remarks>
public sealed class PackageFixture : IDisposable
{
    private readonly Lazy<ConsumerResult> _consumer;
    private readonly Lazy<string> _extracted;

    public PackageFixture()
    {
        Version = ReadVersion();
        Root = Path.Combine(Path.GetTempPath(), "promptgen-package-" + Guid.NewGuid().ToString("N"));
        Feed = Path.Combine(Root, "feed");
        Directory.CreateDirectory(Feed);

        string artifacts = Path.Combine(Root, "artifacts") + Path.DirectorySeparatorChar;
        try
        {
            foreach (string project in new[] { "src/Runtime/PromptGen.Runtime.csproj", "src/Testing/PromptGen.Testing.csproj" })
            {
                Dotnet(TestPaths.RepoRoot, null,
                    "pack", Path.Combine(TestPaths.RepoRoot, project), "-c", "Release", "-o", Feed, "--nologo",
                    "-p:UseArtifactsOutput=true", "-p:ArtifactsPath=" + artifacts);
            }
        }
        catch
        {
            // xunit never disposes a fixture whose constructor threw.
            Dispose();
            throw;
        }

        _consumer = new Lazy<ConsumerResult>(BuildAndRunConsumer);
        _extracted = new Lazy<string>(() =>
        {
            string folder = Path.Combine(Root, "extracted", "PromptGen");
            ZipFile.ExtractToDirectory(Package("PromptGen"), folder);
            return folder;
        });
    }

    /// <summary>The temp folder holding everything the fixture makes.</summary>
    public string Root { get; }

    /// <summary>The local feed the packages were packed into.</summary>
    public string Feed { get; }

    /// <summary>The version from Directory.Build.props, the one place it is set.</summary>
    public string Version { get; }

    /// <summary>A package file in the feed, e.g. <c>Package("PromptGen", ".snupkg")</c>.</summary>
    public string Package(string id, string extension = ".nupkg") => Path.Combine(Feed, $"{id}.{Version}{extension}");

    /// <summary>The PromptGen package unzipped (once) into a folder; returns that folder.</summary>
    public string ExtractedPromptGen => _extracted.Value;

    /// <summary>The consumer's build and run, done on first use.</summary>
    public ConsumerResult Consumer => _consumer.Value;

    /// <summary>The consumer project's folder.</summary>
    public string ConsumerDirectory => Path.Combine(Root, "consumer");

    /// <summary>Environment of every command on the consumer: its own packages folder, so no cached PromptGen is used.</summary>
    public IReadOnlyDictionary<string, string> ConsumerEnvironment => new Dictionary<string, string>
    {
        ["NUGET_PACKAGES"] = Path.Combine(Root, "packages"),
    };

    public void Dispose()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
            // A temp folder left behind is harmless; failing the run over it is not.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    private ConsumerResult BuildAndRunConsumer()
    {
        string source = Path.Combine(AppContext.BaseDirectory, "Consumer");
        foreach (string file in Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories))
        {
            string target = Path.Combine(ConsumerDirectory, Path.GetRelativePath(source, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }

        string project = Path.Combine(ConsumerDirectory, "Consumer.csproj");
        File.Move(project + ".in", project);
        File.WriteAllText(project, File.ReadAllText(project).Replace("@VERSION@", Version, StringComparison.Ordinal));
        // Stop MSBuild's search for Directory.Build.* and Directory.Packages.props above the temp folder.
        File.WriteAllText(Path.Combine(ConsumerDirectory, "Directory.Build.props"), "<Project />");
        File.WriteAllText(Path.Combine(ConsumerDirectory, "Directory.Build.targets"), "<Project />");
        File.WriteAllText(Path.Combine(ConsumerDirectory, "NuGet.config"), NuGetConfig());

        (int buildExit, string build) = ProcessRunner.Run("dotnet", ["build", project, "-c", "Release", "--nologo"],
            ConsumerDirectory, ConsumerEnvironment);
        if (buildExit != 0)
        {
            return new ConsumerResult(buildExit, build, -1, "");
        }

        string dll = Path.Combine(ConsumerDirectory, "bin", "Release", "net10.0", "Consumer.dll");
        (int runExit, string run) = ProcessRunner.Run("dotnet", [dll], ConsumerDirectory);
        return new ConsumerResult(buildExit, build, runExit, run);
    }

    /// <summary>
    /// The local feed for the two PromptGen packages (and only there, by package source mapping), everything else from
    /// the sources this machine's NuGet already uses.
    /// </summary>
    private string NuGetConfig()
    {
        string sources = Dotnet(TestPaths.RepoRoot, null, "nuget", "list", "source", "--format", "short");
        List<string> upstream = sources.Split('\n')
            .Select(line => line.Trim())
            .Where(line => line.StartsWith("E ", StringComparison.Ordinal))
            .Select(line => line[2..].Trim())
            .ToList();
        Assert.True(upstream.Count > 0, "no enabled NuGet source on this machine:\n" + sources);

        var packageSources = new XElement("packageSources", new XElement("clear"),
            new XElement("add", new XAttribute("key", "promptgen-local"), new XAttribute("value", Feed)));
        var mapping = new XElement("packageSourceMapping",
            new XElement("packageSource", new XAttribute("key", "promptgen-local"),
                new XElement("package", new XAttribute("pattern", "PromptGen")),
                new XElement("package", new XAttribute("pattern", "PromptGen.Testing"))));
        for (int i = 0; i < upstream.Count; i++)
        {
            packageSources.Add(new XElement("add", new XAttribute("key", "upstream" + i), new XAttribute("value", upstream[i])));
            mapping.Add(new XElement("packageSource", new XAttribute("key", "upstream" + i),
                new XElement("package", new XAttribute("pattern", "*"))));
        }

        return new XDocument(new XElement("configuration", packageSources, mapping)).ToString();
    }

    private static string ReadVersion()
    {
        XDocument props = XDocument.Load(Path.Combine(TestPaths.RepoRoot, "Directory.Build.props"));
        return props.Descendants("Version").Single().Value.Trim();
    }

    private static string Dotnet(string workingDirectory, IReadOnlyDictionary<string, string>? environment, params string[] arguments)
    {
        (int exitCode, string output) = ProcessRunner.Run("dotnet", arguments, workingDirectory, environment);
        if (exitCode != 0)
        {
            throw new InvalidOperationException($"dotnet {string.Join(' ', arguments)} failed ({exitCode}):\n{output}");
        }

        return output;
    }
}

/// <summary>The consumer's build output and, when it built, what running it printed.</summary>
public sealed record ConsumerResult(int BuildExitCode, string BuildOutput, int RunExitCode, string RunOutput)
{
    /// <summary>The warning and error lines of the build (the code is empty for MSBuild's codeless ones), each once.</summary>
    public IReadOnlyList<(string Severity, string Code, string Line)> Diagnostics =>
        BuildOutput.Split('\n')
            .Select(line => (Line: line.Trim(), Match: DiagnosticLine.Match(line)))
            .Where(x => x.Match.Success)
            .Select(x => (x.Match.Groups["severity"].Value, x.Match.Groups["code"].Value, x.Line))
            .Distinct()
            .ToList();

    private static readonly Regex DiagnosticLine = new(@":\s(?<severity>warning|error)\s(?<code>[A-Za-z]+[0-9]*)?\s*:", RegexOptions.CultureInvariant);
}

[CollectionDefinition(Name)]
public sealed class PackageCollection : ICollectionFixture<PackageFixture>
{
    public const string Name = "package";
}
