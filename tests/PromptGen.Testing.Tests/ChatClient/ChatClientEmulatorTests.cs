using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using PromptGen.Testing.Tests.Support;

namespace PromptGen.Testing.Tests.ChatClient;

/// <summary>
/// BedrockChatClient against the emulator: every mapped option is asserted on the request body the emulator recorded,
/// and every response on the typed M.E.AI result next to the raw Converse response it came from.
/// </summary>
public sealed class ChatClientEmulatorTests : IAsyncLifetime
{
    private const string NovaMicro = "us.amazon.nova-micro-v1:0";
    private const string Haiku35 = "us.anthropic.claude-3-5-haiku-20241022-v1:0";
    private const string Sonnet45 = "us.anthropic.claude-sonnet-4-5-20250929-v1:0";

    private BedrockEmulator _emulator = null!;
    private BedrockClient _bedrock = null!;

    public async Task InitializeAsync()
    {
        _emulator = await BedrockEmulator.StartAsync(new BedrockEmulatorOptions { TimeToFirstToken = TimeSpan.Zero, TokenDelay = TimeSpan.Zero });
        BedrockClientOptions options = _emulator.ClientOptions();
        options.MaxAttempts = 1;
        _bedrock = new BedrockClient(options);
    }

    public async Task DisposeAsync()
    {
        _bedrock.Dispose();
        await _emulator.DisposeAsync();
    }

    private JsonNode LastBody() => _emulator.Requests[^1].Json!;

    [Fact]
    public async Task Messages_and_sampling_options_reach_the_wire_and_the_response_is_typed()
    {
        IChatClient chat = _bedrock.AsIChatClient(NovaMicro);
        List<ChatMessage> messages =
        [
            new(ChatRole.System, "You answer briefly."),
            new(ChatRole.User, "What is a prompt?"),
            new(ChatRole.Assistant, "Text that asks a model for something."),
            new(ChatRole.User, "And a preset?"),
        ];

        ChatResponse response = await chat.GetResponseAsync(messages, new ChatOptions
        {
            Instructions = "Use plain words.",
            Temperature = 0.25f,
            TopP = 0.5f,
            TopK = 40,
            MaxOutputTokens = 300,
            StopSequences = ["\n\nHuman:"],
        });

        RecordedRequest recorded = _emulator.Requests.Single();
        Assert.Equal(EmulatorOperation.Converse, recorded.Operation);
        Assert.Equal(NovaMicro, recorded.ModelId);
        JsonNode body = recorded.Json!;
        Assert.Equal("""[{"text":"Use plain words."},{"text":"You answer briefly."}]""", body["system"]!.ToJsonString());
        Assert.Equal(
            """[{"role":"user","content":[{"text":"What is a prompt?"}]},{"role":"assistant","content":[{"text":"Text that asks a model for something."}]},{"role":"user","content":[{"text":"And a preset?"}]}]""",
            body["messages"]!.ToJsonString());
        Assert.Equal("""{"maxTokens":300,"temperature":0.25,"topP":0.5,"stopSequences":["\n\nHuman:"]}""", body["inferenceConfig"]!.ToJsonString());

        // Nova takes top-k inside its native inferenceConfig, as the model catalogue says.
        Assert.Equal("""{"inferenceConfig":{"topK":40}}""", body["additionalModelRequestFields"]!.ToJsonString());

        ConverseResponse raw = Assert.IsType<ConverseResponse>(response.RawRepresentation);
        Assert.Equal(raw.OutputText, response.Text);
        Assert.NotEmpty(response.Text);
        Assert.Equal(ChatFinishReason.Stop, response.FinishReason);
        Assert.Equal(NovaMicro, response.ModelId);
        ChatMessage answer = Assert.Single(response.Messages);
        Assert.Equal(ChatRole.Assistant, answer.Role);
        Assert.Same(raw.Message, answer.RawRepresentation);
        Assert.Same(raw.Message!.Content[0], Assert.IsType<TextContent>(Assert.Single(answer.Contents)).RawRepresentation);
        Assert.Equal(raw.Usage!.InputTokens, response.Usage!.InputTokenCount);
        Assert.Equal(raw.Usage.OutputTokens, response.Usage.OutputTokenCount);
        Assert.Equal(raw.Usage.TotalTokens, response.Usage.TotalTokenCount);
        Assert.True(response.Usage.OutputTokenCount > 0);
        Assert.Equal(raw.Metrics!.LatencyMs, response.AdditionalProperties![BedrockChatProperties.LatencyMs]);
    }

