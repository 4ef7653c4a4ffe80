using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.AI;

namespace PromptGen;

/// <summary>Turns Converse responses and their parts into Microsoft.Extensions.AI types.</summary>
internal static class ChatResponseMapper
{
    /// <summary>The whole response: the assistant message, finish reason, usage and Bedrock's extras.</summary>
    public static ChatResponse ToChatResponse(ConverseResponse response, string modelId)
    {
        var message = new ChatMessage(ChatRole.Assistant, new List<AIContent>()) { RawRepresentation = response.Message };
        if (response.Message?.Content is { } blocks)
        {
            foreach (ContentBlock block in blocks)
            {
                if (block is not null)
                {
                    message.Contents.Add(ToContent(block));
                }
            }
        }

        var result = new ChatResponse(message)
        {
            ModelId = modelId,
            CreatedAt = DateTimeOffset.UtcNow,
            FinishReason = ToFinishReason(response.StopReason),
            Usage = response.Usage is { } usage ? ToUsage(usage) : null,
            RawRepresentation = response,
        };

        AdditionalPropertiesDictionary? extras = null;
        AddExtras(ref extras, response.PerformanceConfig, response.ServiceTier, response.Metrics, response.Trace);
        if (response.AdditionalModelResponseFields is { } fields)
        {
            (extras ??= new())[BedrockChatProperties.AdditionalModelResponseFields] = fields;
        }

        result.AdditionalProperties = extras;
        return result;
    }

    /// <summary>Bedrock's stop reasons on M.E.AI's four finish reasons; values without an equivalent are kept as they are.</summary>
    public static ChatFinishReason? ToFinishReason(StopReason stopReason) => stopReason.Value switch
    {
        "" => null,
        "end_turn" or "stop_sequence" => ChatFinishReason.Stop,
        "max_tokens" or "model_context_window_exceeded" => ChatFinishReason.Length,
        "tool_use" => ChatFinishReason.ToolCalls,
        "content_filtered" or "guardrail_intervened" => ChatFinishReason.ContentFilter,
        _ => new ChatFinishReason(stopReason.Value),
    };

    /// <summary>
    /// Bedrock counts cache reads and writes apart from <c>inputTokens</c>; M.E.AI counts cached tokens as part of the
    /// input, so the input count is their sum, with the cache figures also under their Bedrock names.
    /// </summary>
    public static UsageDetails ToUsage(TokenUsage usage)
    {
        var details = new UsageDetails
        {
            InputTokenCount = usage.InputTokens + (usage.CacheReadInputTokens ?? 0) + (usage.CacheWriteInputTokens ?? 0),
            OutputTokenCount = usage.OutputTokens,
            TotalTokenCount = usage.TotalTokens,
            CachedInputTokenCount = usage.CacheReadInputTokens,
        };

        if (usage.CacheReadInputTokens is int read)
        {
            (details.AdditionalCounts ??= new())[BedrockChatProperties.CacheReadInputTokens] = read;
        }

        if (usage.CacheWriteInputTokens is int write)
        {
            (details.AdditionalCounts ??= new())[BedrockChatProperties.CacheWriteInputTokens] = write;
        }

        return details;
    }

    /// <summary>One output block; every content keeps its block as <see cref="AIContent.RawRepresentation"/>.</summary>
    public static AIContent ToContent(ContentBlock block)
    {
        AIContent content = block switch
        {
            { Text: { } text } => new TextContent(text),
            { ToolUse: { } toolUse } => FunctionCall(toolUse.ToolUseId, toolUse.Name, toolUse.Input?.ToJsonString()),
            { ReasoningContent.ReasoningText: { } reasoning } => new TextReasoningContent(reasoning.Text) { ProtectedData = reasoning.Signature },
            { ReasoningContent.RedactedContent: { } redacted } => new TextReasoningContent(string.Empty) { ProtectedData = Convert.ToBase64String(redacted) },
            { CitationsContent.Content: { } cited } => new TextContent(string.Concat(cited.Select(c => c.Text))),
            { Image: { Source.Bytes: { } bytes } image } => new DataContent(bytes, MediaTypeOfImage(image.Format)),
            _ => new AIContent(),
        };
        content.RawRepresentation = block;
        return content;
    }

    /// <summary>A tool call from its input JSON text; a parse failure is reported on the call's <c>Exception</c>, as M.E.AI expects.</summary>
    public static FunctionCallContent FunctionCall(string callId, string name, string? inputJson) =>
        FunctionCallContent.CreateFromParsedArguments(string.IsNullOrWhiteSpace(inputJson) ? "{}" : inputJson, callId, name, ParseArguments);

