using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using PromptGen.Tests;

namespace PromptGen.Runtime.Tests.Model;

/// <summary>
/// Every event payload in bedrock-runtime/derived/**/*.decoded.json (decoded by botocore from the recorded streams)
/// parses via <see cref="ConverseStreamEventParser"/>, and the reassembled stream gives the recorded values.
/// </summary>
public class StreamEventVectorTests
{
    // name -> frames, stopReason, input/output/total tokens, latencyMs, text length, text start.
    // Values from botocore's decoding of the recorded streams (see PROVENANCE.md 3f).
    public static TheoryData<string, int, string?, int, int, int, long, int, string> Streams() => new()
    {
        { "openinference-js/should-handle-ai21-jamba-models-with-streaming.0", 105, "max_tokens", 15, 100, 115, 1528, 586, " Artificial intelligence (AI) refers to " },
        { "openinference-js/should-handle-amazon-nova-models-with-streaming.0", 44, "max_tokens", 5, 100, 105, 753, 518, "Photosynthesis is the process by which g" },
        { "openinference-js/should-handle-amazon-titan-models-with-streaming.0", 6, "max_tokens", 11, 100, 111, 5147, 515, "\n\nCloud computing offers several benefit" },
        { "openinference-js/should-handle-basic-converse-stream-responses.0", 16, "end_turn", 13, 35, 48, 1118, 130, "Hello! As an AI language model, I don't " },
        { "openinference-js/should-handle-cohere-command-models-with-streaming.0", 102, "max_tokens", 6, 98, 104, 1168, 594, "Machine learning is a fascinating field " },
        { "openinference-js/should-handle-large-payloads-and-edge-cases-in-streaming.0", 84, "end_turn", 3569, 713, 4282, 13369, 3037, "This is a large test message. This is a " },
        { "openinference-js/should-handle-meta-llama-models-with-streaming.0", 104, "max_tokens", 21, 100, 121, 1080, 457, "\n\nQuantum computing is a new way of proc" },
        { "openinference-js/should-handle-mistral-models-with-streaming.0", 25, "end_turn", 15, 21, 36, 336, 73, " Silent screens glow,\n\nConnecting hearts" },
        { "openinference-js/should-handle-multi-modal-content-in-streaming-responses.0", 64, "end_turn", 24, 230, 254, 6766, 944, "This image shows a simple, hand-drawn sk" },
        { "openinference-js/should-handle-streaming-tool-calls-and-responses.0", 27, "tool_use", 414, 114, 528, 3504, 180, "I can certainly help you with the weathe" },
        { "openinference-js/should-handle-system-prompts-with-streaming-responses.0", 6, "end_turn", 37, 14, 51, 639, 48, "The capital of France is Paris. Hope thi" },
        { "openinference-js/should-propagate-context-attributes-in-streaming.0", 12, "end_turn", 13, 35, 48, 1493, 130, "Hello! As an AI language model, I don't " },
        { "pydantic-ai/test_bedrock_model_code_execution_tool_stream.0", 12, "tool_use", 1002, 59, 1061, 1600, 0, "" },
        { "pydantic-ai/test_bedrock_model_iter_stream.0", 26, "tool_use", 471, 91, 562, 422, 283, "<thinking> To find the temperature of th" },
        { "pydantic-ai/test_bedrock_model_iter_stream.1", 9, "end_turn", 577, 18, 595, 223, 65, "The current temperature in Paris, the ca" },
        { "pydantic-ai/test_bedrock_model_stream.0", 33, "end_turn", 13, 82, 95, 522, 375, "The capital of France is Paris. Paris is" },
        { "pydantic-ai/test_bedrock_model_stream_empty_text_delta.0", 10, "end_turn", 70, 43, 113, 753, 32, "Hello! How can I help you today?" },
        { "pydantic-ai/test_bedrock_model_stream_with_extra_headers.0", 12, "end_turn", 2, 32, 34, 660, 121, "Hello! How can I assist you today? Wheth" },
        { "pydantic-ai/test_bedrock_model_thinking_part_redacted_stream.0", 18, "end_turn", 92, 253, 345, 8069, 359, "I notice you've sent what appears to be " },
        { "pydantic-ai/test_bedrock_model_thinking_part_stream.0", 25, "end_turn", 36, 73, 109, 1999, 55, "Hello! It's nice to meet you. How can I " },
        { "pydantic-ai/test_stream_cancel.0", 34, "end_turn", 13, 85, 98, 820, 393, "The capital of France is Paris. Paris is" },
    };

