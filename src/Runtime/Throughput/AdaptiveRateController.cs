using System.Threading.RateLimiting;

namespace PromptGen;

/// <summary>
/// AWS adaptive retry mode's client-side rate limiter (botocore <c>retries/adaptive.py</c>, <c>bucket.py</c>,
/// <c>throttling.py</c>; the same constants in the Java and Go SDKs): a send-rate token bucket that is off until the first
/// throttle; each throttle sets the rate to <c>beta (0.7) × min(measured rate, current rate)</c> and each success
/// recovers it along a CUBIC curve, <c>0.4 × (t − K)³ + Wmax</c> with <c>K = ∛(Wmax × (1 − beta) / 0.4)</c>, never above
/// twice the measured rate. The measured rate is the smoothed (0.8) count of responses per half-second bucket.
/// </summary>
internal sealed class AdaptiveRateController : IDisposable
{
    internal const double Beta = 0.7;
    internal const double ScaleConstant = 0.4;
    internal const double MinRate = 0.5;
    private const double MaxRateAdjustScale = 2.0;
    private const double Smoothing = 0.8;
    private const double BucketsPerSecond = 2.0;

    private readonly object _gate = new();
    private readonly TimeProvider _time;
    private readonly long _origin;
    private readonly TokenBucketLimiter _bucket;
    private volatile bool _enabled;
    private double _wMax;
    private double _k;
    private double _lastFail;
    private double _measuredRate;
    private double _lastBucket;
    private long _count;
    private long _throttles;

    public AdaptiveRateController(int queueLimit, TimeProvider time)
    {
        _time = time;
        _origin = time.GetTimestamp();
        _wMax = MinRate;
        _k = ZeroPoint(_wMax);
        _lastBucket = 0;

        // As in botocore: the bucket starts empty at the minimum rate and only gates sends once enabled.
        _bucket = new TokenBucketLimiter(MinRate, 1, 0, queueLimit, time);
    }

    /// <summary>The allowed send rate in requests per second, or <see langword="null"/> while no throttle has been seen.</summary>
    public double? CurrentRate => _enabled ? _bucket.Rate : null;

    /// <summary>The smoothed measured response rate, in requests per second.</summary>
    public double MeasuredRate
    {
        get
        {
            lock (_gate)
            {
                return _measuredRate;
            }
        }
    }

    /// <summary>Throttling responses seen.</summary>
    public long Throttles => Interlocked.Read(ref _throttles);

    /// <summary>Requests waiting for a send token.</summary>
    public int QueuedRequests => _bucket.QueuedRequests;

    /// <summary>
    /// Waits for a send token once throttling was seen. Returns <see langword="false"/> when the queue is full.
    /// </summary>
    public async ValueTask<bool> AcquireAsync(CancellationToken cancellationToken)
    {
        if (!_enabled)
        {
            return true;
        }

        using RateLimitLease lease = await _bucket.AcquireAsync(1, cancellationToken).ConfigureAwait(false);
        return lease.IsAcquired;
    }

    /// <summary>Records a response (any outcome that reached the service) and adjusts the rate.</summary>
    public void OnResponse(bool throttled)
    {
        double rate;
        double capacity;
        lock (_gate)
        {
            double now = Now();
            double measured = Record(now);
            double next;
            if (throttled)
            {
                _throttles++;
                double rateToUse = _enabled ? Math.Min(measured, _bucket.Rate) : measured;
                _wMax = rateToUse;
                _k = ZeroPoint(_wMax);
                _lastFail = now;
                next = rateToUse * Beta;
                _enabled = true;
            }
            else
            {
                if (!_enabled)
                {
                    return;
                }

                next = ScaleConstant * Math.Pow(now - _lastFail - _k, 3) + _wMax;
            }

            rate = Math.Max(Math.Min(next, MaxRateAdjustScale * measured), MinRate);
            capacity = Math.Max(1, Math.Min(next, MaxRateAdjustScale * measured));
        }

        _bucket.SetRate(rate, capacity);
    }

    public void Dispose() => _bucket.Dispose();

    private double Now() => _time.GetElapsedTime(_origin).TotalSeconds;

    /// <summary>botocore's RateClocker: counts responses per half-second bucket and smooths the rate. Caller holds the lock.</summary>
    private double Record(double now)
    {
        double bucket = Math.Floor(now * BucketsPerSecond) / BucketsPerSecond;
        _count++;
        if (bucket > _lastBucket)
        {
            double current = _count / (bucket - _lastBucket);
            _measuredRate = current * Smoothing + _measuredRate * (1 - Smoothing);
            _count = 0;
            _lastBucket = bucket;
        }

        return _measuredRate;
    }

    private static double ZeroPoint(double wMax) => Math.Cbrt(wMax * (1 - Beta) / ScaleConstant);
}
