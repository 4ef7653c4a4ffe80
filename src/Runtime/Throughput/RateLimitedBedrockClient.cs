using System.Runtime.CompilerServices;

namespace PromptGen;

/// <summary>
/// An <see cref="IBedrockClient"/> decorator that applies client-side limits per model: concurrent requests, requests and
/// tokens per minute (bounded wait queues; a full queue fails fast with <see cref="PromptRateLimitRejectedException"/>),
/// and adaptive throttling. Create it with <see cref="BedrockLimitsExtensions.WithLimits(IBedrockClient, BedrockLimitsOptions, TimeProvider?)"/>
/// or <c>services.AddPromptGenLimits(...)</c>.
/// </summary>
/// <remarks>
/// <para>
/// Retries: the inner client keeps its own retries (a <see cref="BedrockClient"/> uses AWS standard mode), which absorb
/// short throttling bursts unseen by the limiter. A call that still ends in <see cref="BedrockThrottlingException"/>
/// lowers the model's send rate (AWS adaptive mode: beta 0.7 of the measured rate, CUBIC recovery) and is sent again,
/// through the lowered rate, up to <see cref="BedrockLimitsOptions.MaxThrottleRetries"/> times. A stream is sent again
/// only if no event reached the caller.
/// </para>
/// <para>
/// Permits: a call holds its concurrency permit from admission until its response arrives or fails, or, for a stream,
/// until the stream ends or its enumerator is disposed (<c>await foreach</c> disposes it, also on <c>break</c>). A token
/// reservation is corrected to the usage the response reports (<see cref="ConverseResponse.Usage"/> or the stream's
/// <see cref="MetadataEvent"/>), refunded when Bedrock did not run the request, and kept when a stream broke before
/// reporting usage. Cancellation while waiting gives back whatever the call had taken. <c>CountTokens</c> is free and
/// passes through unlimited.
/// </para>
/// </remarks>
public sealed class RateLimitedBedrockClient : IBedrockClient, IDisposable
{
    private readonly IBedrockClient _inner;
    private readonly bool _ownsLimiter;
    private readonly bool _disposeInner;
    private readonly int _maxThrottleRetries;

    /// <summary>Creates a decorator with its own <see cref="BedrockLimiter"/>.</summary>
    /// <param name="inner">The client that sends the requests.</param>
    /// <param name="options">The limits (copied).</param>
    /// <param name="timeProvider">The clock and timers (default <see cref="TimeProvider.System"/>).</param>
    /// <param name="disposeInner">Whether <see cref="Dispose"/> also disposes <paramref name="inner"/>.</param>
    public RateLimitedBedrockClient(IBedrockClient inner, BedrockLimitsOptions options, TimeProvider? timeProvider = null, bool disposeInner = false)
        : this(inner, new BedrockLimiter(options, timeProvider), ownsLimiter: true, disposeInner)
    {
    }

    /// <summary>Creates a decorator over a shared <see cref="BedrockLimiter"/>, which the caller keeps owning.</summary>
    /// <param name="inner">The client that sends the requests.</param>
    /// <param name="limiter">The limits and their state.</param>
    /// <param name="disposeInner">Whether <see cref="Dispose"/> also disposes <paramref name="inner"/>.</param>
    public RateLimitedBedrockClient(IBedrockClient inner, BedrockLimiter limiter, bool disposeInner = false)
        : this(inner, limiter, ownsLimiter: false, disposeInner)
    {
    }

    private RateLimitedBedrockClient(IBedrockClient inner, BedrockLimiter limiter, bool ownsLimiter, bool disposeInner)
    {
        ArgumentNullException.ThrowIfNull(inner);
        ArgumentNullException.ThrowIfNull(limiter);
        _inner = inner;
        Limiter = limiter;
        _ownsLimiter = ownsLimiter;
        _disposeInner = disposeInner;
        _maxThrottleRetries = limiter.Options.MaxThrottleRetries;
    }

    /// <summary>The limits and their counters.</summary>
    public BedrockLimiter Limiter { get; }

    /// <summary>The client requests go through.</summary>
    public IBedrockClient Inner => _inner;

    /// <inheritdoc />
    /// <exception cref="PromptRateLimitRejectedException">A limit's wait queue was full; nothing was sent.</exception>
    public async Task<ConverseResponse> ConverseAsync(string modelId, ConverseRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(modelId);
        ArgumentNullException.ThrowIfNull(request);
        ModelLimiter limiter = Limiter.For(modelId);
        LimiterPermit permit = await EnterAsync(limiter, request, cancellationToken).ConfigureAwait(false);
        ConverseResponse? response = null;
        try
        {
            for (int retry = 0; ; retry++)
            {
                await limiter.BeforeSendAsync(cancellationToken).ConfigureAwait(false);
                try
                {
                    response = await _inner.ConverseAsync(modelId, request, cancellationToken).ConfigureAwait(false);
                    limiter.OnResponse();
                    return response;
                }
                catch (BedrockThrottlingException) when (ShouldResend(limiter, retry))
                {
                    limiter.OnThrottle();
                }
                catch (BedrockException ex)
                {
                    Observe(limiter, ex);
                    throw;
                }
            }
        }
        finally
        {
            permit.Release(response?.Usage, consumed: response is not null);
        }
    }

