using BenchmarkDotNet.Running;
using PromptGen.Generator.Benchmarks;

// dotnet run -c Release --project bench/PromptGen.Generator.Benchmarks -- --filter '*'
// dotnet run -c Release --project bench/PromptGen.Generator.Benchmarks -- --profile [rounds]   (stopwatch breakdown)
// dotnet run -c Release --project bench/PromptGen.Generator.Benchmarks -- --analyzer-time [rounds]   (time inside the analyzers' actions)
// dotnet run -c Release --project bench/PromptGen.Generator.Benchmarks -- --build [rounds]   (analyzers' time in a real dotnet build)
// dotnet-trace collect -- dotnet bin/Release/net10.0/PromptGen.Generator.Benchmarks.dll --cold 60   (sampling profile)
if (args.Length > 0 && args[0] == "--cold")
{
    GeneratorProfile.RunCold(args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 50);
    return;
}

if (args.Length > 0 && args[0] == "--rerun")
{
    GeneratorProfile.RunRerun(args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 40);
    return;
}

if (args.Length > 0 && args[0] == "--analyzers")
{
    GeneratorProfile.RunAnalyzers(args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 10, args.Length > 2 ? args[2] : null);
    return;
}

if (args.Length > 0 && args[0] == "--analyzer-time")
{
    AnalyzerProfile.Run(args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 10);
    return;
}

if (args.Length > 0 && args[0] == "--build")
{
    BuildReport.Run(args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 6);
    return;
}

if (args.Length > 0 && args[0] == "--profile")
{
    GeneratorProfile.Run(args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 20);
    return;
}

BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
