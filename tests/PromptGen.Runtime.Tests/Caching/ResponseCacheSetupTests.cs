using System.Buffers;
using Microsoft.Extensions.Caching.Hybrid;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using PromptGen.Generated;
using PromptGen.Runtime.Tests.Prompts;

namespace PromptGen.Runtime.Tests.Caching;

/// <summary>
/// Setting the response cache up: dependency injection, the factory without it, the distributed tier's serializer,
/// expiry and warming.
/// </summary>
public sealed class ResponseCacheSetupTests
{
    private static Task<PromptResult<string>> Result(PromptPipeline pipeline, PromptDefinition definition, string prompt) =>
        PromptRunner.GetResultAsync<string>(pipeline, definition, prompt, 0, 0, null, default);

    [Fact]
    public void AddPromptGenResponseCache_hands_generated_clients_a_HybridCache_with_PromptGens_serializer()
    {
        using ServiceProvider provider = new ServiceCollection()
            .AddPromptGen(o => o.Region = "us-east-1")
            .AddPromptGenResponseCache(o => o.DefaultDuration = TimeSpan.FromMinutes(42))
            .BuildServiceProvider();

        PromptClientOptions options = provider.GetRequiredService<PromptClientOptions>();
        Assert.Same(provider.GetRequiredService<HybridCache>(), options.ResponseCache);
        Assert.Equal(TimeSpan.FromMinutes(42), options.ResponseCacheDuration);
        Assert.IsType<PromptAnswerSerializer>(provider.GetRequiredService<IHybridCacheSerializer<PromptAnswer>>());
    }

    [Fact]
    public void AddPromptGenResponseCache_works_before_AddPromptGen_and_without_it()
    {
        using ServiceProvider before = new ServiceCollection()
            .AddPromptGenResponseCache()
            .AddPromptGen(o => o.Region = "us-east-1")
            .BuildServiceProvider();
        using ServiceProvider alone = new ServiceCollection()
            .AddSingleton<IBedrockClient>(new CountingBedrock())
            .AddPromptGenResponseCache()
            .BuildServiceProvider();

        Assert.NotNull(before.GetRequiredService<PromptClientOptions>().ResponseCache);
        Assert.Equal(TimeSpan.FromMinutes(10), before.GetRequiredService<PromptClientOptions>().ResponseCacheDuration);
        Assert.Same(alone.GetRequiredService<HybridCache>(), alone.GetRequiredService<PromptClientOptions>().ResponseCache);
    }

    [Fact]
    public void Without_AddPromptGenResponseCache_there_is_no_response_cache()
    {
        using ServiceProvider provider = new ServiceCollection().AddPromptGen(o => o.Region = "us-east-1").BuildServiceProvider();

        Assert.Null(provider.GetRequiredService<PromptClientOptions>().ResponseCache);
    }

    [Fact]
    public void A_HybridCache_the_application_registered_is_shared_and_stores_answers_with_PromptGens_serializer()
    {
        var services = new ServiceCollection();
        services.AddHybridCache();
        services.AddPromptGen(o => o.Region = "us-east-1");
        using ServiceProvider provider = services.BuildServiceProvider();

        Assert.Same(provider.GetRequiredService<HybridCache>(), provider.GetRequiredService<PromptClientOptions>().ResponseCache);
        Assert.IsType<PromptAnswerSerializer>(provider.GetRequiredService<IHybridCacheSerializer<PromptAnswer>>());
    }

    [Fact]
    public void The_serializer_round_trips_every_field()
    {
        var answer = new PromptAnswer
        {
            Text = "Ünïcode \"quoted\"\n", ToolCalled = true, ToolInputJson = """{"a":[1,2]}""", StopReason = StopReason.ToolUse,
            Usage = new PromptUsage { InputTokens = 1, OutputTokens = 2, TotalTokens = 3, CacheReadInputTokens = 4, CacheWriteInputTokens = 5 },
            LatencyMode = "optimized",
        };
        var serializer = new PromptAnswerSerializer();
        var buffer = new ArrayBufferWriter<byte>();

        serializer.Serialize(answer, buffer);
        PromptAnswer back = serializer.Deserialize(new ReadOnlySequence<byte>(buffer.WrittenMemory));

        Assert.Equal(answer.Text, back.Text);
        Assert.True(back.ToolCalled);
        Assert.Equal(answer.ToolInputJson, back.ToolInputJson);
        Assert.Equal(StopReason.ToolUse, back.StopReason);
        Assert.Equal(answer.Usage, back.Usage);
        Assert.Equal("optimized", back.LatencyMode);
    }

