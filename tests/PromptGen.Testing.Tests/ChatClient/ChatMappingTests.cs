using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.AI;

namespace PromptGen.Testing.Tests.ChatClient;

/// <summary>The M.E.AI ⇄ Converse mapping on its own, where a wire round trip would only hide what is checked.</summary>
public sealed class ChatMappingTests
{
    private const string Haiku35 = "us.anthropic.claude-3-5-haiku-20241022-v1:0";

    private static JsonNode Body(ConverseRequest request) =>
        JsonNode.Parse(BedrockJson.SerializeToUtf8Bytes(request))!;

    private static ConverseRequest Build(IEnumerable<ChatMessage> messages, ChatOptions? options = null, string modelId = Haiku35) =>
        ChatRequestMapper.Build(null, messages, options, modelId);

    [Fact]
    public void A_tool_message_and_the_user_message_after_it_become_one_user_turn()
    {
        List<ChatMessage> messages =
        [
            new(ChatRole.User, "Weather?"),
            new(ChatRole.Assistant, [new TextContent("Checking."), new FunctionCallContent("call-1", "get_weather", new Dictionary<string, object?> { ["city"] = "Paris", ["days"] = 2 })]),
            new(ChatRole.Tool, [new FunctionResultContent("call-1", new Dictionary<string, object?> { ["sky"] = "clear" })]),
            new(ChatRole.User, "And tomorrow?"),
        ];

        JsonNode body = Body(Build(messages));

        Assert.Equal(
            """[{"role":"user","content":[{"text":"Weather?"}]},""" +
            """{"role":"assistant","content":[{"text":"Checking."},{"toolUse":{"toolUseId":"call-1","name":"get_weather","input":{"city":"Paris","days":2}}}]},""" +
            """{"role":"user","content":[{"toolResult":{"toolUseId":"call-1","content":[{"json":{"sky":"clear"}}],"status":"success"}},{"text":"And tomorrow?"}]}]""",
            body["messages"]!.ToJsonString());
    }

    [Theory]
    [InlineData("plain text", """{"text":"plain text"}""")]
    [InlineData(42, """{"text":"42"}""")]
    [InlineData(null, """{"text":"null"}""")]
    public void A_non_object_tool_result_is_sent_as_text(object? result, string expected)
    {
        JsonNode body = Body(Build([new(ChatRole.Tool, [new FunctionResultContent("c", result)])]));

        Assert.Equal(expected, body["messages"]![0]!["content"]![0]!["toolResult"]!["content"]![0]!.ToJsonString());
    }

    [Fact]
    public void A_tool_result_serialized_by_an_AIFunction_is_unwrapped_strings_as_text_objects_as_json()
    {
        JsonElement text = JsonSerializer.SerializeToElement("forty-two");
        JsonElement json = JsonSerializer.SerializeToElement(new Dictionary<string, int> { ["answer"] = 42 });

        JsonNode body = Body(Build([new(ChatRole.Tool, [new FunctionResultContent("a", text), new FunctionResultContent("b", json)])]));

        JsonArray content = body["messages"]![0]!["content"]!.AsArray();
        Assert.Equal("""[{"text":"forty-two"}]""", content[0]!["toolResult"]!["content"]!.ToJsonString());
        Assert.Equal("""[{"json":{"answer":42}}]""", content[1]!["toolResult"]!["content"]!.ToJsonString());
    }

    [Fact]
    public void A_failed_tool_call_is_marked_as_an_error()
    {
        var failed = new FunctionResultContent("c", "Error: the city is unknown.") { Exception = new InvalidOperationException("unknown city") };

        JsonNode body = Body(Build([new(ChatRole.Tool, [failed])]));

        Assert.Equal("error", body["messages"]![0]!["content"]![0]!["toolResult"]!["status"]!.GetValue<string>());
    }

