using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace PromptGen.Generator.Tests.Fuzzing;

/// <summary>
/// A deterministic fuzz run: input <c>i</c> of seed <c>s</c> is always the same, whatever the size of the run or the
/// degree of parallelism, so a failure is reproduced by <see cref="Make"/> with its index alone.
/// </summary>
public sealed class FuzzCampaign(FuzzSeeds seeds, FuzzRunner runner, int seed)
{
    /// <summary>The mix of kinds, by weight. A 1,000-method interface is made on a fixed schedule instead (see <see cref="KindOf"/>).</summary>
    private static readonly (FuzzKind Kind, int Weight)[] s_mix =
    {
        (FuzzKind.DeletedTokens, 8), (FuzzKind.DuplicatedTokens, 6), (FuzzKind.SwappedTokens, 6), (FuzzKind.TruncatedFile, 6),
        (FuzzKind.BrokenAttributeArguments, 10), (FuzzKind.WrongArgumentTypes, 10), (FuzzKind.InvalidInlineTemplate, 10),
        (FuzzKind.InvalidTemplateFile, 8), (FuzzKind.UnreadableAdditionalFile, 5), (FuzzKind.GarbageOptions, 4),
        (FuzzKind.PartialAcrossFiles, 4), (FuzzKind.NestedNamespaces, 3), (FuzzKind.FileScopedTypes, 3), (FuzzKind.Aliases, 3),
        (FuzzKind.GlobalUsings, 3), (FuzzKind.UnicodeIdentifiers, 4), (FuzzKind.VeryLongTemplate, 1),
    };

    /// <summary>Every how many inputs the code fixes run (they need a workspace, the costliest step).</summary>
    public int CodeFixEvery { get; init; } = 4;

    public int Seed => seed;

    private Random RandomFor(int index) => new(unchecked(seed * 1_000_003 + index * 7919));

    private static FuzzKind KindOf(int index, Random random)
    {
        if (index % 1000 == 999)
        {
            return FuzzKind.ThousandMethods;
        }

        int total = 0;
        foreach ((_, int weight) in s_mix)
        {
            total += weight;
        }

        int pick = random.Next(total);
        foreach ((FuzzKind kind, int weight) in s_mix)
        {
            if (pick < weight)
            {
                return kind;
            }

            pick -= weight;
        }

        throw new UnreachableException();
    }

    /// <summary>Input number <paramref name="index"/> of this campaign.</summary>
    public FuzzInput Make(int index)
    {
        Random random = RandomFor(index);
        FuzzKind kind = KindOf(index, random);
        return kind >= FuzzKind.PartialAcrossFiles ? StrangeCode.Generate(kind, index, random) : FuzzMutator.Mutate(kind, index, random, seeds);
    }

    /// <summary>Runs inputs 0 to <paramref name="count"/> - 1 on up to <paramref name="parallelism"/> threads.</summary>
    public FuzzReport Run(int count, int parallelism)
    {
        var outcomes = new FuzzOutcome[count];
        var stopwatch = Stopwatch.StartNew();
        TimeSpan cpu = Process.GetCurrentProcess().TotalProcessorTime;
        Parallel.For(0, count, new ParallelOptions { MaxDegreeOfParallelism = parallelism }, index =>
        {
            FuzzInput input = Make(index);
            outcomes[index] = runner.Run(input, withCodeFixes: index % CodeFixEvery == 0);
        });

        return new FuzzReport(seed, outcomes, stopwatch.Elapsed, parallelism) { Cpu = Process.GetCurrentProcess().TotalProcessorTime - cpu };
    }
}

/// <summary>What a campaign found, with counts per kind; <see cref="ToMarkdown"/> is the committed results file.</summary>
public sealed class FuzzReport(int seed, IReadOnlyList<FuzzOutcome> outcomes, TimeSpan elapsed, int parallelism)
{
    public IReadOnlyList<FuzzOutcome> Outcomes => outcomes;

    public IEnumerable<FuzzFailure> Failures => outcomes.SelectMany(o => o.Failures);

    public TimeSpan Elapsed => elapsed;

    /// <summary>CPU time of the whole process during the run (all threads, JIT and GC included).</summary>
    public TimeSpan Cpu { get; init; }

    public int Count(string stage) => Failures.Count(f => f.Stage == stage);

    public string ToMarkdown()
    {
        var text = new StringBuilder();
        CultureInfo c = CultureInfo.InvariantCulture;
        text.Append(c, $"Seed {seed}, {outcomes.Count:N0} inputs, {elapsed.TotalSeconds:F1} s wall clock and {Cpu.TotalSeconds:F1} s CPU on {parallelism} thread(s) ")
            .Append(c, $"({Environment.ProcessorCount} logical cores, {System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription}, {System.Runtime.InteropServices.RuntimeInformation.OSDescription}).\n\n");
        text.Append("| Kind | Inputs | Generated files | PG diagnostics | Code actions computed | Generator exceptions | AD0001 | Code fix exceptions | Generated code errors | Invalid valid inputs | Mean ms | Generator ms | Compiler + analyzers ms | Code fixes ms | Max ms |\n");
        text.Append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        foreach (IGrouping<FuzzKind, FuzzOutcome> group in outcomes.GroupBy(o => o.Input.Kind).OrderBy(g => g.Key))
        {
            Row(text, group.Key.ToString(), group.ToList());
        }

        Row(text, "**Total**", outcomes.ToList());
        text.Append('\n');
        foreach (FuzzOutcome slow in outcomes.OrderByDescending(o => o.Elapsed).Take(3))
        {
            text.Append(c, $"Slowest: #{slow.Input.Index} {slow.Input.Kind}, {slow.Elapsed.TotalMilliseconds:F0} ms, {slow.Input.Sources.Sum(s => s.Length):N0} characters of source.\n");
        }

        return text.ToString();
    }

    private static void Row(StringBuilder text, string name, List<FuzzOutcome> group)
    {
        int Stage(string stage) => group.Sum(o => o.Failures.Count(f => f.Stage == stage));
        CultureInfo c = CultureInfo.InvariantCulture;
        text.Append(c, $"| {name} | {group.Count:N0} | {group.Sum(o => o.GeneratedFiles):N0} | {group.Sum(o => o.PromptDiagnostics):N0} | {group.Sum(o => o.CodeActions):N0} | ")
            .Append(c, $"{Stage(FuzzFailure.Generator)} | {Stage(FuzzFailure.Analyzer)} | {Stage(FuzzFailure.CodeFix)} | {Stage(FuzzFailure.GeneratedCode)} | {Stage(FuzzFailure.InvalidValidInput)} | ")
            .Append(c, $"{group.Average(o => o.Elapsed.TotalMilliseconds):F1} | {group.Average(o => o.Generator.TotalMilliseconds):F1} | ")
            .Append(c, $"{group.Average(o => o.Analyzers.TotalMilliseconds):F1} | {group.Average(o => o.CodeFixes.TotalMilliseconds):F1} | {group.Max(o => o.Elapsed.TotalMilliseconds):F0} |\n");
    }
}
