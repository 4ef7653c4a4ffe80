using System.Text.Json.Nodes;
using PromptGen.Generated;

namespace PromptGen.Runtime.Tests.Prompts;

/// <summary>The Converse request <see cref="PromptRunner.BuildRequest"/> makes from a definition, checked on the serialized wire JSON.</summary>
public sealed class PromptRequestBuildingTests
{
    private const string Haiku45 = "us.anthropic.claude-haiku-4-5-20251001-v1:0";
    private const string NovaPro = "us.amazon.nova-pro-v1:0";

    private const string InvoiceSchema =
        """{"type":"object","properties":{"number":{"type":"string"},"total":{"type":"number"}},"required":["number","total"],"additionalProperties":false}""";

    private static JsonNode Wire(PromptDefinition definition, string userPrompt = "Hello", int staticPrefixLength = 0) =>
        JsonNode.Parse(BedrockJson.SerializeToUtf8Bytes(PromptRunner.BuildRequest(definition, userPrompt, staticPrefixLength)))!;

    private static PromptDefinition Definition(string model = Haiku45) => new()
    {
        InterfaceName = "IInvoiceReader",
        MethodName = "ExtractAsync",
        UseCase = UseCase.Extraction,
        ModelId = model,
    };

    [Fact]
    public void Minimal_definition_sends_only_the_user_message()
    {
        JsonNode wire = Wire(Definition(), "Extract this");

        Assert.Equal("""{"messages":[{"role":"user","content":[{"text":"Extract this"}]}]}""", wire.ToJsonString());
    }

    [Fact]
    public void Inference_config_holds_only_the_values_that_are_set()
    {
        JsonNode wire = Wire(Definition());
        Assert.Null(wire["inferenceConfig"]);

        wire = Wire(new PromptDefinition { ModelId = Haiku45, Temperature = 0.3f, MaxTokens = 400 });
        JsonObject config = wire["inferenceConfig"]!.AsObject();
        Assert.Equal(0.3, config["temperature"]!.GetValue<double>(), 5);
        Assert.Equal(400, config["maxTokens"]!.GetValue<int>());
        Assert.False(config.ContainsKey("topP"));
        Assert.False(config.ContainsKey("stopSequences"));

        wire = Wire(new PromptDefinition { ModelId = NovaPro, TopP = 0.1f, StopSequences = ["END", "STOP"] });
        config = wire["inferenceConfig"]!.AsObject();
        Assert.Equal(0.1, config["topP"]!.GetValue<double>(), 5);
        Assert.Equal(["END", "STOP"], config["stopSequences"]!.AsArray().Select(n => n!.GetValue<string>()));
        Assert.False(config.ContainsKey("maxTokens"));
        Assert.False(config.ContainsKey("temperature"));
    }

    [Fact]
    public void Top_k_goes_to_the_models_dotted_path_in_additional_model_request_fields()
    {
        JsonNode claude = Wire(new PromptDefinition { ModelId = Haiku45, TopK = 40, TopKField = "top_k" });
        Assert.Equal("""{"top_k":40}""", claude["additionalModelRequestFields"]!.ToJsonString());

        JsonNode nova = Wire(new PromptDefinition { ModelId = NovaPro, TopK = 20, TopKField = "inferenceConfig.topK" });
        Assert.Equal("""{"inferenceConfig":{"topK":20}}""", nova["additionalModelRequestFields"]!.ToJsonString());
        Assert.Null(nova["inferenceConfig"]);
    }

    [Fact]
    public void Top_k_without_its_field_is_a_definition_error()
    {
        var e = Assert.Throws<InvalidOperationException>(() => PromptRunner.BuildRequest(new PromptDefinition { ModelId = Haiku45, TopK = 5 }, "x"));
        Assert.Contains("TopKField", e.Message);
    }

    [Fact]
    public void Latency_optimized_sends_performance_config()
    {
        Assert.Null(Wire(Definition())["performanceConfig"]);
        JsonNode wire = Wire(new PromptDefinition { ModelId = NovaPro, LatencyOptimized = true });
        Assert.Equal("""{"latency":"optimized"}""", wire["performanceConfig"]!.ToJsonString());
    }

    [Fact]
    public void System_prompt_is_a_text_block_and_caching_adds_a_checkpoint_after_it()
    {
        JsonNode plain = Wire(new PromptDefinition { ModelId = Haiku45, SystemPrompt = "You extract." });
        Assert.Equal("""[{"text":"You extract."}]""", plain["system"]!.ToJsonString());

        JsonNode cached = Wire(new PromptDefinition { ModelId = Haiku45, SystemPrompt = "You extract.", CachePrompt = true, CacheTtl = "1h" });
        Assert.Equal("""[{"text":"You extract."},{"cachePoint":{"type":"default","ttl":"1h"}}]""", cached["system"]!.ToJsonString());

        JsonNode defaultTtl = Wire(new PromptDefinition { ModelId = Haiku45, SystemPrompt = "You extract.", CachePrompt = true });
        Assert.Equal("""{"cachePoint":{"type":"default"}}""", defaultTtl["system"]![1]!.ToJsonString());
    }

