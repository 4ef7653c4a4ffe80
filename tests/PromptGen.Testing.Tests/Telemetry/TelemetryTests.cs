using System.Diagnostics;
using Microsoft.Extensions.Caching.Hybrid;
using Microsoft.Extensions.DependencyInjection;
using PromptGen.Telemetry;

namespace PromptGen.Testing.Tests.Telemetry;

/// <summary>
/// A generated client against the emulator, observed through the OpenTelemetry SDK with in-memory exporters: the GenAI
/// span and metrics (semantic conventions v1.41) and the breakdown of where each call's time went.
/// </summary>
public class TelemetryTests
{
    private const string NovaPro = "us.amazon.nova-pro-v1:0";
    private const string Haiku45 = "us.anthropic.claude-haiku-4-5-20251001-v1:0";

    private static async Task<(BedrockEmulator Emulator, BedrockClient Bedrock)> StartAsync(Action<BedrockClientOptions>? configure = null)
    {
        BedrockEmulator emulator = await BedrockEmulator.StartAsync(new BedrockEmulatorOptions
        {
            TimeToFirstToken = TimeSpan.FromMilliseconds(20),
            TokenDelay = TimeSpan.FromMilliseconds(1),
            ResponseText = context => context.LastUserText.StartsWith("Priority", StringComparison.Ordinal) ? "High" : null,
        });
        BedrockClientOptions options = emulator.ClientOptions();
        configure?.Invoke(options);
        return (emulator, new BedrockClient(options));
    }

