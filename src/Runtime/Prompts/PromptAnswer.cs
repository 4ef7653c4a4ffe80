using System.ComponentModel;
using System.Text.Json.Serialization;

namespace PromptGen.Generated;

/// <summary>
/// What the model answered to one prompt call, read from Converse or collected from ConverseStream: the part of a call
/// that the response cache keeps. Immutable, so the in-memory cache tier hands out the same instance without copying.
/// </summary>
[ImmutableObject(true)]
internal sealed class PromptAnswer
{
    /// <summary>The answer's text (all text blocks joined).</summary>
    public string Text { get; init; } = string.Empty;

    /// <summary>Whether the model called a tool (structured output through a forced tool).</summary>
    public bool ToolCalled { get; init; }

    /// <summary>The chosen tool call's input as JSON text.</summary>
    public string? ToolInputJson { get; init; }

    /// <summary>Why generation stopped.</summary>
    public StopReason StopReason { get; init; }

    /// <summary>Token usage as Bedrock reported it.</summary>
    public PromptUsage Usage { get; init; } = PromptUsage.Empty;

    /// <summary>The latency mode Bedrock served, when it said.</summary>
    public string? LatencyMode { get; init; }

    /// <summary>
    /// Whether the answer is complete enough to serve again from the response cache: the model finished by itself, at a
    /// stop sequence or with a tool call. An answer cut at the token limit is not (a retry, or a later model version,
    /// may finish), nor are guardrail and content-filter stops, malformed output or stop reasons this version does not
    /// know.
    /// </summary>
    [JsonIgnore]
    public bool IsCacheable =>
        StopReason == StopReason.EndTurn || StopReason == StopReason.StopSequence || StopReason == StopReason.ToolUse;

    /// <summary>Reads a Converse response.</summary>
    /// <param name="response">The response.</param>
    /// <param name="toolName">The structured-output tool whose call is the answer, when several tools were called.</param>
    public static PromptAnswer From(ConverseResponse response, string toolName)
    {
        ToolUseBlock? chosen = null;
        foreach (ContentBlock block in response.Message?.Content ?? [])
        {
            if (block.ToolUse is { } toolUse && (chosen is null || (!string.Equals(chosen.Name, toolName, StringComparison.Ordinal)
                && string.Equals(toolUse.Name, toolName, StringComparison.Ordinal))))
            {
                chosen = toolUse;
            }
        }

        return new PromptAnswer
        {
            Text = response.OutputText,
            StopReason = response.StopReason,
            Usage = PromptUsage.From(response.Usage),
            LatencyMode = response.PerformanceConfig?.Latency,
            ToolCalled = chosen is not null,
            // Some models send the input as a JSON string holding the object; read what it holds.
            ToolInputJson = chosen is null ? null
                : chosen.Input is System.Text.Json.Nodes.JsonValue text && text.TryGetValue(out string? inner) ? inner
                : chosen.Input?.ToJsonString() ?? "null",
        };
    }
}

/// <summary>Source-generated JSON for the response cache's distributed tier (trimming- and AOT-safe).</summary>
[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(PromptAnswer))]
internal sealed partial class PromptCacheJsonContext : JsonSerializerContext
{
}