    [Fact]
    public async Task Two_instances_sharing_a_distributed_cache_serve_each_others_answers()
    {
        // Two "service instances": separate HybridCaches (separate memory tiers) over one shared IDistributedCache.
        var shared = new DictionaryDistributedCache();
        var bedrockA = new CountingBedrock();
        var bedrockB = new CountingBedrock();
        var a = new PromptPipeline(bedrockA, new PromptClientOptions { ResponseCache = PromptResponseCache.Create(shared) });
        var b = new PromptPipeline(bedrockB, new PromptClientOptions { ResponseCache = PromptResponseCache.Create(shared) });

        PromptResult<string> fromA = await Result(a, Definitions.Text(), "Summarize");
        PromptResult<string> fromB = await Result(b, Definitions.Text(), "Summarize");

        Assert.False(fromA.CacheHit);
        Assert.True(fromB.CacheHit);
        Assert.Equal(fromA.Value, fromB.Value);
        Assert.Equal(0, bedrockB.Calls);
        Assert.Equal(1, shared.Count);
    }

    [Fact]
    public async Task CreateInMemory_gives_a_working_cache_without_dependency_injection()
    {
        var bedrock = new CountingBedrock();
        var pipeline = new PromptPipeline(bedrock, new PromptClientOptions { ResponseCache = PromptResponseCache.CreateInMemory() });

        await Result(pipeline, Definitions.Text(), "Summarize");
        PromptResult<string> second = await Result(pipeline, Definitions.Text(), "Summarize");

        Assert.True(second.CacheHit);
        Assert.Equal(1, bedrock.Calls);
    }

    // ---------------------------------------------------------------- expiry