    [Fact]
    public async Task A_result_call_is_a_client_span_whose_attributes_and_metrics_match_its_PromptResult()
    {
        (BedrockEmulator emulator, BedrockClient bedrock) = await StartAsync();
        await using var _ = emulator;
        using var __ = bedrock;
        using var telemetry = new TelemetryHarness();
        ITicketDesk desk = new TicketDeskClient(bedrock);

        PromptResult<string> result = await desk.SummarizeAsync("The printer on floor 3 is out of toner.");

        Activity span = Assert.Single(telemetry.CallSpans, s => Tag(s, "promptgen.method") == "SummarizeAsync");
        Assert.Equal("chat " + NovaPro, span.DisplayName);
        Assert.Equal(ActivityKind.Client, span.Kind);
        Assert.Equal(ActivityStatusCode.Unset, span.Status);
        Assert.Equal("chat", Tag(span, "gen_ai.operation.name"));
        Assert.Equal("aws.bedrock", Tag(span, "gen_ai.provider.name"));
        Assert.Equal(NovaPro, Tag(span, "gen_ai.request.model"));
        // The Summarization preset on Nova Pro, with the method's overrides.
        Assert.Equal(0.3, span.GetTagItem("gen_ai.request.temperature"));
        Assert.Equal(0.5, span.GetTagItem("gen_ai.request.top_p"));
        Assert.Equal(40.0, span.GetTagItem("gen_ai.request.top_k"));
        Assert.Equal(300, span.GetTagItem("gen_ai.request.max_tokens"));
        Assert.Equal(["END"], (string[])span.GetTagItem("gen_ai.request.stop_sequences")!);
        Assert.Equal(true, span.GetTagItem("gen_ai.request.stream"));
        Assert.Equal("text", Tag(span, "gen_ai.output.type"));
        Assert.Equal([result.StopReason.Value], (string[])span.GetTagItem("gen_ai.response.finish_reasons")!);
        int allInput = result.Usage.InputTokens + result.Usage.CacheReadInputTokens + result.Usage.CacheWriteInputTokens;
        Assert.True(result.Usage.InputTokens > 0 && result.Usage.OutputTokens > 0);
        Assert.Equal(allInput, span.GetTagItem("gen_ai.usage.input_tokens"));
        Assert.Equal(result.Usage.OutputTokens, span.GetTagItem("gen_ai.usage.output_tokens"));
        Assert.Equal(result.Usage.CacheReadInputTokens, span.GetTagItem("gen_ai.usage.cache_read.input_tokens"));
        Assert.Equal(result.Usage.CacheWriteInputTokens, span.GetTagItem("gen_ai.usage.cache_creation.input_tokens"));
        Assert.NotNull(result.TimeToFirstToken);
        Assert.Equal(result.TimeToFirstToken!.Value.TotalSeconds, span.GetTagItem("gen_ai.response.time_to_first_chunk"));
        Assert.Equal(emulator.Requests.Single().RequestId, Tag(span, "aws.request_id"));
        Assert.Equal("ITicketDesk", Tag(span, "promptgen.interface"));
        Assert.Equal("Summarization", Tag(span, "promptgen.use_case"));
        Assert.Equal(false, span.GetTagItem("promptgen.cache_hit"));
        Assert.Null(span.GetTagItem("promptgen.variant"));
        Assert.Null(span.GetTagItem("error.type"));
        // Content is opt-in.
        Assert.Null(span.GetTagItem("gen_ai.input.messages"));
        Assert.Null(span.GetTagItem("gen_ai.output.messages"));
        Assert.Null(span.GetTagItem("gen_ai.system_instructions"));

        // The breakdown: child spans in order, inside the call's span.
        IReadOnlyList<Activity> phases = telemetry.ChildrenOf(span).OrderBy(p => p.StartTimeUtc).ToList();
        Assert.Equal(["promptgen.render", "promptgen.time_to_first_byte", "promptgen.streaming", "promptgen.parse"], phases.Select(p => p.OperationName));
        foreach (Activity phase in phases)
        {
            Assert.Equal(ActivityKind.Internal, phase.Kind);
            Assert.InRange(phase.StartTimeUtc, span.StartTimeUtc, span.StartTimeUtc + span.Duration);
            Assert.InRange(phase.StartTimeUtc + phase.Duration, span.StartTimeUtc, span.StartTimeUtc + span.Duration);
        }

        for (int i = 1; i < phases.Count; i++)
        {
            Assert.True(phases[i].StartTimeUtc >= phases[i - 1].StartTimeUtc + phases[i - 1].Duration, $"{phases[i].OperationName} overlaps {phases[i - 1].OperationName}");
        }

        // Metrics: the conventions' names, units and buckets; values equal to what the caller got.
        var duration = Assert.Single(telemetry.Points("gen_ai.client.operation.duration", "SummarizeAsync"));
        Assert.Equal("s", duration.Metric.Unit);
        Assert.Equal(1, duration.Point.GetHistogramCount());
        Assert.Equal(result.Latency.TotalSeconds, duration.Point.GetHistogramSum());
        Assert.Equal(
            [0.01, 0.02, 0.04, 0.08, 0.16, 0.32, 0.64, 1.28, 2.56, 5.12, 10.24, 20.48, 40.96, 81.92, double.PositiveInfinity],
            Bounds(duration.Point));
        Assert.Equal("chat", duration.Tags["gen_ai.operation.name"]);
        Assert.Equal("aws.bedrock", duration.Tags["gen_ai.provider.name"]);
        Assert.Equal(NovaPro, duration.Tags["gen_ai.request.model"]);
        Assert.Equal("Summarization", duration.Tags["promptgen.use_case"]);
        Assert.Equal(false, duration.Tags["promptgen.cache_hit"]);
        Assert.False(duration.Tags.ContainsKey("error.type"));

        var tokens = telemetry.Points("gen_ai.client.token.usage", "SummarizeAsync");
        Assert.All(tokens, t => Assert.Equal("{token}", t.Metric.Unit));
        Assert.Equal(allInput, tokens.Single(t => (string?)t.Tags["gen_ai.token.type"] == "input").Point.GetHistogramSum());
        Assert.Equal(result.Usage.OutputTokens, tokens.Single(t => (string?)t.Tags["gen_ai.token.type"] == "output").Point.GetHistogramSum());
        Assert.Equal(67108864, Bounds(tokens[0].Point)[^2]);

        var firstChunk = Assert.Single(telemetry.Points("gen_ai.client.operation.time_to_first_chunk", "SummarizeAsync"));
        Assert.Equal(result.TimeToFirstToken.Value.TotalSeconds, firstChunk.Point.GetHistogramSum());
        var perChunk = Assert.Single(telemetry.Points("gen_ai.client.operation.time_per_output_chunk", "SummarizeAsync"));
        Assert.Equal("s", perChunk.Metric.Unit);
        // One interval per chunk after the first: the emulator streamed several.
        Assert.True(perChunk.Point.GetHistogramCount() >= 1);
    }

