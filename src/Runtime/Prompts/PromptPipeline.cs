using System.Buffers;
using System.ComponentModel;
using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Caching.Hybrid;
using Microsoft.Extensions.Logging;
using PromptGen.Telemetry;

namespace PromptGen.Generated;

/// <summary>
/// The path every call of a generated prompt client takes: the response cache, the Bedrock call (Converse, or
/// ConverseStream when the time to first token is wanted), and timing. A generated client holds one, built from the
/// <see cref="IBedrockClient"/> and <see cref="PromptClientOptions"/> its constructor receives. Public for generated code
/// only; not meant to be used by hand (its shape may change with the generator).
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed class PromptPipeline
{
    private static readonly HybridCacheEntryFlags LookupOnly =
        HybridCacheEntryFlags.DisableUnderlyingData | HybridCacheEntryFlags.DisableLocalCacheWrite | HybridCacheEntryFlags.DisableDistributedCacheWrite;

    /// <summary>Every response-cache entry carries this tag, so <c>cache.RemoveByTagAsync("promptgen")</c> drops them all.</summary>
    private static readonly string[] EntryTags = [PromptResponseCache.Tag];

    private static readonly HybridCacheEntryOptions LookupOnlyOptions = new() { Flags = LookupOnly };

    private HybridCacheEntryOptions? _lastEntryOptions;

    /// <summary>Creates the pipeline of one generated client.</summary>
    /// <param name="bedrock">The Bedrock client calls go to.</param>
    /// <param name="options">The response cache, logging and content settings; <see langword="null"/> for <see cref="PromptClientOptions.Default"/>.</param>
    public PromptPipeline(IBedrockClient bedrock, PromptClientOptions? options = null)
    {
        Bedrock = bedrock ?? throw new ArgumentNullException(nameof(bedrock));
        Options = options ?? PromptClientOptions.Default;
        Logger = PromptLog.CreateLogger(Options.LoggerFactory);
    }

    /// <summary>The Bedrock client calls go to.</summary>
    public IBedrockClient Bedrock { get; }

    /// <summary>The options the client was created with.</summary>
    public PromptClientOptions Options { get; }

    /// <summary>The logger from <see cref="PromptClientOptions.LoggerFactory"/>, created once per client.</summary>
    internal ILogger? Logger { get; }

    /// <summary>
    /// Answers one call and reads the answer with <paramref name="read"/>: from the response cache when the definition
    /// caches responses and the cache holds the request, else from Bedrock (streamed when <paramref name="stream"/>, to
    /// measure the time to first token). A fresh answer is cached only after <paramref name="read"/> accepted it, so a
    /// malformed or truncated answer is never served again.
    /// </summary>
    internal Task<PromptOutcome<T>> RunAsync<T>(
        PromptDefinition definition, string userPrompt, int staticPrefixLength, long renderStarted, bool stream,
        Func<PromptDefinition, PromptAnswer, T> read, CancellationToken cancellationToken) =>
        // Unobserved calls skip the telemetry layer and its state machine.
        PromptCall.IsObserved(Logger)
            ? RunObservedAsync(definition, userPrompt, staticPrefixLength, renderStarted, stream, read, cancellationToken)
            : RunCoreAsync(definition, userPrompt, staticPrefixLength, stream, read, call: null, cancellationToken);

    /// <summary>Runs a call with telemetry; an async method of its own, so the current call set for the layers below ends with it.</summary>
    private async Task<PromptOutcome<T>> RunObservedAsync<T>(
        PromptDefinition definition, string userPrompt, int staticPrefixLength, long renderStarted, bool stream,
        Func<PromptDefinition, PromptAnswer, T> read, CancellationToken cancellationToken)
    {
        PromptCall? call = PromptCall.Start(definition, Options, Logger, renderStarted, stream, userPrompt);
        try
        {
            PromptOutcome<T> outcome = await RunCoreAsync(definition, userPrompt, staticPrefixLength, stream, read, call, cancellationToken).ConfigureAwait(false);
            call?.Succeeded(outcome.CacheHit ? null : outcome.TimeToFirstToken, outcome.Latency);
            return outcome;
        }
        catch (Exception e)
        {
            call?.Failed(e);
            throw;
        }
    }

    private async Task<PromptOutcome<T>> RunCoreAsync<T>(
        PromptDefinition definition, string userPrompt, int staticPrefixLength, bool stream,
        Func<PromptDefinition, PromptAnswer, T> read, PromptCall? call, CancellationToken cancellationToken)
    {
        long start = Stopwatch.GetTimestamp();
        HybridCache? cache = definition.CacheResponse ? Options.ResponseCache : null;
        if (cache is null)
        {
            ConverseRequest request = PromptRunner.BuildRequest(definition, userPrompt, staticPrefixLength);
            (PromptAnswer answer, TimeSpan? firstToken) = await CallAsync(definition, request, stream, start, call, cancellationToken).ConfigureAwait(false);
            call?.OnAnswer(answer, cacheHit: false);
            return new PromptOutcome<T>(Read(read, definition, answer, call), answer, Stopwatch.GetElapsedTime(start), firstToken, CacheHit: false);
        }

        // The request is built only on a miss: a hit needs the key alone.
        var miss = new CacheMiss<T>(this, definition, userPrompt, staticPrefixLength, stream, start, read, call);
        call?.OnCacheLookupStarted();
        PromptAnswer cached;
        try
        {
            cached = await cache.GetOrCreateAsync(
                ResponseCacheKey.For(definition, userPrompt),
                miss,
                static (state, token) => state.CallAsync(token),
                EntryOptions(definition),
                EntryTags,
                cancellationToken).ConfigureAwait(false);
        }
        catch (UncacheableAnswerException uncacheable)
        {
            // The answer is served to this caller (and to any that joined its call) but not kept.
            cached = uncacheable.Answer;
        }

        call?.OnAnswer(cached, cacheHit: !miss.Called);
        TimeSpan latency = Stopwatch.GetElapsedTime(start);
        // A caller that joined another caller's call (stampede protection) made no Bedrock request of its own: a hit.
        return miss.Called
            ? new PromptOutcome<T>(miss.Value, cached, latency, miss.FirstToken, CacheHit: false)
            : new PromptOutcome<T>(Read(read, definition, cached, call), cached, latency, latency, CacheHit: true);
    }

    /// <summary>Reads the value out of an answer, timing it as the call's parse phase.</summary>
    private static T Read<T>(Func<PromptDefinition, PromptAnswer, T> read, PromptDefinition definition, PromptAnswer answer, PromptCall? call)
    {
        call?.OnParseStarted();
        T value = read(definition, answer);
        call?.OnParseEnded();
        return value;
    }

    /// <summary>
    /// Streams the answer's text. A cached answer (when the definition caches responses) is replayed as one piece; a
    /// streamed answer that completed is cached for the next caller.
    /// </summary>
    internal IAsyncEnumerable<string> StreamTextAsync(
        PromptDefinition definition, ConverseRequest request, string userPrompt, long renderStarted, CancellationToken cancellationToken) =>
        // Unobserved calls take the plain iterator: no wrapper, nothing allocated for telemetry.
        PromptCall.IsObserved(Logger)
            ? StreamObservedAsync(definition, request, userPrompt, renderStarted, cancellationToken)
            : StreamCoreAsync(definition, request, userPrompt, call: null, cancellationToken);

    /// <summary>
    /// Streams with telemetry. The call starts at the first <c>MoveNextAsync</c> (a sequence never enumerated is no call) and
    /// ends when the sequence completes, fails or is disposed early.
    /// </summary>
    private async IAsyncEnumerable<string> StreamObservedAsync(
        PromptDefinition definition, ConverseRequest request, string userPrompt, long renderStarted, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        PromptCall? call = PromptCall.Start(definition, Options, Logger, renderStarted, streamed: true, userPrompt);
        IAsyncEnumerator<string> pieces = StreamCoreAsync(definition, request, userPrompt, call, cancellationToken).GetAsyncEnumerator(cancellationToken);
        try
        {
            while (true)
            {
                bool more;
                try
                {
                    more = await pieces.MoveNextAsync().ConfigureAwait(false);
                }
                catch (Exception e)
                {
                    call?.Failed(e);
                    throw;
                }

                if (!more)
                {
                    break;
                }

                yield return pieces.Current;
            }
        }
        finally
        {
            // Also reached when the caller stops early: the span ends with what was seen.
            call?.StreamEnded();
            await pieces.DisposeAsync().ConfigureAwait(false);
        }
    }

    private async IAsyncEnumerable<string> StreamCoreAsync(
        PromptDefinition definition, ConverseRequest request, string userPrompt, PromptCall? call, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        HybridCache? cache = definition.CacheResponse ? Options.ResponseCache : null;
        string? key = null;
        if (cache is not null)
        {
            key = ResponseCacheKey.For(definition, userPrompt);
            call?.OnCacheLookupStarted();
            PromptAnswer? cached = await cache.GetOrCreateAsync<PromptAnswer?>(
                key, static _ => ValueTask.FromResult<PromptAnswer?>(null), LookupOnlyOptions,
                cancellationToken: cancellationToken).ConfigureAwait(false);
            call?.OnCacheLookupEnded();
            if (cached is not null)
            {
                call?.OnAnswer(cached, cacheHit: true);
                if (cached.Text.Length > 0)
                {
                    yield return cached.Text;
                }

                yield break;
            }
        }

        StringBuilder? text = cache is null && call?.RecordsContent != true ? null : new StringBuilder();
        StopReason stopReason = default;
        TokenUsage? usage = null;
        string? latencyMode = null;
        await foreach (ConverseStreamEvent e in Bedrock.ConverseStreamAsync(definition.ModelId, request, cancellationToken).WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            switch (e)
            {
                case ContentBlockDeltaEvent { Delta.Text: { Length: > 0 } piece }:
                    call?.OnChunk();
                    text?.Append(piece);
                    yield return piece;
                    break;
                case MessageStopEvent stop:
                    stopReason = stop.StopReason;
                    break;
                case MetadataEvent metadata:
                    usage = metadata.Usage;
                    latencyMode = metadata.PerformanceConfig?.Latency;
                    break;
            }
        }

        if (call is null && cache is null)
        {
            yield break;
        }

        // One answer serves both telemetry and the cache.
        var answer = new PromptAnswer { Text = text?.ToString() ?? string.Empty, StopReason = stopReason, Usage = PromptUsage.From(usage), LatencyMode = latencyMode };
        if (call is not null)
        {
            call.OnResponseEnded();
            call.OnAnswer(answer, cacheHit: false);
        }

        if (cache is not null && answer.IsCacheable)
        {
            await cache.SetAsync(key!, answer, EntryOptions(definition), EntryTags, cancellationToken).ConfigureAwait(false);
        }
    }

    private HybridCacheEntryOptions EntryOptions(PromptDefinition definition)
    {
        // Entry options are immutable, and nearly every call of a pipeline uses the same TTL: reuse the last ones.
        TimeSpan ttl = definition.ResponseCacheTtl ?? Options.ResponseCacheDuration;
        HybridCacheEntryOptions? last = _lastEntryOptions;
        if (last is null || last.Expiration != ttl)
        {
            last = new HybridCacheEntryOptions { Expiration = ttl, LocalCacheExpiration = ttl };
            _lastEntryOptions = last;
        }

        return last;
    }

    /// <summary>One Bedrock call: Converse, or ConverseStream collected into one answer with its time to first token.</summary>
    private async Task<(PromptAnswer Answer, TimeSpan? FirstToken)> CallAsync(
        PromptDefinition definition, ConverseRequest request, bool stream, long start, PromptCall? call, CancellationToken cancellationToken)
    {
        call?.OnCacheLookupEnded();
        if (!stream)
        {
            ConverseResponse response = await Bedrock.ConverseAsync(definition.ModelId, request, cancellationToken).ConfigureAwait(false);
            call?.OnResponseEnded();
            return (PromptAnswer.From(response, definition.ToolName), null);
        }

        TimeSpan? firstToken = null;
        StringBuilder? text = null;
        List<(int Index, string? Name, StringBuilder Input)>? tools = null;
        StopReason stopReason = default;
        TokenUsage? usage = null;
        string? latencyMode = null;
        await foreach (ConverseStreamEvent e in Bedrock.ConverseStreamAsync(definition.ModelId, request, cancellationToken).WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            switch (e)
            {
                case ContentBlockStartEvent { Start.ToolUse: { } toolUse } started:
                    (tools ??= new()).Add((started.ContentBlockIndex, toolUse.Name, new StringBuilder()));
                    break;
                case ContentBlockDeltaEvent { Delta: { } delta } piece:
                    if (delta.Text is { Length: > 0 } t)
                    {
                        call?.OnChunk();
                        firstToken ??= Stopwatch.GetElapsedTime(start);
                        (text ??= new StringBuilder()).Append(t);
                    }
                    else if (delta.ToolUse is { } toolDelta)
                    {
                        call?.OnChunk();
                        firstToken ??= Stopwatch.GetElapsedTime(start);
                        tools ??= new();
                        int at = tools.FindIndex(x => x.Index == piece.ContentBlockIndex);
                        if (at < 0)
                        {
                            tools.Add((piece.ContentBlockIndex, null, new StringBuilder()));
                            at = tools.Count - 1;
                        }

                        tools[at].Input.Append(toolDelta.Input);
                    }

                    break;
                case MessageStopEvent stop:
                    stopReason = stop.StopReason;
                    break;
                case MetadataEvent metadata:
                    usage = metadata.Usage;
                    latencyMode = metadata.PerformanceConfig?.Latency;
                    break;
            }
        }

        call?.OnResponseEnded();
        string? toolInput = null;
        if (tools is { Count: > 0 })
        {
            int chosen = tools.FindIndex(x => string.Equals(x.Name, definition.ToolName, StringComparison.Ordinal));
            toolInput = tools[chosen < 0 ? 0 : chosen].Input.ToString();
        }

        var answer = new PromptAnswer
        {
            Text = text?.ToString() ?? string.Empty,
            ToolCalled = toolInput is not null,
            ToolInputJson = toolInput,
            StopReason = stopReason,
            Usage = PromptUsage.From(usage),
            LatencyMode = latencyMode,
        };
        return (answer, firstToken);
    }

    /// <summary>The state of a cache miss: makes the call, checks the answer reads, and keeps the value so it is read once.</summary>
    private sealed class CacheMiss<T>(
        PromptPipeline pipeline, PromptDefinition definition, string userPrompt, int staticPrefixLength, bool stream, long start,
        Func<PromptDefinition, PromptAnswer, T> read, PromptCall? call)
    {
        public bool Called { get; private set; }

        public T Value { get; private set; } = default!;

        public TimeSpan? FirstToken { get; private set; }

        public async ValueTask<PromptAnswer> CallAsync(CancellationToken cancellationToken)
        {
            call?.Resume();
            ConverseRequest request = PromptRunner.BuildRequest(definition, userPrompt, staticPrefixLength);
            (PromptAnswer answer, TimeSpan? firstToken) = await pipeline.CallAsync(definition, request, stream, start, call, cancellationToken).ConfigureAwait(false);
            // Reading first means an answer that does not read (truncated, malformed) throws here and is never cached.
            call?.OnAnswer(answer, cacheHit: false);
            Value = Read(read, definition, answer, call);
            FirstToken = firstToken;
            Called = true;
            if (!answer.IsCacheable)
            {
                // HybridCache keeps whatever the factory returns; throwing is the one way to serve without keeping.
                throw new UncacheableAnswerException(answer);
            }

            return answer;
        }
    }

    /// <summary>Carries an answer that read but must not be cached (see <see cref="PromptAnswer.IsCacheable"/>) out of the cache's factory.</summary>
    private sealed class UncacheableAnswerException(PromptAnswer answer) : Exception("The answer is not cacheable.")
    {
        public PromptAnswer Answer { get; } = answer;
    }
}

