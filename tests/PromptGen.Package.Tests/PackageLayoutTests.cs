using System.IO.Compression;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using System.Text.RegularExpressions;
using System.Xml.Linq;

namespace PromptGen.Package.Tests;

/// <summary>What the packed .nupkg/.snupkg files hold: paths, nuspec metadata, readme, and analyzers that will load.</summary>
[Collection(PackageCollection.Name)]
public class PackageLayoutTests(PackageFixture fixture)
{
    internal const string AnalyzerFolder = "analyzers/dotnet/roslyn4.8/cs/";

    [Fact]
    public void PromptGen_holds_the_runtime_the_analyzers_and_the_build_files()
    {
        using ZipArchive package = ZipFile.OpenRead(fixture.Package("PromptGen"));
        var paths = PackagePaths(package);

        string[] expected =
        [
            "lib/net8.0/PromptGen.Runtime.dll", "lib/net8.0/PromptGen.Runtime.xml",
            "lib/net10.0/PromptGen.Runtime.dll", "lib/net10.0/PromptGen.Runtime.xml",
            AnalyzerFolder + "PromptGen.Generator.dll", AnalyzerFolder + "Scriban.Signed.dll", AnalyzerFolder + "PromptGen.CodeFixes.dll",
            "buildTransitive/PromptGen.props", "buildTransitive/PromptGen.targets",
            "README.md",
        ];
        Assert.Equal(expected.Order(StringComparer.Ordinal), paths.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void PromptGen_nuspec_has_the_metadata_and_no_build_time_dependency()
    {
        using ZipArchive package = ZipFile.OpenRead(fixture.Package("PromptGen"));
        XElement metadata = Metadata(package);

        AssertCommonMetadata(metadata, "PromptGen");
        var groups = metadata.Element(Nuspec("dependencies"))!.Elements(Nuspec("group")).ToList();
        Assert.Equal(["net10.0", "net8.0"], groups.Select(g => (string)g.Attribute("targetFramework")!).Order(StringComparer.Ordinal));
        var dependencies = groups.SelectMany(g => g.Elements(Nuspec("dependency"))).Select(d => (string)d.Attribute("id")!).ToHashSet();
        Assert.Contains("AWSSDK.Core", dependencies);
        // The generator's own dependencies ship inside the analyzers folder; none may reach users' runtime.
        Assert.DoesNotContain(dependencies, id => id.StartsWith("Microsoft.CodeAnalysis", StringComparison.Ordinal)
            || id.StartsWith("Scriban", StringComparison.Ordinal) || id.StartsWith("PromptGen", StringComparison.Ordinal)
            || id == "System.Composition");
    }

    [Fact]
    public void PromptGen_Testing_is_its_own_package_depending_on_PromptGen_and_ASP_NET_Core()
    {
        using ZipArchive package = ZipFile.OpenRead(fixture.Package("PromptGen.Testing"));
        XElement metadata = Metadata(package);

        AssertCommonMetadata(metadata, "PromptGen.Testing");
        var paths = PackagePaths(package);
        Assert.Contains("lib/net10.0/PromptGen.Testing.dll", paths);
        Assert.Contains("lib/net10.0/PromptGen.Testing.xml", paths);
        Assert.DoesNotContain(paths, p => p.StartsWith("analyzers/", StringComparison.Ordinal));

        XElement dependency = Assert.Single(metadata.Descendants(Nuspec("dependency")), d => (string)d.Attribute("id")! == "PromptGen");
        Assert.Equal(fixture.Version, (string)dependency.Attribute("version")!);
        Assert.Contains(metadata.Descendants(Nuspec("frameworkReference")), f => (string)f.Attribute("name")! == "Microsoft.AspNetCore.App");
    }

    [Theory]
    [InlineData("PromptGen")]
    [InlineData("PromptGen.Testing")]
    public void The_readme_is_the_repository_README_with_links_that_work_on_nuget(string id)
    {
        using ZipArchive package = ZipFile.OpenRead(fixture.Package(id));
        using var reader = new StreamReader(package.GetEntry("README.md")!.Open());
        string readme = reader.ReadToEnd();

        Assert.StartsWith("# PromptGen", readme, StringComparison.Ordinal);
        var links = Regex.Matches(readme, @"\]\(([^)]+)\)").Select(m => m.Groups[1].Value).ToList();
        Assert.NotEmpty(links);
        Assert.All(links, link => Assert.StartsWith("https://", link, StringComparison.Ordinal));
        Assert.Contains("https://github.com/promptgen/promptgen/blob/main/docs/README.md", links);
    }

    [Fact]
    public void The_symbols_package_has_the_PDBs_of_both_runtime_targets()
    {
        using ZipArchive symbols = ZipFile.OpenRead(fixture.Package("PromptGen", ".snupkg"));
        var paths = PackagePaths(symbols);

        Assert.Contains("lib/net8.0/PromptGen.Runtime.pdb", paths);
        Assert.Contains("lib/net10.0/PromptGen.Runtime.pdb", paths);
    }

    [Fact]
    public void Every_assembly_we_build_is_deterministic_with_a_portable_pdb()
    {
        using ZipArchive package = ZipFile.OpenRead(fixture.Package("PromptGen"));
        string[] ours =
        [
            "lib/net8.0/PromptGen.Runtime.dll", "lib/net10.0/PromptGen.Runtime.dll",
            AnalyzerFolder + "PromptGen.Generator.dll", AnalyzerFolder + "PromptGen.CodeFixes.dll",
        ];

        foreach (string path in ours)
        {
            using PEReader pe = new(new MemoryStream(ReadEntry(package, path)));
            var debug = pe.ReadDebugDirectory();
            // A Reproducible entry is what the compiler writes for /deterministic; CodeView with the portable PDB's magic.
            Assert.Contains(debug, e => e.Type == DebugDirectoryEntryType.Reproducible);
            Assert.Contains(debug, e => e.Type == DebugDirectoryEntryType.CodeView && e.IsPortableCodeView);
        }
    }

    [Fact]
    public void Every_reference_of_the_analyzer_assemblies_is_shipped_beside_them_or_provided_by_the_host()
    {
        using ZipArchive package = ZipFile.OpenRead(fixture.Package("PromptGen"));
        var shipped = package.Entries
            .Where(e => e.FullName.StartsWith(AnalyzerFolder, StringComparison.Ordinal) && e.Name.EndsWith(".dll", StringComparison.Ordinal))
            .ToList();
        var shippedNames = shipped.Select(e => Path.GetFileNameWithoutExtension(e.Name)).ToHashSet(StringComparer.Ordinal);
        var problems = new List<string>();

        foreach (ZipArchiveEntry entry in shipped)
        {
            using PEReader pe = new(new MemoryStream(ReadEntry(package, entry.FullName)));
            MetadataReader metadata = pe.GetMetadataReader();
            // The code fixes are loaded by the IDE only, which hosts Workspaces and MEF; the compiler loads the rest.
            bool ideOnly = entry.Name == "PromptGen.CodeFixes.dll";
            foreach (AssemblyReferenceHandle handle in metadata.AssemblyReferences)
            {
                AssemblyReference reference = metadata.GetAssemblyReference(handle);
                string name = metadata.GetString(reference.Name);
                if (!shippedNames.Contains(name) && !HostProvides(name, reference.Version, ideOnly)
                    && !(entry.Name == "Scriban.Signed.dll" && ScribanRenderingOnly.Contains(name)))
                {
                    problems.Add($"{entry.Name} -> {name} {reference.Version}");
                }
            }
        }

        Assert.True(problems.Count == 0, "references that would not load:\n" + string.Join('\n', problems));
    }

    /// <summary>
    /// Scriban's references that only its rendering and JSON built-ins use. The generator uses the lexer and parser alone,
    /// so they are deliberately not shipped; <see cref="AnalyzerLoadTests"/> proves that running the generator and the
    /// analyzers never asks for them.
    /// </summary>
    internal static readonly string[] ScribanRenderingOnly = ["System.Text.Json", "Microsoft.CSharp", "System.Threading.Tasks.Extensions"];

    /// <summary>
    /// What a Roslyn 4.8 host (the .NET 8 SDK's compiler, Visual Studio 17.8) loads for every analyzer: netstandard, the
    /// compiler's own assemblies and their dependencies, at most at Roslyn 4.8's versions; the IDE adds Workspaces and MEF.
    /// </summary>
    internal static bool HostProvides(string name, Version version, bool ideOnly) => name switch
    {
        "netstandard" => version <= new Version(2, 0, 0, 0),
        "Microsoft.CodeAnalysis" or "Microsoft.CodeAnalysis.CSharp" => version <= new Version(4, 8, 0, 0),
        "System.Collections.Immutable" or "System.Reflection.Metadata" => version <= new Version(7, 0, 0, 0),
        "Microsoft.CodeAnalysis.Workspaces" or "Microsoft.CodeAnalysis.CSharp.Workspaces" => ideOnly && version <= new Version(4, 8, 0, 0),
        "System.Composition.AttributedModel" => ideOnly,
        _ => false,
    };

    private void AssertCommonMetadata(XElement metadata, string id)
    {
        Assert.Equal(id, (string)metadata.Element(Nuspec("id"))!);
        Assert.Equal(fixture.Version, (string)metadata.Element(Nuspec("version"))!);
        XElement license = metadata.Element(Nuspec("license"))!;
        Assert.Equal("expression", (string)license.Attribute("type")!);
        Assert.Equal("MIT", license.Value);
        Assert.Equal("README.md", (string)metadata.Element(Nuspec("readme"))!);
        Assert.Equal("https://github.com/promptgen/promptgen", (string)metadata.Element(Nuspec("projectUrl"))!);
        XElement repository = metadata.Element(Nuspec("repository"))!;
        Assert.Equal("git", (string)repository.Attribute("type")!);
        Assert.Equal("https://github.com/promptgen/promptgen", (string)repository.Attribute("url")!);
        Assert.Matches("^[0-9a-f]{40}$", (string)repository.Attribute("commit")!);
        Assert.False(string.IsNullOrWhiteSpace((string?)metadata.Element(Nuspec("description"))));
        Assert.False(string.IsNullOrWhiteSpace((string?)metadata.Element(Nuspec("authors"))));
        Assert.False(string.IsNullOrWhiteSpace((string?)metadata.Element(Nuspec("tags"))));
    }

    private static XName Nuspec(string name) => XName.Get(name, "http://schemas.microsoft.com/packaging/2013/05/nuspec.xsd");

    private static XElement Metadata(ZipArchive package)
    {
        ZipArchiveEntry nuspec = Assert.Single(package.Entries, e => e.FullName.EndsWith(".nuspec", StringComparison.Ordinal));
        using Stream stream = nuspec.Open();
        return XDocument.Load(stream).Root!.Element(Nuspec("metadata"))!;
    }

    /// <summary>The package's content paths, without OPC bookkeeping (nuspec, [Content_Types].xml, _rels, package/).</summary>
    private static List<string> PackagePaths(ZipArchive package) => package.Entries
        .Select(e => e.FullName)
        .Where(p => !p.EndsWith(".nuspec", StringComparison.Ordinal) && p != "[Content_Types].xml"
            && !p.StartsWith("_rels/", StringComparison.Ordinal) && !p.StartsWith("package/", StringComparison.Ordinal))
        .ToList();

    private static byte[] ReadEntry(ZipArchive package, string path)
    {
        using Stream stream = package.GetEntry(path)!.Open();
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }
}
