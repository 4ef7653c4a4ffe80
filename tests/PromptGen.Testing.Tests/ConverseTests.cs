using System.Net;
using System.Text.Json.Nodes;
using PromptGen.Testing.Tests.Support;

namespace PromptGen.Testing.Tests;

public sealed class ConverseTests
{
    [Fact]
    public async Task Converse_returns_the_same_text_for_the_same_request_and_a_documented_response_shape()
    {
        await using BedrockEmulator emulator = await BedrockEmulator.StartAsync();
        using var http = new EmulatorHttp(emulator);

        var (first, json1) = await http.SendJsonAsync(EmulatorHttp.Sonnet45, "converse", EmulatorHttp.UserBody("Say hello"));
        var (second, json2) = await http.SendJsonAsync(EmulatorHttp.Sonnet45, "converse", EmulatorHttp.UserBody("Say hello"));
        var (_, other) = await http.SendJsonAsync(EmulatorHttp.Sonnet45, "converse", EmulatorHttp.UserBody("Something else entirely"));

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal("application/json", first.Content.Headers.ContentType!.MediaType);
        string text = json1!["output"]!["message"]!["content"]![0]!["text"]!.GetValue<string>();
        Assert.False(string.IsNullOrWhiteSpace(text));
        Assert.Equal(text, json2!["output"]!["message"]!["content"]![0]!["text"]!.GetValue<string>());
        Assert.NotEqual(text, other!["output"]!["message"]!["content"]![0]!["text"]!.GetValue<string>());
        Assert.Equal("assistant", json1["output"]!["message"]!["role"]!.GetValue<string>());
        Assert.Equal("end_turn", json1["stopReason"]!.GetValue<string>());

        JsonNode usage = json1["usage"]!;
        int input = usage["inputTokens"]!.GetValue<int>(), output = usage["outputTokens"]!.GetValue<int>();
        Assert.True(input > 0);
        Assert.True(output > 0);
        Assert.Equal(input + output, usage["totalTokens"]!.GetValue<int>());
        Assert.True(json1["metrics"]!["latencyMs"]!.GetValue<long>() >= 0);
        Assert.Null(json1["performanceConfig"]);
    }

    [Fact]
    public async Task Every_response_carries_a_request_id_header_and_requests_are_recorded()
    {
        await using BedrockEmulator emulator = await BedrockEmulator.StartAsync();
        using var http = new EmulatorHttp(emulator);

        HttpResponseMessage ok = await http.SendAsync(EmulatorHttp.Sonnet45, "converse", EmulatorHttp.UserBody("Hi"));
        HttpResponseMessage bad = await http.SendAsync("no.such-model-v1:0", "converse", EmulatorHttp.UserBody("Hi"));

        string okId = ok.Headers.GetValues("x-amzn-RequestId").Single();
        Assert.True(Guid.TryParse(okId, out _));
        Assert.Single(bad.Headers.GetValues("x-amzn-RequestId"));

        IReadOnlyList<RecordedRequest> requests = emulator.Requests;
        Assert.Equal(2, requests.Count);
        RecordedRequest recorded = requests[0];
        Assert.Equal(EmulatorOperation.Converse, recorded.Operation);
        Assert.Equal(EmulatorHttp.Sonnet45, recorded.ModelId);
        Assert.Equal("/model/us.anthropic.claude-sonnet-4-5-20250929-v1%3A0/converse", recorded.RawPath);
        Assert.Equal(okId, recorded.RequestId);
        Assert.Equal(200, recorded.StatusCode);
        Assert.Equal("Hi", recorded.Json!["messages"]![0]!["content"]![0]!["text"]!.GetValue<string>());
        Assert.StartsWith("AWS4-HMAC-SHA256", recorded.Headers["authorization"]);
        Assert.Equal(400, requests[1].StatusCode);

        emulator.Reset();
        Assert.Empty(emulator.Requests);
    }

