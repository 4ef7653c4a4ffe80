using BenchmarkDotNet.Running;

// dotnet run -c Release --project bench/PromptGen.Generator.Benchmarks -- --filter '*'
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
