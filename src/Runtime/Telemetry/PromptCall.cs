using System.Buffers;
using System.Diagnostics;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using PromptGen.Generated;

namespace PromptGen.Telemetry;

/// <summary>
/// The telemetry of one prompt call: its <c>chat {model}</c> span, its GenAI metrics, its log messages, and the timeline
/// of where its time went (template render, response-cache lookup, queue wait, retries, time to first byte, streaming or
/// response body, parsing). Created only when something observes it (<see cref="Start"/> returns <see langword="null"/>
/// otherwise), so an unobserved call allocates nothing for telemetry.
/// </summary>
/// <remarks>
/// The phases become child spans of the call's span, created when the call ends with the start and end times measured
/// along the way. Child spans rather than span events: every trace viewer (Jaeger, Zipkin, Aspire, Application
/// Insights, Grafana Tempo) draws spans as a waterfall with durations, so the longest phase stands out at a glance,
/// while events are points in time that most viewers tuck away in a detail pane.
/// </remarks>
internal sealed class PromptCall
{
    private readonly PromptDefinition _definition;
    private readonly ILogger? _logger;
    private readonly bool _recordContent;
    private readonly bool _streamed;
    private readonly Activity? _activity;
    private readonly long _renderStarted;
    private readonly long _started;
    private readonly DateTimeOffset _originTime;
    private readonly long _originTimestamp;

    private long _cacheLookupStarted;
    private long _cacheLookupEnded;
    private long _queueStarted;
    private long _queueEnded;
    private long _firstAttempt;
    private long _lastAttempt;
    private int _attempts;
    private long _headers;
    private string? _requestId;
    private long _firstChunk;
    private long _lastChunk;
    private int _chunks;
    private long _responseEnded;
    private long _parseStarted;
    private long _parseEnded;
    private PromptAnswer? _answer;
    private bool _cacheHit;
    private TimeSpan? _timeToFirstChunk;
    private bool _finished;
    private readonly bool _timed;

    private PromptCall(PromptDefinition definition, ILogger? logger, bool recordContent, long renderStarted, bool streamed, string userPrompt)
    {
        _definition = definition;
        _logger = logger;
        _recordContent = recordContent;
        _streamed = streamed;
        _started = Stopwatch.GetTimestamp();
        // A render timestamp from another process or a bogus value would put the span in another century: ignore it.
        _renderStarted = renderStarted > 0 && renderStarted <= _started && Stopwatch.GetElapsedTime(renderStarted, _started) < TimeSpan.FromMinutes(1)
            ? renderStarted : 0;
        _originTimestamp = _renderStarted != 0 ? _renderStarted : _started;
        _originTime = DateTimeOffset.UtcNow - Stopwatch.GetElapsedTime(_originTimestamp, _started);

        if (PromptTelemetry.Source.HasListeners())
        {
            // The attributes a sampler may decide on are given at creation, as the conventions ask.
            KeyValuePair<string, object?>[] samplingTags =
            [
                new(PromptAttributes.OperationName, PromptAttributes.Chat),
                new(PromptAttributes.ProviderName, PromptAttributes.AwsBedrock),
                new(PromptAttributes.RequestModel, definition.ModelId),
            ];
            _activity = PromptTelemetry.Source.StartActivity(
                PromptAttributes.Chat + " " + definition.ModelId, ActivityKind.Client, parentContext: default, samplingTags, links: null, _originTime);
            if (_activity is { IsAllDataRequested: true })
            {
                SetRequestTags(_activity, definition, streamed);
                if (recordContent)
                {
                    if (definition.SystemPrompt is { } system)
                    {
                        _activity.SetTag(PromptAttributes.SystemInstructions, ContentJson.SystemInstructions(system));
                    }

                    _activity.SetTag(PromptAttributes.InputMessages, ContentJson.UserMessage(userPrompt));
                }
            }
        }

        if (recordContent && logger is not null)
        {
            PromptLog.Request(logger, definition.InterfaceName, definition.MethodName, definition.SystemPrompt, userPrompt);
        }

        // Only a recorded span or a debug log shows the breakdown: otherwise the lower layers need not report to this call.
        _timed = _activity is { IsAllDataRequested: true } || (logger is not null && logger.IsEnabled(LogLevel.Debug));
        if (_timed)
        {
            PromptTiming.Enter(this);
        }
    }

    /// <summary>
    /// Makes this the current call again on a flow that may not have inherited it (the response cache runs the Bedrock
    /// call of a miss on its own flow). Call it from an async method, so the change ends with it.
    /// </summary>
    public void Resume()
    {
        if (_timed && PromptTiming.Current != this)
        {
            PromptTiming.Enter(this);
        }

        if (_activity is not null && Activity.Current != _activity)
        {
            Activity.Current = _activity;
        }
    }

