using System.Threading.RateLimiting;

namespace PromptGen;

/// <summary>
/// The limits of one model ID: a <see cref="ConcurrencyLimiter"/> held for the whole call, token buckets for requests
/// and tokens per minute, and the adaptive send rate. A call enters once (<see cref="EnterAsync"/>: concurrency and token
/// reservation) and takes a send token before every send (<see cref="BeforeSendAsync"/>: requests per minute and the
/// adaptive rate), so a re-send after a throttle is paced like a new request.
/// </summary>
internal sealed class ModelLimiter : IDisposable
{
    private readonly ConcurrencyLimiter? _concurrency;
    private readonly TokenBucketLimiter? _requests;
    private readonly TokenBucketLimiter? _tokens;
    private readonly AdaptiveRateController? _adaptive;
    private readonly int _queueLimit;
    private int _inFlight;
    private int _waiting;
    private int _pendingReservations;
    private long _rejections;
    private long _throttles;
    private long _calls;

    public ModelLimiter(string modelId, ModelLimits limits, bool adaptive, TimeProvider time)
    {
        ModelId = modelId;
        Limits = limits;
        _queueLimit = limits.QueueLimit;
        if (limits.MaxConcurrency is int concurrency)
        {
            _concurrency = new ConcurrencyLimiter(new ConcurrencyLimiterOptions
            {
                PermitLimit = concurrency,
                QueueLimit = limits.QueueLimit,
                QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
            });
        }

        // Each bucket holds one minute's worth and starts full, the way a fresh per-minute quota does.
        if (limits.RequestsPerMinute is int rpm)
        {
            _requests = new TokenBucketLimiter(rpm / 60.0, rpm, rpm, limits.QueueLimit, time);
        }

        if (limits.TokensPerMinute is int tpm)
        {
            _tokens = new TokenBucketLimiter(tpm / 60.0, tpm, tpm, limits.QueueLimit, time);
        }

        if (limits.AdaptiveThrottling ?? adaptive)
        {
            _adaptive = new AdaptiveRateController(limits.QueueLimit, time);
        }
    }

    public string ModelId { get; }

    public ModelLimits Limits { get; }

    public bool LimitsTokens => _tokens is not null;

    public bool IsAdaptive => _adaptive is not null;

    public int InFlight => Volatile.Read(ref _inFlight);

    public int Waiting => Volatile.Read(ref _waiting);

    public int PendingReservations => Volatile.Read(ref _pendingReservations);

