namespace PromptGen;

/// <summary>Which client-side limit of a <see cref="RateLimitedBedrockClient"/> turned a request away.</summary>
public enum RateLimitKind
{
    /// <summary><see cref="ModelLimits.MaxConcurrency"/>.</summary>
    Concurrency,

    /// <summary><see cref="ModelLimits.RequestsPerMinute"/>.</summary>
    RequestsPerMinute,

    /// <summary><see cref="ModelLimits.TokensPerMinute"/>.</summary>
    TokensPerMinute,

    /// <summary>The send rate lowered by adaptive throttling after Bedrock answered <c>ThrottlingException</c>.</summary>
    AdaptiveRate,
}

/// <summary>
/// A request was not sent because the queue of a client-side limit was full (<see cref="ModelLimits.QueueLimit"/>): the
/// limiter's backpressure. Nothing reached Bedrock. Retrying later may succeed; retrying at once adds to the queue.
/// </summary>
public sealed class PromptRateLimitRejectedException : BedrockException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="modelId">The model the request was for.</param>
    /// <param name="limit">The limit whose queue was full.</param>
    /// <param name="queueLimit">That queue's capacity.</param>
    public PromptRateLimitRejectedException(string modelId, RateLimitKind limit, int queueLimit)
        : base("RateLimitRejected", Describe(modelId, limit, queueLimit), statusCode: null, requestId: null, isRetryable: true)
    {
        ModelId = modelId;
        Limit = limit;
        QueueLimit = queueLimit;
    }

    /// <summary>The model the request was for.</summary>
    public string ModelId { get; }

    /// <summary>The limit whose queue was full.</summary>
    public RateLimitKind Limit { get; }

    /// <summary>The capacity of that queue.</summary>
    public int QueueLimit { get; }

    private static string Describe(string modelId, RateLimitKind limit, int queueLimit)
    {
        string what = limit switch
        {
            RateLimitKind.Concurrency => "concurrent-request limit (MaxConcurrency)",
            RateLimitKind.RequestsPerMinute => "requests-per-minute limit (RequestsPerMinute)",
            RateLimitKind.TokensPerMinute => "tokens-per-minute limit (TokensPerMinute)",
            _ => "adaptive send rate (lowered after ThrottlingException)",
        };
        return queueLimit == 0
            ? $"The request to '{modelId}' was not sent: the {what} is reached and ModelLimits.QueueLimit is 0, so requests do not wait."
            : $"The request to '{modelId}' was not sent: {queueLimit} requests already wait for the {what}. Send fewer requests at once, or raise ModelLimits.QueueLimit.";
    }
}