    [Fact]
    public async Task A_streamed_method_is_one_span_from_the_first_MoveNext_to_the_end_of_the_stream()
    {
        (BedrockEmulator emulator, BedrockClient bedrock) = await StartAsync();
        await using var _ = emulator;
        using var __ = bedrock;
        using var telemetry = new TelemetryHarness();
        ITicketDesk desk = new TicketDeskClient(bedrock);

        IAsyncEnumerable<string> stream = desk.StreamSummaryAsync("VPN drops every hour.");
        Assert.Empty(telemetry.CallSpans);
        int pieces = 0;
        await foreach (string piece in stream)
        {
            pieces++;
            // The span is still open while the caller reads.
            Assert.Empty(telemetry.CallSpans);
        }

        Activity span = Assert.Single(telemetry.CallSpans);
        Assert.Equal(true, span.GetTagItem("gen_ai.request.stream"));
        Assert.Equal(["end_turn"], (string[])span.GetTagItem("gen_ai.response.finish_reasons")!);
        Assert.IsType<double>(span.GetTagItem("gen_ai.response.time_to_first_chunk"));
        Assert.True((int)span.GetTagItem("gen_ai.usage.output_tokens")! > 0);
        Assert.Equal(
            ["promptgen.render", "promptgen.time_to_first_byte", "promptgen.streaming"],
            telemetry.ChildrenOf(span).OrderBy(p => p.StartTimeUtc).Select(p => p.OperationName));
        var perChunk = Assert.Single(telemetry.Points("gen_ai.client.operation.time_per_output_chunk", "StreamSummaryAsync"));
        Assert.Equal(pieces - 1, perChunk.Point.GetHistogramCount());
        Assert.Single(telemetry.Points("gen_ai.client.operation.time_to_first_chunk", "StreamSummaryAsync"));
    }

    [Fact]
    public async Task A_stream_the_caller_stops_reading_still_ends_its_span()
    {
        (BedrockEmulator emulator, BedrockClient bedrock) = await StartAsync();
        await using var _ = emulator;
        using var __ = bedrock;
        using var telemetry = new TelemetryHarness();
        ITicketDesk desk = new TicketDeskClient(bedrock);

        await foreach (string piece in desk.StreamSummaryAsync("Badge reader at the east door is dead."))
        {
            break;
        }

        Activity span = Assert.Single(telemetry.CallSpans);
        Assert.Null(span.GetTagItem("gen_ai.response.finish_reasons"));
        Assert.Equal(ActivityStatusCode.Unset, span.Status);
    }

