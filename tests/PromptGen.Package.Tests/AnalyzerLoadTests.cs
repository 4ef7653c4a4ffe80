using System.Collections.Immutable;
using System.Reflection;
using System.Runtime.Loader;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;

namespace PromptGen.Package.Tests;

/// <summary>
/// Loads the packed generator and analyzers the way a compiler host does (their own load context, Roslyn 4.8 from the
/// host), runs them over prompts that exercise the template parser, and records every assembly they ask for: each must
/// ship beside them or be one the host provides. This is what catches a dependency that would load here, on .NET 10,
/// and fail on the .NET 8 SDK's compiler or in Visual Studio.
/// </summary>
[Collection(PackageCollection.Name)]
public class AnalyzerLoadTests(PackageFixture fixture)
{
    private const string Source = """
        using System.Collections.Generic;
        using System.Threading;
        using System.Threading.Tasks;
        using PromptGen;

        namespace Consumer;

        public sealed record Line(string Item, int Quantity);

        [Prompt(UseCase = UseCase.Summarization, Model = "us.anthropic.claude-haiku-4-5-20251001-v1:0")]
        public interface IOrders
        {
            [UserPrompt(File = "Prompts/order.sbn")]
            Task<string> DescribeAsync(string customer, IReadOnlyList<Line> lines, string? note, CancellationToken cancellationToken = default);

            [Prompt(UseCase = UseCase.Classification, Temperature = 0.9)]
            [UserPrompt("Is {{ customer | string.downcase }} a company? {{ if note != null }}Note: {{ note }}{{ end }}")]
            Task<string> ClassifyAsync(string customer, string? note, CancellationToken cancellationToken = default);
        }
        """;

    private const string OrderTemplate = """
        Order for {{ customer | string.upcase }}:
        {{~ for line in lines ~}}
        {{ for.index + 1 }}. {{ line.Quantity }} x {{ line.Item }}{{ if for.last }}.{{ end }}
        {{~ else ~}}
        (no lines)
        {{~ end ~}}
        {{ note | object.default "no note" }}
        """;

    [Fact]
    public async Task The_generator_and_analyzers_load_nothing_that_is_neither_shipped_nor_provided_by_the_host()
    {
        string folder = Path.Combine(fixture.ExtractedPromptGen, PackageLayoutTests.AnalyzerFolder);
        var context = new RecordingLoadContext(folder);
        Assembly generatorAssembly = context.LoadFromAssemblyPath(Path.Combine(folder, "PromptGen.Generator.dll"));
        Type[] types = generatorAssembly.GetTypes();
        ISourceGenerator[] generators = types
            .Where(t => t.GetCustomAttribute<GeneratorAttribute>() is not null)
            .Select(t => ((IIncrementalGenerator)Activator.CreateInstance(t)!).AsSourceGenerator())
            .ToArray();
        ImmutableArray<DiagnosticAnalyzer> analyzers = types
            .Where(t => t.GetCustomAttribute<DiagnosticAnalyzerAttribute>() is not null)
            .Select(t => (DiagnosticAnalyzer)Activator.CreateInstance(t)!)
            .ToImmutableArray();
        Assert.NotEmpty(generators);
        Assert.NotEmpty(analyzers);

        CSharpCompilation compilation = CSharpCompilation.Create("Consumer",
            [CSharpSyntaxTree.ParseText(Source, new CSharpParseOptions(LanguageVersion.Latest), path: "Orders.cs")],
            References(),
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));
        AdditionalText template = new InMemoryAdditionalText(Path.Combine("Prompts", "order.sbn"), OrderTemplate);

        GeneratorDriver driver = CSharpGeneratorDriver.Create(generators, [template]);
        driver = driver.RunGeneratorsAndUpdateCompilation(compilation, out Compilation output, out ImmutableArray<Diagnostic> generatorDiagnostics);
        ImmutableArray<Diagnostic> analyzerDiagnostics = await output
            .WithAnalyzers(analyzers, new AnalyzerOptions([template]))
            .GetAnalyzerDiagnosticsAsync();

        // The generator ran (a client with the file template compiled in) and the analyzers ran (PG0001), neither failed.
        Assert.Empty(generatorDiagnostics);
        string generated = string.Join("\n", driver.GetRunResult().GeneratedTrees.Select(t => t.ToString()));
        Assert.Contains("class OrdersClient", generated, StringComparison.Ordinal);
        Assert.Contains("Order for ", generated, StringComparison.Ordinal);
        Assert.Contains(analyzerDiagnostics, d => d.Id == "PG0001");
        Assert.DoesNotContain(analyzerDiagnostics, d => d.Id == "AD0001");
        Assert.DoesNotContain(output.GetDiagnostics(), d => d.Severity == DiagnosticSeverity.Error);

        var shipped = Directory.EnumerateFiles(folder, "*.dll").Select(Path.GetFileNameWithoutExtension).ToHashSet(StringComparer.Ordinal);
        var unexpected = context.Requested
            .Where(name => !shipped.Contains(name.Name!) && !PackageLayoutTests.HostProvides(name.Name!, name.Version ?? new Version(), ideOnly: false))
            .Select(name => name.FullName)
            .ToList();
        Assert.True(unexpected.Count == 0, "asked for assemblies the host may not have:\n" + string.Join('\n', unexpected));
        Assert.Contains(context.Requested, name => name.Name == "Scriban.Signed");
    }

    /// <summary>The test host's framework (the trusted platform assemblies) plus the runtime from the package.</summary>
    private IEnumerable<MetadataReference> References()
    {
        string tpa = (string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!;
        string frameworkDirectory = Path.GetDirectoryName(typeof(object).Assembly.Location)!;
        foreach (string path in tpa.Split(Path.PathSeparator))
        {
            if (Path.GetDirectoryName(path) == frameworkDirectory)
            {
                yield return MetadataReference.CreateFromFile(path);
            }
        }

        yield return MetadataReference.CreateFromFile(Path.Combine(fixture.ExtractedPromptGen, "lib", "net10.0", "PromptGen.Runtime.dll"));
    }

    /// <summary>
    /// Serves the assemblies shipped in the analyzers folder from there and leaves the rest to the default context (this
    /// test host: Roslyn 4.8, the framework), recording every name it is asked for.
    /// </summary>
    private sealed class RecordingLoadContext(string folder) : AssemblyLoadContext("promptgen-analyzers")
    {
        private readonly List<AssemblyName> _requested = [];

        public IReadOnlyList<AssemblyName> Requested
        {
            get
            {
                lock (_requested)
                {
                    return [.. _requested];
                }
            }
        }

        protected override Assembly? Load(AssemblyName assemblyName)
        {
            lock (_requested)
            {
                _requested.Add(assemblyName);
            }

            string path = Path.Combine(folder, assemblyName.Name + ".dll");
            return File.Exists(path) ? LoadFromAssemblyPath(path) : null;
        }
    }

    private sealed class InMemoryAdditionalText(string path, string text) : AdditionalText
    {
        public override string Path { get; } = path;

        public override SourceText GetText(CancellationToken cancellationToken = default) => SourceText.From(text);
    }
}
