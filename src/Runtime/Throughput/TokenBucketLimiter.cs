using System.Threading.RateLimiting;

namespace PromptGen;

/// <summary>
/// A token bucket on <see cref="TimeProvider"/> whose rate can change while requests wait (adaptive throttling) and
/// whose balance can be corrected after the fact (a token estimate settled against reported usage; the balance may go
/// below zero, so an underestimate delays later requests instead of being forgotten). Waiters are served first in,
/// first out; one timer wakes the head when its tokens will have accrued. The built-in
/// <see cref="TokenBucketRateLimiter"/> refills by periods on its own timer and cannot refund or debit, hence this one.
/// </summary>
internal sealed class TokenBucketLimiter : RateLimiter
{
    private const double Epsilon = 1e-9;
    private static readonly RateLimitLease s_acquired = new Lease(true);
    private static readonly RateLimitLease s_rejected = new Lease(false);

    private readonly object _gate = new();
    private readonly TimeProvider _time;
    private readonly LinkedList<Waiter> _queue = new();
    private readonly int _queueLimit;
    private readonly ITimer _timer;
    private double _rate;
    private double _capacity;
    private double _balance;
    private long _lastRefill;
    private long _queuedPermits;
    private long _successful;
    private long _failed;
    private long _idleSince;
    private bool _disposed;

    /// <param name="ratePerSecond">Tokens added per second.</param>
    /// <param name="capacity">The most tokens the bucket holds (the burst).</param>
    /// <param name="initialBalance">Tokens available at the start.</param>
    /// <param name="queueLimit">The most requests that may wait.</param>
    /// <param name="time">The clock and timer source.</param>
    public TokenBucketLimiter(double ratePerSecond, double capacity, double initialBalance, int queueLimit, TimeProvider time)
    {
        _time = time;
        _rate = ratePerSecond;
        _capacity = capacity;
        _balance = Math.Min(initialBalance, capacity);
        _queueLimit = queueLimit;
        _lastRefill = time.GetTimestamp();
        _idleSince = _lastRefill;
        _timer = time.CreateTimer(static state => ((TokenBucketLimiter)state!).OnTimer(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    /// <summary>Tokens added per second.</summary>
    public double Rate
    {
        get
        {
            lock (_gate)
            {
                return _rate;
            }
        }
    }

    /// <summary>Tokens available now (negative after an underestimate was corrected).</summary>
    public double Balance
    {
        get
        {
            lock (_gate)
            {
                Refill();
                return _balance;
            }
        }
    }

    /// <summary>Requests waiting.</summary>
    public int QueuedRequests
    {
        get
        {
            lock (_gate)
            {
                return _queue.Count;
            }
        }
    }

    /// <inheritdoc />
    public override TimeSpan? IdleDuration
    {
        get
        {
            lock (_gate)
            {
                Refill();
                return _queue.Count == 0 && _balance >= _capacity - Epsilon ? _time.GetElapsedTime(_idleSince) : null;
            }
        }
    }

    /// <inheritdoc />
    public override RateLimiterStatistics? GetStatistics()
    {
        lock (_gate)
        {
            Refill();
            return new RateLimiterStatistics
            {
                CurrentAvailablePermits = (long)Math.Floor(_balance),
                CurrentQueuedCount = _queuedPermits,
                TotalSuccessfulLeases = _successful,
                TotalFailedLeases = _failed,
            };
        }
    }

    /// <summary>Changes the rate and burst; waiters are rescheduled at the new rate.</summary>
    public void SetRate(double ratePerSecond, double capacity)
    {
        List<Waiter>? granted;
        lock (_gate)
        {
            Refill();
            _rate = ratePerSecond;
            _capacity = capacity;
            _balance = Math.Min(_balance, capacity);
            granted = GrantAndSchedule();
        }

        Complete(granted);
    }

    /// <summary>Adds (refund) or removes (debit) tokens; the balance stays at or below the capacity and may go negative.</summary>
    public void Adjust(double tokens)
    {
        List<Waiter>? granted;
        lock (_gate)
        {
            Refill();
            _balance = Math.Min(_capacity, _balance + tokens);
            granted = GrantAndSchedule();
        }

        Complete(granted);
    }

    /// <summary>Takes <paramref name="permitCount"/> tokens if nobody queues ahead and the bucket has them. Call under the lock.</summary>
    private bool TryTakeNow(int permitCount)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        Refill();
        if (_queue.Count != 0 || _balance + Epsilon < permitCount)
        {
            return false;
        }

        _balance -= permitCount;
        _successful++;
        return true;
    }

    /// <inheritdoc />
    protected override RateLimitLease AttemptAcquireCore(int permitCount)
    {
        lock (_gate)
        {
            if (TryTakeNow(permitCount))
            {
                return s_acquired;
            }

            _failed++;
            return s_rejected;
        }
    }

    /// <inheritdoc />
    protected override ValueTask<RateLimitLease> AcquireAsyncCore(int permitCount, CancellationToken cancellationToken)
    {
        Waiter waiter;
        lock (_gate)
        {
            if (TryTakeNow(permitCount))
            {
                return new ValueTask<RateLimitLease>(s_acquired);
            }

            if (_queue.Count >= _queueLimit)
            {
                _failed++;
                return new ValueTask<RateLimitLease>(s_rejected);
            }

            cancellationToken.ThrowIfCancellationRequested();
            waiter = new Waiter(permitCount);
            waiter.Node = _queue.AddLast(waiter);
            _queuedPermits += permitCount;
            if (_queue.Count == 1)
            {
                Schedule();
            }
        }

        if (cancellationToken.CanBeCanceled)
        {
            waiter.Registration = cancellationToken.UnsafeRegister(static (state, token) =>
            {
                var (limiter, w) = ((TokenBucketLimiter, Waiter))state!;
                limiter.Cancel(w, token);
            }, (this, waiter));
            if (waiter.Task.IsCompleted)
            {
                waiter.Registration.Dispose();
            }
        }

        return new ValueTask<RateLimitLease>(waiter.Task);
    }

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        List<Waiter> pending;
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            pending = [.. _queue];
            _queue.Clear();
            _queuedPermits = 0;
        }

        _timer.Dispose();
        foreach (Waiter waiter in pending)
        {
            waiter.Registration.Dispose();
            waiter.TrySetException(new ObjectDisposedException(nameof(TokenBucketLimiter)));
        }
    }

