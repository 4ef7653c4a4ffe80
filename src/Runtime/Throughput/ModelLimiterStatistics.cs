namespace PromptGen;

/// <summary>A snapshot of one model's limiter (see <see cref="BedrockLimiter.GetStatistics(string)"/>).</summary>
public sealed class ModelLimiterStatistics
{
    /// <summary>The model ID.</summary>
    public required string ModelId { get; init; }

    /// <summary>Calls in progress (admitted and not yet completed; a stream counts until it ends or is disposed).</summary>
    public int CurrentConcurrency { get; init; }

    /// <summary>Calls waiting for a permit, a token reservation or a send token.</summary>
    public int QueuedCount { get; init; }

    /// <summary>Token reservations not yet settled against reported usage (0 when no call is in progress).</summary>
    public int PendingTokenReservations { get; init; }

    /// <summary>The adaptive send rate in requests per second, or <see langword="null"/> while no throttle has been seen (or adaptive throttling is off).</summary>
    public double? AdaptiveRate { get; init; }

    /// <summary>The smoothed rate of responses per second adaptive throttling measures (0 when it is off).</summary>
    public double MeasuredRate { get; init; }

    /// <summary>Requests that may be sent now under <see cref="ModelLimits.RequestsPerMinute"/>, or <see langword="null"/> without that limit.</summary>
    public double? AvailableRequests { get; init; }

    /// <summary>Tokens that may be reserved now under <see cref="ModelLimits.TokensPerMinute"/> (negative after an underestimate), or <see langword="null"/> without that limit.</summary>
    public double? AvailableTokens { get; init; }

    /// <summary>Calls admitted so far.</summary>
    public long TotalCalls { get; init; }

    /// <summary><c>ThrottlingException</c> answers seen by the limiter.</summary>
    public long TotalThrottles { get; init; }

    /// <summary>Calls turned away with <see cref="PromptRateLimitRejectedException"/>.</summary>
    public long TotalRejections { get; init; }
}
