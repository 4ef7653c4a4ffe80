using System.Net;
using System.Text.Json.Nodes;
using PromptGen.Testing.Tests.Support;

namespace PromptGen.Testing.Tests;

public sealed class ValidationTests
{
    private static async Task<(HttpStatusCode Status, string ErrorType, string? Message)> SendAsync(string modelId, JsonObject body, string operation = "converse", BedrockEmulatorOptions? options = null)
    {
        await using BedrockEmulator emulator = await BedrockEmulator.StartAsync(options);
        using var http = new EmulatorHttp(emulator);
        var (response, json) = await http.SendJsonAsync(modelId, operation, body);
        return (response.StatusCode, EmulatorHttp.ErrorType(response), json?["message"]?.GetValue<string>());
    }

    private static JsonObject WithInference(JsonObject inference, string text = "Hi")
    {
        JsonObject body = EmulatorHttp.UserBody(text);
        body["inferenceConfig"] = inference;
        return body;
    }

    [Fact]
    public async Task Sonnet_45_with_temperature_and_topP_gets_400_with_Bedrocks_wording()
    {
        var (status, type, message) = await SendAsync(EmulatorHttp.Sonnet45, WithInference(new JsonObject { ["temperature"] = 0.5, ["topP"] = 0.9 }));
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("ValidationException", type);
        Assert.Equal("The model returned the following errors: `temperature` and `top_p` cannot both be specified for this model. Please use only one.", message);
    }

    [Fact]
    public async Task Sonnet_45_accepts_temperature_alone()
    {
        var (status, _, _) = await SendAsync(EmulatorHttp.Sonnet45, WithInference(new JsonObject { ["temperature"] = 0.5 }));
        Assert.Equal(HttpStatusCode.OK, status);
    }

    [Fact]
    public async Task Older_claude_accepts_temperature_and_topP_together()
    {
        var (status, _, _) = await SendAsync("us.anthropic.claude-3-7-sonnet-20250219-v1:0", WithInference(new JsonObject { ["temperature"] = 0.5, ["topP"] = 0.9 }));
        Assert.Equal(HttpStatusCode.OK, status);
    }

    [Theory]
    [InlineData("temperature", "`temperature` is deprecated for this model.")]
    [InlineData("topP", "`top_p` is deprecated for this model.")]
    public async Task Opus_47_rejects_sampling_parameters(string field, string expected)
    {
        var (status, type, message) = await SendAsync(EmulatorHttp.Opus47, WithInference(new JsonObject { [field] = 0.5 }));
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("ValidationException", type);
        Assert.Equal("The model returned the following errors: " + expected, message);
    }

    [Fact]
    public async Task Opus_47_rejects_top_k_in_additional_fields()
    {
        JsonObject body = EmulatorHttp.UserBody("Hi");
        body["additionalModelRequestFields"] = new JsonObject { ["top_k"] = 10 };
        var (status, _, message) = await SendAsync(EmulatorHttp.Opus47, body);
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("The model returned the following errors: `top_k` is deprecated for this model.", message);
    }

    [Fact]
    public async Task Unknown_model_gets_400_invalid_model_identifier()
    {
        var (status, type, message) = await SendAsync("acme.unknown-model-v1:0", EmulatorHttp.UserBody("Hi"));
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("ValidationException", type);
        Assert.Equal("The provided model identifier is invalid.", message);
    }

    [Fact]
    public async Task Inference_profile_for_a_geography_the_model_lacks_is_an_invalid_identifier()
    {
        var (status, _, message) = await SendAsync("apac.anthropic.claude-sonnet-4-5-20250929-v1:0", EmulatorHttp.UserBody("Hi"));
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("The provided model identifier is invalid.", message);
    }

    [Fact]
    public async Task Unknown_model_is_served_when_catalogue_validation_is_off()
    {
        var (status, _, _) = await SendAsync("acme.unknown-model-v1:0", EmulatorHttp.UserBody("Hi"), options: new BedrockEmulatorOptions { ValidateAgainstCatalogue = false });
        Assert.Equal(HttpStatusCode.OK, status);
    }

    [Fact]
    public async Task Profile_only_model_called_by_base_id_gets_on_demand_throughput_error()
    {
        var (status, _, message) = await SendAsync("amazon.nova-premier-v1:0", EmulatorHttp.UserBody("Hi"));
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("with on-demand throughput isn\u2019t supported", message);
    }