    private void Cancel(Waiter waiter, CancellationToken token)
    {
        List<Waiter>? granted;
        lock (_gate)
        {
            // A waiter already granted keeps its tokens: its task completed before the cancellation could take effect.
            if (waiter.Node?.List is null)
            {
                return;
            }

            _queue.Remove(waiter.Node);
            waiter.Node = null;
            _queuedPermits -= waiter.Permits;

            // The waiters behind it may already have their tokens.
            Refill();
            granted = GrantAndSchedule();
        }

        waiter.TrySetCanceled(token);
        Complete(granted);
    }

    private void OnTimer()
    {
        List<Waiter>? granted;
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            Refill();
            granted = GrantAndSchedule();
        }

        Complete(granted);
    }

    private static void Complete(List<Waiter>? granted)
    {
        if (granted is null)
        {
            return;
        }

        foreach (Waiter waiter in granted)
        {
            waiter.Registration.Dispose();
            waiter.TrySetResult(s_acquired);
        }
    }

    /// <summary>Grants waiters from the head while tokens last, then arms the timer for the next head. Caller holds the lock.</summary>
    private List<Waiter>? GrantAndSchedule()
    {
        List<Waiter>? granted = null;
        while (_queue.First is { } node && _balance + Epsilon >= node.Value.Permits)
        {
            Waiter waiter = node.Value;
            _queue.RemoveFirst();
            waiter.Node = null;
            _balance -= waiter.Permits;
            _queuedPermits -= waiter.Permits;
            _successful++;
            (granted ??= new List<Waiter>()).Add(waiter);
        }

        Schedule();
        return granted;
    }

    /// <summary>Arms the timer for when the head waiter's tokens will have accrued. Caller holds the lock.</summary>
    private void Schedule()
    {
        if (_disposed)
        {
            return;
        }

        if (_queue.First is not { } head)
        {
            _timer.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
            return;
        }

        double seconds = Math.Max(0, head.Value.Permits - _balance) / Math.Max(_rate, Epsilon);

        // At least 1 ms so a timer that fires a hair early re-arms instead of spinning.
        TimeSpan due = TimeSpan.FromTicks(Math.Max(TimeSpan.TicksPerMillisecond, (long)Math.Ceiling(Math.Min(seconds, 86_400) * TimeSpan.TicksPerSecond)));
        _timer.Change(due, Timeout.InfiniteTimeSpan);
    }

    private void Refill()
    {
        long now = _time.GetTimestamp();
        double seconds = (now - _lastRefill) / (double)_time.TimestampFrequency;
        _lastRefill = now;
        if (seconds > 0 && _balance < _capacity)
        {
            _balance = Math.Min(_capacity, _balance + seconds * _rate);
        }

        if (_queue.Count > 0 || _balance < _capacity - Epsilon)
        {
            _idleSince = now;
        }
    }

    private sealed class Waiter(int permits) : TaskCompletionSource<RateLimitLease>(TaskCreationOptions.RunContinuationsAsynchronously)
    {
        public int Permits { get; } = permits;

        public LinkedListNode<Waiter>? Node { get; set; }

        public CancellationTokenRegistration Registration { get; set; }
    }

    private sealed class Lease(bool acquired) : RateLimitLease
    {
        public override bool IsAcquired { get; } = acquired;

        public override IEnumerable<string> MetadataNames => [];

        public override bool TryGetMetadata(string metadataName, out object? metadata)
        {
            metadata = null;
            return false;
        }
    }
}
