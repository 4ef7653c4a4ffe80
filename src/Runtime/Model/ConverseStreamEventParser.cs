using System.Text.Json;

namespace PromptGen;

/// <summary>Turns the JSON payload of a ConverseStream <c>:message-type=event</c> message into a typed event.</summary>
internal static class ConverseStreamEventParser
{
    /// <summary>
    /// Parses one event payload. Returns null for an event type this library does not know (new event types must not
    /// break old clients). Unknown members, including Bedrock's <c>"p"</c> padding, are ignored. Throws
    /// <see cref="JsonException"/> when the payload is not valid JSON of the expected shape.
    /// </summary>
    /// <param name="eventType">The <c>:event-type</c> header value.</param>
    /// <param name="utf8Json">The message payload.</param>
    public static ConverseStreamEvent? Parse(string eventType, ReadOnlySpan<byte> utf8Json)
    {
        ArgumentNullException.ThrowIfNull(eventType);
        BedrockJsonContext context = BedrockJsonContext.Default;
        ConverseStreamEvent? result = eventType switch
        {
            "contentBlockDelta" => JsonSerializer.Deserialize(utf8Json, context.ContentBlockDeltaEvent),
            "messageStart" => JsonSerializer.Deserialize(utf8Json, context.MessageStartEvent),
            "contentBlockStart" => JsonSerializer.Deserialize(utf8Json, context.ContentBlockStartEvent),
            "contentBlockStop" => JsonSerializer.Deserialize(utf8Json, context.ContentBlockStopEvent),
            "messageStop" => JsonSerializer.Deserialize(utf8Json, context.MessageStopEvent),
            "metadata" => JsonSerializer.Deserialize(utf8Json, context.MetadataEvent),
            _ => null,
        };

        if (result is null && IsKnown(eventType))
        {
            throw new JsonException($"The {eventType} event payload was JSON null.");
        }

        return result;
    }

    private static bool IsKnown(string eventType) => eventType is "contentBlockDelta" or "messageStart" or "contentBlockStart"
        or "contentBlockStop" or "messageStop" or "metadata";
}