/// <summary>The outcome of one call through <see cref="PromptPipeline"/>: the value, the answer it came from, and how it was served.</summary>
internal readonly record struct PromptOutcome<T>(T Value, PromptAnswer Answer, TimeSpan Latency, TimeSpan? TimeToFirstToken, bool CacheHit);

/// <summary>
/// Serializes cached answers for the response cache's distributed tier (Redis or any <c>IDistributedCache</c>) with
/// source-generated JSON, so the cache stays trimming- and AOT-safe. Register it with
/// <c>services.AddHybridCache().AddSerializer&lt;…&gt;</c>, as <c>AddPromptGen</c> does.
/// </summary>
internal sealed class PromptAnswerSerializer : IHybridCacheSerializer<PromptAnswer>
{
    public PromptAnswer Deserialize(ReadOnlySequence<byte> source)
    {
        var reader = new Utf8JsonReader(source);
        return JsonSerializer.Deserialize(ref reader, PromptCacheJsonContext.Default.PromptAnswer)
            ?? throw new JsonException("A cached PromptGen response was null.");
    }

    public void Serialize(PromptAnswer value, IBufferWriter<byte> target)
    {
        using var writer = new Utf8JsonWriter(target);
        JsonSerializer.Serialize(writer, value, PromptCacheJsonContext.Default.PromptAnswer);
    }
}
