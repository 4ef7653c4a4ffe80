using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace PromptGen;

/// <summary>
/// One event of a ConverseStream response. The concrete type tells which:
/// <see cref="MessageStartEvent"/>, <see cref="ContentBlockStartEvent"/>, <see cref="ContentBlockDeltaEvent"/>,
/// <see cref="ContentBlockStopEvent"/>, <see cref="MessageStopEvent"/> or <see cref="MetadataEvent"/>.
/// </summary>
public abstract class ConverseStreamEvent
{
    private protected ConverseStreamEvent()
    {
    }

    /// <summary>The wire event type (the <c>:event-type</c> header), for example <c>contentBlockDelta</c>.</summary>
    [JsonIgnore]
    public abstract string EventType { get; }
}

/// <summary>The start of the assistant message.</summary>
public sealed class MessageStartEvent : ConverseStreamEvent
{
    /// <inheritdoc />
    [JsonIgnore]
    public override string EventType => "messageStart";

    /// <summary>The role of the message being generated (normally <c>assistant</c>).</summary>
    public string Role { get; set; } = ConversationRole.Assistant;
}

/// <summary>
/// The start of a content block. Sent only for tool-use, tool-result and image blocks; text and reasoning blocks
/// begin directly with a delta.
/// </summary>
public sealed class ContentBlockStartEvent : ConverseStreamEvent
{
    /// <inheritdoc />
    [JsonIgnore]
    public override string EventType => "contentBlockStart";

    /// <summary>The index of the block in the message.</summary>
    public int ContentBlockIndex { get; set; }

    /// <summary>What starts (a union).</summary>
    public ContentBlockStart? Start { get; set; }
}

/// <summary>What a content block starts with (a union).</summary>
public sealed class ContentBlockStart
{
    /// <summary>A tool call.</summary>
    public ToolUseBlockStart? ToolUse { get; set; }

    /// <summary>A tool result (server-side tools).</summary>
    public ToolResultBlockStart? ToolResult { get; set; }

    /// <summary>An image.</summary>
    public ImageBlockStart? Image { get; set; }
}

/// <summary>The start of a tool call.</summary>
public sealed class ToolUseBlockStart
{
    /// <summary>The tool-use ID.</summary>
    public string ToolUseId { get; set; } = string.Empty;

    /// <summary>The tool name.</summary>
    public string Name { get; set; } = string.Empty;

    /// <summary>The tool-use type, for example <c>server_tool_use</c>.</summary>
    public string? Type { get; set; }
}

/// <summary>The start of a tool result.</summary>
public sealed class ToolResultBlockStart
{
    /// <summary>The tool-use ID.</summary>
    public string ToolUseId { get; set; } = string.Empty;

    /// <summary>The result type.</summary>
    public string? Type { get; set; }

    /// <summary><c>success</c> or <c>error</c>.</summary>
    public string? Status { get; set; }
}

/// <summary>The start of an image.</summary>
public sealed class ImageBlockStart
{
    /// <summary>The image format.</summary>
    public string? Format { get; set; }
}

/// <summary>A piece of a content block.</summary>
public sealed class ContentBlockDeltaEvent : ConverseStreamEvent
{
    /// <inheritdoc />
    [JsonIgnore]
    public override string EventType => "contentBlockDelta";

    /// <summary>The index of the block in the message.</summary>
    public int ContentBlockIndex { get; set; }

    /// <summary>The piece (a union).</summary>
    public ContentBlockDelta? Delta { get; set; }
}

/// <summary>A piece of a content block (a union).</summary>
public sealed class ContentBlockDelta
{
    /// <summary>A piece of text; concatenate the pieces.</summary>
    public string? Text { get; set; }

    /// <summary>A piece of tool input JSON text; concatenate, then parse at the block's stop.</summary>
    public ToolUseBlockDelta? ToolUse { get; set; }

    /// <summary>Pieces of a tool result.</summary>
    public IList<ToolResultBlockDelta>? ToolResult { get; set; }

    /// <summary>A piece of reasoning (text, then a final signature; or redacted content).</summary>
    public ReasoningContentBlockDelta? ReasoningContent { get; set; }

    /// <summary>A citation.</summary>
    public CitationsDelta? Citation { get; set; }

    /// <summary>An image.</summary>
    public ImageBlockDelta? Image { get; set; }
}

/// <summary>A piece of tool input.</summary>
public sealed class ToolUseBlockDelta
{
    /// <summary>Partial JSON text.</summary>
    public string Input { get; set; } = string.Empty;
}

/// <summary>A piece of a tool result (a union).</summary>
public sealed class ToolResultBlockDelta
{
    /// <summary>Text.</summary>
    public string? Text { get; set; }

    /// <summary>JSON.</summary>
    public JsonNode? Json { get; set; }
}

/// <summary>A piece of reasoning (a union).</summary>
public sealed class ReasoningContentBlockDelta
{
    /// <summary>Reasoning text.</summary>
    public string? Text { get; set; }

    /// <summary>Redacted reasoning (base64 on the wire).</summary>
    public byte[]? RedactedContent { get; set; }

    /// <summary>The signature of the reasoning text.</summary>
    public string? Signature { get; set; }
}

/// <summary>A citation piece.</summary>
public sealed class CitationsDelta
{
    /// <summary>The cited source's title.</summary>
    public string? Title { get; set; }

    /// <summary>The cited source.</summary>
    public string? Source { get; set; }

    /// <summary>The cited text.</summary>
    public IList<CitationSourceContent>? SourceContent { get; set; }

    /// <summary>Where the citation points.</summary>
    public CitationLocation? Location { get; set; }
}

/// <summary>An image piece.</summary>
public sealed class ImageBlockDelta
{
    /// <summary>The image source.</summary>
    public ImageSource? Source { get; set; }

    /// <summary>An error generating the image.</summary>
    public ErrorBlock? Error { get; set; }
}

/// <summary>The end of a content block.</summary>
public sealed class ContentBlockStopEvent : ConverseStreamEvent
{
    /// <inheritdoc />
    [JsonIgnore]
    public override string EventType => "contentBlockStop";

    /// <summary>The index of the block in the message.</summary>
    public int ContentBlockIndex { get; set; }
}

/// <summary>The end of the message.</summary>
public sealed class MessageStopEvent : ConverseStreamEvent
{
    /// <inheritdoc />
    [JsonIgnore]
    public override string EventType => "messageStop";

    /// <summary>Why generation stopped.</summary>
    public StopReason StopReason { get; set; }

    /// <summary>Model-specific response fields.</summary>
    public JsonNode? AdditionalModelResponseFields { get; set; }
}

/// <summary>Usage and metrics; normally the last event, but do not rely on its position.</summary>
public sealed class MetadataEvent : ConverseStreamEvent
{
    /// <inheritdoc />
    [JsonIgnore]
    public override string EventType => "metadata";

    /// <summary>Token usage.</summary>
    public TokenUsage? Usage { get; set; }

    /// <summary>Latency.</summary>
    public ConverseMetrics? Metrics { get; set; }

    /// <summary>Guardrail and prompt-router trace.</summary>
    public ConverseTrace? Trace { get; set; }

    /// <summary>The latency setting that served the request.</summary>
    public PerformanceConfiguration? PerformanceConfig { get; set; }

    /// <summary>The service tier that served the request.</summary>
    public ServiceTier? ServiceTier { get; set; }
}
