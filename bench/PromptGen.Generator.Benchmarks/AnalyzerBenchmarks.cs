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
    private ImmutableArray<DiagnosticAnalyzer> _empty;

    [GlobalSetup]
    public void Setup()
    {
        _compilation = Project();
        _analyzers = [new PromptAnalyzer()];
        _empty = [new EmptyAnalyzer()];
    }

    /// <summary>The synthetic project with its generated clients.</summary>
    internal static Compilation Project()
    {
        var parseOptions = new CSharpParseOptions(LanguageVersion.Latest);
        var trees = Enumerable.Range(0, 200)
            .Select(i => CSharpSyntaxTree.ParseText(GeneratorBenchmarks.InterfaceSource(i), parseOptions, path: $"Prompts{i}.cs"))
            .ToList();
        var compilation = CSharpCompilation.Create("Synthetic", trees, GeneratorBenchmarks.References(),
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));
        CSharpGeneratorDriver.Create([new PromptGenerator().AsSourceGenerator()], parseOptions: parseOptions)
            .RunGeneratorsAndUpdateCompilation(compilation, out Compilation generated, out _);
        return generated;
    }

    [Benchmark(Baseline = true, Description = "compiler diagnostics only")]
    public int CompilerOnly() => _compilation.Clone().GetDiagnostics().Length;

    [Benchmark(Description = "compiler diagnostics + an empty analyzer (same registrations, no work)")]
    public int WithEmptyAnalyzer() =>
        _compilation.Clone().WithAnalyzers(_empty).GetAllDiagnosticsAsync().GetAwaiter().GetResult().Length;

    [Benchmark(Description = "compiler diagnostics + PromptGen analyzers")]
    public int WithAnalyzers() =>
        _compilation.Clone().WithAnalyzers(_analyzers).GetAllDiagnosticsAsync().GetAwaiter().GetResult().Length;

    /// <summary>
    /// What any analyzer of this shape costs before it does anything: the analyzer driver, the symbol events of every type,
    /// configured like <see cref="PromptAnalyzer"/> (no generated code, concurrent, one CompilationStart, one NamedType action).
    /// </summary>
#pragma warning disable RS1036, RS1041, RS2008 // a measuring stick that lives in the benchmark and ships nowhere
    [DiagnosticAnalyzer(LanguageNames.CSharp)]
    internal sealed class EmptyAnalyzer : DiagnosticAnalyzer
    {
        private static readonly DiagnosticDescriptor Never = new("BENCH0001", "never", "never", "Bench", DiagnosticSeverity.Warning, true);

        public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => [Never];

        public override void Initialize(AnalysisContext context)
        {
            context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
            context.EnableConcurrentExecution();
            context.RegisterCompilationStartAction(static start =>
                start.RegisterSymbolAction(static _ => { }, SymbolKind.NamedType));
        }
    }
#pragma warning restore RS1036, RS1041, RS2008
}