    [Fact]
    public void Streamed_reasoning_pieces_are_sent_back_as_one_signed_block_and_unsigned_reasoning_is_dropped()
    {
        List<ChatMessage> messages =
        [
            new(ChatRole.User, "Think."),
            new(ChatRole.Assistant, [new TextReasoningContent("First, "), new TextReasoningContent("then."), new TextReasoningContent("") { ProtectedData = "sig==" }, new TextContent("Done.")]),
            new(ChatRole.User, "Again."),
            new(ChatRole.Assistant, [new TextReasoningContent("no signature"), new TextContent("Ok.")]),
            new(ChatRole.User, "Redacted?"),
            new(ChatRole.Assistant, [new TextReasoningContent("") { ProtectedData = Convert.ToBase64String([1, 2, 3]) }, new TextContent("Yes.")]),
        ];

        JsonArray turns = Body(Build(messages))["messages"]!.AsArray();

        Assert.Equal("""[{"reasoningContent":{"reasoningText":{"text":"First, then.","signature":"sig=="}}},{"text":"Done."}]""", turns[1]!["content"]!.ToJsonString());
        Assert.Equal("""[{"text":"Ok."}]""", turns[3]!["content"]!.ToJsonString());
        Assert.Equal("""[{"reasoningContent":{"redactedContent":"AQID"}},{"text":"Yes."}]""", turns[5]!["content"]!.ToJsonString());
    }

    [Fact]
    public void Reasoning_read_from_a_response_is_replayed_exactly()
    {
        var block = new ContentBlock { ReasoningContent = new ReasoningContentBlock { ReasoningText = new ReasoningTextBlock { Text = "Because.", Signature = "s" } } };
        AIContent content = ChatResponseMapper.ToContent(block);

        ConverseRequest request = Build([new(ChatRole.User, "Q"), new(ChatRole.Assistant, [content])]);

        TextReasoningContent reasoning = Assert.IsType<TextReasoningContent>(content);
        Assert.Equal("Because.", reasoning.Text);
        Assert.Equal("s", reasoning.ProtectedData);
        Assert.Same(block, request.Messages![1].Content.Single());
    }

    [Fact]
    public void A_raw_ContentBlock_in_a_plain_AIContent_passes_through_for_blocks_MEAI_has_no_type_for()
    {
        ConverseRequest request = Build([new(ChatRole.User, [new TextContent("Long context."), new AIContent { RawRepresentation = ContentBlock.CachePointDefault() }, new TextContent("Question?")])]);

        Assert.Equal("""[{"text":"Long context."},{"cachePoint":{"type":"default"}},{"text":"Question?"}]""", Body(request)["messages"]![0]!["content"]!.ToJsonString());
    }

    [Fact]
    public void Content_Bedrock_cannot_take_is_refused_rather_than_dropped()
    {
        Assert.Throws<NotSupportedException>(() => Build([new(ChatRole.User, [new DataContent(new byte[] { 1 }, "application/zip")])]));
        Assert.Throws<NotSupportedException>(() => Build([new(ChatRole.User, [new UriContent("https://example.com/cat.png", "image/png")])]));
    }

    [Fact]
    public void TopK_for_a_model_with_no_known_top_k_field_is_refused_with_the_way_out()
    {
        var e = Assert.Throws<NotSupportedException>(() => Build([new(ChatRole.User, "Hi")], new ChatOptions { TopK = 5 }, "us.meta.llama3-3-70b-instruct-v1:0"));

        Assert.Contains(BedrockChatProperties.AdditionalModelRequestFields, e.Message);
    }

    [Fact]
    public void An_AdditionalProperties_value_of_the_wrong_type_names_the_key()
    {
        var options = new ChatOptions { AdditionalProperties = new() { [BedrockChatProperties.GuardrailConfig] = "gr-1" } };

        var e = Assert.Throws<ArgumentException>(() => Build([new(ChatRole.User, "Hi")], options));

        Assert.Contains(BedrockChatProperties.GuardrailConfig, e.Message);
    }

