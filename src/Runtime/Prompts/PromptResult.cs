namespace PromptGen;

/// <summary>
/// The value of a prompt call together with what it cost and how it was served: token usage, latency, time to first
/// token, stop reason, model and latency mode. Return <c>Task&lt;PromptResult&lt;T&gt;&gt;</c> from a prompt method to get
/// it; construct one yourself in tests of code that consumes prompt interfaces.
/// </summary>
/// <typeparam name="T">The type of the value.</typeparam>
public sealed class PromptResult<T>
{
    /// <summary>Creates a result.</summary>
    /// <param name="value">The value.</param>
    public PromptResult(T value)
    {
        Value = value;
    }

    /// <summary>The value the prompt produced.</summary>
    public T Value { get; }

    /// <summary>Token usage as Bedrock reported it (all zero when it reported none).</summary>
    public PromptUsage Usage { get; init; } = PromptUsage.Empty;

    /// <summary>Wall-clock time of the whole call as the caller saw it, retries included.</summary>
    public TimeSpan Latency { get; init; }

    /// <summary>
    /// Time from sending the request to the first generated content (text or tool input), when the call was streamed;
    /// <see langword="null"/> for a non-streamed call.
    /// </summary>
    public TimeSpan? TimeToFirstToken { get; init; }

    /// <summary>Why generation stopped.</summary>
    public StopReason StopReason { get; init; }

    /// <summary>The model ID, inference-profile ID or ARN the request was sent to.</summary>
    public string ModelId { get; init; } = string.Empty;

    /// <summary>
    /// Whether the value came from PromptGen's response cache (<see cref="PromptAttribute.CacheResponse"/>) instead of a
    /// Bedrock call. Bedrock prompt-cache reads are reported in <see cref="PromptUsage.CacheReadInputTokens"/>.
    /// </summary>
    public bool CacheHit { get; init; }

    /// <summary>
    /// The latency mode Bedrock says served the request (<c>standard</c> or <c>optimized</c>), or <see langword="null"/>
    /// when the response did not say (it says only when <c>performanceConfig</c> was sent).
    /// </summary>
    public string? LatencyMode { get; init; }

    /// <summary>The A/B variant that served the call, or <see langword="null"/> when the prompt has no variants.</summary>
    public string? Variant { get; init; }

    /// <summary>The estimated cost in US dollars, or <see langword="null"/> when no price is known for the model.</summary>
    public decimal? EstimatedCost { get; init; }

    /// <summary>Describes the result (value, model, stop reason, tokens and latency).</summary>
    public override string ToString() =>
        $"{Value} ({ModelId}, {StopReason}, {Usage.InputTokens} in / {Usage.OutputTokens} out, {Latency.TotalMilliseconds:0} ms)";
}

/// <summary>Token counts of one prompt call.</summary>
public sealed record PromptUsage
{
    /// <summary>No tokens.</summary>
    public static PromptUsage Empty { get; } = new();

    /// <summary>Input tokens, excluding those read from or written to the prompt cache.</summary>
    public int InputTokens { get; init; }

    /// <summary>Generated tokens.</summary>
    public int OutputTokens { get; init; }

    /// <summary>The total Bedrock reported.</summary>
    public int TotalTokens { get; init; }

    /// <summary>Input tokens read from the Bedrock prompt cache (0 when none or not reported).</summary>
    public int CacheReadInputTokens { get; init; }

    /// <summary>Input tokens written to the Bedrock prompt cache (0 when none or not reported).</summary>
    public int CacheWriteInputTokens { get; init; }

    /// <summary>Converts Bedrock's usage block; <see cref="Empty"/> for <see langword="null"/>.</summary>
    /// <param name="usage">The usage Bedrock reported.</param>
    public static PromptUsage From(TokenUsage? usage) => usage is null
        ? Empty
        : new PromptUsage
        {
            InputTokens = usage.InputTokens,
            OutputTokens = usage.OutputTokens,
            TotalTokens = usage.TotalTokens,
            CacheReadInputTokens = usage.CacheReadInputTokens ?? 0,
            CacheWriteInputTokens = usage.CacheWriteInputTokens ?? 0,
        };
}
