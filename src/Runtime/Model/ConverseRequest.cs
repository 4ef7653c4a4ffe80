using System.Text.Json.Nodes;

namespace PromptGen;

/// <summary>
/// The body of a Converse or ConverseStream request. The model ID is not part of the body: it is passed
/// separately and goes in the request path.
/// </summary>
public sealed class ConverseRequest
{
    /// <summary>The conversation so far, oldest first.</summary>
    public IList<Message>? Messages { get; set; } = new List<Message>();

    /// <summary>System prompt blocks.</summary>
    public IList<SystemContentBlock>? System { get; set; }

    /// <summary>Common inference parameters.</summary>
    public InferenceConfiguration? InferenceConfig { get; set; }

    /// <summary>The tools the model may call.</summary>
    public ToolConfiguration? ToolConfig { get; set; }

    /// <summary>
    /// A guardrail to apply. For ConverseStream <see cref="GuardrailConfiguration.StreamProcessingMode"/> may also be set;
    /// leave it null for Converse.
    /// </summary>
    public GuardrailConfiguration? GuardrailConfig { get; set; }

    /// <summary>Model-native parameters that Converse has no field for (for example <c>top_k</c> or <c>thinking</c>).</summary>
    public JsonObject? AdditionalModelRequestFields { get; set; }

    /// <summary>JSON Pointers (RFC 6901) of extra model response fields to return in <see cref="ConverseResponse.AdditionalModelResponseFields"/>.</summary>
    public IList<string>? AdditionalModelResponseFieldPaths { get; set; }

    /// <summary>Values for the variables of a Prompt-management prompt (only with a prompt ARN as model ID).</summary>
    public IDictionary<string, PromptVariableValues>? PromptVariables { get; set; }

    /// <summary>Key/value pairs recorded with the invocation log (1..16 entries).</summary>
    public IDictionary<string, string>? RequestMetadata { get; set; }

    /// <summary>Latency-optimised inference selection.</summary>
    public PerformanceConfiguration? PerformanceConfig { get; set; }

    /// <summary>The service tier to run on.</summary>
    public ServiceTier? ServiceTier { get; set; }

    /// <summary>Structured output (a JSON schema the text must follow) and effort.</summary>
    public OutputConfiguration? OutputConfig { get; set; }
}

/// <summary>One system prompt block (a union: text, guard content or a cache point).</summary>
public sealed class SystemContentBlock
{
    /// <summary>System prompt text (non-empty).</summary>
    public string? Text { get; set; }

    /// <summary>Content for a guardrail to evaluate.</summary>
    public GuardrailConverseContentBlock? GuardContent { get; set; }

    /// <summary>A prompt-cache checkpoint.</summary>
    public CachePointBlock? CachePoint { get; set; }

    /// <summary>A text block.</summary>
    /// <param name="text">The system prompt text.</param>
    public static SystemContentBlock FromText(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return new SystemContentBlock { Text = text };
    }

    /// <summary>A default cache point block.</summary>
    public static SystemContentBlock CachePointDefault() => new() { CachePoint = CachePointBlock.Default };
}

/// <summary>Common inference parameters. Unset values use the model's defaults.</summary>
public sealed class InferenceConfiguration
{
    /// <summary>The maximum number of tokens to generate (at least 1).</summary>
    public int? MaxTokens { get; set; }

    /// <summary>Sampling temperature, 0..1.</summary>
    public float? Temperature { get; set; }

    /// <summary>Nucleus sampling probability mass, 0..1.</summary>
    public float? TopP { get; set; }

    /// <summary>Sequences that stop generation.</summary>
    public IList<string>? StopSequences { get; set; }
}

/// <summary>A guardrail to apply to the request.</summary>
public sealed class GuardrailConfiguration
{
    /// <summary>The guardrail ID or ARN.</summary>
    public string? GuardrailIdentifier { get; set; }

