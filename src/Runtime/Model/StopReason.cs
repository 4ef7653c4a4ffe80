using System.Text.Json;
using System.Text.Json.Serialization;

namespace PromptGen;

/// <summary>
/// Why the model stopped generating. Wraps the wire string so that values Bedrock adds later are kept as-is
/// (compare against the known statics, or read <see cref="Value"/>); an unknown value is never an error.
/// </summary>
[JsonConverter(typeof(StopReasonJsonConverter))]
public readonly struct StopReason : IEquatable<StopReason>
{
    private readonly string? _value;

    /// <summary>Creates a stop reason from its wire value (for example <c>end_turn</c>).</summary>
    /// <param name="value">The wire value.</param>
    public StopReason(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        _value = value;
    }

    /// <summary>The model finished its turn (<c>end_turn</c>).</summary>
    public static StopReason EndTurn { get; } = new("end_turn");

    /// <summary>The model asked to call one or more tools (<c>tool_use</c>).</summary>
    public static StopReason ToolUse { get; } = new("tool_use");

    /// <summary>Generation hit the maxTokens limit (<c>max_tokens</c>).</summary>
    public static StopReason MaxTokens { get; } = new("max_tokens");

    /// <summary>Generation produced one of the stop sequences (<c>stop_sequence</c>).</summary>
    public static StopReason StopSequence { get; } = new("stop_sequence");

    /// <summary>A guardrail intervened (<c>guardrail_intervened</c>).</summary>
    public static StopReason GuardrailIntervened { get; } = new("guardrail_intervened");

    /// <summary>Content was filtered (<c>content_filtered</c>).</summary>
    public static StopReason ContentFiltered { get; } = new("content_filtered");

    /// <summary>The model produced malformed output (<c>malformed_model_output</c>).</summary>
    public static StopReason MalformedModelOutput { get; } = new("malformed_model_output");

    /// <summary>The model produced a malformed tool call (<c>malformed_tool_use</c>).</summary>
    public static StopReason MalformedToolUse { get; } = new("malformed_tool_use");

    /// <summary>The conversation exceeded the model's context window (<c>model_context_window_exceeded</c>).</summary>
    public static StopReason ModelContextWindowExceeded { get; } = new("model_context_window_exceeded");

    /// <summary>The wire value; an empty string for a default (unset) instance.</summary>
    public string Value => _value ?? string.Empty;

    /// <summary>True when this is one of the values this library version knows.</summary>
    public bool IsKnown => Value switch
    {
        "end_turn" or "tool_use" or "max_tokens" or "stop_sequence" or "guardrail_intervened" or "content_filtered"
            or "malformed_model_output" or "malformed_tool_use" or "model_context_window_exceeded" => true,
        _ => false,
    };

    /// <summary>Compares by wire value (ordinal).</summary>
    public static bool operator ==(StopReason left, StopReason right) => left.Equals(right);

    /// <summary>Compares by wire value (ordinal).</summary>
    public static bool operator !=(StopReason left, StopReason right) => !left.Equals(right);

    /// <summary>Converts a wire value to a stop reason.</summary>
    public static implicit operator StopReason(string value) => new(value);

    /// <inheritdoc />
    public bool Equals(StopReason other) => string.Equals(Value, other.Value, StringComparison.Ordinal);

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is StopReason other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(Value);

    /// <summary>The wire value.</summary>
    public override string ToString() => Value;

    /// <summary>Returns the shared instance for a known value, else a new instance wrapping it.</summary>
    internal static StopReason FromWire(string value) => value switch
    {
        "end_turn" => EndTurn,
        "tool_use" => ToolUse,
        "max_tokens" => MaxTokens,
        "stop_sequence" => StopSequence,
        "guardrail_intervened" => GuardrailIntervened,
        "content_filtered" => ContentFiltered,
        "malformed_model_output" => MalformedModelOutput,
        "malformed_tool_use" => MalformedToolUse,
        "model_context_window_exceeded" => ModelContextWindowExceeded,
        _ => new StopReason(value),
    };
}

/// <summary>Reads and writes <see cref="StopReason"/> as a plain JSON string; unknown values are kept.</summary>
internal sealed class StopReasonJsonConverter : JsonConverter<StopReason>
{
    public override StopReason Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.String)
        {
            if (reader.ValueTextEquals("end_turn"u8))
            {
                return StopReason.EndTurn;
            }

            if (reader.ValueTextEquals("tool_use"u8))
            {
                return StopReason.ToolUse;
            }

            if (reader.ValueTextEquals("max_tokens"u8))
            {
                return StopReason.MaxTokens;
            }

            return StopReason.FromWire(reader.GetString()!);
        }

        // Anything that is not a string is not a value we understand; keep going rather than fail the response.
        reader.Skip();
        return default;
    }

    public override void Write(Utf8JsonWriter writer, StopReason value, JsonSerializerOptions options) =>
        writer.WriteStringValue(value.Value);
}