    [Fact]
    public async Task Max_tokens_above_the_model_limit_gets_400()
    {
        var (status, _, message) = await SendAsync(EmulatorHttp.Sonnet45, WithInference(new JsonObject { ["maxTokens"] = 64001 }));
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("The maximum tokens you requested exceeds the model limit of 64000. Try again with a maximum tokens value that is lower than 64000.", message);
    }

    [Fact]
    public async Task Temperature_above_one_violates_the_service_constraint()
    {
        var (status, _, message) = await SendAsync(EmulatorHttp.Sonnet45, WithInference(new JsonObject { ["temperature"] = 1.5 }));
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("1 validation error detected: Value '1.5' at 'inferenceConfig.temperature' failed to satisfy constraint: Member must have value less than or equal to 1", message);
    }

    [Fact]
    public async Task Missing_messages_gets_400()
    {
        var (status, _, message) = await SendAsync(EmulatorHttp.Sonnet45, new JsonObject());
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("'messages'", message);
    }

    [Fact]
    public async Task System_prompt_on_a_model_without_system_support_gets_400()
    {
        JsonObject body = EmulatorHttp.UserBody("Hi");
        body["system"] = new JsonArray { new JsonObject { ["text"] = "Be brief." } };
        var (status, _, message) = await SendAsync("mistral.mistral-7b-instruct-v0:2", body);
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("doesn't support system messages", message);
    }

    [Fact]
    public async Task Tools_in_a_stream_on_a_model_without_streaming_tool_use_get_400()
    {
        JsonObject body = EmulatorHttp.UserBody("Hi");
        body["toolConfig"] = ToolTests.WeatherToolConfig(null);
        var (status, _, message) = await SendAsync("us.meta.llama3-1-70b-instruct-v1:0", body, operation: "converse-stream");
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("This model doesn't support tool use in streaming mode.", message);
    }

    [Fact]
    public async Task Forced_tool_choice_on_a_model_without_it_gets_400()
    {
        JsonObject body = EmulatorHttp.UserBody("Hi");
        body["toolConfig"] = ToolTests.WeatherToolConfig(new JsonObject { ["tool"] = new JsonObject { ["name"] = "get_weather" } });
        var (status, _, message) = await SendAsync("us.meta.llama3-1-70b-instruct-v1:0", body);
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("toolConfig.toolChoice.tool", message);
    }

    [Fact]
    public async Task More_than_four_cache_points_get_400()
    {
        JsonObject body = EmulatorHttp.UserBody("Hi");
        var system = new JsonArray();
        for (int i = 0; i < 5; i++)
        {
            system.Add(new JsonObject { ["text"] = "part " + i });
            system.Add(new JsonObject { ["cachePoint"] = new JsonObject { ["type"] = "default" } });
        }

        body["system"] = system;
        var (status, _, message) = await SendAsync(EmulatorHttp.Sonnet45, body);
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("The model returned the following errors: A maximum of 4 blocks with cache_control may be provided. Found 5.", message);
    }

    [Fact]
    public async Task Output_config_on_a_model_without_native_structured_output_gets_400()
    {
        JsonObject body = StructuredOutputTests.WithSchema(EmulatorHttp.UserBody("Hi"), "{\"type\":\"object\"}");
        var (status, _, message) = await SendAsync("us.anthropic.claude-3-7-sonnet-20250219-v1:0", body);
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("outputConfig.textFormat", message);
    }

    [Fact]
    public async Task Tool_blocks_without_tool_config_get_400()
    {
        JsonObject body = EmulatorHttp.UserBody("Hi");
        body["messages"]!.AsArray().Add(new JsonObject
        {
            ["role"] = "assistant",
            ["content"] = new JsonArray { new JsonObject { ["toolUse"] = new JsonObject { ["toolUseId"] = "t1", ["name"] = "x", ["input"] = new JsonObject() } } },
        });
        var (status, _, message) = await SendAsync(EmulatorHttp.Sonnet45, body);
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("The toolConfig field must be defined when using toolUse and toolResult content blocks.", message);
    }

    [Fact]
    public async Task Malformed_json_body_gets_400()
    {
        await using BedrockEmulator emulator = await BedrockEmulator.StartAsync(new BedrockEmulatorOptions { RequireSignature = false });
        using var client = new HttpClient();
        HttpResponseMessage response = await client.PostAsync(new Uri(emulator.Endpoint, "/model/" + Uri.EscapeDataString(EmulatorHttp.Sonnet45) + "/converse"), new StringContent("{not json"));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }
}