    /// <summary>Whether the call keeps the answer's text for <c>gen_ai.output.messages</c> and the content log.</summary>
    public bool RecordsContent => _recordContent;

    /// <summary>
    /// Starts observing a call on the current flow, or returns <see langword="null"/> (allocating nothing) when no trace
    /// listener, enabled instrument or logger would see it. Call it from the async method (or async iterator) that runs
    /// the call, so that <see cref="PromptTiming"/> reaches the layers below and no further.
    /// </summary>
    /// <param name="definition">The method's definition.</param>
    /// <param name="options">The client's options (logger factory, content opt-in).</param>
    /// <param name="logger">The client's logger, or <see langword="null"/>.</param>
    /// <param name="renderStarted">When the generated code began rendering the template (<see cref="Stopwatch.GetTimestamp"/>), or 0.</param>
    /// <param name="streamed">Whether the request goes out as ConverseStream.</param>
    /// <param name="userPrompt">The rendered user message (recorded only with <see cref="PromptClientOptions.RecordContent"/>).</param>
    public static PromptCall? Start(PromptDefinition definition, PromptClientOptions options, ILogger? logger, long renderStarted, bool streamed, string userPrompt)
    {
        if (!IsObserved(logger))
        {
            return null;
        }

        return new PromptCall(definition, logger, options.RecordContent, renderStarted, streamed, userPrompt);
    }

    /// <summary>Whether a call would be observed at all (checked before building anything for it).</summary>
    public static bool IsObserved(ILogger? logger) =>
        PromptTelemetry.IsObserved || (logger is not null && logger.IsEnabled(LogLevel.Warning));

    public void OnCacheLookupStarted() => _cacheLookupStarted = Stopwatch.GetTimestamp();

    public void OnCacheLookupEnded()
    {
        if (_cacheLookupStarted != 0 && _cacheLookupEnded == 0)
        {
            _cacheLookupEnded = Stopwatch.GetTimestamp();
        }
    }

    public void OnQueueWait(long start, long end)
    {
        if (end < start)
        {
            return;
        }

        // Several waits (one per attempt, say) show as one phase from the first wait's start to the last one's end.
        if (_queueStarted == 0)
        {
            _queueStarted = start;
        }

        _queueEnded = end;
    }

    public void OnAttemptStarted(long timestamp)
    {
        if (_attempts++ == 0)
        {
            _firstAttempt = timestamp;
        }

        _lastAttempt = timestamp;
    }

    public void OnResponseHeaders(long timestamp, string? requestId)
    {
        _headers = timestamp;
        _requestId = requestId;
    }

    /// <summary>A piece of generated content (text or tool input) arrived.</summary>
    public void OnChunk()
    {
        long now = Stopwatch.GetTimestamp();
        if (_chunks++ == 0)
        {
            _firstChunk = now;
        }
        else if (PromptTelemetry.TimePerOutputChunk.Enabled)
        {
            PromptTelemetry.TimePerOutputChunk.Record(Stopwatch.GetElapsedTime(_lastChunk, now).TotalSeconds, MetricTags(errorType: null));
        }

        _lastChunk = now;
    }

    /// <summary>The Bedrock response (body or stream) has been read to its end.</summary>
    public void OnResponseEnded() => _responseEnded = Stopwatch.GetTimestamp();

    public void OnParseStarted() => _parseStarted = Stopwatch.GetTimestamp();

    public void OnParseEnded() => _parseEnded = Stopwatch.GetTimestamp();

    /// <summary>The answer the call was served, from Bedrock or (<paramref name="cacheHit"/>) the response cache.</summary>
    public void OnAnswer(PromptAnswer answer, bool cacheHit)
    {
        _answer = answer;
        _cacheHit = cacheHit;
        if (cacheHit)
        {
            OnCacheLookupEnded();
        }
    }

    /// <summary>Ends a call that returned a value.</summary>
    /// <param name="timeToFirstChunk">The time to first token reported to the caller, for a call streamed from Bedrock.</param>
    /// <param name="latency">The latency reported to the caller.</param>
    public void Succeeded(TimeSpan? timeToFirstChunk, TimeSpan latency)
    {
        _timeToFirstChunk = timeToFirstChunk;
        Finish(error: null, latency);
    }

