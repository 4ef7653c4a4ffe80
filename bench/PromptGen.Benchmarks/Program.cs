using BenchmarkDotNet.Running;

// Run all:   dotnet run -c Release --project bench/PromptGen.Benchmarks -- --filter '*'
// Results are copied to bench/results/ (see bench/README.md).
BenchmarkSwitcher.FromAssembly(typeof(PromptGen.Benchmarks.CachingBenchmarks).Assembly).Run(args);
