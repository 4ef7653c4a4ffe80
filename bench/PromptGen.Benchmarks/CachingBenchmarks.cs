using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.Caching.Hybrid;
using PromptGen.Generated;
using PromptGen.Testing;

namespace PromptGen.Benchmarks;

/// <summary>
/// Issue 5 goal: a response-cache hit (HybridCache memory tier, through the same PromptRunner path a generated client
/// takes) costs at most 2 µs and is at least 1000× faster than an emulator round trip. Two round trips are measured: the
/// baseline, answered over loopback HTTP with no simulated model time (the cheapest round trip there is: protocol and
/// HTTP alone), and the emulator at its default timing, its stand-in for a model's time (real Bedrock is slower still).
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
    private BedrockEmulator _timedEmulator = null!;
    private BedrockClient _bedrock = null!;
    private BedrockClient _timedBedrock = null!;
    private PromptPipeline _cachedPipeline = null!;
    private PromptPipeline _plainPipeline = null!;
    private PromptPipeline _timedPipeline = null!;

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

        // The emulator at its default timing (30 ms to the first token, 2 ms a token): its stand-in for a model's time.
        _timedEmulator = await BedrockEmulator.StartAsync(new BedrockEmulatorOptions { ResponseText = _ => "Bug" });
        _timedBedrock = new BedrockClient(_timedEmulator.ClientOptions());
        _timedPipeline = new PromptPipeline(_timedBedrock);
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
        _timedBedrock.Dispose();
        await _emulator.DisposeAsync();
        await _timedEmulator.DisposeAsync();
    }

    [Benchmark(Baseline = true, Description = "emulator round trip (Converse over loopback, no model time)")]
    public Task<string> EmulatorRoundTrip() => PromptRunner.GetTextAsync(_plainPipeline, Uncached, Prompt, 0, 0, CancellationToken.None);

    [Benchmark(Description = "emulator round trip at its default timing (30 ms to the first token)")]
    public Task<string> TimedEmulatorRoundTrip() => PromptRunner.GetTextAsync(_timedPipeline, Uncached, Prompt, 0, 0, CancellationToken.None);

    [Benchmark(Description = "response-cache hit (memory tier)")]
    public Task<string> CacheHit() => PromptRunner.GetTextAsync(_cachedPipeline, Cached, Prompt, 0, 0, CancellationToken.None);
}
