using Microsoft.Extensions.Time.Testing;

namespace PromptGen.Runtime.Tests.Throughput;

public sealed class LimiterTests
{
    private const string Model = "us.anthropic.claude-haiku-4-5-20251001-v1:0";

    private static (RateLimitedBedrockClient Client, ScriptedBedrockClient Inner, FakeTimeProvider Time) Create(Action<BedrockLimitsOptions> configure)
    {
        var inner = new ScriptedBedrockClient();
        var time = new FakeTimeProvider();
        RateLimitedBedrockClient client = inner.WithLimits(configure, time);
        return (client, inner, time);
    }

    private static void AssertAllReturned(BedrockLimiter limiter)
    {
        Assert.Equal(0, limiter.CurrentConcurrency);
        Assert.Equal(0, limiter.QueuedCount);
        Assert.Equal(0, limiter.PendingTokenReservations);
    }

    [Fact]
    public async Task MaxConcurrency_admits_that_many_and_queues_the_rest_in_order()
    {
        var (client, inner, _) = Create(o => o.Default.MaxConcurrency = 2);
        var first = inner.ThenWait();
        var second = inner.ThenWait();
        var third = inner.ThenWait();

        Task<ConverseResponse> a = client.ConverseAsync(Model, ScriptedBedrockClient.Request());
        Task<ConverseResponse> b = client.ConverseAsync(Model, ScriptedBedrockClient.Request());
        Task<ConverseResponse> c = client.ConverseAsync(Model, ScriptedBedrockClient.Request());

        Assert.Equal(2, inner.Calls);
        Assert.Equal(2, client.Limiter.CurrentConcurrency);
        Assert.Equal(1, client.Limiter.QueuedCount);

        first.SetResult(ScriptedBedrockClient.Response(10));
        await a;
        await WaitUntil(() => inner.Calls == 3);
        Assert.Equal(0, client.Limiter.QueuedCount);

        second.SetResult(ScriptedBedrockClient.Response(10));
        third.SetResult(ScriptedBedrockClient.Response(10));
        await Task.WhenAll(b, c);
        Assert.Equal(2, inner.MaxActive);
        AssertAllReturned(client.Limiter);
        Assert.Equal(3, client.Limiter.GetStatistics(Model).TotalCalls);
    }

    [Fact]
    public async Task A_full_queue_rejects_at_once_naming_the_limit_and_sends_nothing()
    {
        var (client, inner, _) = Create(o => o.ForModel(Model, m => { m.MaxConcurrency = 1; m.QueueLimit = 1; }));
        var gate = inner.ThenWait();
        Task<ConverseResponse> running = client.ConverseAsync(Model, ScriptedBedrockClient.Request());
        Task<ConverseResponse> queued = client.ConverseAsync(Model, ScriptedBedrockClient.Request());

        var rejected = await Assert.ThrowsAsync<PromptRateLimitRejectedException>(() => client.ConverseAsync(Model, ScriptedBedrockClient.Request()));

        Assert.Equal(RateLimitKind.Concurrency, rejected.Limit);
        Assert.Equal(Model, rejected.ModelId);
        Assert.Contains("MaxConcurrency", rejected.Message);
        Assert.Equal(1, inner.Calls);
        Assert.Equal(1, client.Limiter.GetStatistics(Model).TotalRejections);
        gate.SetResult(ScriptedBedrockClient.Response(10));
        await Task.WhenAll(running, queued);
        AssertAllReturned(client.Limiter);
    }