    /// <summary>A JSON object to argument values (each a <see cref="JsonElement"/>, which AIFunctions bind from).</summary>
    private static IDictionary<string, object?>? ParseArguments(string json)
    {
        using JsonDocument document = JsonDocument.Parse(json);
        if (document.RootElement.ValueKind != JsonValueKind.Object)
        {
            throw new JsonException($"The tool input is a JSON {document.RootElement.ValueKind}, not an object.");
        }

        var arguments = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (JsonProperty property in document.RootElement.EnumerateObject())
        {
            arguments[property.Name] = property.Value.Clone();
        }

        return arguments;
    }

    internal static void AddExtras(ref AdditionalPropertiesDictionary? extras, PerformanceConfiguration? performance, ServiceTier? tier, ConverseMetrics? metrics, ConverseTrace? trace)
    {
        if (performance is not null)
        {
            (extras ??= new())[BedrockChatProperties.PerformanceConfig] = performance;
        }

        if (tier is not null)
        {
            (extras ??= new())[BedrockChatProperties.ServiceTier] = tier;
        }

        if (metrics is not null)
        {
            (extras ??= new())[BedrockChatProperties.LatencyMs] = metrics.LatencyMs;
        }

        if (trace is not null)
        {
            (extras ??= new())[BedrockChatProperties.Trace] = trace;
        }
    }

    private static string MediaTypeOfImage(string format) => format switch
    {
        "png" => "image/png",
        "gif" => "image/gif",
        "webp" => "image/webp",
        _ => "image/jpeg",
    };
}

/// <summary>
/// Turns ConverseStream events into updates: one per text or reasoning delta, one per completed tool call (its input
/// assembled from the deltas), one with the finish reason, one with the usage. Events without content yield nothing.
/// </summary>
internal sealed class ChatStreamMapper
{
    private readonly string _modelId;
    private readonly Dictionary<int, PendingToolCall> _toolCalls = new();
    private ChatFinishReason? _finishReason;

    public ChatStreamMapper(string modelId) => _modelId = modelId;

    public ChatResponseUpdate? Map(ConverseStreamEvent streamEvent)
    {
        switch (streamEvent)
        {
            case ContentBlockStartEvent { Start.ToolUse: { } toolUse } start:
                _toolCalls[start.ContentBlockIndex] = new PendingToolCall(toolUse.ToolUseId, toolUse.Name);
                return null;

            case ContentBlockDeltaEvent { Delta: { } delta } deltaEvent:
                if (delta.Text is { } text)
                {
                    return Update(streamEvent, new TextContent(text) { RawRepresentation = delta });
                }

                if (delta.ToolUse is { } toolInput && _toolCalls.TryGetValue(deltaEvent.ContentBlockIndex, out PendingToolCall? call))
                {
                    call.Input.Append(toolInput.Input);
                    return null;
                }

                if (delta.ReasoningContent is { } reasoning)
                {
                    TextReasoningContent? piece = reasoning switch
                    {
                        { Text: { } reasoningText } => new TextReasoningContent(reasoningText),
                        { Signature: { } signature } => new TextReasoningContent(string.Empty) { ProtectedData = signature },
                        { RedactedContent: { } redacted } => new TextReasoningContent(string.Empty) { ProtectedData = Convert.ToBase64String(redacted) },
                        _ => null,
                    };
                    return piece is null ? null : Update(streamEvent, piece);
                }

                return null;

            case ContentBlockStopEvent stop when _toolCalls.Remove(stop.ContentBlockIndex, out PendingToolCall? completed):
                FunctionCallContent functionCall = ChatResponseMapper.FunctionCall(completed.Id, completed.Name, completed.Input.ToString());
                return Update(streamEvent, functionCall);

            case MessageStopEvent messageStop:
                _finishReason = ChatResponseMapper.ToFinishReason(messageStop.StopReason);
                ChatResponseUpdate final = Update(streamEvent, null);
                if (messageStop.AdditionalModelResponseFields is { } fields)
                {
                    final.AdditionalProperties = new() { [BedrockChatProperties.AdditionalModelResponseFields] = fields };
                }

                return final;

            case MetadataEvent metadata:
                ChatResponseUpdate usage = Update(streamEvent, metadata.Usage is { } tokens ? new UsageContent(ChatResponseMapper.ToUsage(tokens)) : null);
                AdditionalPropertiesDictionary? extras = null;
                ChatResponseMapper.AddExtras(ref extras, metadata.PerformanceConfig, metadata.ServiceTier, metadata.Metrics, metadata.Trace);
                usage.AdditionalProperties = extras;
                return usage;

            default:
                return null;
        }
    }

    private ChatResponseUpdate Update(ConverseStreamEvent streamEvent, AIContent? content) => new(ChatRole.Assistant, content is null ? new List<AIContent>() : [content])
    {
        ModelId = _modelId,
        CreatedAt = DateTimeOffset.UtcNow,
        FinishReason = _finishReason,
        RawRepresentation = streamEvent,
    };

    private sealed class PendingToolCall(string id, string name)
    {
        public string Id { get; } = id;

        public string Name { get; } = name;

        public StringBuilder Input { get; } = new();
    }
}