    /// <summary>The guardrail version: a number or <c>DRAFT</c>.</summary>
    public string? GuardrailVersion { get; set; }

    /// <summary><c>enabled</c>, <c>disabled</c> or <c>enabled_full</c>.</summary>
    public string? Trace { get; set; }

    /// <summary>ConverseStream only: <c>sync</c> or <c>async</c>.</summary>
    public string? StreamProcessingMode { get; set; }
}

/// <summary>The value of one prompt variable (a union).</summary>
public sealed class PromptVariableValues
{
    /// <summary>Text to substitute.</summary>
    public string? Text { get; set; }
}

/// <summary>Latency setting.</summary>
public sealed class PerformanceConfiguration
{
    /// <summary><c>standard</c> or <c>optimized</c> (see <see cref="PerformanceLatency"/>).</summary>
    public string? Latency { get; set; }

    /// <summary>A configuration asking for latency-optimised inference.</summary>
    public static PerformanceConfiguration Optimized => new() { Latency = PerformanceLatency.Optimized };

    /// <summary>A configuration asking for standard inference.</summary>
    public static PerformanceConfiguration Standard => new() { Latency = PerformanceLatency.Standard };
}

/// <summary>Wire values of <see cref="PerformanceConfiguration.Latency"/>.</summary>
public static class PerformanceLatency
{
    /// <summary><c>standard</c>.</summary>
    public const string Standard = "standard";

    /// <summary><c>optimized</c>.</summary>
    public const string Optimized = "optimized";
}

/// <summary>A service tier.</summary>
public sealed class ServiceTier
{
    /// <summary><c>priority</c>, <c>default</c>, <c>flex</c> or <c>reserved</c>.</summary>
    public string Type { get; set; } = "default";

    /// <summary>The priority tier.</summary>
    public static ServiceTier Priority => new() { Type = "priority" };

    /// <summary>The default tier.</summary>
    public static ServiceTier Default => new() { Type = "default" };

    /// <summary>The flex tier.</summary>
    public static ServiceTier Flex => new() { Type = "flex" };

    /// <summary>The reserved tier.</summary>
    public static ServiceTier Reserved => new() { Type = "reserved" };
}

/// <summary>Output settings: structured output and effort.</summary>
public sealed class OutputConfiguration
{
    /// <summary>The text format the model must produce.</summary>
    public OutputFormat? TextFormat { get; set; }

    /// <summary>Effort: low, medium, high, xhigh or max.</summary>
    public string? Effort { get; set; }

    /// <summary>Structured output following a JSON schema.</summary>
    /// <param name="schema">The JSON Schema, as JSON text.</param>
    /// <param name="name">An optional schema name.</param>
    /// <param name="description">An optional schema description.</param>
    public static OutputConfiguration JsonSchema(string schema, string? name = null, string? description = null) => new()
    {
        TextFormat = new OutputFormat
        {
            Structure = new OutputFormatStructure
            {
                JsonSchema = new JsonSchemaDefinition { Schema = schema, Name = name, Description = description },
            },
        },
    };
}

/// <summary>A text format.</summary>
public sealed class OutputFormat
{
    /// <summary>The format type; <c>json_schema</c> is the only value.</summary>
    public string Type { get; set; } = "json_schema";

    /// <summary>The structure definition.</summary>
    public OutputFormatStructure Structure { get; set; } = new();
}

/// <summary>The structure of a text format (a union).</summary>
public sealed class OutputFormatStructure
{
    /// <summary>A JSON schema.</summary>
    public JsonSchemaDefinition? JsonSchema { get; set; }
}

/// <summary>A JSON schema definition for structured output.</summary>
public sealed class JsonSchemaDefinition
{
    /// <summary>The JSON Schema as JSON text (a string on the wire, not a document).</summary>
    public string Schema { get; set; } = string.Empty;

    /// <summary>An optional name.</summary>
    public string? Name { get; set; }

    /// <summary>An optional description.</summary>
    public string? Description { get; set; }
}
