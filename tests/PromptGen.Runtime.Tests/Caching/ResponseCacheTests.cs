using Microsoft.Extensions.Caching.Hybrid;
using Microsoft.Extensions.DependencyInjection;
using PromptGen.Generated;
using PromptGen.Runtime.Tests.Prompts;

namespace PromptGen.Runtime.Tests.Caching;

/// <summary>
/// The response cache of <see cref="PromptAttribute.CacheResponse"/> methods through <see cref="PromptPipeline"/>: hits and
/// misses, stampede protection, what is never cached, expiry, streaming replay, and calls that must not touch the cache.
/// </summary>
public sealed class ResponseCacheTests
{
    private static HybridCache NewCache() =>
        new ServiceCollection().AddPromptGenResponseCache().BuildServiceProvider().GetRequiredService<HybridCache>();

    private static PromptPipeline Pipeline(IBedrockClient bedrock, HybridCache? cache, TimeSpan? duration = null) =>
        new(bedrock, new PromptClientOptions { ResponseCache = cache, ResponseCacheDuration = duration ?? TimeSpan.FromMinutes(10) });

    private static Task<PromptResult<string>> Result(PromptPipeline pipeline, PromptDefinition definition, string prompt, CancellationToken token = default) =>
        PromptRunner.GetResultAsync<string>(pipeline, definition, prompt, 0, 0, null, token);

    private static async Task<List<string>> ReadAll(IAsyncEnumerable<string> stream)
    {
        var pieces = new List<string>();
        await foreach (string piece in stream)
        {
            pieces.Add(piece);
        }

        return pieces;
    }

    [Fact]
    public async Task A_miss_calls_Bedrock_and_the_next_identical_call_is_a_hit()
    {
        var bedrock = new CountingBedrock();
        PromptPipeline pipeline = Pipeline(bedrock, NewCache());
        PromptDefinition definition = Definitions.Text();

        PromptResult<string> first = await Result(pipeline, definition, "Summarize: the quarter went well.");
        PromptResult<string> second = await Result(pipeline, definition, "Summarize: the quarter went well.");

        Assert.Equal(1, bedrock.Calls);
        Assert.False(first.CacheHit);
        Assert.True(second.CacheHit);
        Assert.Equal("answer 1", first.Value);
        Assert.Equal("answer 1", second.Value);
        Assert.Equal(StopReason.EndTurn, second.StopReason);
        Assert.Equal(18, first.Usage.TotalTokens);
        // A hit spent no tokens.
        Assert.Equal(PromptUsage.Empty, second.Usage);
        Assert.Equal(second.Latency, second.TimeToFirstToken);
    }

    [Fact]
    public async Task A_different_rendered_prompt_is_a_miss()
    {
        var bedrock = new CountingBedrock();
        PromptPipeline pipeline = Pipeline(bedrock, NewCache());

        PromptResult<string> a = await Result(pipeline, Definitions.Text(), "Summarize: A");
        PromptResult<string> b = await Result(pipeline, Definitions.Text(), "Summarize: B");

        Assert.Equal(2, bedrock.Calls);
        Assert.False(b.CacheHit);
        Assert.NotEqual(a.Value, b.Value);
    }

    [Fact]
    public async Task Every_typed_path_reads_a_cached_answer_again()
    {
        var bedrock = new CountingBedrock { Respond = _ => FakeBedrockClient.Text("""{"number":"INV-9","total":4.5,"currency":"EUR"}""") };
        PromptPipeline pipeline = Pipeline(bedrock, NewCache());
        PromptDefinition definition = Definitions.Structured();

        Invoice first = await PromptRunner.GetValueAsync(pipeline, definition, "doc", 0, 0, PromptTestJson.Default.Invoice, default);
        Invoice second = await PromptRunner.GetValueAsync(pipeline, definition, "doc", 0, 0, PromptTestJson.Default.Invoice, default);
        PromptResult<Invoice> third = await PromptRunner.GetResultAsync(pipeline, definition, "doc", 0, 0, PromptTestJson.Default.Invoice, default);

        Assert.Equal(1, bedrock.Calls);
        Assert.Equal(new Invoice("INV-9", 4.5m, "EUR"), second);
        Assert.Equal(first, third.Value);
        Assert.True(third.CacheHit);
        // Each hit reads its own value: callers never share a mutable object.
        Assert.NotSame(first, second);
    }

