extern alias runtime;

using PromptGen.Tests;
using Xunit.Abstractions;

namespace PromptGen.Generator.Tests.Fuzzing;

/// <summary>
/// Hostile input at build time: the generator, the analyzers and the code fixes over thousands of mutated and strange
/// inputs never throw (no CS8785/CS8784, no AD0001), and whenever the user's code compiles the generated code does too.
/// The CI-sized run is part of <c>dotnet test</c>; the full run (10,000+ inputs) and the reproduction of one input are
/// bench/PromptGen.Fuzz's (<c>--inputs</c>, <c>--seed</c>, <c>--reproduce</c>), whose result is bench/results/fuzz.md.
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