    [Fact]
    public async Task TopK_goes_where_the_catalogue_says_for_Claude_and_ChatOptions_ModelId_wins_over_the_default()
    {
        IChatClient chat = _bedrock.AsIChatClient(NovaMicro);

        ChatResponse response = await chat.GetResponseAsync("Hello", new ChatOptions { ModelId = Haiku35, TopK = 7 });

        Assert.Equal(Haiku35, _emulator.Requests.Single().ModelId);
        Assert.Equal("""{"top_k":7}""", LastBody()["additionalModelRequestFields"]!.ToJsonString());
        Assert.Equal(Haiku35, response.ModelId);
    }

    [Fact]
    public async Task MaxOutputTokens_reached_is_finish_reason_Length_and_a_stop_sequence_is_Stop()
    {
        _emulator.Options.ResponseText = _ => "alpha beta gamma STOP delta epsilon";
        IChatClient chat = _bedrock.AsIChatClient(NovaMicro);

        ChatResponse cut = await chat.GetResponseAsync("Say it", new ChatOptions { MaxOutputTokens = 2 });
        ChatResponse stopped = await chat.GetResponseAsync("Say it", new ChatOptions { StopSequences = ["STOP"] });

        Assert.Equal(ChatFinishReason.Length, cut.FinishReason);
        Assert.Equal("alpha beta ", cut.Text);
        Assert.Equal(ChatFinishReason.Stop, stopped.FinishReason);
        Assert.Equal(StopReason.StopSequence, ((ConverseResponse)stopped.RawRepresentation!).StopReason);
        Assert.Equal("alpha beta gamma ", stopped.Text);
    }

    [Fact]
    public async Task Streaming_yields_an_update_per_text_delta_then_the_finish_reason_and_usage()
    {
        IChatClient chat = _bedrock.AsIChatClient(Haiku35);
        ChatResponse whole = await chat.GetResponseAsync("Stream me something");

        var updates = new List<ChatResponseUpdate>();
        await foreach (ChatResponseUpdate update in chat.GetStreamingResponseAsync("Stream me something"))
        {
            updates.Add(update);
        }

        Assert.Equal(EmulatorOperation.ConverseStream, _emulator.Requests[^1].Operation);
        List<ChatResponseUpdate> textUpdates = updates.Where(u => u.Contents.OfType<TextContent>().Any()).ToList();
        Assert.True(textUpdates.Count > 3, "one update per token delta");
        Assert.All(textUpdates, u => Assert.IsType<ContentBlockDeltaEvent>(u.RawRepresentation));
        Assert.All(updates, u => Assert.Equal(ChatRole.Assistant, u.Role));
        Assert.All(updates, u => Assert.Equal(Haiku35, u.ModelId));
        Assert.Equal(whole.Text, string.Concat(textUpdates.Select(u => u.Text)));

        ChatResponseUpdate stop = Assert.Single(updates, u => u.RawRepresentation is MessageStopEvent);
        Assert.Equal(ChatFinishReason.Stop, stop.FinishReason);
        UsageContent usage = Assert.Single(updates.SelectMany(u => u.Contents).OfType<UsageContent>());
        Assert.IsType<MetadataEvent>(updates[^1].RawRepresentation);
        Assert.Equal(whole.Usage!.OutputTokenCount, usage.Details.OutputTokenCount);
        Assert.Equal(whole.Usage.InputTokenCount, usage.Details.InputTokenCount);

        ChatResponse coalesced = updates.ToChatResponse();
        Assert.Equal(whole.Text, coalesced.Text);
        Assert.Equal(ChatFinishReason.Stop, coalesced.FinishReason);
        Assert.Equal(whole.Usage.TotalTokenCount, coalesced.Usage!.TotalTokenCount);
    }

