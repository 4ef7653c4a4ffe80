namespace PromptGen;

/// <summary>
/// Marks an interface whose methods PromptGen implements at build time with Amazon Bedrock calls, and sets the
/// inference settings of its methods. On the interface it gives the defaults of every method; on a method it overrides
/// them for that method.
/// </summary>
/// <remarks>
/// <para>
/// The generator reads which named arguments are <em>written</em>: an argument that is not written takes the value of
/// the method's <see cref="UseCase"/> preset (see <see cref="InferencePreset"/>), resolved against the model, or the
/// interface's value. The initial values of the properties below are therefore never used as settings, and no sentinel
/// values are needed: writing <c>Temperature = 0</c> asks for 0, leaving it out asks for the preset.
/// </para>
/// <para>
/// The attribute is read from metadata by the generator and the analyzers; it stays in the compiled assembly.
/// </para>
/// </remarks>
[AttributeUsage(AttributeTargets.Interface | AttributeTargets.Method, AllowMultiple = false, Inherited = false)]
public sealed class PromptAttribute : Attribute
{
    /// <summary>What the prompt is for; selects the inference preset (temperature, topP, maximum tokens).</summary>
    public UseCase UseCase { get; set; }

    /// <summary>The Bedrock model ID, cross-Region inference-profile ID or ARN.</summary>
    public string? Model { get; set; }

    /// <summary>Sampling temperature (0–1 for most models). Not written: the preset's value.</summary>
    public double Temperature { get; set; }

    /// <summary>Nucleus-sampling probability mass (0–1). Not written: the preset's value.</summary>
    public double TopP { get; set; }

    /// <summary>Top-k sampling, for models that accept it (sent through <c>additionalModelRequestFields</c>). Not written: not sent.</summary>
    public int TopK { get; set; }

    /// <summary>The most tokens the model may generate. Not written: the preset's value.</summary>
    public int MaxTokens { get; set; }

    /// <summary>Sequences that end generation. Not written: none.</summary>
    public string[]? StopSequences { get; set; }

    /// <summary>Asks for latency-optimized inference (<c>performanceConfig.latency = optimized</c>) where the model and Region offer it.</summary>
    public bool LatencyOptimized { get; set; }

    /// <summary>Marks the static part of the prompt (system prompt and template prefix) as a Bedrock prompt-cache checkpoint.</summary>
    public bool CachePrompt { get; set; }

    /// <summary>
    /// How long Bedrock keeps the prompt-cache checkpoints of <see cref="CachePrompt"/>: <c>"5m"</c> or <c>"1h"</c>, where
    /// the model offers it (PG0014 says when it does not; the TTL is then not sent). Not written: the model's default, 5 minutes.
    /// </summary>
    public string? CachePromptTtl { get; set; }

    /// <summary>Caches whole responses in PromptGen for identical requests (meant for deterministic prompts).</summary>
    public bool CacheResponse { get; set; }

    /// <summary>How long a cached response stays valid, in seconds, when <see cref="CacheResponse"/> is on.</summary>
    public int CacheResponseTtlSeconds { get; set; }
}
