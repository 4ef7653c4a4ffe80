extern alias runtime;

using PromptGen.Tests;
using Xunit.Abstractions;

namespace PromptGen.Generator.Tests.Fuzzing;

/// <summary>
/// Hostile input at build time: the generator, the analyzers and the code fixes over thousands of mutated and strange
/// inputs never throw (no CS8785/CS8784, no AD0001), and whenever the user's code compiles the generated code does too.
/// The CI-sized run is part of <c>dotnet test</c>; the full run (10,000+ inputs) runs with PROMPTGEN_FUZZ_FULL=1 or from
/// bench/PromptGen.Fuzz, whose result is bench/results/fuzz.md.
/// </summary>
public sealed class GeneratorFuzzTests(ITestOutputHelper output)
{
    /// <summary>The seed of the CI-sized run; fixed so a failure in CI reproduces locally.</summary>
    public const int CiSeed = 20251124;

    public const int CiInputs = 1500;

    private static readonly Lazy<FuzzSeeds> s_seeds = new(() => FuzzSeeds.Load(TestPaths.RepoRoot));

    private static readonly Lazy<FuzzRunner> s_runner = new(() =>
        new FuzzRunner(typeof(runtime::PromptGen.BedrockClient).Assembly.Location, FuzzRunner.PromptGenCodeFixes()));

    internal static FuzzRunner Runner => s_runner.Value;

    internal static FuzzCampaign Campaign(int seed) => new(s_seeds.Value, s_runner.Value, seed);

    [Fact]
    public void Seeds_come_from_the_samples_the_tests_and_the_templates()
    {
        FuzzSeeds seeds = s_seeds.Value;
        Assert.Contains(seeds.Sources, s => s.Name == "samples/QuickStart/Prompts.cs");
        Assert.Contains(seeds.Sources, s => s.Name == "samples/CiDiagnostics/RiskyPrompts.cs");
        Assert.Contains(seeds.Sources, s => s.Name.StartsWith("tests/PromptGen.Generator.Tests/Analyzers/AnalyzerRobustnessTests.cs", StringComparison.Ordinal));
        Assert.Contains(seeds.Templates, t => t.Name == "samples/QuickStart/Prompts/summary.sbn");
        Assert.True(seeds.Sources.Count >= 100, $"{seeds.Sources.Count} C# seeds");
        Assert.True(seeds.Templates.Count >= 50, $"{seeds.Templates.Count} template seeds");
        Assert.DoesNotContain(seeds.Sources, s => s.Source.Contains("{|#", StringComparison.Ordinal));
    }

    [Fact]
    public void An_input_is_reproduced_by_its_index()
    {
        FuzzCampaign a = Campaign(CiSeed);
        FuzzCampaign b = Campaign(CiSeed);
        foreach (int index in new[] { 0, 1, 17, 999, 1234 })
        {
            Assert.Equal(a.Make(index).Describe(), b.Make(index).Describe());
        }

        Assert.NotEqual(a.Make(3).Describe(), Campaign(CiSeed + 1).Make(3).Describe());
    }

    [Fact]
    [Trait("Category", "Fuzz")]
    public void Ci_sized_run_finds_no_exceptions_and_no_broken_generated_code() => RunAndAssert(CiSeed, CiInputs);

    /// <summary>The full run; PROMPTGEN_FUZZ_INPUTS and PROMPTGEN_FUZZ_SEED change its size and seed.</summary>
    [FullFuzzFact]
    [Trait("Category", "FuzzFull")]
    public void Full_run_finds_no_exceptions_and_no_broken_generated_code() => RunAndAssert(
        int.TryParse(Environment.GetEnvironmentVariable("PROMPTGEN_FUZZ_SEED"), out int seed) ? seed : CiSeed + 1,
        int.TryParse(Environment.GetEnvironmentVariable("PROMPTGEN_FUZZ_INPUTS"), out int inputs) ? inputs : 12_000);

    /// <summary>Reproduces one input of a run (PROMPTGEN_FUZZ_INDEX, PROMPTGEN_FUZZ_SEED): prints it, where its time goes, and its failures.</summary>
    [FullFuzzFact(Variable = "PROMPTGEN_FUZZ_INDEX")]
    [Trait("Category", "FuzzFull")]
    public void Reproduce_one_input()
    {
        int seed = int.TryParse(Environment.GetEnvironmentVariable("PROMPTGEN_FUZZ_SEED"), out int s) ? s : CiSeed;
        FuzzInput input = Campaign(seed).Make(int.Parse(Environment.GetEnvironmentVariable("PROMPTGEN_FUZZ_INDEX")!, System.Globalization.CultureInfo.InvariantCulture));
        output.WriteLine(input.Describe());
        output.WriteLine(Runner.Profile(input));
        FuzzOutcome outcome = Runner.Run(input, withCodeFixes: true);
        Assert.True(outcome.Failures.Count == 0, string.Join("\n\n", outcome.Failures));
    }

    private void RunAndAssert(int seed, int inputs)
    {
        FuzzReport report = Campaign(seed).Run(inputs, parallelism: Math.Min(2, Environment.ProcessorCount));
        output.WriteLine(report.ToMarkdown());
        List<FuzzFailure> failures = report.Failures.ToList();
        Assert.True(failures.Count == 0,
            $"{failures.Count} failure(s); the first:\n\n" + string.Join("\n\n", failures.Take(10).Select(f => f.ToString())));
        Assert.Equal(Enum.GetValues<FuzzKind>().Length, report.Outcomes.Select(o => o.Input.Kind).Distinct().Count());
    }
}

/// <summary>A fact that runs only when an environment variable (PROMPTGEN_FUZZ_FULL by default) is set: the full run takes minutes.</summary>
public sealed class FullFuzzFactAttribute : FactAttribute
{
    public string Variable { get; set; } = "PROMPTGEN_FUZZ_FULL";

    public override string? Skip
    {
        get => string.IsNullOrEmpty(Environment.GetEnvironmentVariable(Variable))
            ? $"Runs with {Variable} set; the full run (10,000+ inputs) is also: dotnet run -c Release --project bench/PromptGen.Fuzz"
            : null;
        set { }
    }
}
