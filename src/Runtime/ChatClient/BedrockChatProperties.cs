namespace PromptGen;

/// <summary>
/// Keys of <see cref="Microsoft.Extensions.AI.ChatOptions.AdditionalProperties"/> that <see cref="BedrockChatClient"/>
/// reads for Bedrock settings <see cref="Microsoft.Extensions.AI.ChatOptions"/> has no property for, and of the
/// <c>AdditionalProperties</c> it sets on responses. Each key is the Converse field's wire name. Other keys are ignored.
/// </summary>
public static class BedrockChatProperties
{
    /// <summary>
    /// Request: latency-optimized inference, a <see cref="PromptGen.PerformanceConfiguration"/> or the string
    /// <c>optimized</c> / <c>standard</c>. Response: the <see cref="PromptGen.PerformanceConfiguration"/> that served the call.
    /// </summary>
    public const string PerformanceConfig = "performanceConfig";

    /// <summary>
    /// Request: the service tier, a <see cref="PromptGen.ServiceTier"/> or its wire string (<c>priority</c>, <c>default</c>,
    /// <c>flex</c>, <c>reserved</c>). Response: the <see cref="PromptGen.ServiceTier"/> that served the call.
    /// </summary>
    public const string ServiceTier = "serviceTier";

    /// <summary>Request: a <see cref="GuardrailConfiguration"/> to apply.</summary>
    public const string GuardrailConfig = "guardrailConfig";

    /// <summary>Request: key/value pairs for the invocation log, an <c>IEnumerable&lt;KeyValuePair&lt;string, string&gt;&gt;</c>.</summary>
    public const string RequestMetadata = "requestMetadata";

    /// <summary>
    /// Request: model-native fields, a <see cref="System.Text.Json.Nodes.JsonObject"/> or a JSON-object
    /// <see cref="System.Text.Json.JsonElement"/>, merged over what the chat client derives (top-k) — for example
    /// <c>{"thinking":{"type":"enabled","budget_tokens":2048}}</c>.
    /// </summary>
    public const string AdditionalModelRequestFields = "additionalModelRequestFields";

    /// <summary>
    /// Request: JSON Pointers of extra model response fields to return (an <c>IEnumerable&lt;string&gt;</c>).
    /// Response: those fields, a <see cref="System.Text.Json.Nodes.JsonNode"/>.
    /// </summary>
    public const string AdditionalModelResponseFieldPaths = "additionalModelResponseFieldPaths";

    /// <summary>Response: the model-specific fields asked for with <see cref="AdditionalModelResponseFieldPaths"/>.</summary>
    public const string AdditionalModelResponseFields = "additionalModelResponseFields";

    /// <summary>Request: output effort (<c>low</c>, <c>medium</c>, <c>high</c>, <c>xhigh</c>, <c>max</c>) for models that take <c>outputConfig.effort</c>.</summary>
    public const string Effort = "effort";

    /// <summary>
    /// Request: prompt caching. <see langword="true"/> or a time to live (<c>5m</c>, <c>1h</c>) puts a cache checkpoint
    /// after the system prompt and after the tools, where the request has them.
    /// </summary>
    public const string PromptCaching = "promptCaching";

    /// <summary>Response: Bedrock's own latency measurement in milliseconds (a <see cref="long"/>).</summary>
    public const string LatencyMs = "latencyMs";

    /// <summary>Response: the guardrail and prompt-router trace (a <see cref="ConverseTrace"/>), when Bedrock sent one.</summary>
    public const string Trace = "trace";

    /// <summary>Usage: input tokens read from the prompt cache (a key of <c>UsageDetails.AdditionalCounts</c>).</summary>
    public const string CacheReadInputTokens = "CacheReadInputTokens";

    /// <summary>Usage: input tokens written to the prompt cache (a key of <c>UsageDetails.AdditionalCounts</c>).</summary>
    public const string CacheWriteInputTokens = "CacheWriteInputTokens";
}
