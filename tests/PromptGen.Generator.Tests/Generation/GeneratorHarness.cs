extern alias runtime;

using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;

namespace PromptGen.Generator.Tests.Generation;

/// <summary>Runs PromptGenerator over source text the way the compiler does, against the real runtime assembly.</summary>
internal static class GeneratorHarness
{
    private static readonly Lazy<MetadataReference[]> s_references = new(() =>
    {
        string tpa = (string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!;
        var references = new List<MetadataReference>();
        foreach (string path in tpa.Split(Path.PathSeparator))
        {
            string name = Path.GetFileNameWithoutExtension(path);
            if (name.StartsWith("System", StringComparison.Ordinal) || name is "mscorlib" or "netstandard" or "Microsoft.Bcl.AsyncInterfaces")
            {
                references.Add(MetadataReference.CreateFromFile(path));
            }
        }

        references.Add(MetadataReference.CreateFromFile(typeof(runtime::PromptGen.BedrockClient).Assembly.Location));
        return references.ToArray();
    });

    public static CSharpParseOptions ParseOptions { get; } = new(LanguageVersion.Latest);

    public static CSharpCompilation Compilation(params string[] sources) => CSharpCompilation.Create(
        "Consumer",
        sources.Select((s, i) => CSharpSyntaxTree.ParseText(s, ParseOptions, path: $"Source{i}.cs")),
        s_references.Value,
        new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));

    public static GeneratorDriver Driver(IEnumerable<AdditionalText>? files = null, string? defaultModel = null) =>
        CSharpGeneratorDriver.Create(
            [new PromptGenerator().AsSourceGenerator()],
            additionalTexts: files?.ToImmutableArray() ?? ImmutableArray<AdditionalText>.Empty,
            parseOptions: ParseOptions,
            optionsProvider: new Options(defaultModel),
            driverOptions: new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: true));

    /// <summary>Runs the generator and returns the updated compilation, the generator's diagnostics and its sources.</summary>
    public static (Compilation Output, ImmutableArray<Diagnostic> Diagnostics, GeneratorDriverRunResult Result) Run(
        string source, IEnumerable<AdditionalText>? files = null, string? defaultModel = null)
    {
        GeneratorDriver driver = Driver(files, defaultModel).RunGeneratorsAndUpdateCompilation(Compilation(source), out Compilation output, out ImmutableArray<Diagnostic> diagnostics);
        return (output, diagnostics, driver.GetRunResult());
    }

    public sealed class InMemoryFile(string path, string? text) : AdditionalText
    {
        public override string Path { get; } = path;

        public override SourceText? GetText(CancellationToken cancellationToken = default) => text is null ? null : SourceText.From(text);
    }

    private sealed class Options(string? defaultModel) : AnalyzerConfigOptionsProvider
    {
        private readonly Config _global = new(defaultModel is null
            ? ImmutableDictionary<string, string>.Empty
            : ImmutableDictionary<string, string>.Empty.Add("build_property.PromptGenDefaultModel", defaultModel));

        public override AnalyzerConfigOptions GlobalOptions => _global;

        public override AnalyzerConfigOptions GetOptions(SyntaxTree tree) => Config.Empty;

        public override AnalyzerConfigOptions GetOptions(AdditionalText textFile) => Config.Empty;

        private sealed class Config(ImmutableDictionary<string, string> values) : AnalyzerConfigOptions
        {
            public static Config Empty { get; } = new(ImmutableDictionary<string, string>.Empty);

            public override bool TryGetValue(string key, out string value) => values.TryGetValue(key, out value!);
        }
    }
}
