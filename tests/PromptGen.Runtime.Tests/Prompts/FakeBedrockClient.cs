using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;

namespace PromptGen.Runtime.Tests.Prompts;

/// <summary>An <see cref="IBedrockClient"/> that records requests and answers with canned responses or stream events.</summary>
internal sealed class FakeBedrockClient : IBedrockClient
{
    public List<(string ModelId, ConverseRequest Request, bool Streamed)> Calls { get; } = new();

    public Func<ConverseRequest, ConverseResponse> Respond { get; set; } = _ => Text("ok");

    public Func<ConverseRequest, IEnumerable<ConverseStreamEvent>> Stream { get; set; } = _ => TextEvents("ok");

    /// <summary>Delay before the first stream event, so time to first token is measurable.</summary>
    public TimeSpan FirstEventDelay { get; set; }

    public ConverseRequest LastRequest => Calls[^1].Request;

    public JsonNode LastJson => JsonNode.Parse(BedrockJson.SerializeToUtf8Bytes(LastRequest))!;

    public Task<ConverseResponse> ConverseAsync(string modelId, ConverseRequest request, CancellationToken cancellationToken = default)
    {
        Calls.Add((modelId, request, false));
        return Task.FromResult(Respond(request));
    }

    public async IAsyncEnumerable<ConverseStreamEvent> ConverseStreamAsync(
        string modelId, ConverseRequest request, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        Calls.Add((modelId, request, true));
        bool first = true;
        foreach (ConverseStreamEvent e in Stream(request))
        {
            if (first && FirstEventDelay > TimeSpan.Zero)
            {
                await Task.Delay(FirstEventDelay, cancellationToken);
            }

            first = false;
            cancellationToken.ThrowIfCancellationRequested();
            yield return e;
        }
    }

    public Task<CountTokensResponse> CountTokensAsync(string modelId, CountTokensRequest request, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException();

    public static ConverseResponse Text(string text, string stopReason = "end_turn", string? latency = null) => new()
    {
        Output = new ConverseOutput { Message = Message.Assistant(text) },
        StopReason = new StopReason(stopReason),
        Usage = new TokenUsage { InputTokens = 11, OutputTokens = 7, TotalTokens = 18, CacheReadInputTokens = 3 },
        PerformanceConfig = latency is null ? null : new PerformanceConfiguration { Latency = latency },
    };

    public static ConverseResponse ToolCall(JsonNode? input, string name = "respond", string stopReason = "tool_use") => new()
    {
        Output = new ConverseOutput
        {
            Message = Message.Assistant(new ContentBlock { ToolUse = new ToolUseBlock { ToolUseId = "tooluse_1", Name = name, Input = input } }),
        },
        StopReason = new StopReason(stopReason),
        Usage = new TokenUsage { InputTokens = 20, OutputTokens = 9, TotalTokens = 29 },
    };

    public static IEnumerable<ConverseStreamEvent> TextEvents(string text, string stopReason = "end_turn", params string[] pieces)
    {
        yield return new MessageStartEvent();
        foreach (string piece in pieces.Length > 0 ? pieces : [text])
        {
            yield return new ContentBlockDeltaEvent { ContentBlockIndex = 0, Delta = new ContentBlockDelta { Text = piece } };
        }

        yield return new ContentBlockStopEvent { ContentBlockIndex = 0 };
        yield return new MessageStopEvent { StopReason = new StopReason(stopReason) };
        yield return new MetadataEvent
        {
            Usage = new TokenUsage { InputTokens = 5, OutputTokens = 4, TotalTokens = 9, CacheWriteInputTokens = 2 },
            PerformanceConfig = new PerformanceConfiguration { Latency = "optimized" },
        };
    }

    public static IEnumerable<ConverseStreamEvent> ToolEvents(string name, string stopReason, params string[] inputPieces)
    {
        yield return new MessageStartEvent();
        yield return new ContentBlockStartEvent
        {
            ContentBlockIndex = 0,
            Start = new ContentBlockStart { ToolUse = new ToolUseBlockStart { ToolUseId = "t1", Name = name } },
        };
        foreach (string piece in inputPieces)
        {
            yield return new ContentBlockDeltaEvent { ContentBlockIndex = 0, Delta = new ContentBlockDelta { ToolUse = new ToolUseBlockDelta { Input = piece } } };
        }

        yield return new ContentBlockStopEvent { ContentBlockIndex = 0 };
        yield return new MessageStopEvent { StopReason = new StopReason(stopReason) };
        yield return new MetadataEvent { Usage = new TokenUsage { InputTokens = 30, OutputTokens = 12, TotalTokens = 42 } };
    }
}
