namespace PromptGen.Testing.Tests.Throughput;

public sealed class ThroughputAgainstEmulatorTests
{
    private const string Model = "us.anthropic.claude-haiku-4-5-20251001-v1:0";

    private static BedrockClient FastRetryClient(BedrockEmulator emulator)
    {
        BedrockClientOptions options = emulator.ClientOptions();

        // Short backoffs keep the test quick; the retry counts and quota are AWS standard mode's.
        options.ThrottlingBackoffBase = TimeSpan.FromMilliseconds(5);
        options.TransientBackoffBase = TimeSpan.FromMilliseconds(1);
        return new BedrockClient(options);
    }

    private static ConverseRequest Ask(string text) => new()
    {
        Messages = [Message.User(text)],
        InferenceConfig = new InferenceConfiguration { MaxTokens = 50 },
    };

    [Fact]
    public async Task A_batch_of_200_against_a_request_quota_completes_every_item_in_input_order()
    {
        // Bedrock throttles by an account quota that refills with time: 50 requests per second here, so the
        // 16-way batch is throttled from its first second on and the adaptive rate has to settle near the quota.
        await using BedrockEmulator emulator = await BedrockEmulator.StartAsync(new BedrockEmulatorOptions
        {
            TimeToFirstToken = TimeSpan.FromMilliseconds(2), TokenDelay = TimeSpan.Zero, RequestsPerSecondQuota = 50,
        });
        using BedrockClient bedrock = FastRetryClient(emulator);
        using RateLimitedBedrockClient limited = bedrock.WithLimits(o => { o.Default.TokensPerMinute = 1_000_000; o.MaxThrottleRetries = 10; });

        PromptBatchResult<int, string> result = await PromptBatch.RunAsync(
            Enumerable.Range(0, 200),
            async (i, ct) => (await limited.ConverseAsync(Model, Ask("item " + i), ct)).OutputText,
            new PromptBatchOptions { MaxConcurrency = 16 });

        Assert.Equal(0, result.FailedCount);
        Assert.Equal(Enumerable.Range(0, 200), result.Select(r => r.Input));
        Assert.All(result, r => Assert.False(string.IsNullOrEmpty(r.Value)));
        int throttled = emulator.Requests.Count(r => r.StatusCode == 429);
        Assert.True(throttled > 0, "the quota should have throttled part of the batch");
        Assert.Equal(200, emulator.Requests.Count(r => r.StatusCode == 200));
        ModelLimiterStatistics stats = limited.Limiter.GetStatistics(Model);
        Assert.Equal(0, stats.CurrentConcurrency);
        Assert.Equal(0, stats.QueuedCount);
        Assert.Equal(0, stats.PendingTokenReservations);
        Assert.Equal(200, stats.TotalCalls);
    }

    [Fact]
    public async Task A_throttling_burst_beyond_the_inner_retries_lowers_the_adaptive_rate_and_the_call_still_succeeds()
    {
        await using BedrockEmulator emulator = await BedrockEmulator.StartAsync();
        emulator.Faults.Throttle(repeat: 5);
        using BedrockClient bedrock = FastRetryClient(emulator);
        using RateLimitedBedrockClient limited = bedrock.WithLimits(o => o.MaxThrottleRetries = 3);

        ConverseResponse response = await limited.ConverseAsync(Model, Ask("hello"));

        Assert.False(string.IsNullOrEmpty(response.OutputText));
        ModelLimiterStatistics stats = limited.Limiter.GetStatistics(Model);

        // Three attempts of the inner client end in a throttle; the limiter re-sends through the lowered rate.
        Assert.True(stats.TotalThrottles >= 1);
        Assert.NotNull(stats.AdaptiveRate);
        Assert.Equal(6, emulator.Requests.Count);
    }

    [Fact]
    public async Task Fan_out_over_the_emulator_runs_branches_together()
    {
        await using BedrockEmulator emulator = await BedrockEmulator.StartAsync(new BedrockEmulatorOptions
        {
            TimeToFirstToken = TimeSpan.FromMilliseconds(300), TokenDelay = TimeSpan.Zero,
        });
        using var bedrock = new BedrockClient(emulator.ClientOptions());
        var fanOut = new PromptFanOut();
        FanOutBranch<string> haiku = fanOut.Add("haiku", async ct => (await bedrock.ConverseAsync(Model, Ask("a"), ct)).OutputText);
        FanOutBranch<string> sonnet = fanOut.Add("sonnet", async ct => (await bedrock.ConverseAsync("us.anthropic.claude-sonnet-4-5-20250929-v1:0", Ask("b"), ct)).OutputText);
        FanOutBranch<string> nova = fanOut.Add("nova", async ct => (await bedrock.ConverseAsync("us.amazon.nova-micro-v1:0", Ask("c"), ct)).OutputText);

        FanOutResult<string[]> result = await fanOut.RunAsync(r => new[] { r.Get(haiku), r.Get(sonnet), r.Get(nova) });

        Assert.All(result.Value, v => Assert.False(string.IsNullOrEmpty(v)));
        // Each branch waited out the emulator's 300 ms (Task.Delay may fire a few ms before a Stopwatch agrees).
        Assert.All(result.Branches, b => Assert.True(b.Elapsed >= TimeSpan.FromMilliseconds(250), $"{b.Name}: {b.Elapsed.TotalMilliseconds} ms"));

        // Run one after another, the three would take at least the sum of their times.
        Assert.True(result.Total < result.Branches.Aggregate(TimeSpan.Zero, (sum, b) => sum + b.Elapsed),
            $"total {result.Total} vs branches {string.Join(", ", result.Branches.Select(b => b.Elapsed))}");
    }

    [Fact]
    public async Task Permits_all_return_after_faults_a_broken_stream_and_cancellation()
    {
        await using BedrockEmulator emulator = await BedrockEmulator.StartAsync();
        using var bedrock = new BedrockClient(new BedrockClientOptions
        {
            Endpoint = emulator.Endpoint, Region = "us-east-1", AccessKeyId = emulator.Options.AccessKeyId,
            SecretAccessKey = emulator.Options.SecretAccessKey, UseEnvironment = false, MaxAttempts = 1,
        });
        using RateLimitedBedrockClient limited = bedrock.WithLimits(o => { o.Default.MaxConcurrency = 2; o.Default.TokensPerMinute = 100_000; });

        emulator.Faults.ServerError(500);
        await Assert.ThrowsAsync<BedrockInternalServerException>(() => limited.ConverseAsync(Model, Ask("x")));

        emulator.Faults.InStreamException(afterEvents: 2);
        await Assert.ThrowsAsync<BedrockModelStreamErrorException>(async () =>
        {
            await foreach (ConverseStreamEvent _ in limited.ConverseStreamAsync(Model, Ask("y")))
            {
            }
        });

        emulator.Faults.StallBeforeFirstByte(TimeSpan.FromSeconds(30));
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => limited.ConverseAsync(Model, Ask("z"), cts.Token));

        Assert.Equal(0, limited.Limiter.CurrentConcurrency);
        Assert.Equal(0, limited.Limiter.QueuedCount);
        Assert.Equal(0, limited.Limiter.PendingTokenReservations);

        // And the limiter still admits calls.
        ConverseResponse ok = await limited.ConverseAsync(Model, Ask("again"));
        Assert.NotNull(ok.Usage);
    }
}