    [Fact]
    public void AdditionalProperties_read_from_JSON_are_understood()
    {
        var options = JsonSerializer.Deserialize<ChatOptions>("""{"additionalProperties":{"performanceConfig":"optimized","additionalModelRequestFields":{"top_k":3},"promptCaching":true}}""", AIJsonUtilities.DefaultOptions)!;

        JsonNode body = Body(Build([new(ChatRole.System, "Sys"), new(ChatRole.User, "Hi")], options));

        Assert.Equal("optimized", body["performanceConfig"]!["latency"]!.GetValue<string>());
        Assert.Equal(3, body["additionalModelRequestFields"]!["top_k"]!.GetValue<int>());
        Assert.Equal("""[{"text":"Sys"},{"cachePoint":{"type":"default"}}]""", body["system"]!.ToJsonString());
    }

    [Fact]
    public void A_function_without_parameters_still_declares_an_object_schema()
    {
        AIFunction now = AIFunctionFactory.Create(() => "noon", "now", "");

        JsonNode spec = Body(Build([new(ChatRole.User, "Time?")], new ChatOptions { Tools = [now, new HostedWebSearchTool()] }))["toolConfig"]!["tools"]!.AsArray().Single()!["toolSpec"]!;

        Assert.Equal("now", spec["name"]!.GetValue<string>());
        Assert.Null(spec["description"]);
        Assert.Equal("object", spec["inputSchema"]!["json"]!["type"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("end_turn", "stop")]
    [InlineData("stop_sequence", "stop")]
    [InlineData("max_tokens", "length")]
    [InlineData("model_context_window_exceeded", "length")]
    [InlineData("tool_use", "tool_calls")]
    [InlineData("guardrail_intervened", "content_filter")]
    [InlineData("content_filtered", "content_filter")]
    [InlineData("malformed_tool_use", "malformed_tool_use")]
    public void Stop_reasons_map_to_finish_reasons(string stopReason, string finishReason)
    {
        Assert.Equal(new ChatFinishReason(finishReason), ChatResponseMapper.ToFinishReason(new StopReason(stopReason)));
    }

    [Fact]
    public void An_unset_stop_reason_is_no_finish_reason()
    {
        Assert.Null(ChatResponseMapper.ToFinishReason(default));
    }

    [Fact]
    public void A_stream_with_malformed_tool_input_reports_the_parse_error_on_the_call()
    {
        var mapper = new ChatStreamMapper(Haiku35);

        Assert.Null(mapper.Map(new ContentBlockStartEvent { ContentBlockIndex = 0, Start = new ContentBlockStart { ToolUse = new ToolUseBlockStart { ToolUseId = "t1", Name = "f" } } }));
        Assert.Null(mapper.Map(new ContentBlockDeltaEvent { ContentBlockIndex = 0, Delta = new ContentBlockDelta { ToolUse = new ToolUseBlockDelta { Input = "{\"a\":" } } }));
        ChatResponseUpdate update = mapper.Map(new ContentBlockStopEvent { ContentBlockIndex = 0 })!;

        FunctionCallContent call = Assert.IsType<FunctionCallContent>(Assert.Single(update.Contents));
        Assert.Equal("t1", call.CallId);
        Assert.NotNull(call.Exception);
    }

    [Fact]
    public void Streamed_reasoning_deltas_become_reasoning_updates_with_the_signature_last()
    {
        var mapper = new ChatStreamMapper(Haiku35);

        ChatResponseUpdate text = mapper.Map(new ContentBlockDeltaEvent { Delta = new ContentBlockDelta { ReasoningContent = new ReasoningContentBlockDelta { Text = "Hmm." } } })!;
        ChatResponseUpdate signature = mapper.Map(new ContentBlockDeltaEvent { Delta = new ContentBlockDelta { ReasoningContent = new ReasoningContentBlockDelta { Signature = "sig" } } })!;

        Assert.Equal("Hmm.", Assert.IsType<TextReasoningContent>(Assert.Single(text.Contents)).Text);
        Assert.Equal("sig", Assert.IsType<TextReasoningContent>(Assert.Single(signature.Contents)).ProtectedData);
        Assert.Null(mapper.Map(new MessageStartEvent()));
    }
}