    /// <summary>Ends a streamed-to-the-caller call: its time to first chunk is measured from the start of the call.</summary>
    public void StreamEnded()
    {
        if (_chunks > 0 && !_cacheHit)
        {
            _timeToFirstChunk = Stopwatch.GetElapsedTime(_started, _firstChunk);
        }

        Finish(error: null, latency: null);
    }

    public void Failed(Exception error)
    {
        if (_chunks > 0 && !_cacheHit)
        {
            _timeToFirstChunk ??= Stopwatch.GetElapsedTime(_started, _firstChunk);
        }

        Finish(error, latency: null);
    }

    private void Finish(Exception? error, TimeSpan? latency)
    {
        if (_finished)
        {
            return;
        }

        _finished = true;
        long end = Stopwatch.GetTimestamp();
        TimeSpan duration = latency ?? Stopwatch.GetElapsedTime(_started, end);
        string? errorType = error is null ? null : ErrorTypeOf(error);
        PromptUsage? usage = _answer is not null && !_cacheHit ? _answer.Usage : null;

        if (_activity is { } activity)
        {
            // Ended now, not at Stop: exporting the phase spans below (synchronous with a simple processor) is not the call's time.
            activity.SetEndTime(TimeOf(end).UtcDateTime);
            if (activity.IsAllDataRequested)
            {
                SetResponseTags(activity, usage, error, errorType);
                EmitPhases(activity, end);
            }

            activity.Stop();
        }

        RecordMetrics(duration, usage, errorType);
        Log(duration, usage, error, errorType, end);
    }

    private static void SetRequestTags(Activity activity, PromptDefinition definition, bool streamed)
    {
        activity.SetTag(PromptAttributes.OutputType, definition.OutputKind == PromptOutputKind.Text ? "text" : "json");
        if (definition.Temperature is float temperature)
        {
            activity.SetTag(PromptAttributes.RequestTemperature, Widen(temperature));
        }

        if (definition.TopP is float topP)
        {
            activity.SetTag(PromptAttributes.RequestTopP, Widen(topP));
        }

        if (definition.TopK is int topK)
        {
            activity.SetTag(PromptAttributes.RequestTopK, (double)topK);
        }

        if (definition.MaxTokens > 0)
        {
            activity.SetTag(PromptAttributes.RequestMaxTokens, definition.MaxTokens);
        }

        if (definition.StopSequences is { Count: > 0 } stops)
        {
            string[] copy = new string[stops.Count];
            for (int i = 0; i < copy.Length; i++)
            {
                copy[i] = stops[i];
            }

            activity.SetTag(PromptAttributes.RequestStopSequences, copy);
        }

        if (streamed)
        {
            activity.SetTag(PromptAttributes.RequestStream, true);
        }

        activity.SetTag(PromptAttributes.Interface, definition.InterfaceName);
        activity.SetTag(PromptAttributes.Method, definition.MethodName);
        activity.SetTag(PromptAttributes.UseCase, definition.UseCase.ToString());
        if (definition.Variant is { } variant)
        {
            activity.SetTag(PromptAttributes.Variant, variant);
        }
    }

    private void SetResponseTags(Activity activity, PromptUsage? usage, Exception? error, string? errorType)
    {
        activity.SetTag(PromptAttributes.CacheHit, _cacheHit);
        if (_answer is { } answer)
        {
            if (answer.StopReason.Value.Length > 0)
            {
                activity.SetTag(PromptAttributes.ResponseFinishReasons, new[] { answer.StopReason.Value });
            }

            if (answer.LatencyMode is { } mode)
            {
                activity.SetTag(PromptAttributes.LatencyMode, mode);
            }

            if (_recordContent)
            {
                activity.SetTag(PromptAttributes.OutputMessages, ContentJson.AssistantMessage(answer, _definition.ToolName));
            }
        }

        if (usage is not null)
        {
            // The conventions count every input token, cached or not; Bedrock's inputTokens excludes cache reads and writes.
            activity.SetTag(PromptAttributes.UsageInputTokens, usage.InputTokens + usage.CacheReadInputTokens + usage.CacheWriteInputTokens);
            activity.SetTag(PromptAttributes.UsageOutputTokens, usage.OutputTokens);
            activity.SetTag(PromptAttributes.UsageCacheReadInputTokens, usage.CacheReadInputTokens);
            activity.SetTag(PromptAttributes.UsageCacheCreationInputTokens, usage.CacheWriteInputTokens);
        }

        if (_timeToFirstChunk is { } ttfc)
        {
            activity.SetTag(PromptAttributes.ResponseTimeToFirstChunk, ttfc.TotalSeconds);
        }

        if (_requestId is { } requestId)
        {
            activity.SetTag(PromptAttributes.AwsRequestId, requestId);
        }

        if (_attempts > 1)
        {
            activity.SetTag(PromptAttributes.Attempts, _attempts);
        }

        if (error is not null)
        {
            activity.SetTag(PromptAttributes.ErrorType, errorType);
            // An exception's message can quote the model's answer (PromptOutputFormatException does): content, so opt-in.
            activity.SetStatus(ActivityStatusCode.Error, _recordContent ? error.Message : errorType);
            if (_recordContent)
            {
                activity.AddException(error);
            }
        }
    }

