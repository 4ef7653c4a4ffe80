using System.Collections.Frozen;
using System.Globalization;
using Microsoft.Extensions.Configuration;

namespace PromptGen;

/// <summary>
/// Prices per model, for <see cref="PromptResult{T}.EstimatedCost"/>. <see cref="Default"/> holds Bedrock's on-demand list
/// prices for common catalogue models; override or add models with <see cref="With(string, ModelPrice)"/> or from
/// configuration (<see cref="With(IConfiguration)"/>), and pass the table as <see cref="PromptClientOptions.Prices"/>.
/// </summary>
/// <remarks>
/// <para>
/// A model is found by the ID a call used, else by the catalogue's base model ID behind it (cross-Region inference profiles
/// such as <c>us.anthropic.…</c> and foundation-model ARNs resolve to their base model). An ID with no price gives a
/// <see langword="null"/> cost, never a guess.
/// </para>
/// <para>
/// Estimates are list prices for on-demand inference. They do not know about Regional price differences (AWS prices
/// in-Region and geographic inference profiles of the newest Claude models about 10% above global profiles), batch or
/// provisioned throughput, discounts or private offers: compare variants with them, reconcile bills with AWS Cost Explorer.
/// </para>
/// <para>Instances are immutable; one table can serve every client.</para>
/// </remarks>
public sealed class ModelPrices
{
    private readonly FrozenDictionary<string, ModelPrice> _prices;

    private ModelPrices(FrozenDictionary<string, ModelPrice> prices)
    {
        _prices = prices;
    }

    /// <summary>A table with no prices: every estimate is <see langword="null"/>.</summary>
    public static ModelPrices Empty { get; } = new(FrozenDictionary<string, ModelPrice>.Empty);

    /// <summary>
    /// The built-in table: USD per 1M tokens for Anthropic Claude models on Bedrock, as of 2026-08.
    /// </summary>
    /// <remarks>
    /// Source: Anthropic's model pricing table (platform.claude.com/docs/en/docs/about-claude/pricing and
    /// /docs/en/about-claude/pricing: base input, 5-minute and 1-hour cache writes, cache hits, output), which Amazon Bedrock's
    /// on-demand prices for these models match (aws.amazon.com/bedrock/pricing). Models whose full set of figures (input,
    /// output, cache read and write) could not be sourced are left out rather than guessed; add them with
    /// <see cref="With(string, ModelPrice)"/>.
    /// </remarks>
    public static ModelPrices Default { get; } = new(new Dictionary<string, ModelPrice>(StringComparer.Ordinal)
    {
        ["anthropic.claude-3-haiku-20240307-v1:0"] = Claude(0.25m, 1.25m, cacheRead: 0.03m, cacheWrite: 0.30m, cacheWrite1h: 0.50m),
        ["anthropic.claude-3-opus-20240229-v1:0"] = Claude(15m, 75m, cacheRead: 1.50m, cacheWrite: 18.75m, cacheWrite1h: 30m),
        ["anthropic.claude-3-5-haiku-20241022-v1:0"] = Claude(0.80m, 4m, cacheRead: 0.08m, cacheWrite: 1m, cacheWrite1h: 1.6m),
        ["anthropic.claude-3-7-sonnet-20250219-v1:0"] = Claude(3m, 15m, cacheRead: 0.30m, cacheWrite: 3.75m, cacheWrite1h: 6m),
        ["anthropic.claude-sonnet-4-20250514-v1:0"] = Claude(3m, 15m, cacheRead: 0.30m, cacheWrite: 3.75m, cacheWrite1h: 6m),
        ["anthropic.claude-sonnet-4-5-20250929-v1:0"] = Claude(3m, 15m, cacheRead: 0.30m, cacheWrite: 3.75m, cacheWrite1h: 6m),
        ["anthropic.claude-sonnet-4-6"] = Claude(3m, 15m, cacheRead: 0.30m, cacheWrite: 3.75m, cacheWrite1h: 6m),
        ["anthropic.claude-haiku-4-5-20251001-v1:0"] = Claude(1m, 5m, cacheRead: 0.10m, cacheWrite: 1.25m, cacheWrite1h: 2m),
        ["anthropic.claude-opus-4-20250514-v1:0"] = Claude(15m, 75m, cacheRead: 1.50m, cacheWrite: 18.75m, cacheWrite1h: 30m),
        ["anthropic.claude-opus-4-1-20250805-v1:0"] = Claude(15m, 75m, cacheRead: 1.50m, cacheWrite: 18.75m, cacheWrite1h: 30m),
        ["anthropic.claude-opus-4-5-20251101-v1:0"] = Claude(5m, 25m, cacheRead: 0.50m, cacheWrite: 6.25m, cacheWrite1h: 10m),
        ["anthropic.claude-opus-4-6-v1"] = Claude(5m, 25m, cacheRead: 0.50m, cacheWrite: 6.25m, cacheWrite1h: 10m),
        ["anthropic.claude-opus-4-7"] = Claude(5m, 25m, cacheRead: 0.50m, cacheWrite: 6.25m, cacheWrite1h: 10m),
        ["anthropic.claude-opus-4-8"] = Claude(5m, 25m, cacheRead: 0.50m, cacheWrite: 6.25m, cacheWrite1h: 10m),
        ["anthropic.claude-fable-5"] = Claude(10m, 50m, cacheRead: 1m, cacheWrite: 12.50m, cacheWrite1h: 20m),
    }.ToFrozenDictionary(StringComparer.Ordinal));