    /// <inheritdoc />
    /// <exception cref="PromptRateLimitRejectedException">A limit's wait queue was full; nothing was sent.</exception>
    public async IAsyncEnumerable<ConverseStreamEvent> ConverseStreamAsync(
        string modelId, ConverseRequest request, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(modelId);
        ArgumentNullException.ThrowIfNull(request);
        ModelLimiter limiter = Limiter.For(modelId);
        LimiterPermit permit = await EnterAsync(limiter, request, cancellationToken).ConfigureAwait(false);
        var state = new StreamState();
        try
        {
            for (int retry = 0; ; retry++)
            {
                await limiter.BeforeSendAsync(cancellationToken).ConfigureAwait(false);
                IAsyncEnumerator<ConverseStreamEvent> events = _inner.ConverseStreamAsync(modelId, request, cancellationToken).GetAsyncEnumerator(cancellationToken);
                try
                {
                    while (await NextAsync(events, limiter, state, retry).ConfigureAwait(false))
                    {
                        yield return events.Current;
                    }
                }
                finally
                {
                    await events.DisposeAsync().ConfigureAwait(false);
                }

                if (!state.Resend)
                {
                    yield break;
                }

                state.Resend = false;
            }
        }
        finally
        {
            permit.Release(state.Usage, consumed: state.Yielded);
        }
    }

    /// <inheritdoc />
    public Task<CountTokensResponse> CountTokensAsync(string modelId, CountTokensRequest request, CancellationToken cancellationToken = default) =>
        _inner.CountTokensAsync(modelId, request, cancellationToken);

    /// <summary>Disposes the limiter when this client created it, and the inner client when asked to.</summary>
    public void Dispose()
    {
        if (_ownsLimiter)
        {
            Limiter.Dispose();
        }

        if (_disposeInner && _inner is IDisposable disposable)
        {
            disposable.Dispose();
        }
    }

    /// <summary>Waits for a permit; the wait is the call's queue-wait phase in telemetry (a no-op when nothing observes the call).</summary>
    private static async ValueTask<LimiterPermit> EnterAsync(ModelLimiter limiter, ConverseRequest request, CancellationToken cancellationToken)
    {
        long queued = System.Diagnostics.Stopwatch.GetTimestamp();
        LimiterPermit permit = await limiter.EnterAsync(Estimate(limiter, request), cancellationToken).ConfigureAwait(false);
        PromptGen.Telemetry.PromptTiming.RecordQueueWait(queued, System.Diagnostics.Stopwatch.GetTimestamp());
        return permit;
    }

    private static int Estimate(ModelLimiter limiter, ConverseRequest request) =>
        limiter.LimitsTokens ? TokenEstimator.Estimate(request, limiter.Limits.DefaultMaxTokens) : 0;

    private bool ShouldResend(ModelLimiter limiter, int retry) => limiter.IsAdaptive && retry < _maxThrottleRetries;

    private static void Observe(ModelLimiter limiter, BedrockException failure)
    {
        if (failure is BedrockThrottlingException)
        {
            limiter.OnThrottle();
        }
        else if (failure is not PromptRateLimitRejectedException)
        {
            limiter.OnResponse();
        }
    }

    /// <summary>
    /// Moves to the next event. A throttle before the first event asks for a re-send (returns false with
    /// <see cref="StreamState.Resend"/> set) while re-sends remain; later failures reach the caller.
    /// </summary>
    private async ValueTask<bool> NextAsync(IAsyncEnumerator<ConverseStreamEvent> events, ModelLimiter limiter, StreamState state, int retry)
    {
        bool more;
        try
        {
            more = await events.MoveNextAsync().ConfigureAwait(false);
        }
        catch (BedrockThrottlingException) when (!state.Yielded && ShouldResend(limiter, retry))
        {
            limiter.OnThrottle();
            state.Resend = true;
            return false;
        }
        catch (BedrockException ex)
        {
            Observe(limiter, ex);
            throw;
        }

        if (more)
        {
            if (!state.Yielded)
            {
                state.Yielded = true;
                limiter.OnResponse();
            }

            if (events.Current is MetadataEvent { Usage: { } usage })
            {
                state.Usage = usage;
            }
        }

        return more;
    }

    private sealed class StreamState
    {
        public bool Yielded { get; set; }

        public bool Resend { get; set; }

        public TokenUsage? Usage { get; set; }
    }
}

/// <summary>Puts client-side limits in front of any <see cref="IBedrockClient"/>.</summary>
public static class BedrockLimitsExtensions
{
    /// <summary>Wraps <paramref name="client"/> in a <see cref="RateLimitedBedrockClient"/> (which does not dispose it).</summary>
    /// <param name="client">The client that sends the requests.</param>
    /// <param name="options">The limits (copied).</param>
    /// <param name="timeProvider">The clock and timers (default <see cref="TimeProvider.System"/>).</param>
    public static RateLimitedBedrockClient WithLimits(this IBedrockClient client, BedrockLimitsOptions options, TimeProvider? timeProvider = null) =>
        new(client, options, timeProvider);

    /// <summary>Wraps <paramref name="client"/> in a <see cref="RateLimitedBedrockClient"/> whose limits <paramref name="configure"/> sets.</summary>
    /// <param name="client">The client that sends the requests.</param>
    /// <param name="configure">Sets the limits, e.g. <c>o => o.Default.MaxConcurrency = 8</c>.</param>
    /// <param name="timeProvider">The clock and timers (default <see cref="TimeProvider.System"/>).</param>
    public static RateLimitedBedrockClient WithLimits(this IBedrockClient client, Action<BedrockLimitsOptions> configure, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(configure);
        var options = new BedrockLimitsOptions();
        configure(options);
        return new RateLimitedBedrockClient(client, options, timeProvider);
    }
}