    private static (HybridCache Cache, FakeTimeProvider Time) CacheOnFakeTime()
    {
        var time = new FakeTimeProvider(DateTimeOffset.Parse("2026-01-01T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(time);
        // The memory tier keeps its own clock: give it the same fake time.
        services.AddMemoryCache(o => o.Clock = new FakeClock(time));
        services.AddPromptGenResponseCache();
        return (services.BuildServiceProvider().GetRequiredService<HybridCache>(), time);
    }

#pragma warning disable CS0618 // ISystemClock is how MemoryCache takes a clock.
    private sealed class FakeClock(TimeProvider time) : Microsoft.Extensions.Internal.ISystemClock
    {
        public DateTimeOffset UtcNow => time.GetUtcNow();
    }
#pragma warning restore CS0618

    [Fact]
    public async Task An_answer_expires_after_the_default_duration()
    {
        (HybridCache cache, FakeTimeProvider time) = CacheOnFakeTime();
        var bedrock = new CountingBedrock();
        var pipeline = new PromptPipeline(bedrock, new PromptClientOptions { ResponseCache = cache, ResponseCacheDuration = TimeSpan.FromMinutes(5) });

        await Result(pipeline, Definitions.Text(), "Summarize");
        time.Advance(TimeSpan.FromMinutes(4));
        PromptResult<string> within = await Result(pipeline, Definitions.Text(), "Summarize");
        time.Advance(TimeSpan.FromMinutes(2));
        PromptResult<string> after = await Result(pipeline, Definitions.Text(), "Summarize");

        Assert.True(within.CacheHit);
        Assert.False(after.CacheHit);
        Assert.Equal("answer 2", after.Value);
    }

    [Fact]
    public async Task A_methods_own_time_to_live_overrides_the_default()
    {
        (HybridCache cache, FakeTimeProvider time) = CacheOnFakeTime();
        var bedrock = new CountingBedrock();
        var pipeline = new PromptPipeline(bedrock, new PromptClientOptions { ResponseCache = cache, ResponseCacheDuration = TimeSpan.FromHours(1) });
        PromptDefinition shortLived = Definitions.Text(ttl: TimeSpan.FromSeconds(30));

        await Result(pipeline, shortLived, "Summarize");
        time.Advance(TimeSpan.FromSeconds(31));
        PromptResult<string> after = await Result(pipeline, shortLived, "Summarize");

        Assert.False(after.CacheHit);
        Assert.Equal(2, bedrock.Calls);
    }

    // ---------------------------------------------------------------- warming

    [Fact]
    public async Task Warming_caches_known_inputs_so_later_calls_are_hits()
    {
        var bedrock = new CountingBedrock();
        var pipeline = new PromptPipeline(bedrock, new PromptClientOptions { ResponseCache = PromptResponseCache.CreateInMemory() });
        string[] inputs = ["alpha", "beta", "gamma", "delta", "epsilon", "zeta", "eta"];

        PromptCacheWarmResult<string> warmed = await PromptResponseCache.WarmAsync(
            inputs, (input, ct) => PromptRunner.GetTextAsync(pipeline, Definitions.Text(), "Summarize: " + input, 0, 0, ct), maxConcurrency: 3);

        Assert.Equal(7, warmed.Total);
        Assert.Equal(7, warmed.Warmed);
        Assert.Equal(0, warmed.Failed);
        Assert.Equal(7, bedrock.Calls);
        foreach (string input in inputs)
        {
            Assert.True((await Result(pipeline, Definitions.Text(), "Summarize: " + input)).CacheHit);
        }

        Assert.Equal(7, bedrock.Calls);
    }

    [Fact]
    public async Task Warming_records_failing_inputs_and_goes_on()
    {
        var bedrock = new CountingBedrock { Respond = n => FakeBedrockClient.Text("answer " + n) };
        var pipeline = new PromptPipeline(bedrock, new PromptClientOptions { ResponseCache = PromptResponseCache.CreateInMemory() });
        PromptDefinition structured = Definitions.Structured();

        PromptCacheWarmResult<string> warmed = await PromptResponseCache.WarmAsync(
            ["ok-1", "bad", "ok-2"],
            (input, ct) => input == "bad"
                ? PromptRunner.GetValueAsync(pipeline, structured, input, 0, 0, PromptTestJson.Default.Invoice, ct)
                : PromptRunner.GetTextAsync(pipeline, Definitions.Text(), input, 0, 0, ct),
            maxConcurrency: 1);

        Assert.Equal(3, warmed.Total);
        Assert.Equal(2, warmed.Warmed);
        PromptCacheWarmFailure<string> failure = Assert.Single(warmed.Failures);
        Assert.Equal(1, failure.Index);
        Assert.Equal("bad", failure.Input);
        Assert.IsType<PromptOutputFormatException>(failure.Exception);
    }

    [Fact]
    public async Task Warming_a_streaming_method_reads_each_stream_to_the_end()
    {
        var bedrock = new CountingBedrock();
        var pipeline = new PromptPipeline(bedrock, new PromptClientOptions { ResponseCache = PromptResponseCache.CreateInMemory() });

        PromptCacheWarmResult<int> warmed = await PromptResponseCache.WarmAsync(
            [1, 2], (n, ct) => PromptRunner.StreamTextAsync(pipeline, Definitions.Text(), "Summarize " + n, 0, 0, ct));
        var replay = new List<string>();
        await foreach (string piece in PromptRunner.StreamTextAsync(pipeline, Definitions.Text(), "Summarize 2", 0, 0, default))
        {
            replay.Add(piece);
        }

        Assert.Equal(2, warmed.Warmed);
        Assert.Single(replay);
        Assert.Equal(2, bedrock.Calls);
    }

    [Fact]
    public async Task Warming_stops_when_cancelled()
    {
        var bedrock = new CountingBedrock { Gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously) };
        var pipeline = new PromptPipeline(bedrock, new PromptClientOptions { ResponseCache = PromptResponseCache.CreateInMemory() });
        using var cts = new CancellationTokenSource();

        Task<PromptCacheWarmResult<string>> warming = PromptResponseCache.WarmAsync(
            ["a", "b", "c"], (input, ct) => PromptRunner.GetTextAsync(pipeline, Definitions.Text(), input, 0, 0, ct), 2, cts.Token);
        await bedrock.FirstCallStarted.Task;
        cts.Cancel();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => warming);
    }
}
