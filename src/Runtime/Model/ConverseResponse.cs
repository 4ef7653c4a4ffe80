using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace PromptGen;

/// <summary>The body of a successful Converse response.</summary>
public sealed class ConverseResponse
{
    /// <summary>The output (a union; only <see cref="ConverseOutput.Message"/> exists today).</summary>
    public ConverseOutput? Output { get; set; }

    /// <summary>Why generation stopped.</summary>
    public StopReason StopReason { get; set; }

    /// <summary>Token usage.</summary>
    public TokenUsage? Usage { get; set; }

    /// <summary>Latency.</summary>
    public ConverseMetrics? Metrics { get; set; }

    /// <summary>Model-specific fields asked for with <see cref="ConverseRequest.AdditionalModelResponseFieldPaths"/>.</summary>
    public JsonNode? AdditionalModelResponseFields { get; set; }

    /// <summary>Guardrail and prompt-router trace.</summary>
    public ConverseTrace? Trace { get; set; }

    /// <summary>The latency setting that actually served the request.</summary>
    public PerformanceConfiguration? PerformanceConfig { get; set; }

    /// <summary>The service tier that served the request.</summary>
    public ServiceTier? ServiceTier { get; set; }

    /// <summary>The assistant message (null if the output held none).</summary>
    [JsonIgnore]
    public Message? Message => Output?.Message;

    /// <summary>The text blocks of the output message joined together (no separator); empty if none.</summary>
    [JsonIgnore]
    public string OutputText => ContentBlock.JoinText(Output?.Message?.Content);
}

/// <summary>The output of a Converse call (a union).</summary>
public sealed class ConverseOutput
{
    /// <summary>The generated message.</summary>
    public Message? Message { get; set; }
}

/// <summary>Token counts for one call.</summary>
public sealed class TokenUsage
{
    /// <summary>Input tokens (excluding cache reads and writes).</summary>
    public int InputTokens { get; set; }

    /// <summary>Generated tokens.</summary>
    public int OutputTokens { get; set; }

    /// <summary>The total Bedrock reports.</summary>
    public int TotalTokens { get; set; }

    /// <summary>Input tokens read from the prompt cache, when reported.</summary>
    public int? CacheReadInputTokens { get; set; }

    /// <summary>Input tokens written to the prompt cache, when reported.</summary>
    public int? CacheWriteInputTokens { get; set; }

    /// <summary>Cache writes by time to live, when reported.</summary>
    public IList<CacheDetail>? CacheDetails { get; set; }
}

/// <summary>Cache writes for one time to live.</summary>
public sealed class CacheDetail
{
    /// <summary><c>5m</c> or <c>1h</c>.</summary>
    public string? Ttl { get; set; }

    /// <summary>Tokens written with that time to live.</summary>
    public int InputTokens { get; set; }
}

/// <summary>Call metrics.</summary>
public sealed class ConverseMetrics
{
    /// <summary>Latency in milliseconds as measured by Bedrock.</summary>
    public long LatencyMs { get; set; }
}

/// <summary>Trace information.</summary>
public sealed class ConverseTrace
{
    /// <summary>The guardrail assessment, kept as raw JSON (its shape is large and changes often).</summary>
    public JsonObject? Guardrail { get; set; }

    /// <summary>The prompt router's choice.</summary>
    public PromptRouterTrace? PromptRouter { get; set; }
}

/// <summary>Which model a prompt router invoked.</summary>
public sealed class PromptRouterTrace
{
    /// <summary>The invoked model's ARN.</summary>
    public string? InvokedModelId { get; set; }
}
