namespace PromptGen;

/// <summary>Why a failed attempt may be retried, which sets its backoff base and quota cost.</summary>
internal enum RetryKind
{
    /// <summary>Not retryable.</summary>
    None,

    /// <summary>The service throttled the call (ThrottlingException, ModelNotReadyException).</summary>
    Throttling,

    /// <summary>A transient fault: 5xx, a broken connection, a stream error before anything reached the caller.</summary>
    Transient,

    /// <summary>A timeout while waiting for the service.</summary>
    Timeout,
}

/// <summary>
/// AWS standard retry mode: capped exponential backoff with full jitter and a retry quota shared by every call of one
/// client, so a service in trouble is not hammered by retries (botocore retries/standard.py).
/// </summary>
internal sealed class RetryStrategy
{
    private const int RetryCost = 5;
    private const int TimeoutRetryCost = 10;
    private const int NoRetryIncrement = 1;
    private static readonly TimeSpan MaxRetryAfterExtension = TimeSpan.FromSeconds(5);

    private readonly BedrockClientOptions _options;
    private readonly int _capacity;
    private int _available;

    public RetryStrategy(BedrockClientOptions options)
    {
        _options = options;
        _capacity = Math.Max(0, options.RetryQuota);
        _available = _capacity;
    }

    public int MaxAttempts => Math.Max(1, _options.MaxAttempts);

    /// <summary>Tokens left in the retry quota.</summary>
    public int AvailableQuota => Volatile.Read(ref _available);

    /// <summary>
    /// Takes quota for one more attempt after a failed <paramref name="attempt"/> (1-based). Returns the cost taken
    /// (to refund on success), or -1 when the call must not be retried.
    /// </summary>
    public int TryAcquireRetry(int attempt, RetryKind kind)
    {
        if (kind == RetryKind.None || attempt >= MaxAttempts)
        {
            return -1;
        }

        int cost = kind == RetryKind.Timeout ? TimeoutRetryCost : RetryCost;
        while (true)
        {
            int available = Volatile.Read(ref _available);
            if (available < cost)
            {
                return -1;
            }

            if (Interlocked.CompareExchange(ref _available, available - cost, available) == available)
            {
                return cost;
            }
        }
    }

    /// <summary>Returns quota after a call succeeds: the retry cost it took, or a small increment when it took none.</summary>
    public void OnSuccess(int retryCostTaken)
    {
        int refund = retryCostTaken > 0 ? retryCostTaken : NoRetryIncrement;
        while (true)
        {
            int available = Volatile.Read(ref _available);
            int next = Math.Min(_capacity, available + refund);
            if (next == available || Interlocked.CompareExchange(ref _available, next, available) == available)
            {
                return;
            }
        }
    }

    /// <summary>
    /// The delay before retry number <paramref name="attempt"/> (1-based count of failed attempts):
    /// <c>rand(0,1) × min(base × 2^(attempt-1), max)</c>, or the service's <c>x-amz-retry-after</c> when it asks for
    /// longer (capped at the computed delay plus 5 s).
    /// </summary>
    public TimeSpan Backoff(int attempt, RetryKind kind, TimeSpan? retryAfter)
    {
        TimeSpan baseDelay = kind == RetryKind.Throttling ? _options.ThrottlingBackoffBase : _options.TransientBackoffBase;
        double ceiling = Math.Min(baseDelay.TotalMilliseconds * Math.Pow(2, attempt - 1), _options.MaxBackoff.TotalMilliseconds);
        var delay = TimeSpan.FromMilliseconds(Random.Shared.NextDouble() * Math.Max(0, ceiling));
        if (retryAfter is { } asked && asked > delay)
        {
            TimeSpan limit = delay + MaxRetryAfterExtension;
            delay = asked < limit ? asked : limit;
        }

        return delay;
    }
}