    [Fact]
    public async Task Fifty_concurrent_identical_calls_make_one_Bedrock_call()
    {
        var bedrock = new CountingBedrock { Gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously) };
        PromptPipeline pipeline = Pipeline(bedrock, NewCache());
        PromptDefinition definition = Definitions.Text();

        // All 50 are in flight at once: each reaches the cache before the first Bedrock call is allowed to answer.
        Task<PromptResult<string>>[] calls = Enumerable.Range(0, 50).Select(_ => Result(pipeline, definition, "Summarize: the same text")).ToArray();
        await bedrock.FirstCallStarted.Task;
        Assert.All(calls, c => Assert.False(c.IsCompleted));

        bedrock.Gate.SetResult();
        PromptResult<string>[] results = await Task.WhenAll(calls);

        Assert.Equal(1, bedrock.Calls);
        Assert.All(results, r => Assert.Equal("answer 1", r.Value));
        Assert.Single(results, r => !r.CacheHit);
    }

    [Theory]
    [InlineData("guardrail_intervened")]
    [InlineData("content_filtered")]
    [InlineData("max_tokens")]
    [InlineData("malformed_model_output")]
    [InlineData("a_stop_reason_from_the_future")]
    public async Task Answers_with_a_non_cacheable_stop_reason_are_served_but_not_cached(string stopReason)
    {
        var bedrock = new CountingBedrock { Respond = n => FakeBedrockClient.Text("partial " + n, stopReason) };
        PromptPipeline pipeline = Pipeline(bedrock, NewCache());

        PromptResult<string> first = await Result(pipeline, Definitions.Text(), "Summarize");
        PromptResult<string> second = await Result(pipeline, Definitions.Text(), "Summarize");

        Assert.Equal(2, bedrock.Calls);
        Assert.Equal("partial 1", first.Value);
        Assert.Equal("partial 2", second.Value);
        Assert.False(second.CacheHit);
        Assert.Equal(new StopReason(stopReason), second.StopReason);
    }

    [Fact]
    public async Task An_answer_that_does_not_parse_is_not_cached()
    {
        var bedrock = new CountingBedrock
        {
            Respond = n => FakeBedrockClient.Text(n == 1 ? "Sorry, I cannot produce JSON." : """{"number":"INV-2","total":1,"currency":null}"""),
        };
        PromptPipeline pipeline = Pipeline(bedrock, NewCache());
        PromptDefinition definition = Definitions.Structured();

        await Assert.ThrowsAsync<PromptOutputFormatException>(
            () => PromptRunner.GetValueAsync(pipeline, definition, "doc", 0, 0, PromptTestJson.Default.Invoice, default));
        Invoice retried = await PromptRunner.GetValueAsync(pipeline, definition, "doc", 0, 0, PromptTestJson.Default.Invoice, default);
        Invoice hit = await PromptRunner.GetValueAsync(pipeline, definition, "doc", 0, 0, PromptTestJson.Default.Invoice, default);

        Assert.Equal(new Invoice("INV-2", 1m, null), retried);
        Assert.Equal(retried, hit);
        Assert.Equal(2, bedrock.Calls);
    }

    [Fact]
    public async Task A_truncated_structured_answer_is_not_cached()
    {
        var bedrock = new CountingBedrock { Respond = _ => FakeBedrockClient.Text("""{"number":"INV-""", "max_tokens") };
        PromptPipeline pipeline = Pipeline(bedrock, NewCache());
        PromptDefinition definition = Definitions.Structured();

        await Assert.ThrowsAsync<PromptOutputTruncatedException>(
            () => PromptRunner.GetValueAsync(pipeline, definition, "doc", 0, 0, PromptTestJson.Default.Invoice, default));
        await Assert.ThrowsAsync<PromptOutputTruncatedException>(
            () => PromptRunner.GetValueAsync(pipeline, definition, "doc", 0, 0, PromptTestJson.Default.Invoice, default));

        Assert.Equal(2, bedrock.Calls);
    }

    [Fact]
    public async Task A_failed_Bedrock_call_is_not_cached()
    {
        int calls = 0;
        var bedrock = new CountingBedrock
        {
            Respond = _ => ++calls == 1 ? throw new BedrockThrottlingException("Too many requests.") : FakeBedrockClient.Text("back"),
        };
        PromptPipeline pipeline = Pipeline(bedrock, NewCache());

        await Assert.ThrowsAsync<BedrockThrottlingException>(() => Result(pipeline, Definitions.Text(), "Summarize"));
        PromptResult<string> second = await Result(pipeline, Definitions.Text(), "Summarize");

        Assert.Equal("back", second.Value);
        Assert.False(second.CacheHit);
    }

    [Fact]
    public async Task Methods_without_CacheResponse_never_touch_the_cache()
    {
        var bedrock = new CountingBedrock();
        var spy = new SpyCache(NewCache());
        PromptPipeline pipeline = Pipeline(bedrock, spy);
        PromptDefinition definition = Definitions.Text(cache: false);

        PromptResult<string> first = await Result(pipeline, definition, "Summarize");
        PromptResult<string> second = await Result(pipeline, definition, "Summarize");
        await ReadAll(PromptRunner.StreamTextAsync(pipeline, definition, "Summarize", 0, 0, default));

        Assert.Equal(0, spy.Operations);
        Assert.Equal(3, bedrock.Calls);
        Assert.False(first.CacheHit);
        Assert.False(second.CacheHit);
    }

    [Fact]
    public async Task Without_a_configured_cache_CacheResponse_methods_call_Bedrock_every_time()
    {
        var bedrock = new CountingBedrock();
        var pipeline = new PromptPipeline(bedrock);

        PromptResult<string> first = await Result(pipeline, Definitions.Text(), "Summarize");
        PromptResult<string> second = await Result(pipeline, Definitions.Text(), "Summarize");
        await ReadAll(PromptRunner.StreamTextAsync(pipeline, Definitions.Text(), "Summarize", 0, 0, default));

        Assert.Equal(3, bedrock.Calls);
        Assert.Equal("answer 2", second.Value);
        Assert.False(first.CacheHit || second.CacheHit);
    }

    [Fact]
    public async Task The_cancellation_token_and_the_static_prefix_length_do_not_change_the_key()
    {
        var bedrock = new CountingBedrock();
        PromptPipeline pipeline = Pipeline(bedrock, NewCache());
        using var cts = new CancellationTokenSource();

        await PromptRunner.GetResultAsync<string>(pipeline, Definitions.Text(), "Summarize: A long static part. x", 0, 0, null, CancellationToken.None);
        PromptResult<string> second = await PromptRunner.GetResultAsync<string>(pipeline, Definitions.Text(), "Summarize: A long static part. x", 30, 0, null, cts.Token);

        Assert.Equal(1, bedrock.Calls);
        Assert.True(second.CacheHit);
    }

    [Fact]
    public async Task Removing_the_promptgen_tag_empties_the_response_cache()
    {
        var bedrock = new CountingBedrock();
        HybridCache cache = NewCache();
        PromptPipeline pipeline = Pipeline(bedrock, cache);

        await Result(pipeline, Definitions.Text(), "Summarize");
        await cache.RemoveByTagAsync(PromptResponseCache.Tag);
        PromptResult<string> after = await Result(pipeline, Definitions.Text(), "Summarize");

        Assert.False(after.CacheHit);
        Assert.Equal(2, bedrock.Calls);
    }

    // ---------------------------------------------------------------- streaming

    [Fact]
    public async Task A_completed_stream_is_cached_and_replayed_without_a_Bedrock_call()
    {
        var bedrock = new CountingBedrock();
        PromptPipeline pipeline = Pipeline(bedrock, NewCache());
        PromptDefinition definition = Definitions.Text();

        List<string> first = await ReadAll(PromptRunner.StreamTextAsync(pipeline, definition, "Summarize", 0, 0, default));
        List<string> replay = await ReadAll(PromptRunner.StreamTextAsync(pipeline, definition, "Summarize", 0, 0, default));

        Assert.Equal(["streamed ", "answer ", "1"], first);
        Assert.Equal("streamed answer 1", string.Concat(replay));
        Assert.Equal(1, bedrock.Calls);
    }

    [Fact]
    public async Task A_streaming_method_replays_an_answer_a_non_streaming_call_cached()
    {
        var bedrock = new CountingBedrock();
        PromptPipeline pipeline = Pipeline(bedrock, NewCache());

        // Same request, so same answer: a different method (or return type) with the same prompt shares the entry.
        await Result(pipeline, Definitions.Text(), "Summarize");
        List<string> replay = await ReadAll(PromptRunner.StreamTextAsync(pipeline, Definitions.Text(), "Summarize", 0, 0, default));

        Assert.Equal(["answer 1"], replay);
        Assert.Equal(1, bedrock.Calls);
    }

    [Fact]
    public async Task A_cancelled_stream_is_not_cached()
    {
        var bedrock = new CountingBedrock();
        PromptPipeline pipeline = Pipeline(bedrock, NewCache());
        using var cts = new CancellationTokenSource();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            await foreach (string _ in PromptRunner.StreamTextAsync(pipeline, Definitions.Text(), "Summarize", 0, 0, cts.Token))
            {
                cts.Cancel();
            }
        });
        List<string> second = await ReadAll(PromptRunner.StreamTextAsync(pipeline, Definitions.Text(), "Summarize", 0, 0, default));

        Assert.Equal(["streamed ", "answer ", "2"], second);
        Assert.Equal(2, bedrock.Calls);
    }

    [Fact]
    public async Task A_stream_the_consumer_abandons_is_not_cached()
    {
        var bedrock = new CountingBedrock();
        PromptPipeline pipeline = Pipeline(bedrock, NewCache());

        await foreach (string _ in PromptRunner.StreamTextAsync(pipeline, Definitions.Text(), "Summarize", 0, 0, default))
        {
            break;
        }

        List<string> second = await ReadAll(PromptRunner.StreamTextAsync(pipeline, Definitions.Text(), "Summarize", 0, 0, default));

        Assert.Equal("streamed answer 2", string.Concat(second));
        Assert.Equal(2, bedrock.Calls);
    }

    [Fact]
    public async Task A_stream_that_stops_for_a_guardrail_is_not_cached()
    {
        var bedrock = new CountingBedrock { Stream = n => FakeBedrockClient.TextEvents("", "guardrail_intervened", "blocked " + n) };
        PromptPipeline pipeline = Pipeline(bedrock, NewCache());

        await ReadAll(PromptRunner.StreamTextAsync(pipeline, Definitions.Text(), "Summarize", 0, 0, default));
        List<string> second = await ReadAll(PromptRunner.StreamTextAsync(pipeline, Definitions.Text(), "Summarize", 0, 0, default));

        Assert.Equal(["blocked 2"], second);
        Assert.Equal(2, bedrock.Calls);
    }

    [Fact]
    public async Task A_streamed_PromptResult_measures_time_to_first_token_and_is_cached()
    {
        var bedrock = new CountingBedrock();
        PromptPipeline pipeline = Pipeline(bedrock, NewCache());
        PromptDefinition definition = new()
        {
            InterfaceName = "IReader", MethodName = "SummarizeAsync", ModelId = Definitions.Haiku45, Temperature = 0, MaxTokens = 100,
            CacheResponse = true, StreamResult = true,
        };

        PromptResult<string> first = await Result(pipeline, definition, "Summarize");
        PromptResult<string> second = await Result(pipeline, definition, "Summarize");

        Assert.Equal("streamed answer 1", first.Value);
        Assert.NotNull(first.TimeToFirstToken);
        Assert.InRange(first.TimeToFirstToken!.Value, TimeSpan.Zero, first.Latency);
        Assert.Equal("optimized", first.LatencyMode);
        Assert.Equal(2, first.Usage.CacheWriteInputTokens);
        Assert.True(second.CacheHit);
        Assert.Equal("streamed answer 1", second.Value);
        Assert.Equal("optimized", second.LatencyMode);
        Assert.Equal(1, bedrock.Calls);
    }
}
