using System.Text.Json.Nodes;
using PromptGen.Testing.Tests.Support;

namespace PromptGen.Testing.Tests;

public sealed class StructuredOutputTests
{
    internal static JsonObject WithSchema(JsonObject body, string schema)
    {
        body["outputConfig"] = new JsonObject
        {
            ["textFormat"] = new JsonObject
            {
                ["type"] = "json_schema",
                ["structure"] = new JsonObject { ["jsonSchema"] = new JsonObject { ["schema"] = schema, ["name"] = "answer" } },
            },
        };
        return body;
    }

    private const string PersonSchema = """
    {
      "type": "object",
      "properties": {
        "name": { "type": "string" },
        "age": { "type": "integer", "minimum": 18 },
        "email": { "type": "string", "format": "email" },
        "nickname": { "anyOf": [ { "type": "string" }, { "type": "null" } ] },
        "scores": { "type": "array", "items": { "type": "number", "minimum": 0, "maximum": 1 } },
        "status": { "enum": ["active", "inactive"] },
        "address": { "type": "object", "properties": { "street": { "type": "string" }, "zip": { "type": "string", "maxLength": 5 } }, "required": ["street", "zip"] }
      },
      "required": ["name", "age", "email", "nickname", "scores", "status", "address"],
      "additionalProperties": false
    }
    """;

    [Fact]
    public async Task Output_config_json_schema_returns_text_that_parses_and_conforms_to_the_schema()
    {
        await using BedrockEmulator emulator = await BedrockEmulator.StartAsync();
        using var http = new EmulatorHttp(emulator);
        var (response, json) = await http.SendJsonAsync(EmulatorHttp.Sonnet45, "converse", WithSchema(EmulatorHttp.UserBody("Describe a person"), PersonSchema));

        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        string text = json!["output"]!["message"]!["content"]![0]!["text"]!.GetValue<string>();
        JsonNode value = JsonNode.Parse(text)!;
        Assert.Empty(SchemaChecker.Check(value, JsonNode.Parse(PersonSchema)));
        Assert.True(value["age"]!.GetValue<int>() >= 18);
    }

    [Fact]
    public async Task Streamed_structured_output_reassembles_to_conforming_json()
    {
        await using BedrockEmulator emulator = await BedrockEmulator.StartAsync(new BedrockEmulatorOptions { TokenDelay = TimeSpan.Zero });
        using var http = new EmulatorHttp(emulator);
        HttpResponseMessage response = await http.SendAsync(EmulatorHttp.Sonnet45, "converse-stream", WithSchema(EmulatorHttp.UserBody("Describe a person"), PersonSchema));
        List<TestFrame> frames = TestFrameDecoder.DecodeAll(await response.Content.ReadAsByteArrayAsync(), out _);
        string text = string.Concat(frames.Where(f => f.EventType == "contentBlockDelta").Select(f => f.Json!["delta"]!["text"]!.GetValue<string>()));
        Assert.Empty(SchemaChecker.Check(JsonNode.Parse(text), JsonNode.Parse(PersonSchema)));
    }
}