    private void EmitPhases(Activity parent, long end)
    {
        Phase(parent, "promptgen.render", _renderStarted, _started);
        Phase(parent, "promptgen.cache_lookup", _cacheLookupStarted, _cacheLookupEnded != 0 ? _cacheLookupEnded : end);
        Phase(parent, "promptgen.queue_wait", _queueStarted, _queueEnded);
        if (_attempts > 1)
        {
            Phase(parent, "promptgen.retries", _firstAttempt, _lastAttempt);
        }

        bool headersOfLastAttempt = _headers != 0 && _headers >= _lastAttempt;
        Phase(parent, "promptgen.time_to_first_byte", _lastAttempt, headersOfLastAttempt ? _headers : end);
        if (headersOfLastAttempt)
        {
            Phase(parent, _streamed ? "promptgen.streaming" : "promptgen.response_body", _headers, _responseEnded >= _headers ? _responseEnded : end);
        }

        Phase(parent, "promptgen.parse", _parseStarted, _parseEnded >= _parseStarted ? _parseEnded : end);
    }

    private void Phase(Activity parent, string name, long start, long end)
    {
        if (start == 0 || end < start)
        {
            return;
        }

        Activity? phase = PromptTelemetry.Source.StartActivity(name, ActivityKind.Internal, parent.Context, tags: null, links: null, TimeOf(start));
        if (phase is null)
        {
            return;
        }

        // Activity.Stop replaces a zero duration with "now": keep at least one tick so the measured end stays.
        DateTime endTime = TimeOf(end).UtcDateTime;
        phase.SetEndTime(endTime > phase.StartTimeUtc ? endTime : phase.StartTimeUtc.AddTicks(1));
        phase.Stop();
    }

    private DateTimeOffset TimeOf(long timestamp) => _originTime + Stopwatch.GetElapsedTime(_originTimestamp, timestamp);

    private void RecordMetrics(TimeSpan duration, PromptUsage? usage, string? errorType)
    {
        if (PromptTelemetry.OperationDuration.Enabled)
        {
            PromptTelemetry.OperationDuration.Record(duration.TotalSeconds, MetricTags(errorType));
        }

        if (usage is not null && PromptTelemetry.TokenUsage.Enabled)
        {
            TagList tags = MetricTags(errorType);
            TagList input = tags;
            input.Add(PromptAttributes.TokenType, PromptAttributes.Input);
            PromptTelemetry.TokenUsage.Record(usage.InputTokens + usage.CacheReadInputTokens + usage.CacheWriteInputTokens, input);
            TagList output = tags;
            output.Add(PromptAttributes.TokenType, PromptAttributes.Output);
            PromptTelemetry.TokenUsage.Record(usage.OutputTokens, output);
        }

        if (_timeToFirstChunk is { } ttfc && PromptTelemetry.TimeToFirstChunk.Enabled)
        {
            PromptTelemetry.TimeToFirstChunk.Record(ttfc.TotalSeconds, MetricTags(errorType));
        }
    }

    private TagList MetricTags(string? errorType)
    {
        var tags = new TagList
        {
            { PromptAttributes.OperationName, PromptAttributes.Chat },
            { PromptAttributes.ProviderName, PromptAttributes.AwsBedrock },
            { PromptAttributes.RequestModel, _definition.ModelId },
            { PromptAttributes.Interface, _definition.InterfaceName },
            { PromptAttributes.Method, _definition.MethodName },
            { PromptAttributes.UseCase, _definition.UseCase.ToString() },
            { PromptAttributes.CacheHit, _cacheHit },
        };
        if (_definition.Variant is { } variant)
        {
            tags.Add(PromptAttributes.Variant, variant);
        }

        if (errorType is not null)
        {
            tags.Add(PromptAttributes.ErrorType, errorType);
        }

        return tags;
    }

