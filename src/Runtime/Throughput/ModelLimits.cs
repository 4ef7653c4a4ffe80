namespace PromptGen;

/// <summary>
/// The client-side limits of one model (or of every model whose ID starts with a prefix): concurrent requests, requests
/// per minute, tokens per minute, the wait queue, and adaptive throttling. Unset limits are not enforced.
/// </summary>
public sealed class ModelLimits
{
    /// <summary>
    /// The model ID, inference-profile ID or ARN these limits apply to, exactly as passed to <see cref="IBedrockClient"/>; a
    /// value ending in <c>*</c> is a prefix (<c>us.anthropic.*</c>) and the longest matching prefix wins. Ignored on
    /// <see cref="BedrockLimitsOptions.Default"/>. Each model ID gets its own limiter, even when several match one prefix.
    /// </summary>
    public string? Model { get; set; }

    /// <summary>The most requests in progress at once (a stream counts until it is completed or disposed); unset means no limit.</summary>
    public int? MaxConcurrency { get; set; }

    /// <summary>The most requests sent per minute (a token bucket holding one minute's worth); unset means no limit.</summary>
    public int? RequestsPerMinute { get; set; }

    /// <summary>
    /// The most tokens used per minute (a token bucket holding one minute's worth). Each request reserves an estimate
    /// (its prompt's characters / 4 plus its <c>maxTokens</c>, or <see cref="DefaultMaxTokens"/>), corrected to the
    /// reported usage when the response arrives. Unset means no limit.
    /// </summary>
    public int? TokensPerMinute { get; set; }

    /// <summary>
    /// The output tokens assumed for a request that sets no <c>maxTokens</c> when estimating its token use (default 1024).
    /// </summary>
    public int DefaultMaxTokens { get; set; } = 1024;

    /// <summary>
    /// How many requests may wait at each limit (default 1000). A request that finds a full queue fails at once with
    /// <see cref="PromptRateLimitRejectedException"/> instead of waiting: that is the backpressure signal. 0 means never wait.
    /// </summary>
    public int QueueLimit { get; set; } = 1000;

    /// <summary>
    /// Whether a <c>ThrottlingException</c> lowers this model's send rate and recovers it over time (AWS adaptive retry
    /// mode); unset takes <see cref="BedrockLimitsOptions.AdaptiveThrottling"/>.
    /// </summary>
    public bool? AdaptiveThrottling { get; set; }

    /// <summary>Copies these limits.</summary>
    public ModelLimits Clone() => (ModelLimits)MemberwiseClone();

    internal void Validate(string where)
    {
        Positive(MaxConcurrency, nameof(MaxConcurrency));
        Positive(RequestsPerMinute, nameof(RequestsPerMinute));
        Positive(TokensPerMinute, nameof(TokensPerMinute));
        if (DefaultMaxTokens < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(DefaultMaxTokens), DefaultMaxTokens, $"{where}: DefaultMaxTokens must be at least 1.");
        }

        if (QueueLimit < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(QueueLimit), QueueLimit, $"{where}: QueueLimit must not be negative.");
        }

        void Positive(int? value, string name)
        {
            if (value is < 1)
            {
                throw new ArgumentOutOfRangeException(name, value, $"{where}: {name} must be at least 1 (leave it unset for no limit).");
            }
        }
    }
}

/// <summary>
/// Settings of a <see cref="RateLimitedBedrockClient"/>: limits per model and a default. Binds from configuration, e.g.
/// <c>{ "Default": { "MaxConcurrency": 16 }, "Models": [ { "Model": "us.anthropic.*", "RequestsPerMinute": 200 } ] }</c>
/// (a list, because model IDs contain <c>:</c>, the configuration key separator).
/// </summary>
public sealed class BedrockLimitsOptions
{
    /// <summary>The limits of a model that no entry of <see cref="Models"/> matches.</summary>
    public ModelLimits Default { get; set; } = new();

    /// <summary>Limits of particular models or model-ID prefixes (see <see cref="ModelLimits.Model"/>).</summary>
    public IList<ModelLimits> Models { get; set; } = new List<ModelLimits>();

    /// <summary>Whether a <c>ThrottlingException</c> lowers the model's send rate (AWS adaptive retry mode; default <see langword="true"/>).</summary>
    public bool AdaptiveThrottling { get; set; } = true;

    /// <summary>
    /// How many times a call that still ends in <c>ThrottlingException</c> after the inner client's own retries is sent
    /// again, each time through the lowered adaptive rate (default 4). 0 hands the throttle straight to the caller.
    /// </summary>
    public int MaxThrottleRetries { get; set; } = 4;

    /// <summary>Adds limits for one model ID, or for a prefix ending in <c>*</c>.</summary>
    /// <param name="model">The model ID or prefix.</param>
    /// <param name="configure">Sets the limits.</param>
    /// <returns>These options.</returns>
    public BedrockLimitsOptions ForModel(string model, Action<ModelLimits> configure)
    {
        ArgumentException.ThrowIfNullOrEmpty(model);
        ArgumentNullException.ThrowIfNull(configure);
        var limits = new ModelLimits { Model = model };
        configure(limits);
        Models.Add(limits);
        return this;
    }

    /// <summary>A deep copy of these options.</summary>
    public BedrockLimitsOptions Clone() => new()
    {
        Default = (Default ?? new ModelLimits()).Clone(),
        Models = (Models ?? []).Select(static m => m.Clone()).ToList(),
        AdaptiveThrottling = AdaptiveThrottling,
        MaxThrottleRetries = MaxThrottleRetries,
    };

    /// <summary>The limits that apply to <paramref name="modelId"/>: an exact entry, else the longest matching prefix, else <see cref="Default"/>.</summary>
    /// <param name="modelId">The model ID as passed to the client.</param>
    public ModelLimits Resolve(string modelId)
    {
        ArgumentNullException.ThrowIfNull(modelId);
        ModelLimits? best = null;
        int bestLength = -1;
        foreach (ModelLimits limits in Models ?? [])
        {
            string? key = limits.Model;
            if (string.IsNullOrEmpty(key))
            {
                continue;
            }

            if (key[^1] != '*')
            {
                if (string.Equals(key, modelId, StringComparison.Ordinal))
                {
                    return limits;
                }
            }
            else if (key.Length - 1 > bestLength && modelId.StartsWith(key.AsSpan(0, key.Length - 1), StringComparison.Ordinal))
            {
                best = limits;
                bestLength = key.Length - 1;
            }
        }

        return best ?? Default ?? new ModelLimits();
    }

    internal void Validate()
    {
        if (MaxThrottleRetries < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxThrottleRetries), MaxThrottleRetries, "MaxThrottleRetries must not be negative.");
        }

        (Default ?? new ModelLimits()).Validate("BedrockLimitsOptions.Default");
        foreach (ModelLimits limits in Models ?? [])
        {
            if (string.IsNullOrEmpty(limits.Model))
            {
                throw new ArgumentException("Every entry of BedrockLimitsOptions.Models needs a Model (an ID, or a prefix ending in '*').", nameof(Models));
            }

            limits.Validate("Limits of " + limits.Model);
        }
    }
}
