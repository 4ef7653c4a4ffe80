extern alias runtime;

using System.Globalization;
using PromptGen.Generator.Tests.Fuzzing;
using PromptGen.Tests;

// dotnet run -c Release --project bench/PromptGen.Fuzz -- [--inputs 12000] [--seed 20251125] [--threads 2] [--out bench/results/fuzz.md]
// Runs the full fuzz campaign and prints (or writes) its counts by kind; exits 1 when anything threw.
// dotnet run -c Release --project bench/PromptGen.Fuzz -- --seed S --reproduce I
// Reproduces input I of the campaign with seed S: prints it, where its time goes and its failures; exits 1 on a failure.
int inputs = 12_000;
int seed = 20251125;
int threads = Environment.ProcessorCount;
string? outPath = null;
int? reproduce = null;
for (int i = 0; i + 1 < args.Length; i += 2)
{
    switch (args[i])
    {
        case "--inputs": inputs = int.Parse(args[i + 1], CultureInfo.InvariantCulture); break;
        case "--seed": seed = int.Parse(args[i + 1], CultureInfo.InvariantCulture); break;
        case "--threads": threads = int.Parse(args[i + 1], CultureInfo.InvariantCulture); break;
        case "--out": outPath = args[i + 1]; break;
        case "--reproduce": reproduce = int.Parse(args[i + 1], CultureInfo.InvariantCulture); break;
        default: Console.Error.WriteLine("unknown option " + args[i]); return 2;
    }
}

var seeds = FuzzSeeds.Load(TestPaths.RepoRoot);
var runner = new FuzzRunner(typeof(runtime::PromptGen.BedrockClient).Assembly.Location, FuzzRunner.PromptGenCodeFixes());
if (reproduce is int index)
{
    FuzzInput input = new FuzzCampaign(seeds, runner, seed).Make(index);
    Console.WriteLine(input.Describe());
    Console.WriteLine(runner.Profile(input));
    FuzzOutcome outcome = runner.Run(input, withCodeFixes: true);
    Console.WriteLine(outcome.Failures.Count == 0 ? "no failures" : string.Join("\n\n", outcome.Failures));
    return outcome.Failures.Count == 0 ? 0 : 1;
}

Console.WriteLine($"{seeds.Sources.Count} C# seeds, {seeds.Templates.Count} template seeds; {inputs} inputs, seed {seed}, {threads} thread(s)");
FuzzReport report = new FuzzCampaign(seeds, runner, seed).Run(inputs, threads);
string markdown = report.ToMarkdown();
Console.WriteLine(markdown);
foreach (FuzzFailure failure in report.Failures.Take(20))
{
    Console.WriteLine(failure);
    Console.WriteLine();
}

if (outPath is not null)
{
    File.WriteAllText(outPath, markdown);
}

return report.Failures.Any() ? 1 : 0;