    /// <summary>Takes a concurrency permit and reserves <paramref name="estimatedTokens"/>; everything taken is given back if this fails.</summary>
    public async ValueTask<LimiterPermit> EnterAsync(int estimatedTokens, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _waiting);
        RateLimitLease? concurrency = null;
        int reserved = 0;
        try
        {
            if (_concurrency is not null)
            {
                concurrency = await _concurrency.AcquireAsync(1, cancellationToken).ConfigureAwait(false);
                if (!concurrency.IsAcquired)
                {
                    throw Rejected(RateLimitKind.Concurrency);
                }
            }

            if (_tokens is not null)
            {
                // A request larger than a minute's worth waits for a full bucket rather than forever.
                int tokens = (int)Math.Min(Math.Max(1, estimatedTokens), Limits.TokensPerMinute!.Value);
                using RateLimitLease lease = await _tokens.AcquireAsync(tokens, cancellationToken).ConfigureAwait(false);
                if (!lease.IsAcquired)
                {
                    throw Rejected(RateLimitKind.TokensPerMinute);
                }

                reserved = tokens;
                Interlocked.Increment(ref _pendingReservations);
            }

            Interlocked.Increment(ref _inFlight);
            Interlocked.Increment(ref _calls);
            return new LimiterPermit(this, concurrency, reserved);
        }
        catch
        {
            concurrency?.Dispose();
            throw;
        }
        finally
        {
            Interlocked.Decrement(ref _waiting);
        }
    }

    /// <summary>Waits for a request-per-minute token and the adaptive send rate before one send.</summary>
    public async ValueTask BeforeSendAsync(CancellationToken cancellationToken)
    {
        if (_requests is null && _adaptive is null)
        {
            return;
        }

        Interlocked.Increment(ref _waiting);
        bool tookRequest = false;
        try
        {
            if (_requests is not null)
            {
                using RateLimitLease lease = await _requests.AcquireAsync(1, cancellationToken).ConfigureAwait(false);
                if (!lease.IsAcquired)
                {
                    throw Rejected(RateLimitKind.RequestsPerMinute);
                }

                tookRequest = true;
            }

            if (_adaptive is not null && !await _adaptive.AcquireAsync(cancellationToken).ConfigureAwait(false))
            {
                throw Rejected(RateLimitKind.AdaptiveRate);
            }
        }
        catch when (tookRequest)
        {
            // Nothing was sent, so the request slot goes back.
            _requests!.Adjust(1);
            throw;
        }
        finally
        {
            Interlocked.Decrement(ref _waiting);
        }
    }

    /// <summary>Records that Bedrock answered (anything but a throttle).</summary>
    public void OnResponse() => _adaptive?.OnResponse(throttled: false);

    /// <summary>Records a <c>ThrottlingException</c>.</summary>
    public void OnThrottle()
    {
        Interlocked.Increment(ref _throttles);
        _adaptive?.OnResponse(throttled: true);
    }

    public ModelLimiterStatistics GetStatistics() => new()
    {
        ModelId = ModelId,
        CurrentConcurrency = InFlight,
        QueuedCount = Waiting,
        PendingTokenReservations = PendingReservations,
        AdaptiveRate = _adaptive?.CurrentRate,
        MeasuredRate = _adaptive?.MeasuredRate ?? 0,
        AvailableRequests = _requests?.Balance,
        AvailableTokens = _tokens?.Balance,
        TotalCalls = Interlocked.Read(ref _calls),
        TotalThrottles = Interlocked.Read(ref _throttles),
        TotalRejections = Interlocked.Read(ref _rejections),
    };

    public void Dispose()
    {
        _concurrency?.Dispose();
        _requests?.Dispose();
        _tokens?.Dispose();
        _adaptive?.Dispose();
    }

    internal void Release(RateLimitLease? concurrency, int reserved, TokenUsage? usage, bool consumed)
    {
        if (reserved > 0)
        {
            // Settle the estimate: give back what was not used, take what was used beyond it; without a usage report,
            // a request Bedrock never ran costs nothing and one that ran keeps its estimate.
            if (usage is not null)
            {
                _tokens!.Adjust(reserved - (double)usage.TotalTokens);
            }
            else if (!consumed)
            {
                _tokens!.Adjust(reserved);
            }

            Interlocked.Decrement(ref _pendingReservations);
        }

        concurrency?.Dispose();
        Interlocked.Decrement(ref _inFlight);
    }

    private PromptRateLimitRejectedException Rejected(RateLimitKind kind)
    {
        Interlocked.Increment(ref _rejections);
        return new PromptRateLimitRejectedException(ModelId, kind, _queueLimit);
    }
}

/// <summary>What one call holds while it runs: a concurrency permit and a token reservation. Released exactly once.</summary>
internal sealed class LimiterPermit
{
    private readonly ModelLimiter _owner;
    private readonly RateLimitLease? _concurrency;
    private readonly int _reserved;
    private int _released;

    public LimiterPermit(ModelLimiter owner, RateLimitLease? concurrency, int reserved)
    {
        _owner = owner;
        _concurrency = concurrency;
        _reserved = reserved;
    }

    /// <param name="usage">The usage Bedrock reported, if any.</param>
    /// <param name="consumed">Whether Bedrock ran the request (an answer or part of a stream arrived).</param>
    public void Release(TokenUsage? usage, bool consumed)
    {
        if (Interlocked.Exchange(ref _released, 1) == 0)
        {
            _owner.Release(_concurrency, _reserved, usage, consumed);
        }
    }
}
