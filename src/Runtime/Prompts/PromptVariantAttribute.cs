namespace PromptGen;

/// <summary>
/// Declares one arm of an A/B test on a prompt method. Each variant is the method's settings with this attribute's written
/// arguments on top (then the use case's preset and the model catalogue, like any <see cref="PromptAttribute"/>), resolved
/// and checked at build time. Every call of a method with variants runs exactly one of them: the same key (a user ID passed
/// in a <see cref="VariantKeyAttribute"/> parameter or through <see cref="PromptVariants.UseKey(string)"/>) always gets the
/// same variant, on every machine; without a key the variant is drawn at random by <see cref="Weight"/>. The variant that
/// served a call is <see cref="PromptResult{T}.Variant"/> and is in telemetry, so results can be compared.
/// </summary>
/// <remarks>
/// <para>
/// As with <see cref="PromptAttribute"/>, an argument that is not written takes the method's value; no sentinel values are
/// needed. To keep the method's own settings as one arm, declare a variant that overrides nothing:
/// <c>[PromptVariant("control")]</c>.
/// </para>
/// <para>
/// Changing, adding or removing a variant reassigns keys only in proportion to the weights that moved: a key's position is a
/// stable hash of the key and the method, mapped onto the variants' cumulative weights in declaration order.
/// </para>
/// </remarks>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = true, Inherited = false)]
public sealed class PromptVariantAttribute : Attribute
{
    /// <summary>Creates a variant.</summary>
    /// <param name="name">The variant's name, unique within the method (reported in results and telemetry).</param>
    public PromptVariantAttribute(string name)
    {
        Name = name;
    }

    /// <summary>The variant's name, unique within the method.</summary>
    public string Name { get; }

    /// <summary>The Bedrock model ID, cross-Region inference-profile ID or ARN for this variant. Not written: the method's model.</summary>
    public string? Model { get; set; }

    /// <summary>Sampling temperature for this variant. Not written: the method's value (or its preset).</summary>
    public double Temperature { get; set; }

    /// <summary>Nucleus-sampling probability mass for this variant. Not written: the method's value (or its preset).</summary>
    public double TopP { get; set; }

    /// <summary>Top-k sampling for this variant. Not written: the method's value.</summary>
    public int TopK { get; set; }

    /// <summary>The most tokens the model may generate in this variant. Not written: the method's value (or its preset).</summary>
    public int MaxTokens { get; set; }

    /// <summary>Asks for latency-optimized inference in this variant. Not written: the method's value.</summary>
    public bool LatencyOptimized { get; set; }

    /// <summary>
    /// The variant's share of calls relative to the other variants' weights (default 1: equal shares). Must be positive and
    /// finite (PG0102).
    /// </summary>
    public double Weight { get; set; } = 1;
}