    /// <summary>The model IDs this table prices, with their prices.</summary>
    public IReadOnlyDictionary<string, ModelPrice> Prices => _prices;

    /// <summary>A copy of this table with <paramref name="modelId"/> priced at <paramref name="price"/> (replacing any price it had).</summary>
    /// <param name="modelId">A base model ID (covers its inference profiles), or an exact profile ID or ARN.</param>
    /// <param name="price">The price.</param>
    public ModelPrices With(string modelId, ModelPrice price)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(modelId);
        ArgumentNullException.ThrowIfNull(price);
        var copy = new Dictionary<string, ModelPrice>(_prices, StringComparer.Ordinal) { [modelId] = price };
        return new ModelPrices(copy.ToFrozenDictionary(StringComparer.Ordinal));
    }

    /// <summary>
    /// A copy of this table with the prices listed in <paramref name="section"/>, for example
    /// <c>builder.Configuration.GetSection("PromptGen:Prices")</c> holding an array of entries with <c>Model</c>,
    /// <c>Input</c>, <c>Output</c>, <c>CacheRead</c>, <c>CacheWrite</c> and optionally <c>CacheWrite1h</c> (USD per 1M
    /// tokens, invariant culture). An array, not an object keyed by model, because model IDs contain <c>:</c>, the
    /// configuration key separator. Cache prices not given are 0 (models without prompt caching).
    /// </summary>
    /// <param name="section">The configuration section holding the array.</param>
    /// <exception cref="FormatException">An entry has no <c>Model</c>, no <c>Input</c> or <c>Output</c>, or a value that is not a non-negative number.</exception>
    public ModelPrices With(IConfiguration section)
    {
        ArgumentNullException.ThrowIfNull(section);
        ModelPrices table = this;
        foreach (IConfigurationSection entry in section.GetChildren())
        {
            string where = entry.Path;
            string model = entry["Model"] is { Length: > 0 } m && !string.IsNullOrWhiteSpace(m)
                ? m.Trim()
                : throw new FormatException($"The model price at '{where}' has no Model.");
            var price = new ModelPrice(
                Required(entry, "Input", where),
                Required(entry, "Output", where),
                Optional(entry, "CacheRead", where) ?? 0m,
                Optional(entry, "CacheWrite", where) ?? 0m)
            {
                CacheWrite1hPerMillion = Optional(entry, "CacheWrite1h", where),
            };
            table = table.With(model, price);
        }

        return table;
    }

    /// <summary>The price of <paramref name="modelId"/>: its own entry, else its catalogue base model's; <see langword="null"/> when unknown.</summary>
    /// <param name="modelId">The model ID, inference-profile ID or ARN a call used.</param>
    public ModelPrice? Find(string? modelId)
    {
        if (string.IsNullOrEmpty(modelId))
        {
            return null;
        }

        if (_prices.TryGetValue(modelId, out ModelPrice? exact))
        {
            return exact;
        }

        string? baseId = ModelCatalog.Default.Resolve(modelId).Model?.Id;
        return baseId is not null && _prices.TryGetValue(baseId, out ModelPrice? resolved) ? resolved : null;
    }

    /// <summary>The estimated cost of a call, or <see langword="null"/> when <paramref name="modelId"/> has no price.</summary>
    /// <param name="modelId">The model ID, inference-profile ID or ARN the call used.</param>
    /// <param name="usage">The tokens the call used.</param>
    /// <param name="cacheTtl">The prompt-cache TTL the call asked for, which prices cache writes.</param>
    public decimal? Estimate(string? modelId, PromptUsage usage, string? cacheTtl = null) => Find(modelId)?.Estimate(usage, cacheTtl);

    private static ModelPrice Claude(decimal input, decimal output, decimal cacheRead, decimal cacheWrite, decimal cacheWrite1h) =>
        new(input, output, cacheRead, cacheWrite) { CacheWrite1hPerMillion = cacheWrite1h };

    private static decimal Required(IConfigurationSection entry, string name, string where) =>
        Optional(entry, name, where) ?? throw new FormatException($"The model price at '{where}' has no {name} (USD per 1M tokens).");

    private static decimal? Optional(IConfigurationSection entry, string name, string where)
    {
        string? text = entry[name];
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        if (!decimal.TryParse(text, NumberStyles.Number, CultureInfo.InvariantCulture, out decimal value) || value < 0)
        {
            throw new FormatException($"The model price at '{where}' has {name} = '{text}', which is not a non-negative number (USD per 1M tokens, e.g. 0.25).");
        }

        return value;
    }
}