    [Fact]
    public async Task Prompt_and_response_content_is_recorded_only_when_the_options_opt_in()
    {
        (BedrockEmulator emulator, BedrockClient bedrock) = await StartAsync();
        await using var _ = emulator;
        using var __ = bedrock;
        using var telemetry = new TelemetryHarness();
        const string Ticket = "Customer Ada Lovelace reports the Analytical Engine halts.";

        await new TicketDeskClient(bedrock).SummarizeAsync(Ticket);
        PromptResult<string> recorded = await new TicketDeskClient(bedrock, new PromptClientOptions { RecordContent = true }).SummarizeAsync(Ticket);

        IReadOnlyList<Activity> calls = telemetry.CallSpans;
        Assert.Equal(2, calls.Count);
        Activity plain = calls[0];
        Activity withContent = calls[1];
        foreach (Activity span in telemetry.Spans.Where(s => s.TraceId == plain.TraceId && (s == plain || s.ParentSpanId == plain.SpanId)))
        {
            Assert.DoesNotContain(span.TagObjects, t => t.Value?.ToString()?.Contains("Ada Lovelace", StringComparison.Ordinal) == true);
        }

        Assert.Equal("""[{"type":"text","content":"You summarize support tickets."}]""", Tag(withContent, "gen_ai.system_instructions"));
        Assert.Equal(
            "[{\"role\":\"user\",\"parts\":[{\"type\":\"text\",\"content\":\"Summarize ticket:\\n" + Ticket + "\"}]}]",
            Tag(withContent, "gen_ai.input.messages"));
        string output = Tag(withContent, "gen_ai.output.messages")!;
        System.Text.Json.Nodes.JsonNode message = System.Text.Json.Nodes.JsonNode.Parse(output)![0]!;
        Assert.Equal("assistant", message["role"]!.GetValue<string>());
        Assert.Equal(recorded.Value, message["parts"]![0]!["content"]!.GetValue<string>());
        Assert.Equal(recorded.StopReason.Value, message["finish_reason"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_failed_call_has_error_status_and_error_type_on_the_span_and_the_duration()
    {
        (BedrockEmulator emulator, BedrockClient bedrock) = await StartAsync(o => o.MaxAttempts = 1);
        await using var _ = emulator;
        using var __ = bedrock;
        using var telemetry = new TelemetryHarness();
        ITicketDesk desk = new TicketDeskClient(bedrock);
        emulator.Faults.Throttle();

        var e = await Assert.ThrowsAsync<BedrockThrottlingException>(() => desk.SummarizeAsync("Coffee machine leaks."));

        Activity span = Assert.Single(telemetry.CallSpans);
        Assert.Equal(ActivityStatusCode.Error, span.Status);
        Assert.Equal("ThrottlingException", Tag(span, "error.type"));
        Assert.Equal("ThrottlingException", span.StatusDescription);
        Assert.Equal(e.RequestId, Tag(span, "aws.request_id"));
        Assert.Null(span.GetTagItem("gen_ai.usage.input_tokens"));
        // The time to first byte ends at the throttling response's headers.
        Assert.Contains("promptgen.time_to_first_byte", telemetry.ChildrenOf(span).Select(p => p.OperationName));
        var duration = Assert.Single(telemetry.Points("gen_ai.client.operation.duration", "SummarizeAsync"));
        Assert.Equal("ThrottlingException", duration.Tags["error.type"]);
        Assert.Empty(telemetry.Points("gen_ai.client.token.usage", "SummarizeAsync"));
    }

    [Fact]
    public async Task A_model_answer_that_does_not_parse_is_an_error_after_a_parse_phase()
    {
        (BedrockEmulator emulator, BedrockClient bedrock) = await StartAsync();
        await using var _ = emulator;
        using var __ = bedrock;
        using var telemetry = new TelemetryHarness();
        emulator.Options.ResponseText = _ => "Not JSON at all";

        await Assert.ThrowsAsync<PromptOutputFormatException>(() => new TicketDeskClient(bedrock).ExtractAsync("Printer jam"));

        Activity span = Assert.Single(telemetry.CallSpans);
        Assert.Equal(typeof(PromptOutputFormatException).FullName, Tag(span, "error.type"));
        Assert.Equal("json", Tag(span, "gen_ai.output.type"));
        // Tokens were spent even though the answer was unusable.
        Assert.True((int)span.GetTagItem("gen_ai.usage.output_tokens")! > 0);
        Assert.Contains("promptgen.parse", telemetry.ChildrenOf(span).Select(p => p.OperationName));
        // The exception's message quotes the answer: without the content opt-in it stays off the span.
        Assert.Empty(span.Events);
        Assert.DoesNotContain("Not JSON", span.StatusDescription ?? string.Empty, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Retries_show_as_a_phase_and_an_attempt_count()
    {
        (BedrockEmulator emulator, BedrockClient bedrock) = await StartAsync(o => o.MaxAttempts = 3);
        await using var _ = emulator;
        using var __ = bedrock;
        using var telemetry = new TelemetryHarness();
        emulator.Faults.ServerError(503);

        await new TicketDeskClient(bedrock).SummarizeAsync("Wi-Fi is slow in room 12.");

        Activity span = Assert.Single(telemetry.CallSpans);
        Assert.Equal(2, span.GetTagItem("promptgen.attempts"));
        Assert.Equal(emulator.Requests[^1].RequestId, Tag(span, "aws.request_id"));
        List<string> phases = telemetry.ChildrenOf(span).OrderBy(p => p.StartTimeUtc).Select(p => p.OperationName).ToList();
        Assert.Equal(["promptgen.render", "promptgen.retries", "promptgen.time_to_first_byte", "promptgen.streaming", "promptgen.parse"], phases);
    }

    [Fact]
    public async Task Response_cache_hits_are_a_dimension_and_spend_no_tokens()
    {
        (BedrockEmulator emulator, BedrockClient bedrock) = await StartAsync();
        await using var _ = emulator;
        using var __ = bedrock;
        using ServiceProvider services = new ServiceCollection().AddHybridCache().Services.BuildServiceProvider();
        using var telemetry = new TelemetryHarness();
        var desk = new TicketDeskClient(bedrock, new PromptClientOptions { ResponseCache = services.GetRequiredService<HybridCache>() });

        PromptResult<Priority> first = await desk.PriorityAsync("Server room is on fire.");
        PromptResult<Priority> second = await desk.PriorityAsync("Server room is on fire.");

        Assert.Equal(Priority.High, second.Value);
        Assert.False(first.CacheHit);
        Assert.True(second.CacheHit);
        Assert.Single(emulator.Requests);
        IReadOnlyList<Activity> calls = telemetry.CallSpans;
        Assert.Equal(2, calls.Count);
        Assert.Equal(false, calls[0].GetTagItem("promptgen.cache_hit"));
        Assert.Equal(true, calls[1].GetTagItem("promptgen.cache_hit"));
        Assert.Equal("Classification", Tag(calls[1], "promptgen.use_case"));
        Assert.Null(calls[1].GetTagItem("gen_ai.usage.input_tokens"));
        Assert.Null(calls[1].GetTagItem("gen_ai.response.time_to_first_chunk"));
        Assert.Equal([first.StopReason.Value], (string[])calls[1].GetTagItem("gen_ai.response.finish_reasons")!);
        Assert.Equal(["promptgen.render", "promptgen.cache_lookup", "promptgen.parse"],
            telemetry.ChildrenOf(calls[1]).OrderBy(p => p.StartTimeUtc).Select(p => p.OperationName));
        Assert.Contains("promptgen.cache_lookup", telemetry.ChildrenOf(calls[0]).Select(p => p.OperationName));
        Assert.Contains("promptgen.time_to_first_byte", telemetry.ChildrenOf(calls[0]).Select(p => p.OperationName));

        var durations = telemetry.Points("gen_ai.client.operation.duration", "PriorityAsync");
        Assert.Equal(second.Latency.TotalSeconds, durations.Single(d => (bool)d.Tags["promptgen.cache_hit"]!).Point.GetHistogramSum());
        Assert.Equal(first.Latency.TotalSeconds, durations.Single(d => !(bool)d.Tags["promptgen.cache_hit"]!).Point.GetHistogramSum());
        Assert.All(telemetry.Points("gen_ai.client.token.usage", "PriorityAsync"), t => Assert.Equal(false, t.Tags["promptgen.cache_hit"]));
    }

    [Fact]
    public async Task Queue_wait_reported_by_a_decorating_client_is_a_phase_before_the_request()
    {
        (BedrockEmulator emulator, BedrockClient bedrock) = await StartAsync();
        await using var _ = emulator;
        using var __ = bedrock;
        using var telemetry = new TelemetryHarness();
        var queued = new QueueingClient(bedrock);

        await new TicketDeskClient(queued).SummarizeAsync("Lift stuck on 4.");
        await foreach (string piece in new TicketDeskClient(queued).StreamSummaryAsync("Lift stuck on 5."))
        {
        }

        Assert.Equal(2, queued.Waits);
        foreach (Activity span in telemetry.CallSpans)
        {
            List<Activity> phases = telemetry.ChildrenOf(span).OrderBy(p => p.StartTimeUtc).ToList();
            Assert.Equal(["promptgen.render", "promptgen.queue_wait", "promptgen.time_to_first_byte"], phases.Take(3).Select(p => p.OperationName));
            Activity wait = phases[1];
            Assert.True(wait.StartTimeUtc + wait.Duration <= phases[2].StartTimeUtc);
        }
    }

    /// <summary>What a concurrency limiter does: waits for a slot, says so through <see cref="PromptTiming"/>, then calls on.</summary>
    private sealed class QueueingClient(IBedrockClient inner) : IBedrockClient
    {
        public int Waits;

        public async Task<ConverseResponse> ConverseAsync(string modelId, ConverseRequest request, CancellationToken cancellationToken = default)
        {
            await WaitForSlotAsync(cancellationToken);
            return await inner.ConverseAsync(modelId, request, cancellationToken);
        }

        public async IAsyncEnumerable<ConverseStreamEvent> ConverseStreamAsync(
            string modelId, ConverseRequest request, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
        {
            await WaitForSlotAsync(cancellationToken);
            await foreach (ConverseStreamEvent e in inner.ConverseStreamAsync(modelId, request, cancellationToken))
            {
                yield return e;
            }
        }

        public Task<CountTokensResponse> CountTokensAsync(string modelId, CountTokensRequest request, CancellationToken cancellationToken = default) =>
            inner.CountTokensAsync(modelId, request, cancellationToken);

        private async Task WaitForSlotAsync(CancellationToken cancellationToken)
        {
            long start = Stopwatch.GetTimestamp();
            await Task.Delay(5, cancellationToken);
            PromptTiming.RecordQueueWait(start, Stopwatch.GetTimestamp());
            Interlocked.Increment(ref Waits);
        }
    }

    internal static string? Tag(Activity span, string name) => span.GetTagItem(name) as string;

    private static double[] Bounds(OpenTelemetry.Metrics.MetricPoint point)
    {
        var bounds = new List<double>();
        foreach (OpenTelemetry.Metrics.HistogramBucket bucket in point.GetHistogramBuckets())
        {
            bounds.Add(bucket.ExplicitBound);
        }

        return [.. bounds];
    }
}
