using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.Caching.Hybrid;
using PromptGen.Generated;
using PromptGen.Testing;

namespace PromptGen.Benchmarks;

/// <summary>
/// Issue 5 goal: a response-cache hit (HybridCache memory tier, through the same PromptRunner path a generated client
/// takes) costs at most 2 µs and is at least 1000× faster than the baseline: the same call answered by the emulator over
/// loopback HTTP with no simulated model time (the cheapest round trip there is; real Bedrock is far slower).
/// </summary>
[MemoryDiagnoser]
public class CachingBenchmarks
{
    private static readonly PromptDefinition Cached = new()
    {
        InterfaceName = "ITicketTriage", MethodName = "ClassifyAsync", ModelId = "us.anthropic.claude-haiku-4-5-20251001-v1:0",
        SystemPrompt = "You triage support tickets.", Temperature = 0, MaxTokens = 64, CacheResponse = true, StreamResult = false,
    };

    private static readonly PromptDefinition Uncached = new()
    {
        InterfaceName = "ITicketTriage", MethodName = "ClassifyAsync", ModelId = "us.anthropic.claude-haiku-4-5-20251001-v1:0",
        SystemPrompt = "You triage support tickets.", Temperature = 0, MaxTokens = 64, StreamResult = false,
    };

    private const string Prompt = "Category of this ticket (Billing, Bug or Other):\nThe app crashes on start.";

    private BedrockEmulator _emulator = null!;
    private BedrockClient _bedrock = null!;
    private PromptPipeline _cachedPipeline = null!;
    private PromptPipeline _plainPipeline = null!;

    [GlobalSetup]
    public async Task Setup()
    {
        _emulator = await BedrockEmulator.StartAsync(new BedrockEmulatorOptions
        {
            TimeToFirstToken = TimeSpan.Zero,
            TokenDelay = TimeSpan.Zero,
            ResponseText = _ => "Bug",
        });
        _bedrock = new BedrockClient(_emulator.ClientOptions());
        HybridCache cache = PromptResponseCache.CreateInMemory();
        _cachedPipeline = new PromptPipeline(_bedrock, new PromptClientOptions { ResponseCache = cache });
        _plainPipeline = new PromptPipeline(_bedrock);
        // Fill the cache: every benchmarked call below is a hit.
        await PromptRunner.GetTextAsync(_cachedPipeline, Cached, Prompt, 0, 0, CancellationToken.None);
    }

    [GlobalCleanup]
    public async Task Cleanup()
    {
        _bedrock.Dispose();
        await _emulator.DisposeAsync();
    }

    [Benchmark(Baseline = true, Description = "emulator round trip (Converse over loopback, no model time)")]
    public Task<string> EmulatorRoundTrip() => PromptRunner.GetTextAsync(_plainPipeline, Uncached, Prompt, 0, 0, CancellationToken.None);

    [Benchmark(Description = "response-cache hit (memory tier)")]
    public Task<string> CacheHit() => PromptRunner.GetTextAsync(_cachedPipeline, Cached, Prompt, 0, 0, CancellationToken.None);
}