    private void Log(TimeSpan duration, PromptUsage? usage, Exception? error, string? errorType, long end)
    {
        if (_logger is not { } logger)
        {
            return;
        }

        string iface = _definition.InterfaceName;
        string method = _definition.MethodName;
        double ms = duration.TotalMilliseconds;
        if (error is null)
        {
            if (logger.IsEnabled(LogLevel.Debug))
            {
                PromptLog.Completed(logger, iface, method, _definition.ModelId, ms, usage?.InputTokens ?? 0, usage?.OutputTokens ?? 0,
                    _answer?.StopReason.Value ?? string.Empty, _cacheHit, _timeToFirstChunk?.TotalMilliseconds);
                PromptLog.Breakdown(logger, iface, method,
                    Milliseconds(_renderStarted, _started), Milliseconds(_cacheLookupStarted, _cacheLookupEnded),
                    Milliseconds(_queueStarted, _queueEnded), _attempts > 1 ? Milliseconds(_firstAttempt, _lastAttempt) : null,
                    Milliseconds(_lastAttempt, _headers), Milliseconds(_headers, _responseEnded != 0 ? _responseEnded : end),
                    Milliseconds(_parseStarted, _parseEnded));
            }

            if (_recordContent && _answer is { } answer)
            {
                PromptLog.Response(logger, iface, method, answer.ToolInputJson ?? answer.Text);
            }
        }
        else if (error is OperationCanceledException)
        {
            PromptLog.Cancelled(logger, iface, method, _definition.ModelId, ms);
        }
        else
        {
            PromptLog.Failed(logger, iface, method, _definition.ModelId, ms, errorType!, (error as BedrockException)?.RequestId, _recordContent ? error : null);
        }
    }

    private static double? Milliseconds(long start, long end) =>
        start != 0 && end >= start ? Math.Round(Stopwatch.GetElapsedTime(start, end).TotalMilliseconds, 3) : null;

    /// <summary>The low-cardinality <c>error.type</c>: Bedrock's error type (<c>ThrottlingException</c>), else the exception's type name.</summary>
    internal static string ErrorTypeOf(Exception error) =>
        error is BedrockException { ErrorType.Length: > 0 } bedrock ? bedrock.ErrorType : error.GetType().FullName ?? error.GetType().Name;

    // 0.3f widened is 0.30000001192092896; the value the user wrote had at most a few decimals.
    private static double Widen(float value) => Math.Round(value, 6);

    /// <summary>Content attributes in the JSON shapes of the conventions' input/output message schemas.</summary>
    private static class ContentJson
    {
        public static string SystemInstructions(string text) => Write(text, static (w, t) =>
        {
            w.WriteStartArray();
            TextPart(w, t);
            w.WriteEndArray();
        });

        public static string UserMessage(string text) => Write(text, static (w, t) =>
        {
            w.WriteStartArray();
            w.WriteStartObject();
            w.WriteString("role", "user");
            w.WriteStartArray("parts");
            TextPart(w, t);
            w.WriteEndArray();
            w.WriteEndObject();
            w.WriteEndArray();
        });

        public static string AssistantMessage(PromptAnswer answer, string toolName) => Write((answer, toolName), static (w, state) =>
        {
            w.WriteStartArray();
            w.WriteStartObject();
            w.WriteString("role", "assistant");
            w.WriteStartArray("parts");
            if (state.answer.Text.Length > 0)
            {
                TextPart(w, state.answer.Text);
            }

            if (state.answer.ToolCalled)
            {
                w.WriteStartObject();
                w.WriteString("type", "tool_call");
                w.WriteString("name", state.toolName);
                w.WritePropertyName("arguments");
                WriteJsonOrString(w, state.answer.ToolInputJson ?? "null");
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteString("finish_reason", state.answer.StopReason.Value);
            w.WriteEndObject();
            w.WriteEndArray();
        });

        // An attribute value is not HTML: keep quotes, angle brackets and non-ASCII text readable.
        private static readonly JsonWriterOptions s_writerOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

        private static void TextPart(Utf8JsonWriter w, string text)
        {
            w.WriteStartObject();
            w.WriteString("type", "text");
            w.WriteString("content", text);
            w.WriteEndObject();
        }

        private static void WriteJsonOrString(Utf8JsonWriter w, string json)
        {
            try
            {
                using JsonDocument document = JsonDocument.Parse(json);
                document.RootElement.WriteTo(w);
            }
            catch (JsonException)
            {
                w.WriteStringValue(json);
            }
        }

        private static string Write<TState>(TState state, Action<Utf8JsonWriter, TState> write)
        {
            var buffer = new ArrayBufferWriter<byte>(256);
            using (var writer = new Utf8JsonWriter(buffer, s_writerOptions))
            {
                write(writer, state);
            }

            return Encoding.UTF8.GetString(buffer.WrittenSpan);
        }
    }
}
