using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace PromptGen.Runtime.Tests.Model;

/// <summary>Every recorded Converse JSON response parses to the typed response with the recorded values.</summary>
public class ConverseResponseVectorTests
{
    public static TheoryData<string, int> ConverseResponses()
    {
        var data = new TheoryData<string, int>();
        foreach (RecordedExchange e in RecordedTraffic.ConverseSuccesses)
        {
            data.Add(e.Source, e.Index);
        }

        return data;
    }

    [Fact]
    public void AllRecordedConverseResponsesAreFound()
    {
        // 73 pydantic-ai interactions (incl. raw-string bodies) and 18 openinference interactions (counted with PyYAML
        // and json): if a loader silently dropped some, these counts would fall.
        var bySource = RecordedTraffic.ConverseSuccesses.GroupBy(e => e.Source.EndsWith(".yaml", StringComparison.Ordinal)).ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal(73, bySource[true]);
        Assert.Equal(18, bySource[false]);
        Assert.True(ProvenanceExpectations.Count >= 70, $"PROVENANCE rows parsed: {ProvenanceExpectations.Count}");
    }

    [Theory]
    [MemberData(nameof(ConverseResponses))]
    public void ParsesRecordedResponse(string source, int index)
    {
        RecordedExchange exchange = RecordedTraffic.Get(source, index);
        byte[] body = exchange.ResponseBody!;
        JsonNode raw = JsonNode.Parse(body)!;

        ConverseResponse response = BedrockJson.DeserializeConverseResponse(body);

        // Values independently listed in PROVENANCE.md, where listed.
        if (ProvenanceExpectations.TryGet(source, index, out string expectedStop, out JsonObject? expectedUsage))
        {
            Assert.Equal(expectedStop, response.StopReason.Value);
            if (expectedUsage is null)
            {
                Assert.Null(response.Usage);
            }
            else
            {
                AssertUsage(expectedUsage, response.Usage);
            }
        }

        // And field by field against the raw JSON.
        Assert.Equal(raw["stopReason"]!.GetValue<string>(), response.StopReason.Value);
        Assert.True(response.StopReason.IsKnown);
        if (raw["usage"] is JsonObject usage)
        {
            AssertUsage(usage, response.Usage);
        }

        Assert.Equal(raw["metrics"]?["latencyMs"]?.GetValue<long>(), response.Metrics?.LatencyMs);
        JsonArray rawContent = raw["output"]!["message"]!["content"]!.AsArray();
        Message message = Assert.IsType<Message>(response.Message);
        Assert.Equal(raw["output"]!["message"]!["role"]!.GetValue<string>(), message.Role);
        Assert.Equal("assistant", message.Role);
        Assert.Equal(rawContent.Count, message.Content.Count);
        var expectedText = new StringBuilder();
        for (int i = 0; i < rawContent.Count; i++)
        {
            JsonObject rawBlock = rawContent[i]!.AsObject();
            ContentBlock block = message.Content[i];
            string kind = Assert.Single(rawBlock).Key;
            switch (kind)
            {
                case "text":
                    Assert.Equal(rawBlock["text"]!.GetValue<string>(), block.Text);
                    expectedText.Append(block.Text);
                    break;
                case "toolUse":
                    Assert.NotNull(block.ToolUse);
                    Assert.Equal(rawBlock["toolUse"]!["toolUseId"]!.GetValue<string>(), block.ToolUse!.ToolUseId);
                    Assert.Equal(rawBlock["toolUse"]!["name"]!.GetValue<string>(), block.ToolUse.Name);
                    Assert.True(JsonNode.DeepEquals(rawBlock["toolUse"]!["input"], block.ToolUse.Input));
                    break;
                case "reasoningContent":
                    Assert.NotNull(block.ReasoningContent);
                    if (rawBlock["reasoningContent"]!["reasoningText"] is JsonNode rt)
                    {
                        Assert.Equal(rt["text"]!.GetValue<string>(), block.ReasoningContent!.ReasoningText!.Text);
                        Assert.Equal(rt["signature"]?.GetValue<string>(), block.ReasoningContent.ReasoningText.Signature);
                    }
                    else
                    {
                        Assert.Equal(
                            Convert.FromBase64String(rawBlock["reasoningContent"]!["redactedContent"]!.GetValue<string>()),
                            block.ReasoningContent!.RedactedContent);
                    }

                    break;
                case "toolResult":
                    Assert.NotNull(block.ToolResult);
                    Assert.Equal(rawBlock["toolResult"]!["status"]?.GetValue<string>(), block.ToolResult!.Status);
                    Assert.Equal(rawBlock["toolResult"]!["content"]!.AsArray().Count, block.ToolResult.Content.Count);
                    Assert.True(JsonNode.DeepEquals(rawBlock["toolResult"]!["content"]![0]!["json"], block.ToolResult.Content[0].Json));
                    break;
                default:
                    Assert.Fail($"Unexpected content kind {kind} in {source}#{index}");
                    break;
            }
        }

        Assert.Equal(expectedText.ToString(), response.OutputText);
    }

