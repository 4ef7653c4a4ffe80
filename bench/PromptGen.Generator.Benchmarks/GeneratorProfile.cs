extern alias runtime;

using System.Diagnostics;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using PromptGen.Generator.Common;
using PromptGen.Generator.Prompts;
using PromptGen.Generator.Structured;
using PromptGen.Generator.Templates;

namespace PromptGen.Generator.Benchmarks;

/// <summary>
/// A stopwatch breakdown of the generator's work on the benchmark's synthetic project (<c>-- --profile</c>): where the cold
/// run's time goes, phase by phase, on a fresh compilation each round. It finds the next cost to cut; the goals themselves
/// are measured by <see cref="GeneratorBenchmarks"/>.
/// </summary>
internal static class GeneratorProfile
{
    /// <summary>Only cold runs, <paramref name="rounds"/> times: a steady load for a sampling profiler (dotnet-trace).</summary>
    public static void RunCold(int rounds)
    {
        var parseOptions = new CSharpParseOptions(LanguageVersion.Latest);
        SyntaxTree[] trees = Enumerable.Range(0, 200)
            .Select(i => CSharpSyntaxTree.ParseText(GeneratorBenchmarks.InterfaceSource(i), parseOptions, path: $"Prompts{i}.cs"))
            .ToArray();
        MetadataReference[] references = GeneratorBenchmarks.References();
        foreach ((string name, Func<IIncrementalGenerator> create) in new (string, Func<IIncrementalGenerator>)[]
        {
            // Floor first and last: the first rounds of whichever runs first still pay for tiered JIT compilation.
            ("floor", GeneratorBenchmarks.Floor),
            ("PromptGen", () => new PromptGenerator()),
            ("floor", GeneratorBenchmarks.Floor),
        })
        {
            // On a shared machine wall time follows the neighbours' load; this thread's CPU time and allocation do not (its
            // CPU time includes the gen0/gen1 collections it triggers, which workstation GC runs on the allocating thread,
            // and leaves out the JIT's and the neighbours' threads, which the process CPU time counts).
            TimeSpan cpu = TimeSpan.Zero;
            double threadCpu = 0;
            long allocated = 0;
            var sw = new Stopwatch();
            for (int round = 0; round < rounds; round++)
            {
                CSharpCompilation compilation = CSharpCompilation.Create("Synthetic", GeneratorBenchmarks.FreshTrees(trees), references,
                    new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));
                TimeSpan cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
                double threadBefore = ThreadCpuMilliseconds();
                long before = GC.GetAllocatedBytesForCurrentThread();
                sw.Start();
                CSharpGeneratorDriver.Create([create().AsSourceGenerator()], parseOptions: parseOptions).RunGenerators(compilation);
                sw.Stop();
                if (round >= rounds / 2)
                {
                    threadCpu += ThreadCpuMilliseconds() - threadBefore;
                    cpu += Process.GetCurrentProcess().TotalProcessorTime - cpuBefore;
                    allocated += GC.GetAllocatedBytesForCurrentThread() - before;
                }
            }

            int n = rounds - rounds / 2;
            Console.WriteLine($"{name,-10} cold: {sw.Elapsed.TotalMilliseconds / rounds,8:F1} ms wall, {cpu.TotalMilliseconds / n,8:F1} ms process CPU, {threadCpu / n,8:F1} ms thread CPU, {allocated / n / 1024.0 / 1024.0,7:F2} MB allocated (mean of the last {n})");
        }
    }

    /// <summary>
    /// The rerun after an unrelated edit, three ways: on one edited compilation reused by every round (what the benchmark
    /// did), on a new edited compilation each round (what an edit gives the generator), and a driver that already saw the
    /// edited compilation run again on it (nothing to do).
    /// </summary>
    public static void RunRerun(int rounds)
    {
        var parseOptions = new CSharpParseOptions(LanguageVersion.Latest);
        SyntaxTree unrelated = CSharpSyntaxTree.ParseText("namespace App; public static class Unrelated { public static int Value => 1; }", parseOptions, path: "Unrelated.cs");
        SyntaxTree[] trees = Enumerable.Range(0, 200)
            .Select(i => CSharpSyntaxTree.ParseText(GeneratorBenchmarks.InterfaceSource(i), parseOptions, path: $"Prompts{i}.cs"))
            .Append(unrelated)
            .ToArray();
        CSharpCompilation compilation = CSharpCompilation.Create("Synthetic", trees, GeneratorBenchmarks.References(),
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));
        SyntaxTree edit = CSharpSyntaxTree.ParseText("namespace App; public static class Unrelated { public static int Value => 2; }", parseOptions, path: "Unrelated.cs");
        CSharpCompilation edited = compilation.ReplaceSyntaxTree(unrelated, edit);
        foreach ((string name, Func<IIncrementalGenerator> create) in new (string, Func<IIncrementalGenerator>)[]
        {
            // Floor first and last: the first rounds of whichever runs first still pay for tiered JIT compilation.
            ("floor", GeneratorBenchmarks.Floor),
            ("PromptGen", () => new PromptGenerator()),
            ("floor", GeneratorBenchmarks.Floor),
        })
        {
            GeneratorDriver warm = CSharpGeneratorDriver.Create([create().AsSourceGenerator()], parseOptions: parseOptions).RunGenerators(compilation);
            GeneratorDriver sawEdit = warm.RunGenerators(edited);
            Measure(name + ", same edited compilation every round", () => warm.RunGenerators(edited));
            Measure(name + ", a new edited compilation each round", () => warm.RunGenerators(compilation.ReplaceSyntaxTree(unrelated, GeneratorBenchmarks.FreshTrees([edit])[0])));
            Measure(name + ", driver already ran on the edit", () => sawEdit.RunGenerators(edited));
        }

        void Measure(string what, Action action)
        {
            var sw = new Stopwatch();
            long allocated = 0;
            double threadCpu = 0;
            int gen0 = 0, gen1 = 0, gen2 = 0;
            for (int round = 0; round < rounds; round++)
            {
                if (round == rounds / 2)
                {
                    (gen0, gen1, gen2) = (GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2));
                }

                long before = GC.GetAllocatedBytesForCurrentThread();
                double threadBefore = ThreadCpuMilliseconds();
                if (round >= rounds / 2) sw.Start();
                action();
                sw.Stop();
                if (round >= rounds / 2)
                {
                    threadCpu += ThreadCpuMilliseconds() - threadBefore;
                    allocated += GC.GetAllocatedBytesForCurrentThread() - before;
                }
            }

            int n = rounds - rounds / 2;
            Console.WriteLine($"{what,-60} {sw.Elapsed.TotalMilliseconds / n,8:F2} ms wall {threadCpu / n,8:F2} ms thread CPU {allocated / n / 1024.0,9:F1} KB" +
                $" (collections gen0/1/2: {GC.CollectionCount(0) - gen0}/{GC.CollectionCount(1) - gen1}/{GC.CollectionCount(2) - gen2})");
        }
    }

    /// <summary>This thread's CPU time (Linux <c>CLOCK_THREAD_CPUTIME_ID</c>); NaN elsewhere.</summary>
    private static double ThreadCpuMilliseconds()
    {
        if (!OperatingSystem.IsLinux())
        {
            return double.NaN;
        }

        return clock_gettime(3 /* CLOCK_THREAD_CPUTIME_ID */, out Timespec now) == 0 ? now.Seconds * 1000.0 + now.Nanoseconds / 1_000_000.0 : double.NaN;
    }

    [System.Runtime.InteropServices.DllImport("libc", SetLastError = false)]
    private static extern int clock_gettime(int clock, out Timespec time);

    private struct Timespec
    {
        public long Seconds;
        public long Nanoseconds;
    }

    /// <summary>The diagnostics pass with no analyzer, an empty one and PromptGen's: this thread's allocation and the process's CPU time.</summary>
    public static void RunAnalyzers(int rounds, string? only = null)
    {
        Compilation project = AnalyzerBenchmarks.Project();
        foreach ((string name, DiagnosticAnalyzer? analyzer) in new (string, DiagnosticAnalyzer?)[]
        {
            ("compiler only", null),
            ("+ empty analyzer", new AnalyzerBenchmarks.EmptyAnalyzer()),
            ("+ PromptGen analyzers", new Analyzers.PromptAnalyzer()),
        })
        {
            if (only is not null && !name.Contains(only, StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            TimeSpan cpu = TimeSpan.Zero;
            long allocated = 0;
            for (int round = 0; round < rounds; round++)
            {
                Compilation fresh = project.Clone();
                TimeSpan cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
                long before = GC.GetTotalAllocatedBytes(precise: false);
                int count = analyzer is null
                    ? fresh.GetDiagnostics().Length
                    : fresh.WithAnalyzers([analyzer]).GetAllDiagnosticsAsync().GetAwaiter().GetResult().Length;
                if (round >= rounds / 2)
                {
                    cpu += Process.GetCurrentProcess().TotalProcessorTime - cpuBefore;
                    allocated += GC.GetTotalAllocatedBytes(precise: false) - before;
                }
            }

            int n = rounds - rounds / 2;
            Console.WriteLine($"{name,-25} {cpu.TotalMilliseconds / n,8:F1} ms process CPU, {allocated / n / 1024.0 / 1024.0,7:F2} MB allocated (all threads)");
        }
    }

    public static void Run(int rounds)
    {
        var parseOptions = new CSharpParseOptions(LanguageVersion.Latest);
        SyntaxTree[] trees = Enumerable.Range(0, 200)
            .Select(i => CSharpSyntaxTree.ParseText(GeneratorBenchmarks.InterfaceSource(i), parseOptions, path: $"Prompts{i}.cs"))
            .Append(CSharpSyntaxTree.ParseText("namespace App; public static class Unrelated { public static int Value => 1; }", parseOptions, path: "Unrelated.cs"))
            .ToArray();
        MetadataReference[] references = GeneratorBenchmarks.References();
        CSharpCompilation Fresh() => CSharpCompilation.Create("Synthetic", GeneratorBenchmarks.FreshTrees(trees), references,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));

        var totals = new Dictionary<string, double>(StringComparer.Ordinal);
        var bytes = new Dictionary<string, long>(StringComparer.Ordinal);
        long mark = 0;
        void Add(string phase, long ticks)
        {
            totals[phase] = totals.GetValueOrDefault(phase) + ticks * 1000.0 / Stopwatch.Frequency;
            bytes[phase] = bytes.GetValueOrDefault(phase) + GC.GetAllocatedBytesForCurrentThread() - mark;
        }

        for (int round = 0; round < rounds; round++)
        {
            CSharpCompilation compilation = Fresh();
            bool measured = round >= rounds / 2; // the first half warms the JIT up
            mark = GC.GetAllocatedBytesForCurrentThread(); var sw = Stopwatch.StartNew();
            CSharpGeneratorDriver.Create([new PromptGenerator().AsSourceGenerator()], parseOptions: parseOptions).RunGenerators(compilation);
            if (measured) Add("whole generator, cold", sw.ElapsedTicks);
            compilation = Fresh();
            mark = GC.GetAllocatedBytesForCurrentThread(); sw.Restart();
            CSharpGeneratorDriver.Create([GeneratorBenchmarks.Floor().AsSourceGenerator()], parseOptions: parseOptions).RunGenerators(compilation);
            if (measured) Add("floor generator, cold", sw.ElapsedTicks);

            compilation = Fresh();
            mark = GC.GetAllocatedBytesForCurrentThread(); sw.Restart();
            var interfaces = new List<INamedTypeSymbol>();
            foreach (SyntaxTree tree in compilation.SyntaxTrees)
            {
                SemanticModel model = compilation.GetSemanticModel(tree);
                foreach (InterfaceDeclarationSyntax node in tree.GetRoot().DescendantNodes().OfType<InterfaceDeclarationSyntax>())
                {
                    var symbol = (INamedTypeSymbol)model.GetDeclaredSymbol(node)!;
                    symbol.GetAttributes();
                    interfaces.Add(symbol);
                }
            }

            if (measured) Add("find interfaces + their attributes", sw.ElapsedTicks);

            var models = new List<InterfaceModel>();
                foreach (INamedTypeSymbol type in interfaces)
            {
                var list = new List<MethodModel>();
                PromptSettings settings = PromptAttributeReader.ReadSettings(PromptAttributeReader.Find(type.GetAttributes(), PromptParser.PromptAttributeName));
                PromptText? system = PromptAttributeReader.ReadText(type.GetAttributes(), PromptAttributeReader.SystemPromptAttributeName);
                foreach (ISymbol member in type.GetMembers())
                {
                    if (member is not IMethodSymbol method || !PromptParser.IsPromptMember(method)) continue;
                    // The first parse pays the compiler's lazy binding of what it touches; the pieces, timed again after it,
                    // show the generator's own work.
                    mark = GC.GetAllocatedBytesForCurrentThread(); sw.Restart();
                    MethodModel parsed = PromptParser.ParseMethod(method, settings, system, compilation, default);
                    if (measured) Add("PromptParser.ParseMethod, first (incl. binding)", sw.ElapsedTicks);
                    list.Add(parsed);

                    mark = GC.GetAllocatedBytesForCurrentThread(); sw.Restart();
                    parsed = PromptParser.ParseMethod(method, settings, system, compilation, default);
                    if (measured) Add("PromptParser.ParseMethod, again", sw.ElapsedTicks);

                    mark = GC.GetAllocatedBytesForCurrentThread(); sw.Restart();
                    PromptText? user = PromptAttributeReader.ReadText(method.GetAttributes(), PromptAttributeReader.UserPromptAttributeName);
                    EquatableArray<TemplateParameter> parameters = TemplateTypeFactory.FromMethod(method, user?.Inline);
                    if (measured) Add("  TemplateTypeFactory.FromMethod, again", sw.ElapsedTicks);

                    // What the parser hands the structured type parser: the T of Task<T> or of Task<PromptResult<T>>, for
                    // structured results only.
                    if (parsed.Structured is not null && method.ReturnType is INamedTypeSymbol { TypeArguments: [ITypeSymbol argument] })
                    {
                        ITypeSymbol value = argument is INamedTypeSymbol { Name: "PromptResult", TypeArguments: [ITypeSymbol inner] } ? inner : argument;
                        mark = GC.GetAllocatedBytesForCurrentThread(); sw.Restart();
                        StructuredTypeParser.Parse(value, compilation, default);
                        if (measured) Add("  StructuredTypeParser.Parse, again", sw.ElapsedTicks);
                    }

                    mark = GC.GetAllocatedBytesForCurrentThread(); sw.Restart();
                    TemplateCompiler.Compile(user!.Inline!, parameters, new TemplateCompilerOptions("builder", 3));
                    if (measured) Add("TemplateCompiler.Compile", sw.ElapsedTicks);
                }

                models.Add(new InterfaceModel(type.ContainingNamespace.ToDisplayString(), type.Name, type.Name.Substring(1) + "Client", "public",
                    type.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat), new EquatableArray<MethodModel>(list.ToArray())));
            }

            mark = GC.GetAllocatedBytesForCurrentThread(); sw.Restart();
            foreach (InterfaceModel model in models)
            {
                PromptEmitter.Emit(model, new GeneratorOptions(null), EquatableArray<TemplateFile>.Empty, default);
            }

            if (measured) Add("PromptEmitter.Emit (incl. Compile)", sw.ElapsedTicks);

            mark = GC.GetAllocatedBytesForCurrentThread(); sw.Restart();
            foreach (InterfaceModel model in models)
            {
                StructuredSupport.EmitConverters(model, default);
            }

            if (measured) Add("StructuredSupport.EmitConverters", sw.ElapsedTicks);
        }

        int n = rounds - rounds / 2;
        foreach (KeyValuePair<string, double> phase in totals)
        {
            Console.WriteLine($"{phase.Key,-55} {phase.Value / n,8:F2} ms {bytes[phase.Key] / n / 1024.0 / 1024.0,8:F2} MB");
        }
    }
}