    [Fact]
    public async Task Bearer_token_is_accepted()
    {
        await using BedrockEmulator emulator = await BedrockEmulator.StartAsync();
        using var http = new EmulatorHttp(emulator);
        HttpResponseMessage response = await http.SendAsync(EmulatorHttp.Sonnet45, "converse", EmulatorHttp.UserBody("Hi"), auth: "bearer");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Response_text_override_is_used()
    {
        await using BedrockEmulator emulator = await BedrockEmulator.StartAsync(new BedrockEmulatorOptions { ResponseText = c => "echo: " + c.LastUserText });
        using var http = new EmulatorHttp(emulator);
        var (_, json) = await http.SendJsonAsync(EmulatorHttp.Sonnet45, "converse", EmulatorHttp.UserBody("ping"));
        Assert.Equal("echo: ping", json!["output"]!["message"]!["content"]![0]!["text"]!.GetValue<string>());
    }

    [Fact]
    public async Task Max_tokens_cuts_the_reply_and_reports_max_tokens()
    {
        await using BedrockEmulator emulator = await BedrockEmulator.StartAsync();
        using var http = new EmulatorHttp(emulator);
        JsonObject body = EmulatorHttp.UserBody("Hi");
        body["inferenceConfig"] = new JsonObject { ["maxTokens"] = 3 };
        var (_, json) = await http.SendJsonAsync(EmulatorHttp.Sonnet45, "converse", body);
        Assert.Equal("max_tokens", json!["stopReason"]!.GetValue<string>());
        Assert.Equal(3, json["usage"]!["outputTokens"]!.GetValue<int>());
    }

    [Fact]
    public async Task Cache_points_write_then_read_the_prefix_above_the_model_minimum()
    {
        await using BedrockEmulator emulator = await BedrockEmulator.StartAsync();
        using var http = new EmulatorHttp(emulator);
        var body = EmulatorHttp.UserBody("Question?");
        body["system"] = new JsonArray { new JsonObject { ["text"] = new string('s', 4 * 1100) }, new JsonObject { ["cachePoint"] = new JsonObject { ["type"] = "default" } } };

        var (_, first) = await http.SendJsonAsync(EmulatorHttp.Sonnet45, "converse", body);
        var (_, second) = await http.SendJsonAsync(EmulatorHttp.Sonnet45, "converse", body);

        Assert.Equal(1100, first!["usage"]!["cacheWriteInputTokens"]!.GetValue<int>());
        Assert.Equal(0, first["usage"]!["cacheReadInputTokens"]!.GetValue<int>());
        Assert.Equal(1100, second!["usage"]!["cacheReadInputTokens"]!.GetValue<int>());
        Assert.Equal(0, second["usage"]!["cacheWriteInputTokens"]!.GetValue<int>());
        Assert.Equal("5m", first["usage"]!["cacheDetails"]![0]!["ttl"]!.GetValue<string>());
    }

    [Fact]
    public async Task Count_tokens_matches_the_converse_input_estimate()
    {
        await using BedrockEmulator emulator = await BedrockEmulator.StartAsync();
        using var http = new EmulatorHttp(emulator);
        JsonObject converse = EmulatorHttp.UserBody("Count these tokens please, all of them.");
        var (response, counted) = await http.SendJsonAsync(EmulatorHttp.Sonnet45, "count-tokens", new JsonObject { ["input"] = new JsonObject { ["converse"] = converse.DeepClone() } });
        var (_, conversed) = await http.SendJsonAsync(EmulatorHttp.Sonnet45, "converse", converse);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        int tokens = counted!["inputTokens"]!.GetValue<int>();
        Assert.True(tokens > 0);
        Assert.Equal(conversed!["usage"]!["inputTokens"]!.GetValue<int>(), tokens);
        Assert.Equal(EmulatorOperation.CountTokens, emulator.Requests[0].Operation);
    }

    [Fact]
    public async Task Latency_optimized_is_echoed_only_where_the_catalogue_offers_it()
    {
        await using BedrockEmulator emulator = await BedrockEmulator.StartAsync(new BedrockEmulatorOptions { Region = "us-east-1" });
        using var http = new EmulatorHttp(emulator);
        JsonObject Body()
        {
            JsonObject b = EmulatorHttp.UserBody("Hi");
            b["performanceConfig"] = new JsonObject { ["latency"] = "optimized" };
            return b;
        }

        // The test signer signs for us-east-1: Nova Pro offers optimized there, Sonnet 4.5 does not.
        var (_, nova) = await http.SendJsonAsync("us.amazon.nova-pro-v1:0", "converse", Body());
        var (_, sonnet) = await http.SendJsonAsync(EmulatorHttp.Sonnet45, "converse", Body());
        Assert.Equal("optimized", nova!["performanceConfig"]!["latency"]!.GetValue<string>());
        Assert.Equal("standard", sonnet!["performanceConfig"]!["latency"]!.GetValue<string>());
    }
}