    // InvokeModelWithResponseStream recordings: ":event-type=chunk" is not a ConverseStream event.
    public static TheoryData<string, int> ChunkStreams() => new()
    {
        { "openinference-js/should-handle-amazon-nova-streaming.0", 125 },
        { "openinference-js/should-handle-amazon-titan-streaming.0", 2 },
        { "openinference-js/should-handle-invoke-model-with-response-stream.0", 26 },
        { "openinference-js/should-handle-meta-llama-streaming.0", 120 },
        { "openinference-js/should-handle-streaming-responses-with-tool-calls.0", 27 },
    };

    [Fact]
    public void EveryDerivedStreamIsCovered()
    {
        string dir = TestPaths.Vector("bedrock-runtime", "derived");
        var onDisk = Directory.GetFiles(dir, "*.decoded.json", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(dir, f).Replace('\\', '/').Replace(".decoded.json", string.Empty, StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .ToList();
        var covered = Streams().Select(r => (string)r[0]).Concat(ChunkStreams().Select(r => (string)r[0])).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(onDisk, covered);
    }

    private sealed class Reassembled
    {
        public readonly SortedDictionary<int, StringBuilder> Text = new();
        public readonly SortedDictionary<int, StringBuilder> ToolInput = new();
        public readonly SortedDictionary<int, StringBuilder> Reasoning = new();
        public readonly Dictionary<int, string> Signature = new();
        public readonly Dictionary<int, ToolUseBlockStart> ToolStarts = new();
        public readonly List<ToolResultBlockDelta> ToolResults = new();
        public int RedactedCount;
        public MessageStopEvent? Stop;
        public MetadataEvent? Metadata;
        public string? Role;
        public int Events;

        public string AllText => string.Concat(Text.Values.Select(v => v.ToString()));
    }

    private static (Reassembled Ours, JsonNode Decoded) Run(string name)
    {
        string path = TestPaths.Vector("bedrock-runtime", "derived", name + ".decoded.json");
        JsonNode decoded = JsonNode.Parse(File.ReadAllText(path))!;
        var r = new Reassembled();
        foreach (JsonNode? message in decoded["messages"]!.AsArray())
        {
            Assert.Equal("event", message!["headers"]![":message-type"]!.GetValue<string>());
            string eventType = message["headers"]![":event-type"]!.GetValue<string>();
            byte[] payload = message["payload"]!["json"] is JsonNode json
                ? Encoding.UTF8.GetBytes(json.ToJsonString())
                : Convert.FromBase64String(message["payload"]!["b64"]!.GetValue<string>());
            ConverseStreamEvent? ev = ConverseStreamEventParser.Parse(eventType, payload);
            if (ev is null)
            {
                continue;
            }

            r.Events++;
            Assert.Equal(eventType, ev.EventType);
            switch (ev)
            {
                case MessageStartEvent start:
                    r.Role = start.Role;
                    break;
                case ContentBlockStartEvent blockStart:
                    if (blockStart.Start!.ToolUse is ToolUseBlockStart tool)
                    {
                        r.ToolStarts[blockStart.ContentBlockIndex] = tool;
                    }

                    break;
                case ContentBlockDeltaEvent delta:
                    ContentBlockDelta d = delta.Delta!;
                    if (d.Text is not null)
                    {
                        Get(r.Text, delta.ContentBlockIndex).Append(d.Text);
                    }

                    if (d.ToolUse is not null)
                    {
                        Get(r.ToolInput, delta.ContentBlockIndex).Append(d.ToolUse.Input);
                    }

                    if (d.ReasoningContent is { } rc)
                    {
                        if (rc.Text is not null)
                        {
                            Get(r.Reasoning, delta.ContentBlockIndex).Append(rc.Text);
                        }

                        if (rc.Signature is not null)
                        {
                            r.Signature[delta.ContentBlockIndex] = rc.Signature;
                        }

                        if (rc.RedactedContent is { Length: > 0 })
                        {
                            r.RedactedCount++;
                        }
                    }

                    if (d.ToolResult is not null)
                    {
                        r.ToolResults.AddRange(d.ToolResult);
                    }

                    break;
                case MessageStopEvent stop:
                    r.Stop = stop;
                    break;
                case MetadataEvent metadata:
                    r.Metadata = metadata;
                    break;
                case ContentBlockStopEvent:
                    break;
                default:
                    Assert.Fail("Unexpected event " + ev.GetType());
                    break;
            }
        }

        return (r, decoded);
    }

    private static StringBuilder Get(SortedDictionary<int, StringBuilder> map, int index)
    {
        if (!map.TryGetValue(index, out StringBuilder? sb))
        {
            map[index] = sb = new StringBuilder();
        }

        return sb;
    }

    [Theory]
    [MemberData(nameof(Streams))]
    public void RecordedStreamParses(string name, int frames, string? stopReason, int inputTokens, int outputTokens, int totalTokens, long latencyMs, int textLength, string textStart)
    {
        (Reassembled r, JsonNode decoded) = Run(name);

        Assert.Equal(frames, decoded["message_count"]!.GetValue<int>());
        Assert.Equal(frames, r.Events);
        Assert.Equal("assistant", r.Role);
        Assert.Equal(stopReason, r.Stop!.StopReason.Value);
        Assert.Equal(inputTokens, r.Metadata!.Usage!.InputTokens);
        Assert.Equal(outputTokens, r.Metadata.Usage.OutputTokens);
        Assert.Equal(totalTokens, r.Metadata.Usage.TotalTokens);
        Assert.Equal(latencyMs, r.Metadata.Metrics!.LatencyMs);
        Assert.Equal(textLength, r.AllText.Length);
        Assert.StartsWith(textStart, r.AllText, StringComparison.Ordinal);

        // The reassembled text equals the concatenation of the raw text deltas, byte for byte.
        string rawText = string.Concat(decoded["messages"]!.AsArray()
            .Where(m => m!["headers"]![":event-type"]!.GetValue<string>() == "contentBlockDelta")
            .Select(m => m!["payload"]!["json"]!["delta"]!["text"]?.GetValue<string>() ?? string.Empty));
        Assert.Equal(rawText, r.AllText);
    }

    [Theory]
    [MemberData(nameof(ChunkStreams))]
    public void InvokeModelChunkEventsAreNotConverseEvents(string name, int frames)
    {
        (Reassembled r, JsonNode decoded) = Run(name);
        Assert.Equal(frames, decoded["message_count"]!.GetValue<int>());
        Assert.Equal(0, r.Events);
    }

    [Fact]
    public void ToolCallStream_ReassemblesToolInput()
    {
        (Reassembled r, _) = Run("openinference-js/should-handle-streaming-tool-calls-and-responses.0");
        ToolUseBlockStart tool = Assert.Single(r.ToolStarts).Value;
        Assert.Equal(1, r.ToolStarts.Keys.Single());
        Assert.False(string.IsNullOrEmpty(tool.ToolUseId));
        Assert.Equal("{\"location\": \"San Francisco, CA\", \"unit\": \"fahrenheit\"}", r.ToolInput[1].ToString());
        Assert.Equal(StopReason.ToolUse, r.Stop!.StopReason);
    }

    [Fact]
    public void CodeExecutionStream_ServerToolUseAndToolResult()
    {
        (Reassembled r, _) = Run("pydantic-ai/test_bedrock_model_code_execution_tool_stream.0");
        Assert.Equal("nova_code_interpreter", r.ToolStarts[0].Name);
        Assert.Equal("tooluse_VQNZJRUFMoqZzszVsRd4og", r.ToolStarts[0].ToolUseId);
        Assert.Equal("server_tool_use", r.ToolStarts[0].Type);
        Assert.Equal("{\"snippet\":\"1234 * 5678\"}", r.ToolInput[0].ToString());
        Assert.Equal("final_result", r.ToolStarts[2].Name);
        Assert.Equal("{\"result\":7006652.0}", r.ToolInput[2].ToString());
        ToolResultBlockDelta result = Assert.Single(r.ToolResults);
        Assert.Equal("7006652", result.Json!["stdOut"]!.GetValue<string>());
        Assert.Equal(0, result.Json["exitCode"]!.GetValue<int>());
    }

    [Fact]
    public void ThinkingStream_ReasoningTextThenSignature()
    {
        (Reassembled r, _) = Run("pydantic-ai/test_bedrock_model_thinking_part_stream.0");
        Assert.Equal(193, r.Reasoning[0].Length);
        Assert.Equal(496, r.Signature[0].Length);
        Assert.False(r.Text.ContainsKey(0));
        Assert.Equal("Hello! It's nice to meet you. How can I help you today?", r.AllText);
    }

    [Fact]
    public void RedactedThinkingStream_DecodesRedactedContent()
    {
        (Reassembled r, _) = Run("pydantic-ai/test_bedrock_model_thinking_part_redacted_stream.0");
        Assert.Equal(2, r.RedactedCount);
    }

    [Fact]
    public void EmptyTextDeltaStream_KeepsReasoningAndText()
    {
        (Reassembled r, _) = Run("pydantic-ai/test_bedrock_model_stream_empty_text_delta.0");
        Assert.Equal(119, r.Reasoning[1].Length);
        Assert.Equal("Hello! How can I help you today?", r.AllText);
    }

    [Fact]
    public void PaddingAndUnknownMembersAreIgnored()
    {
        var ev = Assert.IsType<ContentBlockDeltaEvent>(ConverseStreamEventParser.Parse(
            "contentBlockDelta",
            """{"contentBlockIndex":3,"delta":{"text":"hi","futureDelta":{"a":[1]}},"p":"abcdefghijklmnopqrstuvwxyz","new":{"x":1}}"""u8));
        Assert.Equal(3, ev.ContentBlockIndex);
        Assert.Equal("hi", ev.Delta!.Text);

        var unknownDelta = Assert.IsType<ContentBlockDeltaEvent>(ConverseStreamEventParser.Parse(
            "contentBlockDelta", """{"contentBlockIndex":0,"delta":{"hologram":{"x":1}}}"""u8));
        Assert.Null(unknownDelta.Delta!.Text);
        Assert.Null(unknownDelta.Delta.ToolUse);

        var stop = Assert.IsType<MessageStopEvent>(ConverseStreamEventParser.Parse(
            "messageStop", """{"stopReason":"end_turn","additionalModelResponseFields":{"delta":{"stop_sequence":null}},"p":"ab"}"""u8));
        Assert.Equal(StopReason.EndTurn, stop.StopReason);
        Assert.Equal(JsonValueKind.Null, stop.AdditionalModelResponseFields!["delta"]!["stop_sequence"]?.GetValueKind() ?? JsonValueKind.Null);

        var meta = Assert.IsType<MetadataEvent>(ConverseStreamEventParser.Parse(
            "metadata",
            """{"metrics":{"latencyMs":2281},"usage":{"inputTokens":51,"outputTokens":94,"serverToolUsage":{},"totalTokens":145},"performanceConfig":{"latency":"optimized"},"serviceTier":{"type":"flex"}}"""u8));
        Assert.Equal((51, 94, 145), (meta.Usage!.InputTokens, meta.Usage.OutputTokens, meta.Usage.TotalTokens));
        Assert.Equal(2281L, meta.Metrics!.LatencyMs);
        Assert.Equal("optimized", meta.PerformanceConfig!.Latency);
        Assert.Equal("flex", meta.ServiceTier!.Type);

        Assert.Null(ConverseStreamEventParser.Parse("someFutureEvent", """{"x":1}"""u8));
        Assert.Null(ConverseStreamEventParser.Parse("chunk", """{"bytes":"e30=","p":"abc"}"""u8));
    }

    [Fact]
    public void MalformedPayloadThrowsJsonException()
    {
        Assert.ThrowsAny<JsonException>(() => ConverseStreamEventParser.Parse("contentBlockDelta", "{\"contentBlockIndex\":"u8));
        Assert.ThrowsAny<JsonException>(() => ConverseStreamEventParser.Parse("messageStart", "null"u8));
        Assert.ThrowsAny<JsonException>(() => ConverseStreamEventParser.Parse("metadata", ""u8));
    }
}
