using System.Buffers;
using System.ComponentModel;
using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Caching.Hybrid;

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

    /// <summary>Creates the pipeline of one generated client.</summary>
    /// <param name="bedrock">The Bedrock client calls go to.</param>
    /// <param name="options">The response cache, logging and content settings; <see langword="null"/> for <see cref="PromptClientOptions.Default"/>.</param>
    public PromptPipeline(IBedrockClient bedrock, PromptClientOptions? options = null)
    {
        Bedrock = bedrock ?? throw new ArgumentNullException(nameof(bedrock));
        Options = options ?? PromptClientOptions.Default;
    }

    /// <summary>The Bedrock client calls go to.</summary>
    public IBedrockClient Bedrock { get; }

    /// <summary>The options the client was created with.</summary>
    public PromptClientOptions Options { get; }

    /// <summary>
    /// Answers one call and reads the answer with <paramref name="read"/>: from the response cache when the definition
    /// caches responses and the cache holds the request, else from Bedrock (streamed when <paramref name="stream"/>, to
    /// measure the time to first token). A fresh answer is cached only after <paramref name="read"/> accepted it, so a
    /// malformed or truncated answer is never served again.
    /// </summary>
    internal async Task<PromptOutcome<T>> RunAsync<T>(
        PromptDefinition definition, string userPrompt, int staticPrefixLength, bool stream,
        Func<PromptDefinition, PromptAnswer, T> read, CancellationToken cancellationToken)
    {
        ConverseRequest request = PromptRunner.BuildRequest(definition, userPrompt, staticPrefixLength);
        long start = Stopwatch.GetTimestamp();
        HybridCache? cache = definition.CacheResponse ? Options.ResponseCache : null;
        if (cache is null)
        {
            (PromptAnswer answer, TimeSpan? firstToken) = await CallAsync(definition, request, stream, start, cancellationToken).ConfigureAwait(false);
            return new PromptOutcome<T>(read(definition, answer), answer, Stopwatch.GetElapsedTime(start), firstToken, CacheHit: false);
        }

        var miss = new CacheMiss<T>(this, definition, request, stream, start, read);
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

        TimeSpan latency = Stopwatch.GetElapsedTime(start);
        // A caller that joined another caller's call (stampede protection) made no Bedrock request of its own: a hit.
        return miss.Called
            ? new PromptOutcome<T>(miss.Value, cached, latency, miss.FirstToken, CacheHit: false)
            : new PromptOutcome<T>(read(definition, cached), cached, latency, latency, CacheHit: true);
    }

    /// <summary>
    /// Streams the answer's text. A cached answer (when the definition caches responses) is replayed as one piece; a
    /// streamed answer that completed is cached for the next caller.
    /// </summary>
    internal async IAsyncEnumerable<string> StreamTextAsync(
        PromptDefinition definition, ConverseRequest request, string userPrompt, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        HybridCache? cache = definition.CacheResponse ? Options.ResponseCache : null;
        string? key = null;
        if (cache is not null)
        {
            key = ResponseCacheKey.For(definition, userPrompt);
            PromptAnswer? cached = await cache.GetOrCreateAsync<PromptAnswer?>(
                key, static _ => ValueTask.FromResult<PromptAnswer?>(null), new HybridCacheEntryOptions { Flags = LookupOnly },
                cancellationToken: cancellationToken).ConfigureAwait(false);
            if (cached is not null)
            {
                if (cached.Text.Length > 0)
                {
                    yield return cached.Text;
                }

                yield break;
            }
        }

        StringBuilder? text = cache is null ? null : new StringBuilder();
        StopReason stopReason = default;
        TokenUsage? usage = null;
        string? latencyMode = null;
        await foreach (ConverseStreamEvent e in Bedrock.ConverseStreamAsync(definition.ModelId, request, cancellationToken).WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            switch (e)
            {
                case ContentBlockDeltaEvent { Delta.Text: { Length: > 0 } piece }:
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

        if (cache is not null)
        {
            var answer = new PromptAnswer { Text = text!.ToString(), StopReason = stopReason, Usage = PromptUsage.From(usage), LatencyMode = latencyMode };
            if (answer.IsCacheable)
            {
                await cache.SetAsync(key!, answer, EntryOptions(definition), EntryTags, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private HybridCacheEntryOptions EntryOptions(PromptDefinition definition)
    {
        TimeSpan ttl = definition.ResponseCacheTtl ?? Options.ResponseCacheDuration;
        return new HybridCacheEntryOptions { Expiration = ttl, LocalCacheExpiration = ttl };
    }

    /// <summary>One Bedrock call: Converse, or ConverseStream collected into one answer with its time to first token.</summary>
    private async Task<(PromptAnswer Answer, TimeSpan? FirstToken)> CallAsync(
        PromptDefinition definition, ConverseRequest request, bool stream, long start, CancellationToken cancellationToken)
    {
        if (!stream)
        {
            ConverseResponse response = await Bedrock.ConverseAsync(definition.ModelId, request, cancellationToken).ConfigureAwait(false);
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
                        firstToken ??= Stopwatch.GetElapsedTime(start);
                        (text ??= new StringBuilder()).Append(t);
                    }
                    else if (delta.ToolUse is { } toolDelta)
                    {
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
        PromptPipeline pipeline, PromptDefinition definition, ConverseRequest request, bool stream, long start, Func<PromptDefinition, PromptAnswer, T> read)
    {
        public bool Called { get; private set; }

        public T Value { get; private set; } = default!;

        public TimeSpan? FirstToken { get; private set; }

        public async ValueTask<PromptAnswer> CallAsync(CancellationToken cancellationToken)
        {
            (PromptAnswer answer, TimeSpan? firstToken) = await pipeline.CallAsync(definition, request, stream, start, cancellationToken).ConfigureAwait(false);
            // Reading first means an answer that does not read (truncated, malformed) throws here and is never cached.
            Value = read(definition, answer);
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