    [Fact]
    public async Task Cancelling_a_queued_call_takes_nothing_and_leaves_the_others_alone()
    {
        var (client, inner, _) = Create(o => o.Default.MaxConcurrency = 1);
        var gate = inner.ThenWait();
        Task<ConverseResponse> running = client.ConverseAsync(Model, ScriptedBedrockClient.Request());
        using var cts = new CancellationTokenSource();
        Task<ConverseResponse> queued = client.ConverseAsync(Model, ScriptedBedrockClient.Request(), cts.Token);
        Assert.Equal(1, client.Limiter.QueuedCount);

        cts.Cancel();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => queued);
        Assert.Equal(0, client.Limiter.QueuedCount);
        Assert.Equal(1, client.Limiter.CurrentConcurrency);
        gate.SetResult(ScriptedBedrockClient.Response(10));
        await running;
        Assert.Equal(1, inner.Calls);
        AssertAllReturned(client.Limiter);
        await client.ConverseAsync(Model, ScriptedBedrockClient.Request());
        Assert.Equal(2, inner.Calls);
    }

    [Fact]
    public async Task Errors_and_cancellation_in_flight_return_every_permit()
    {
        var (client, inner, _) = Create(o => { o.Default.MaxConcurrency = 4; o.Default.TokensPerMinute = 100_000; o.Default.RequestsPerMinute = 1000; });
        inner.Then(() => Task.FromException<ConverseResponse>(new BedrockValidationException("bad")));
        inner.ThenWait();
        using var cts = new CancellationTokenSource();

        await Assert.ThrowsAsync<BedrockValidationException>(() => client.ConverseAsync(Model, ScriptedBedrockClient.Request()));
        Task<ConverseResponse> cancelled = client.ConverseAsync(Model, ScriptedBedrockClient.Request(), cts.Token);
        Assert.Equal(1, client.Limiter.CurrentConcurrency);
        Assert.Equal(1, client.Limiter.PendingTokenReservations);
        cts.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancelled);

        AssertAllReturned(client.Limiter);

        // Both were sent, so each used a request slot; neither produced an answer, so both token reservations came back.
        ModelLimiterStatistics stats = client.Limiter.GetStatistics(Model);
        Assert.Equal(100_000, stats.AvailableTokens!.Value, 3);
        Assert.Equal(998, stats.AvailableRequests!.Value, 3);
    }

    [Fact]
    public async Task Token_reservation_is_the_estimate_and_is_corrected_to_reported_usage()
    {
        var (client, inner, _) = Create(o => o.Default.TokensPerMinute = 10_000);
        var gate = inner.ThenWait();
        ConverseRequest request = ScriptedBedrockClient.Request("x".PadRight(40, 'x'), maxTokens: 500);

        Task<ConverseResponse> call = client.ConverseAsync(Model, request);

        // 40 characters / 4 + 4 per content block + maxTokens 500.
        Assert.Equal(10_000 - 514, client.Limiter.GetStatistics(Model).AvailableTokens!.Value, 3);
        gate.SetResult(ScriptedBedrockClient.Response(120));
        await call;
        Assert.Equal(10_000 - 120, client.Limiter.GetStatistics(Model).AvailableTokens!.Value, 3);
        AssertAllReturned(client.Limiter);
    }

    [Fact]
    public async Task An_underestimate_is_debited_so_the_next_call_waits_for_the_bucket_to_refill()
    {
        // 600 tokens per minute = 10 per second.
        var (client, inner, time) = Create(o => { o.Default.TokensPerMinute = 600; o.Default.DefaultMaxTokens = 10; });
        inner.Then(() => Task.FromResult(ScriptedBedrockClient.Response(800)));

        await client.ConverseAsync(Model, ScriptedBedrockClient.Request("hi", maxTokens: null));
        Assert.Equal(600 - 800, client.Limiter.GetStatistics(Model).AvailableTokens!.Value, 3);

        Task<ConverseResponse> next = client.ConverseAsync(Model, ScriptedBedrockClient.Request("hi", maxTokens: null));
        Assert.False(next.IsCompleted);
        Assert.Equal(1, client.Limiter.QueuedCount);

        // Debt of 200 plus 15 for the next request: 21.5 s at 10 tokens per second.
        time.Advance(TimeSpan.FromSeconds(21));
        Assert.False(next.IsCompleted);
        time.Advance(TimeSpan.FromSeconds(1));
        await next;
        AssertAllReturned(client.Limiter);
    }

    [Fact]
    public async Task RequestsPerMinute_paces_sends_by_the_fake_clock()
    {
        var (client, inner, time) = Create(o => o.Default.RequestsPerMinute = 2);
        await client.ConverseAsync(Model, ScriptedBedrockClient.Request());
        await client.ConverseAsync(Model, ScriptedBedrockClient.Request());

        Task<ConverseResponse> third = client.ConverseAsync(Model, ScriptedBedrockClient.Request());
        Assert.False(third.IsCompleted);
        time.Advance(TimeSpan.FromSeconds(29));
        Assert.False(third.IsCompleted);
        Assert.Equal(2, inner.Calls);
        time.Advance(TimeSpan.FromSeconds(1));
        await third;
        Assert.Equal(3, inner.Calls);
        AssertAllReturned(client.Limiter);
    }

    [Fact]
    public async Task A_request_larger_than_a_minute_of_tokens_waits_for_a_full_bucket_instead_of_forever()
    {
        var (client, _, time) = Create(o => o.Default.TokensPerMinute = 60);
        await client.ConverseAsync(Model, ScriptedBedrockClient.Request(maxTokens: 5000));
        Task<ConverseResponse> big = client.ConverseAsync(Model, ScriptedBedrockClient.Request(maxTokens: 5000));
        Assert.False(big.IsCompleted);
        time.Advance(TimeSpan.FromSeconds(61));
        await big;
    }

    [Fact]
    public async Task A_throttle_that_outlasts_the_inner_retries_lowers_the_rate_and_is_sent_again_through_it()
    {
        var (client, inner, time) = Create(_ => { });
        inner.ThenThrottle();
        inner.ThenThrottle();

        Task<ConverseResponse> call = client.ConverseAsync(Model, ScriptedBedrockClient.Request());
        await DriveUntilDone(call, time);

        Assert.Equal(3, inner.Calls);
        ModelLimiterStatistics stats = client.Limiter.GetStatistics(Model);
        Assert.Equal(2, stats.TotalThrottles);
        Assert.NotNull(stats.AdaptiveRate);
        AssertAllReturned(client.Limiter);
    }

    [Fact]
    public async Task Throttle_retries_are_bounded_and_the_last_throttle_reaches_the_caller()
    {
        var (client, inner, time) = Create(o => o.MaxThrottleRetries = 2);
        inner.Default = () => Task.FromException<ConverseResponse>(new BedrockThrottlingException("Too many requests"));

        Task<ConverseResponse> call = client.ConverseAsync(Model, ScriptedBedrockClient.Request());
        await DriveUntilDone(call, time, swallow: true);

        await Assert.ThrowsAsync<BedrockThrottlingException>(() => call);
        Assert.Equal(3, inner.Calls);
        AssertAllReturned(client.Limiter);
    }

    [Fact]
    public async Task Without_adaptive_throttling_a_throttle_passes_straight_through()
    {
        var (client, inner, _) = Create(o => o.AdaptiveThrottling = false);
        inner.ThenThrottle();

        await Assert.ThrowsAsync<BedrockThrottlingException>(() => client.ConverseAsync(Model, ScriptedBedrockClient.Request()));
        Assert.Equal(1, inner.Calls);
        Assert.Null(client.Limiter.GetStatistics(Model).AdaptiveRate);
        Assert.Equal(1, client.Limiter.GetStatistics(Model).TotalThrottles);
    }

    [Fact]
    public async Task A_stream_holds_its_permit_until_disposed_and_settles_tokens_from_the_metadata_event()
    {
        var (client, _, _) = Create(o => { o.Default.MaxConcurrency = 1; o.Default.TokensPerMinute = 10_000; });
        await using (IAsyncEnumerator<ConverseStreamEvent> events = client.ConverseStreamAsync(Model, ScriptedBedrockClient.Request()).GetAsyncEnumerator())
        {
            Assert.True(await events.MoveNextAsync());
            Assert.Equal(1, client.Limiter.CurrentConcurrency);
            while (await events.MoveNextAsync())
            {
            }

            Assert.Equal(0, client.Limiter.CurrentConcurrency);
        }

        Assert.Equal(10_000 - 10, client.Limiter.GetStatistics(Model).AvailableTokens!.Value, 3);
        AssertAllReturned(client.Limiter);
    }

    [Fact]
    public async Task An_abandoned_stream_returns_its_permit_when_the_consumer_breaks_out()
    {
        var (client, _, _) = Create(o => { o.Default.MaxConcurrency = 1; o.Default.TokensPerMinute = 10_000; });
        await foreach (ConverseStreamEvent e in client.ConverseStreamAsync(Model, ScriptedBedrockClient.Request("hi", 100)))
        {
            Assert.Equal(1, client.Limiter.CurrentConcurrency);
            break;
        }

        AssertAllReturned(client.Limiter);

        // The model ran but reported no usage, so the estimate (1 + 4 + 100) stays spent.
        Assert.Equal(10_000 - 105, client.Limiter.GetStatistics(Model).AvailableTokens!.Value, 3);
    }

    [Fact]
    public async Task A_stream_throttled_before_its_first_event_is_sent_again_but_not_after_one()
    {
        var (client, inner, time) = Create(_ => { });
        inner.Stream = call => call == 1 ? Throwing(0) : call == 2 ? ScriptedBedrockClient.Events(10) : Throwing(1);

        var texts = new List<string>();
        Task consume = Task.Run(async () =>
        {
            await foreach (ConverseStreamEvent e in client.ConverseStreamAsync(Model, ScriptedBedrockClient.Request()))
            {
                if (e is ContentBlockDeltaEvent { Delta.Text: { } t })
                {
                    texts.Add(t);
                }
            }
        });
        await DriveUntilDone(consume, time);
        Assert.Equal(["ok"], texts);
        Assert.Equal(2, inner.Calls);

        Task late = Task.Run(async () =>
        {
            await foreach (ConverseStreamEvent _ in client.ConverseStreamAsync(Model, ScriptedBedrockClient.Request()))
            {
            }
        });
        await DriveUntilDone(late, time, swallow: true);
        await Assert.ThrowsAsync<BedrockThrottlingException>(() => late);
        Assert.Equal(3, inner.Calls);
        AssertAllReturned(client.Limiter);

        static async IAsyncEnumerable<ConverseStreamEvent> Throwing(int eventsFirst)
        {
            await Task.Yield();
            if (eventsFirst > 0)
            {
                yield return new MessageStartEvent();
            }

            throw new BedrockThrottlingException("Too many requests");
        }
    }

    [Fact]
    public async Task Disposing_the_limiter_fails_waiting_calls()
    {
        var (client, inner, _) = Create(o => o.Default.RequestsPerMinute = 1);
        await client.ConverseAsync(Model, ScriptedBedrockClient.Request());
        Task<ConverseResponse> waiting = client.ConverseAsync(Model, ScriptedBedrockClient.Request());

        client.Dispose();

        await Assert.ThrowsAsync<ObjectDisposedException>(() => waiting);
        Assert.Equal(1, inner.Calls);
        AssertAllReturned(client.Limiter);
    }

    [Fact]
    public void Limits_resolve_exact_id_then_longest_prefix_then_default()
    {
        var options = new BedrockLimitsOptions();
        options.Default.MaxConcurrency = 1;
        options.ForModel("us.*", m => m.MaxConcurrency = 2)
            .ForModel("us.anthropic.*", m => m.MaxConcurrency = 3)
            .ForModel(Model, m => m.MaxConcurrency = 4);

        Assert.Equal(4, options.Resolve(Model).MaxConcurrency);
        Assert.Equal(3, options.Resolve("us.anthropic.claude-sonnet-4-5-20250929-v1:0").MaxConcurrency);
        Assert.Equal(2, options.Resolve("us.amazon.nova-micro-v1:0").MaxConcurrency);
        Assert.Equal(1, options.Resolve("amazon.nova-micro-v1:0").MaxConcurrency);
    }

    [Fact]
    public void Invalid_limits_fail_when_the_limiter_is_created()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new BedrockLimiter(new BedrockLimitsOptions { Default = { MaxConcurrency = 0 } }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new BedrockLimiter(new BedrockLimitsOptions { MaxThrottleRetries = -1 }));
        Assert.Throws<ArgumentException>(() => new BedrockLimiter(new BedrockLimitsOptions { Models = [new ModelLimits { MaxConcurrency = 1 }] }));
    }

    [Fact]
    public async Task CountTokens_passes_through_unlimited()
    {
        var (client, _, _) = Create(o => o.Default.RequestsPerMinute = 1);
        CountTokensResponse counted = await client.CountTokensAsync(Model, CountTokensRequest.ForConverse(ScriptedBedrockClient.Request()));
        Assert.Equal(3, counted.InputTokens);
        Assert.Empty(client.Limiter.GetStatistics());
    }

    /// <summary>Advances the fake clock in small steps until <paramref name="task"/> finishes (the adaptive bucket waits on it).</summary>
    internal static async Task DriveUntilDone(Task task, FakeTimeProvider time, bool swallow = false)
    {
        for (int i = 0; i < 10_000 && !task.IsCompleted; i++)
        {
            time.Advance(TimeSpan.FromMilliseconds(50));
            await Task.WhenAny(task, Task.Delay(1));
        }

        Assert.True(task.IsCompleted, "The call did not finish while the fake clock advanced.");
        if (!swallow)
        {
            await task;
        }
    }

    internal static async Task WaitUntil(Func<bool> condition)
    {
        for (int i = 0; i < 5000 && !condition(); i++)
        {
            await Task.Delay(1);
        }

        Assert.True(condition());
    }
}
