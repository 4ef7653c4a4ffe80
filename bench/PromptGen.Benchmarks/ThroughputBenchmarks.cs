using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;
using PromptGen.Testing;

namespace PromptGen.Benchmarks;

/// <summary>
/// Issue 5 goal: an uncontended limiter acquire (concurrency, RPM, TPM and the adaptive check, then release) costs at
/// most 1 µs over calling the same client without limits (the baseline, same run).
/// </summary>
[MemoryDiagnoser]
public class LimiterOverheadBenchmarks
{
    private const string Model = "us.anthropic.claude-haiku-4-5-20251001-v1:0";
    private static readonly ConverseResponse s_response = new()
    {
        Output = new ConverseOutput { Message = Message.Assistant("ok") },
        Usage = new TokenUsage { InputTokens = 5, OutputTokens = 5, TotalTokens = 10 },
    };

    private readonly ConverseRequest _request = new() { Messages = [Message.User("Classify this.")], InferenceConfig = new InferenceConfiguration { MaxTokens = 64 } };
    private IBedrockClient _plain = null!;
    private RateLimitedBedrockClient _limited = null!;

    [GlobalSetup]
    public void Setup()
    {
        _plain = new InstantClient();
        _limited = _plain.WithLimits(o =>
        {
            o.Default.MaxConcurrency = 64;
            o.Default.RequestsPerMinute = int.MaxValue;
            o.Default.TokensPerMinute = int.MaxValue;
        });
    }

    [GlobalCleanup]
    public void Cleanup() => _limited.Dispose();

    [Benchmark(Baseline = true, Description = "no limiter")]
    public Task<ConverseResponse> NoLimiter() => _plain.ConverseAsync(Model, _request);

    [Benchmark(Description = "RateLimitedBedrockClient (concurrency + RPM + TPM + adaptive)")]
    public Task<ConverseResponse> Limited() => _limited.ConverseAsync(Model, _request);

    private sealed class InstantClient : IBedrockClient
    {
        private static readonly Task<ConverseResponse> s_done = Task.FromResult(s_response);

        public Task<ConverseResponse> ConverseAsync(string modelId, ConverseRequest request, CancellationToken cancellationToken = default) => s_done;

        public IAsyncEnumerable<ConverseStreamEvent> ConverseStreamAsync(string modelId, ConverseRequest request, CancellationToken cancellationToken = default) =>
            throw new NotSupportedException();

        public Task<CountTokensResponse> CountTokensAsync(string modelId, CountTokensRequest request, CancellationToken cancellationToken = default) =>
            throw new NotSupportedException();
    }
}

/// <summary>
/// Issue 5 goals against the emulator: a fan-out of 3 branches, each with 300 ms latency, takes at most 1.10× the
/// slowest branch (baseline: one such call alone); and a 1,000-request batch against a throttling quota loses no item.
/// </summary>
[SimpleJob(RunStrategy.Monitoring, launchCount: 1, warmupCount: 1, iterationCount: 10)]
public class FanOutAndBatchBenchmarks
{
    private const string Model = "us.anthropic.claude-haiku-4-5-20251001-v1:0";
    private BedrockEmulator _emulator = null!;
    private BedrockClient _client = null!;

    [GlobalSetup]
    public async Task Setup()
    {
        _emulator = await BedrockEmulator.StartAsync(new BedrockEmulatorOptions { TimeToFirstToken = TimeSpan.FromMilliseconds(300), TokenDelay = TimeSpan.Zero });
        _client = new BedrockClient(_emulator.ClientOptions());
    }

    [GlobalCleanup]
    public async Task Cleanup()
    {
        _client.Dispose();
        await _emulator.DisposeAsync();
    }

    [Benchmark(Baseline = true, Description = "one 300 ms call (the slowest branch alone)")]
    public async Task<string> Single() => (await _client.ConverseAsync(Model, Ask("a"))).OutputText;

    [Benchmark(Description = "fan-out of 3 × 300 ms branches")]
    public async Task<int> FanOut()
    {
        var fanOut = new PromptFanOut();
        var a = fanOut.Add("a", async ct => (await _client.ConverseAsync(Model, Ask("a"), ct)).OutputText);
        var b = fanOut.Add("b", async ct => (await _client.ConverseAsync("us.anthropic.claude-sonnet-4-5-20250929-v1:0", Ask("b"), ct)).OutputText);
        var c = fanOut.Add("c", async ct => (await _client.ConverseAsync("us.amazon.nova-micro-v1:0", Ask("c"), ct)).OutputText);
        FanOutResult<int> result = await fanOut.RunAsync(r => r.Get(a).Length + r.Get(b).Length + r.Get(c).Length);
        return result.Value;
    }

    /// <summary>
    /// Runs 1,000 requests, 32 at a time, through the adaptive limiter against an emulator that enforces an account quota
    /// of 200 requests per second (a 429 ThrottlingException beyond it, refilled with time as Bedrock's quotas are); throws
    /// if any item is lost. The ideal is 1,000 / 200 = 5 s: the printed ratio says how close the adaptive rate came.
    /// </summary>
    [Benchmark(Description = "batch of 1,000 against a 200 req/s quota (throws on a lost item)")]
    public async Task<int> BatchUnderThrottling()
    {
        const double quota = 200;
        _emulator.Options.TimeToFirstToken = TimeSpan.FromMilliseconds(2);
        _emulator.Options.RequestsPerSecondQuota = quota;
        int before = _emulator.Requests.Count;
        BedrockClientOptions options = _emulator.ClientOptions();
        options.ThrottlingBackoffBase = TimeSpan.FromMilliseconds(5);
        using var bedrock = new BedrockClient(options);
        using RateLimitedBedrockClient limited = bedrock.WithLimits(o => o.MaxThrottleRetries = 10);
        try
        {
            PromptBatchResult<int, string> result = await PromptBatch.RunAsync(
                Enumerable.Range(0, 1000), async (i, ct) => (await limited.ConverseAsync(Model, Ask("item " + i), ct)).OutputText,
                new PromptBatchOptions { MaxConcurrency = 32 });
            if (result.FailedCount != 0 || result.Count != 1000 || limited.Limiter.CurrentConcurrency != 0)
            {
                throw new InvalidOperationException($"{result.FailedCount} of {result.Count} items failed.");
            }

            int throttled = _emulator.Requests.Skip(before).Count(r => r.StatusCode == 429);
            Console.WriteLine(
                $"// batch: {result.SucceededCount}/{result.Count} completed, {throttled} requests throttled by the emulator, " +
                $"{limited.Limiter.GetStatistics(Model).TotalThrottles} throttles reached the limiter, {result.Elapsed.TotalSeconds:F2} s " +
                $"= {result.Elapsed.TotalSeconds / (1000 / quota):F2}x the quota's ideal");
            return result.SucceededCount;
        }
        finally
        {
            _emulator.Options.RequestsPerSecondQuota = null;
            _emulator.Options.TimeToFirstToken = TimeSpan.FromMilliseconds(300);
        }
    }

    private static ConverseRequest Ask(string text) => new() { Messages = [Message.User(text)], InferenceConfig = new InferenceConfiguration { MaxTokens = 50 } };
}
