extern alias runtime;

using System.Collections.Immutable;
using BenchmarkDotNet.Attributes;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using PromptGen.Generator.Analyzers;

namespace PromptGen.Generator.Benchmarks;

/// <summary>
/// Issue 4 goal: PromptGen's analyzers add ≤ 5 % to the compiler's diagnostics pass over the synthetic 200-interface ×
/// 5-method project (with its generated clients), each run on a fresh compilation with no cached semantics.
/// </summary>
[MemoryDiagnoser]
public class AnalyzerBenchmarks
{
    private Compilation _compilation = null!;
    private ImmutableArray<DiagnosticAnalyzer> _analyzers;

    [GlobalSetup]
    public void Setup()
    {
        var parseOptions = new CSharpParseOptions(LanguageVersion.Latest);
        var trees = Enumerable.Range(0, 200)
            .Select(i => CSharpSyntaxTree.ParseText(GeneratorBenchmarks.InterfaceSource(i), parseOptions, path: $"Prompts{i}.cs"))
            .ToList();
        string tpa = (string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!;
        MetadataReference[] references = tpa.Split(Path.PathSeparator)
            .Where(p => Path.GetFileName(p).StartsWith("System", StringComparison.Ordinal) || Path.GetFileName(p) is "netstandard.dll" or "mscorlib.dll")
            .Select(p => (MetadataReference)MetadataReference.CreateFromFile(p))
            .Append(MetadataReference.CreateFromFile(typeof(runtime::PromptGen.BedrockClient).Assembly.Location))
            .ToArray();
        var compilation = CSharpCompilation.Create("Synthetic", trees, references,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));
        CSharpGeneratorDriver.Create([new PromptGenerator().AsSourceGenerator()], parseOptions: parseOptions)
            .RunGeneratorsAndUpdateCompilation(compilation, out _compilation, out _);
        _analyzers = [new PromptAnalyzer()];
    }

    [Benchmark(Baseline = true, Description = "compiler diagnostics only")]
    public int CompilerOnly() => _compilation.Clone().GetDiagnostics().Length;

    [Benchmark(Description = "compiler diagnostics + PromptGen analyzers")]
    public int WithAnalyzers() =>
        _compilation.Clone().WithAnalyzers(_analyzers).GetAllDiagnosticsAsync().GetAwaiter().GetResult().Length;
}