    private static void AssertUsage(JsonObject expected, TokenUsage? actual)
    {
        Assert.NotNull(actual);
        Assert.Equal(expected["inputTokens"]?.GetValue<int>() ?? 0, actual!.InputTokens);
        Assert.Equal(expected["outputTokens"]!.GetValue<int>(), actual.OutputTokens);
        Assert.Equal(expected["totalTokens"]?.GetValue<int>() ?? 0, actual.TotalTokens);
        Assert.Equal(expected["cacheReadInputTokens"]?.GetValue<int>(), actual.CacheReadInputTokens);
        Assert.Equal(expected["cacheWriteInputTokens"]?.GetValue<int>(), actual.CacheWriteInputTokens);
        JsonArray? details = expected["cacheDetails"]?.AsArray();
        Assert.Equal(details?.Count, actual.CacheDetails?.Count);
        for (int i = 0; i < (details?.Count ?? 0); i++)
        {
            Assert.Equal(details![i]!["ttl"]!.GetValue<string>(), actual.CacheDetails![i].Ttl);
            Assert.Equal(details[i]!["inputTokens"]!.GetValue<int>(), actual.CacheDetails[i].InputTokens);
        }
    }

    [Fact]
    public void ToolUseWithThinking_HasReasoningTextAndToolCall()
    {
        ConverseResponse r = Parse("test_bedrock_anthropic_tool_with_thinking.yaml", 0);
        Assert.Equal(StopReason.ToolUse, r.StopReason);
        Assert.Equal((397, 130, 527), (r.Usage!.InputTokens, r.Usage.OutputTokens, r.Usage.TotalTokens));
        Assert.Equal(0, r.Usage.CacheReadInputTokens);
        Assert.Equal(3896L, r.Metrics!.LatencyMs);
        Assert.Equal(3, r.Message!.Content.Count);
        ReasoningTextBlock reasoning = r.Message.Content[0].ReasoningContent!.ReasoningText!;
        Assert.StartsWith("The user is asking for the largest city in their country.", reasoning.Text, StringComparison.Ordinal);
        Assert.StartsWith("ErcBCkgIBhABGAIiQDYN+P1S3ACL3r24cAMKCrRN", reasoning.Signature, StringComparison.Ordinal);
        Assert.Equal("I'll need to check what country you're from to answer that question.", r.Message.Content[1].Text);
        ToolUseBlock tool = r.Message.Content[2].ToolUse!;
        Assert.Equal("tooluse_W9DaUFg4Tj2cRPpndqxWSg", tool.ToolUseId);
        Assert.Equal("get_user_country", tool.Name);
        Assert.Equal("{}", tool.Input!.ToJsonString());
        Assert.Equal("I'll need to check what country you're from to answer that question.", r.OutputText);
    }

    [Fact]
    public void CacheWrite_ReportsCacheDetails()
    {
        ConverseResponse r = Parse("test_bedrock_cache_messages_with_document_as_last_content.yaml", 1);
        Assert.Equal(StopReason.EndTurn, r.StopReason);
        Assert.Equal(3, r.Usage!.InputTokens);
        Assert.Equal(121, r.Usage.OutputTokens);
        Assert.Equal(2072, r.Usage.TotalTokens);
        Assert.Equal(1712, r.Usage.CacheReadInputTokens);
        Assert.Equal(236, r.Usage.CacheWriteInputTokens);
        CacheDetail detail = Assert.Single(r.Usage.CacheDetails!);
        Assert.Equal("5m", detail.Ttl);
        Assert.Equal(236, detail.InputTokens);
    }

    [Fact]
    public void NovaSimple_ReturnsText()
    {
        ConverseResponse r = Parse("test_bedrock_model.yaml", 0);
        Assert.Equal(StopReason.EndTurn, r.StopReason);
        Assert.Equal((7, 30, 37), (r.Usage!.InputTokens, r.Usage.OutputTokens, r.Usage.TotalTokens));
        Assert.Null(r.Usage.CacheReadInputTokens);
        Assert.Equal(268L, r.Metrics!.LatencyMs);
        Assert.Equal(
            "Hello! How can I assist you today? Whether you have questions, need information, or just want to chat, I'm here to help.",
            r.OutputText);
    }

    [Fact]
    public void AdditionalModelResponseFields_MayBeAnyJsonValue()
    {
        // The recorded response carries a string document: "additionalModelResponseFields": "test".
        ConverseResponse r = Parse("test_bedrock_model_other_parameters.yaml", 0);
        Assert.Equal(StopReason.MaxTokens, r.StopReason);
        Assert.Equal("test", r.AdditionalModelResponseFields!.GetValue<string>());
    }

    [Fact]
    public void RedactedReasoning_DecodesBase64()
    {
        ConverseResponse r = Parse("test_bedrock_model_thinking_part_redacted.yaml", 0);
        byte[] redacted = r.Message!.Content[0].ReasoningContent!.RedactedContent!;
        Assert.StartsWith("Eu8ECkgIBxABGAIqQIhkIaSt8pEeqy7zNaEK/KaD/kZuJUS+pBg", Encoding.ASCII.GetString(redacted), StringComparison.Ordinal);
        Assert.StartsWith("I notice you've sent what appears to be some kind of trigger or command string.", r.OutputText, StringComparison.Ordinal);
    }

