namespace PromptGen;

/// <summary>
/// What one model costs, in US dollars per million tokens: input, output, and Bedrock prompt-cache reads and writes.
/// </summary>
/// <param name="InputPerMillion">USD per 1M input tokens (those not read from or written to the prompt cache).</param>
/// <param name="OutputPerMillion">USD per 1M output tokens.</param>
/// <param name="CacheReadPerMillion">USD per 1M input tokens read from the prompt cache.</param>
/// <param name="CacheWritePerMillion">USD per 1M input tokens written to the prompt cache with the default (5-minute) TTL.</param>
public sealed record ModelPrice(decimal InputPerMillion, decimal OutputPerMillion, decimal CacheReadPerMillion, decimal CacheWritePerMillion)
{
    private const decimal Million = 1_000_000m;

    /// <summary>
    /// USD per 1M tokens written to the prompt cache with the 1-hour TTL (<see cref="PromptAttribute.CachePromptTtl"/>
    /// <c>"1h"</c>), or <see langword="null"/> to use <see cref="CacheWritePerMillion"/>.
    /// </summary>
    public decimal? CacheWrite1hPerMillion { get; init; }

    /// <summary>The estimated cost of one call's <paramref name="usage"/>.</summary>
    /// <param name="usage">The tokens the call used.</param>
    /// <param name="cacheTtl">The prompt-cache TTL the call asked for (<c>5m</c>, <c>1h</c> or <see langword="null"/>), which prices cache writes.</param>
    public decimal Estimate(PromptUsage usage, string? cacheTtl = null)
    {
        ArgumentNullException.ThrowIfNull(usage);
        decimal cacheWrite = cacheTtl == "1h" && CacheWrite1hPerMillion is decimal longer ? longer : CacheWritePerMillion;
        return (usage.InputTokens * InputPerMillion
            + usage.OutputTokens * OutputPerMillion
            + usage.CacheReadInputTokens * CacheReadPerMillion
            + usage.CacheWriteInputTokens * cacheWrite) / Million;
    }
}