    [Fact]
    public void Static_prefix_of_the_user_message_is_split_off_behind_a_checkpoint()
    {
        const string prompt = "Extract the invoice fields from:\nINV-1 total 12";
        int prefix = "Extract the invoice fields from:\n".Length;
        var definition = new PromptDefinition { ModelId = Haiku45, SystemPrompt = "S", CachePrompt = true, CacheTtl = "5m" };

        JsonArray content = Wire(definition, prompt, prefix)["messages"]![0]!["content"]!.AsArray();

        Assert.Equal(3, content.Count);
        Assert.Equal("Extract the invoice fields from:\n", content[0]!["text"]!.GetValue<string>());
        Assert.Equal("""{"type":"default","ttl":"5m"}""", content[1]!["cachePoint"]!.ToJsonString());
        Assert.Equal("INV-1 total 12", content[2]!["text"]!.GetValue<string>());
    }

    [Fact]
    public void Static_prefix_is_ignored_without_caching_and_a_whole_static_prompt_ends_with_the_checkpoint()
    {
        JsonArray uncached = Wire(Definition(), "abc def", 4)["messages"]![0]!["content"]!.AsArray();
        Assert.Equal("""[{"text":"abc def"}]""", uncached.ToJsonString());

        JsonArray whole = Wire(new PromptDefinition { ModelId = Haiku45, CachePrompt = true }, "all static\n", 10)["messages"]![0]!["content"]!.AsArray();
        Assert.Equal("""[{"text":"all static\n"},{"cachePoint":{"type":"default"}}]""", whole.ToJsonString());
    }

    [Fact]
    public void Cache_points_never_exceed_the_limit()
    {
        ConverseRequest request = PromptRunner.BuildRequest(
            new PromptDefinition { ModelId = Haiku45, SystemPrompt = "S", CachePrompt = true, OutputKind = PromptOutputKind.ToolJson, JsonSchema = InvoiceSchema },
            "prefix rest", 7);
        int points = request.System!.Count(b => b.CachePoint != null)
            + request.Messages!.Sum(m => m.Content.Count(b => b.CachePoint != null))
            + request.ToolConfig!.Tools.Count(t => t.CachePoint != null);
        Assert.InRange(points, 1, PromptRunner.MaxCachePoints);
        Assert.Equal(2, points);
    }

    [Fact]
    public void Native_json_sends_output_config_with_the_schema_as_a_string()
    {
        JsonNode wire = Wire(new PromptDefinition { ModelId = Haiku45, OutputKind = PromptOutputKind.NativeJson, JsonSchema = InvoiceSchema });

        JsonNode format = wire["outputConfig"]!["textFormat"]!;
        Assert.Equal("json_schema", format["type"]!.GetValue<string>());
        Assert.Equal(InvoiceSchema, format["structure"]!["jsonSchema"]!["schema"]!.GetValue<string>());
        Assert.Null(wire["toolConfig"]);
    }

    [Fact]
    public void Tool_json_sends_one_tool_with_the_schema_document_and_forces_it()
    {
        JsonNode wire = Wire(new PromptDefinition { ModelId = NovaPro, OutputKind = PromptOutputKind.ToolJson, JsonSchema = InvoiceSchema });

        JsonNode tools = wire["toolConfig"]!;
        JsonNode spec = Assert.Single(tools["tools"]!.AsArray())!["toolSpec"]!;
        Assert.Equal("respond", spec["name"]!.GetValue<string>());
        Assert.False(string.IsNullOrWhiteSpace(spec["description"]!.GetValue<string>()));
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(InvoiceSchema), spec["inputSchema"]!["json"]));
        Assert.Equal("""{"tool":{"name":"respond"}}""", tools["toolChoice"]!.ToJsonString());
        Assert.Null(wire["outputConfig"]);

        JsonNode unforced = Wire(new PromptDefinition
        {
            ModelId = "us.meta.llama3-1-70b-instruct-v1:0", OutputKind = PromptOutputKind.ToolJson, JsonSchema = InvoiceSchema,
            ToolName = "invoice", ForceToolChoice = false,
        });
        Assert.Equal("invoice", unforced["toolConfig"]!["tools"]![0]!["toolSpec"]!["name"]!.GetValue<string>());
        Assert.Null(unforced["toolConfig"]!["toolChoice"]);
    }

    [Fact]
    public void One_definition_builds_independent_requests()
    {
        var definition = new PromptDefinition { ModelId = NovaPro, OutputKind = PromptOutputKind.ToolJson, JsonSchema = InvoiceSchema, TopK = 3, TopKField = "inferenceConfig.topK" };
        ConverseRequest first = PromptRunner.BuildRequest(definition, "a");
        first.ToolConfig!.Tools[0].ToolSpec!.InputSchema.Json!["mutated"] = true;
        first.AdditionalModelRequestFields!["other"] = 1;

        JsonNode second = JsonNode.Parse(BedrockJson.SerializeToUtf8Bytes(PromptRunner.BuildRequest(definition, "b")))!;

        Assert.Null(second["toolConfig"]!["tools"]![0]!["toolSpec"]!["inputSchema"]!["json"]!["mutated"]);
        Assert.Null(second["additionalModelRequestFields"]!["other"]);
    }

    [Fact]
    public void Definition_errors_are_reported_clearly()
    {
        Assert.Throws<InvalidOperationException>(() => PromptRunner.BuildRequest(new PromptDefinition(), "x"));
        Assert.Throws<InvalidOperationException>(() => PromptRunner.BuildRequest(new PromptDefinition { ModelId = Haiku45, OutputKind = PromptOutputKind.NativeJson }, "x"));
        Assert.Throws<ArgumentException>(() => new PromptDefinition { JsonSchema = "[1]" });
        Assert.Throws<ArgumentException>(() => new PromptDefinition { JsonSchema = "{not json" });
        Assert.Throws<ArgumentOutOfRangeException>(() => PromptRunner.BuildRequest(Definition(), "abc", 4));
    }
}
