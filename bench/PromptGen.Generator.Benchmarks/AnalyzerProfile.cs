using System.Collections.Immutable;
using System.Diagnostics;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace PromptGen.Generator.Benchmarks;

/// <summary>
/// Where the analyzers' time goes, as Roslyn's own analyzer telemetry measures it (the time spent inside PromptGen's
/// actions, per pass), beside the compiler-only diagnostics pass on a fresh clone of the same project. Less sensitive
/// to a busy machine than comparing two whole passes, whose difference is a few percent of a multi-second total.
/// </summary>
internal static class AnalyzerProfile
{
    public static void Run(int rounds)
    {
        Compilation project = AnalyzerBenchmarks.Project();
        var analyzer = new Analyzers.PromptAnalyzer();
        var options = new CompilationWithAnalyzersOptions(
            AnalyzerOptions(), onAnalyzerException: null, concurrentAnalysis: false, logAnalyzerExecutionTime: true);
        TimeSpan compilerOnly = TimeSpan.Zero;
        TimeSpan inAnalyzer = TimeSpan.Zero;
        TimeSpan withAnalyzer = TimeSpan.Zero;
        for (int round = 0; round < rounds; round++)
        {
            var stopwatch = Stopwatch.StartNew();
            project.Clone().GetDiagnostics();
            TimeSpan plain = stopwatch.Elapsed;

            stopwatch.Restart();
            CompilationWithAnalyzers analyzed = project.Clone().WithAnalyzers([analyzer], options);
            int reported = analyzed.GetAllDiagnosticsAsync().GetAwaiter().GetResult().Count(d => d.Id.StartsWith("PG", StringComparison.Ordinal));
            TimeSpan both = stopwatch.Elapsed;
            TimeSpan own = analyzed.GetAnalysisResultAsync(CancellationToken.None).GetAwaiter().GetResult().AnalyzerTelemetryInfo[analyzer].ExecutionTime;
            if (round >= rounds / 2)
            {
                compilerOnly += plain;
                withAnalyzer += both;
                inAnalyzer += own;
            }

            Console.WriteLine($"round {round}: compiler only {plain.TotalMilliseconds:F0} ms, with analyzers {both.TotalMilliseconds:F0} ms, inside PromptGen's actions {own.TotalMilliseconds:F1} ms, {reported} PG diagnostics");
        }

        int n = rounds - rounds / 2;
        Console.WriteLine(
            $"mean of the last {n}: compiler only {compilerOnly.TotalMilliseconds / n:F0} ms; with analyzers {withAnalyzer.TotalMilliseconds / n:F0} ms " +
            $"({withAnalyzer / compilerOnly:F3}x); inside PromptGen's actions {inAnalyzer.TotalMilliseconds / n:F1} ms = {inAnalyzer / compilerOnly * 100:F1} % of the compiler-only pass");
    }

    private static AnalyzerOptions AnalyzerOptions() => new(ImmutableArray<AdditionalText>.Empty);
}