    [Fact]
    public void RawStringBody_OpenAiReasoningVariant()
    {
        ConverseResponse r = Parse("test_bedrock_thinking_true_openai_variant.yaml", 0);
        Assert.Equal(StopReason.EndTurn, r.StopReason);
        Assert.Equal((74, 26, 100), (r.Usage!.InputTokens, r.Usage.OutputTokens, r.Usage.TotalTokens));
        Assert.Equal("User wants reply with the single word: ok. So just \"ok\".", r.Message!.Content[0].ReasoningContent!.ReasoningText!.Text);
        Assert.Equal("ok", r.OutputText);
    }

    [Fact]
    public void OpenInference_MissingTokenCounts_KeepsWhatIsThere()
    {
        ConverseResponse r = Parse("should-handle-missing-token-counts.json", 0);
        Assert.Equal(StopReason.MaxTokens, r.StopReason);
        Assert.Equal(50, r.Usage!.OutputTokens);
        Assert.Equal(0, r.Usage.InputTokens);
    }

    [Fact]
    public void OpenInference_EmptyMinimalResponse_HasNoUsage()
    {
        ConverseResponse r = Parse("should-handle-empty-minimal-response.json", 0);
        Assert.Equal(StopReason.EndTurn, r.StopReason);
        Assert.Null(r.Usage);
    }

    [Fact]
    public void OpenInference_ToolResponse()
    {
        ConverseResponse r = Parse("should-handle-tool-response-processing.json", 0);
        Assert.Equal(StopReason.ToolUse, r.StopReason);
        Assert.Equal((369, 81, 450), (r.Usage!.InputTokens, r.Usage.OutputTokens, r.Usage.TotalTokens));
        ToolUseBlock tool = r.Message!.Content.Select(c => c.ToolUse).Single(t => t is not null)!;
        Assert.False(string.IsNullOrEmpty(tool.ToolUseId));
        Assert.Equal(JsonValueKind.Object, tool.Input!.GetValueKind());
    }

    [Fact]
    public void UnknownFieldsAndUnionMembersAreIgnored()
    {
        byte[] body = Encoding.UTF8.GetBytes("""
            {"output":{"message":{"role":"assistant","content":[{"text":"a"},{"futureBlock":{"x":[1,2,{"y":null}]}},{"text":"b"}],"extra":1},"futureOutput":{}},
             "stopReason":"brand_new_reason","usage":{"inputTokens":1,"outputTokens":2,"totalTokens":3,"serverToolUsage":{},"cacheReadInputTokenCount":0},
             "metrics":{"latencyMs":9007199254740993},"somethingNew":[{"deep":{"er":true}}],"p":"abcdef"}
            """);
        ConverseResponse r = BedrockJson.DeserializeConverseResponse(body);
        Assert.Equal("brand_new_reason", r.StopReason.Value);
        Assert.False(r.StopReason.IsKnown);
        Assert.NotEqual(StopReason.EndTurn, r.StopReason);
        Assert.Equal(3, r.Message!.Content.Count);
        ContentBlock unknown = r.Message.Content[1];
        Assert.True(unknown.Text is null && unknown.ToolUse is null && unknown.Image is null && unknown.ReasoningContent is null);
        Assert.Equal("ab", r.OutputText);
        Assert.Equal(9007199254740993L, r.Metrics!.LatencyMs);
    }

    [Fact]
    public void MaxDepthIsEnforced()
    {
        string deep = string.Concat(Enumerable.Repeat("{\"a\":", 70)) + "1" + new string('}', 70);
        byte[] body = Encoding.UTF8.GetBytes("{\"stopReason\":\"end_turn\",\"additionalModelResponseFields\":" + deep + "}");
        Assert.ThrowsAny<JsonException>(() => BedrockJson.DeserializeConverseResponse(body));

        string ok = string.Concat(Enumerable.Repeat("{\"a\":", 40)) + "1" + new string('}', 40);
        ConverseResponse r = BedrockJson.DeserializeConverseResponse(Encoding.UTF8.GetBytes("{\"stopReason\":\"end_turn\",\"additionalModelResponseFields\":" + ok + "}"));
        Assert.Equal(StopReason.EndTurn, r.StopReason);
    }

    [Fact]
    public void CountTokensResponses()
    {
        var counts = RecordedTraffic.All
            .Where(e => e.Operation == "count-tokens" && e.Status == 200)
            .Select(e => (e.Source, BedrockJson.DeserializeCountTokensResponse(e.ResponseBody!).InputTokens,
                JsonNode.Parse(e.ResponseBody!)!["inputTokens"]!.GetValue<int>()))
            .ToList();
        Assert.Equal(5, counts.Count);
        Assert.All(counts, c => Assert.Equal(c.Item3, c.InputTokens));
        Assert.All(counts, c => Assert.True(c.InputTokens > 0));
    }

    private static ConverseResponse Parse(string source, int index) =>
        BedrockJson.DeserializeConverseResponse(RecordedTraffic.Get(source, index).ResponseBody!);
}
