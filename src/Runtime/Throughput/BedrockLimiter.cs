using System.Collections.Concurrent;

namespace PromptGen;

/// <summary>
/// The state of client-side limits: one limiter per model ID, created on first use from
/// <see cref="BedrockLimitsOptions.Resolve(string)"/>. Shared by every <see cref="RateLimitedBedrockClient"/> built on it,
/// so several clients can draw on one set of quotas. Its counters show that every permit comes back: once no call is
/// running, <see cref="CurrentConcurrency"/>, <see cref="QueuedCount"/> and <see cref="PendingTokenReservations"/> are 0.
/// </summary>
public sealed class BedrockLimiter : IDisposable
{
    private readonly ConcurrentDictionary<string, ModelLimiter> _models = new(StringComparer.Ordinal);
    private readonly Func<string, ModelLimiter> _create;
    private readonly TimeProvider _time;
    private int _disposed;

    /// <summary>Creates the limiter.</summary>
    /// <param name="options">The limits; copied, so later changes have no effect.</param>
    /// <param name="timeProvider">The clock and timers (default <see cref="TimeProvider.System"/>; tests pass a fake).</param>
    /// <exception cref="ArgumentOutOfRangeException">A limit is zero or negative.</exception>
    public BedrockLimiter(BedrockLimitsOptions options, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        Options = options.Clone();
        Options.Validate();
        _time = timeProvider ?? TimeProvider.System;
        _create = modelId => new ModelLimiter(modelId, Options.Resolve(modelId), Options.AdaptiveThrottling, _time);
    }

    /// <summary>A copy of the options this limiter was created with.</summary>
    public BedrockLimitsOptions Options { get; }

    /// <summary>Calls in progress, over all models.</summary>
    public int CurrentConcurrency => Sum(static m => m.InFlight);

    /// <summary>Calls waiting at some limit, over all models.</summary>
    public int QueuedCount => Sum(static m => m.Waiting);

    /// <summary>Token reservations not yet settled, over all models.</summary>
    public int PendingTokenReservations => Sum(static m => m.PendingReservations);

    /// <summary>A snapshot of the limiter of <paramref name="modelId"/> (created with its limits if no call used it yet).</summary>
    /// <param name="modelId">The model ID as passed to the client.</param>
    public ModelLimiterStatistics GetStatistics(string modelId)
    {
        ArgumentException.ThrowIfNullOrEmpty(modelId);
        return For(modelId).GetStatistics();
    }

    /// <summary>Snapshots of every model used so far, ordered by model ID.</summary>
    public IReadOnlyList<ModelLimiterStatistics> GetStatistics() =>
        _models.Values.OrderBy(static m => m.ModelId, StringComparer.Ordinal).Select(static m => m.GetStatistics()).ToArray();

    /// <summary>Disposes the per-model limiters; calls still waiting fail with <see cref="ObjectDisposedException"/>.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        foreach (ModelLimiter limiter in _models.Values)
        {
            limiter.Dispose();
        }
    }

    internal ModelLimiter For(string modelId)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        return _models.TryGetValue(modelId, out ModelLimiter? limiter) ? limiter : Create(modelId);
    }

    private ModelLimiter Create(string modelId)
    {
        ModelLimiter created = _create(modelId);
        ModelLimiter winner = _models.GetOrAdd(modelId, created);
        if (!ReferenceEquals(winner, created))
        {
            created.Dispose();
        }

        return winner;
    }

    private int Sum(Func<ModelLimiter, int> value)
    {
        int total = 0;
        foreach (ModelLimiter limiter in _models.Values)
        {
            total += value(limiter);
        }

        return total;
    }
}