    [Fact]
    public async Task Function_invocation_middleware_runs_a_tool_round_trip_over_Bedrock()
    {
        var calls = new List<string>();
        AIFunction lookup = AIFunctionFactory.Create((string q) => { calls.Add(q); return "forty-two"; }, "lookup", "Looks a term up.");
        IChatClient chat = _bedrock.AsIChatClient(Haiku35).AsBuilder().UseFunctionInvocation().Build();

        ChatResponse response = await chat.GetResponseAsync("Look up the answer", new ChatOptions { Tools = [lookup] });

        Assert.Equal(2, _emulator.Requests.Count);
        JsonNode first = _emulator.Requests[0].Json!;
        JsonNode spec = first["toolConfig"]!["tools"]![0]!["toolSpec"]!;
        Assert.Equal("lookup", spec["name"]!.GetValue<string>());
        Assert.Equal("Looks a term up.", spec["description"]!.GetValue<string>());
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(lookup.JsonSchema.GetRawText()), spec["inputSchema"]!["json"]));
        Assert.Null(first["toolConfig"]!["toolChoice"]);

        // The middleware called the function with the input Bedrock generated, and sent its result back.
        string q = Assert.Single(calls);
        JsonNode second = _emulator.Requests[1].Json!;
        JsonArray turns = second["messages"]!.AsArray();
        Assert.Equal(3, turns.Count);
        JsonNode toolUse = turns[1]!["content"]![0]!["toolUse"]!;
        Assert.Equal("assistant", turns[1]!["role"]!.GetValue<string>());
        Assert.Equal(q, toolUse["input"]!["q"]!.GetValue<string>());
        JsonNode toolResult = turns[2]!["content"]![0]!["toolResult"]!;
        Assert.Equal("user", turns[2]!["role"]!.GetValue<string>());
        Assert.Equal(toolUse["toolUseId"]!.GetValue<string>(), toolResult["toolUseId"]!.GetValue<string>());
        Assert.Equal("""[{"text":"forty-two"}]""", toolResult["content"]!.ToJsonString());
        Assert.Equal("success", toolResult["status"]!.GetValue<string>());
        Assert.NotNull(second["toolConfig"]);

        Assert.Equal(ChatFinishReason.Stop, response.FinishReason);
        Assert.NotEmpty(response.Text);
        Assert.Contains(response.Messages, m => m.Contents.OfType<FunctionCallContent>().Any(c => c.Name == "lookup"));
        Assert.Contains(response.Messages, m => m.Contents.OfType<FunctionResultContent>().Any());
    }

    [Fact]
    public async Task Function_invocation_middleware_also_runs_over_ConverseStream()
    {
        int invoked = 0;
        AIFunction lookup = AIFunctionFactory.Create((string q) => { invoked++; return new Dictionary<string, int> { ["answer"] = 42 }; }, "lookup", "Looks a term up.");
        IChatClient chat = _bedrock.AsIChatClient(Haiku35).AsBuilder().UseFunctionInvocation().Build();

        var updates = new List<ChatResponseUpdate>();
        await foreach (ChatResponseUpdate update in chat.GetStreamingResponseAsync("Look up the answer", new ChatOptions { Tools = [lookup] }))
        {
            updates.Add(update);
        }

        Assert.Equal(1, invoked);
        Assert.Equal([EmulatorOperation.ConverseStream, EmulatorOperation.ConverseStream], _emulator.Requests.Select(r => r.Operation));
        JsonNode toolResult = _emulator.Requests[1].Json!["messages"]![2]!["content"]![0]!["toolResult"]!;
        Assert.Equal("""[{"json":{"answer":42}}]""", toolResult["content"]!.ToJsonString());
        ChatResponse response = updates.ToChatResponse();
        Assert.NotEmpty(response.Messages[^1].Text);
        Assert.Equal(ChatFinishReason.Stop, response.FinishReason);
    }

    [Fact]
    public async Task A_streamed_tool_call_is_assembled_from_its_input_deltas()
    {
        AIFunction weather = AIFunctionFactory.Create((string city, int days) => "sunny", "get_weather", "Weather for a city.");
        IChatClient chat = _bedrock.AsIChatClient(Haiku35);

        var updates = new List<ChatResponseUpdate>();
        await foreach (ChatResponseUpdate update in chat.GetStreamingResponseAsync("Weather in Paris?",
            new ChatOptions { Tools = [weather], ToolMode = ChatToolMode.RequireSpecific("get_weather") }))
        {
            updates.Add(update);
        }

        Assert.Equal("""{"tool":{"name":"get_weather"}}""", LastBody()["toolConfig"]!["toolChoice"]!.ToJsonString());
        FunctionCallContent call = Assert.Single(updates.SelectMany(u => u.Contents).OfType<FunctionCallContent>());
        Assert.Equal("get_weather", call.Name);
        Assert.StartsWith("tooluse_", call.CallId);
        Assert.Null(call.Exception);
        Assert.IsType<string>(((JsonElement)call.Arguments!["city"]!).GetString());
        Assert.Equal(JsonValueKind.Number, ((JsonElement)call.Arguments["days"]!).ValueKind);
        Assert.Empty(SchemaChecker.Check(JsonNode.Parse(JsonSerializer.Serialize(call.Arguments)), JsonNode.Parse(weather.JsonSchema.GetRawText())));
        Assert.Equal(ChatFinishReason.ToolCalls, updates.Single(u => u.RawRepresentation is MessageStopEvent).FinishReason);
    }

    [Theory]
    [InlineData("auto", """{"auto":{}}""")]
    [InlineData("any", """{"any":{}}""")]
    [InlineData("lookup", """{"tool":{"name":"lookup"}}""")]
    public async Task ToolMode_maps_to_toolChoice(string mode, string expected)
    {
        AIFunction lookup = AIFunctionFactory.Create((string q) => q, "lookup", "Looks up.");
        ChatToolMode toolMode = mode switch { "auto" => ChatToolMode.Auto, "any" => ChatToolMode.RequireAny, _ => ChatToolMode.RequireSpecific(mode) };

        ChatResponse response = await _bedrock.AsIChatClient(Haiku35).GetResponseAsync("Look it up", new ChatOptions { Tools = [lookup], ToolMode = toolMode });

        Assert.Equal(expected, LastBody()["toolConfig"]!["toolChoice"]!.ToJsonString());
        Assert.Equal(ChatFinishReason.ToolCalls, response.FinishReason);
        FunctionCallContent call = Assert.IsType<FunctionCallContent>(Assert.Single(response.Messages.Single().Contents));
        Assert.Equal("lookup", call.Name);
        Assert.IsType<ContentBlock>(call.RawRepresentation);
    }

    [Fact]
    public async Task ToolMode_None_sends_no_tools_so_the_model_answers_in_text()
    {
        AIFunction lookup = AIFunctionFactory.Create((string q) => q, "lookup", "Looks up.");

        ChatResponse response = await _bedrock.AsIChatClient(Haiku35).GetResponseAsync("Look it up", new ChatOptions { Tools = [lookup], ToolMode = ChatToolMode.None });

        Assert.Null(LastBody()["toolConfig"]);
        Assert.Equal(ChatFinishReason.Stop, response.FinishReason);
    }

    [Fact]
    public async Task Json_schema_response_format_uses_native_structured_output_where_the_catalogue_allows()
    {
        JsonElement schema = JsonDocument.Parse("""{"type":"object","properties":{"name":{"type":"string"},"total":{"type":"number"}},"required":["name","total"],"additionalProperties":false}""").RootElement;

        ChatResponse response = await _bedrock.AsIChatClient(Sonnet45).GetResponseAsync("Read the invoice",
            new ChatOptions { ResponseFormat = ChatResponseFormat.ForJsonSchema(schema, "invoice", "An invoice.") });

        JsonNode jsonSchema = LastBody()["outputConfig"]!["textFormat"]!["structure"]!["jsonSchema"]!;
        Assert.Equal("json_schema", LastBody()["outputConfig"]!["textFormat"]!["type"]!.GetValue<string>());
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(schema.GetRawText()), JsonNode.Parse(jsonSchema["schema"]!.GetValue<string>())));
        Assert.Equal("invoice", jsonSchema["name"]!.GetValue<string>());
        Assert.Equal("An invoice.", jsonSchema["description"]!.GetValue<string>());
        Assert.Empty(SchemaChecker.Check(JsonNode.Parse(response.Text), JsonNode.Parse(schema.GetRawText())));
    }

    [Fact]
    public async Task Json_schema_response_format_goes_into_the_system_prompt_for_a_model_without_native_structured_output()
    {
        JsonElement schema = JsonDocument.Parse("""{"type":"object","properties":{"name":{"type":"string"}}}""").RootElement;

        await _bedrock.AsIChatClient(Haiku35).GetResponseAsync("Read the invoice", new ChatOptions { ResponseFormat = ChatResponseFormat.ForJsonSchema(schema) });

        Assert.Null(LastBody()["outputConfig"]);
        string system = LastBody()["system"]![0]!["text"]!.GetValue<string>();
        Assert.Contains("JSON schema", system);
        Assert.Contains(schema.GetRawText(), system);
    }

    [Fact]
    public async Task Bedrock_settings_travel_in_AdditionalProperties_and_come_back_on_the_response()
    {
        var options = new ChatOptions
        {
            TopK = 5,
            AdditionalProperties = new AdditionalPropertiesDictionary
            {
                [BedrockChatProperties.PerformanceConfig] = "optimized",
                [BedrockChatProperties.ServiceTier] = ServiceTier.Priority,
                [BedrockChatProperties.RequestMetadata] = new Dictionary<string, string> { ["tenant"] = "acme" },
                [BedrockChatProperties.AdditionalModelRequestFields] = new JsonObject { ["top_k"] = 9, ["anthropic_beta"] = new JsonArray("x") },
                [BedrockChatProperties.AdditionalModelResponseFieldPaths] = new[] { "/stop_sequence" },
                ["somethingElse"] = 1,
            },
        };

        ChatResponse response = await _bedrock.AsIChatClient(Haiku35).GetResponseAsync("Hi", options);

        JsonNode body = LastBody();
        Assert.Equal("""{"latency":"optimized"}""", body["performanceConfig"]!.ToJsonString());
        Assert.Equal("""{"type":"priority"}""", body["serviceTier"]!.ToJsonString());
        Assert.Equal("""{"tenant":"acme"}""", body["requestMetadata"]!.ToJsonString());
        Assert.Equal("""{"top_k":9,"anthropic_beta":["x"]}""", body["additionalModelRequestFields"]!.ToJsonString());
        Assert.Equal("""["/stop_sequence"]""", body["additionalModelResponseFieldPaths"]!.ToJsonString());
        Assert.Null(body["somethingElse"]);

        // The emulator's us-east-1 profile of Claude 3.5 Haiku has no latency-optimized offer: Bedrock serves standard.
        PerformanceConfiguration served = Assert.IsType<PerformanceConfiguration>(response.AdditionalProperties![BedrockChatProperties.PerformanceConfig]);
        Assert.Equal(PerformanceLatency.Standard, served.Latency);
        Assert.Equal("priority", Assert.IsType<ServiceTier>(response.AdditionalProperties[BedrockChatProperties.ServiceTier]).Type);
    }

    [Fact]
    public async Task Prompt_caching_puts_checkpoints_after_system_and_tools_and_usage_reports_cache_reads_and_writes()
    {
        string longSystem = string.Concat(Enumerable.Repeat("You are a careful assistant who answers questions about invoices. ", 80));
        AIFunction lookup = AIFunctionFactory.Create((string q) => q, "lookup", "Looks up.");
        var options = new ChatOptions
        {
            Tools = [lookup],
            ToolMode = ChatToolMode.None,
            AdditionalProperties = new() { [BedrockChatProperties.PromptCaching] = "1h" },
        };
        IChatClient chat = _bedrock.AsIChatClient(Sonnet45);

        // ToolMode.None drops the tools, so only the system prompt carries a checkpoint.
        ChatResponse first = await chat.GetResponseAsync([new(ChatRole.System, longSystem), new(ChatRole.User, "Total?")], options);
        JsonNode body = LastBody();
        Assert.Equal("""{"cachePoint":{"type":"default","ttl":"1h"}}""", body["system"]![1]!.ToJsonString());
        Assert.Null(body["toolConfig"]);

        ChatResponse second = await chat.GetResponseAsync([new(ChatRole.System, longSystem), new(ChatRole.User, "Due date?")], options);

        TokenUsage firstRaw = ((ConverseResponse)first.RawRepresentation!).Usage!;
        TokenUsage secondRaw = ((ConverseResponse)second.RawRepresentation!).Usage!;
        Assert.True(firstRaw.CacheWriteInputTokens > 0);
        Assert.Equal((long?)firstRaw.CacheWriteInputTokens, first.Usage!.AdditionalCounts![BedrockChatProperties.CacheWriteInputTokens]);
        Assert.Equal(0, first.Usage.CachedInputTokenCount);
        Assert.True(secondRaw.CacheReadInputTokens > 0);
        Assert.Equal(secondRaw.CacheReadInputTokens, second.Usage!.CachedInputTokenCount);
        Assert.Equal((long?)secondRaw.CacheReadInputTokens, second.Usage.AdditionalCounts![BedrockChatProperties.CacheReadInputTokens]);

        // M.E.AI counts cached tokens as part of the input; Bedrock's inputTokens leaves them out.
        Assert.Equal(secondRaw.InputTokens + secondRaw.CacheReadInputTokens + secondRaw.CacheWriteInputTokens, second.Usage.InputTokenCount);
        Assert.Equal(secondRaw.TotalTokens, second.Usage.TotalTokenCount);

        options.ToolMode = ChatToolMode.Auto;
        await chat.GetResponseAsync([new(ChatRole.System, longSystem), new(ChatRole.User, "Due date?")], options);
        JsonArray tools = LastBody()["toolConfig"]!["tools"]!.AsArray();
        Assert.Equal("""{"cachePoint":{"type":"default","ttl":"1h"}}""", tools[^1]!.ToJsonString());
    }

    [Fact]
    public async Task RawRepresentationFactory_gives_the_request_to_start_from_and_options_fill_only_what_it_leaves_unset()
    {
        var options = new ChatOptions
        {
            Temperature = 0.9f,
            MaxOutputTokens = 100,
            RawRepresentationFactory = client =>
            {
                Assert.IsType<BedrockChatClient>(client);
                return new ConverseRequest
                {
                    System = [SystemContentBlock.FromText("From the factory.")],
                    InferenceConfig = new InferenceConfiguration { Temperature = 0.1f },
                    GuardrailConfig = new GuardrailConfiguration { GuardrailIdentifier = "gr-1", GuardrailVersion = "DRAFT" },
                };
            },
        };

        await _bedrock.AsIChatClient(NovaMicro).GetResponseAsync([new(ChatRole.System, "From the chat."), new(ChatRole.User, "Hi")], options);

        JsonNode body = LastBody();
        Assert.Equal("""[{"text":"From the factory."},{"text":"From the chat."}]""", body["system"]!.ToJsonString());
        Assert.Equal("""{"maxTokens":100,"temperature":0.1}""", body["inferenceConfig"]!.ToJsonString());
        Assert.Equal("""{"guardrailIdentifier":"gr-1","guardrailVersion":"DRAFT"}""", body["guardrailConfig"]!.ToJsonString());
    }

    [Fact]
    public async Task Images_and_documents_are_sent_as_Bedrock_media_blocks()
    {
        byte[] png = [0x89, 0x50, 0x4E, 0x47, 1, 2, 3];
        byte[] pdf = [0x25, 0x50, 0x44, 0x46, 4, 5];
        var message = new ChatMessage(ChatRole.User,
        [
            new TextContent("Compare these."),
            new DataContent(png, "image/png"),
            new DataContent(pdf, "application/pdf") { Name = "Q3_report.final.pdf" },
            new UriContent("s3://bucket/scan.jpg", "image/jpeg"),
        ]);

        await _bedrock.AsIChatClient(Haiku35).GetResponseAsync([message]);

        JsonArray content = LastBody()["messages"]![0]!["content"]!.AsArray();
        Assert.Equal(Convert.ToBase64String(png), content[1]!["image"]!["source"]!["bytes"]!.GetValue<string>());
        Assert.Equal("png", content[1]!["image"]!["format"]!.GetValue<string>());
        Assert.Equal("pdf", content[2]!["document"]!["format"]!.GetValue<string>());
        Assert.Equal("Q3 report final", content[2]!["document"]!["name"]!.GetValue<string>());
        Assert.Equal(Convert.ToBase64String(pdf), content[2]!["document"]!["source"]!["bytes"]!.GetValue<string>());
        Assert.Equal("""{"format":"jpeg","source":{"s3Location":{"uri":"s3://bucket/scan.jpg"}}}""", content[3]!["image"]!.ToJsonString());
    }

    [Fact]
    public async Task Bedrock_errors_surface_as_typed_BedrockExceptions()
    {
        IChatClient chat = _bedrock.AsIChatClient(Sonnet45);

        // Claude Sonnet 4.5 takes temperature or topP, not both: Bedrock's 400 comes back as it is.
        var invalid = await Assert.ThrowsAsync<BedrockValidationException>(() => chat.GetResponseAsync("Hi", new ChatOptions { Temperature = 0.2f, TopP = 0.5f }));
        Assert.Contains("temperature", invalid.Message);

        _emulator.Faults.Throttle();
        await Assert.ThrowsAsync<BedrockThrottlingException>(() => chat.GetResponseAsync("Hi"));

        _emulator.Faults.InStreamException(afterEvents: 4);
        var seen = new System.Text.StringBuilder();
        var midStream = await Assert.ThrowsAsync<BedrockModelStreamErrorException>(async () =>
        {
            await foreach (ChatResponseUpdate update in chat.GetStreamingResponseAsync("Stream it"))
            {
                seen.Append(update.Text);
            }
        });
        Assert.NotEmpty(seen.ToString());
        Assert.Equal(seen.ToString(), midStream.PartialText);
    }

    [Fact]
    public void Metadata_and_GetService_describe_the_client()
    {
        IChatClient chat = _bedrock.AsIChatClient(Haiku35);

        ChatClientMetadata metadata = chat.GetService<ChatClientMetadata>()!;
        Assert.Equal("aws.bedrock", metadata.ProviderName);
        Assert.Equal(_emulator.Endpoint, metadata.ProviderUri);
        Assert.Equal(Haiku35, metadata.DefaultModelId);
        Assert.Same(_bedrock, chat.GetService<IBedrockClient>());
        Assert.Same(_bedrock, chat.GetService<BedrockClient>());
        Assert.Same(chat, chat.GetService<BedrockChatClient>());
        Assert.Null(chat.GetService<IBedrockClient>("key"));
        Assert.Null(chat.GetService<string>());

        // Disposing the chat client leaves the Bedrock client, which it does not own, usable.
        chat.Dispose();
        Assert.Same(_bedrock, chat.GetService<IBedrockClient>());
    }

    [Fact]
    public async Task The_chat_client_registers_with_MEAI_dependency_injection_over_the_registered_Bedrock_client()
    {
        var services = new ServiceCollection();
        services.AddSingleton<IBedrockClient>(_bedrock);
        services.AddChatClient(sp => sp.GetRequiredService<IBedrockClient>().AsIChatClient(NovaMicro))
            .UseFunctionInvocation();
        using ServiceProvider provider = services.BuildServiceProvider();

        IChatClient chat = provider.GetRequiredService<IChatClient>();
        ChatResponse response = await chat.GetResponseAsync("Hello");

        Assert.NotEmpty(response.Text);
        Assert.Equal(NovaMicro, _emulator.Requests.Single().ModelId);
        Assert.Same(_bedrock, chat.GetService<IBedrockClient>());
    }

    [Fact]
    public async Task A_call_without_any_model_fails_before_sending()
    {
        IChatClient chat = _bedrock.AsIChatClient();

        await Assert.ThrowsAsync<InvalidOperationException>(() => chat.GetResponseAsync("Hi"));

        Assert.Empty(_emulator.Requests);
    }
}
