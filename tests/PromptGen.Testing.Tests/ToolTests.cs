using System.Text.Json.Nodes;
using PromptGen.Testing.Tests.Support;

namespace PromptGen.Testing.Tests;

public sealed class ToolTests
{
    internal const string WeatherSchema = """
    {
      "type": "object",
      "properties": {
        "city": { "type": "string", "minLength": 2 },
        "unit": { "type": "string", "enum": ["celsius", "fahrenheit"] },
        "days": { "type": "integer", "minimum": 1, "maximum": 7 },
        "threshold": { "type": ["number", "null"], "maximum": 0.5 },
        "alerts": { "type": "boolean" },
        "tags": { "type": "array", "items": { "type": "string" }, "minItems": 2 },
        "location": {
          "type": "object",
          "properties": { "lat": { "type": "number" }, "lon": { "type": "number" }, "label": { "$ref": "#/$defs/label" } },
          "required": ["lat", "lon", "label"],
          "additionalProperties": false
        }
      },
      "required": ["city", "unit", "days", "location", "tags"],
      "$defs": { "label": { "type": "string", "maxLength": 5 } }
    }
    """;

    internal static JsonObject WeatherToolConfig(JsonObject? toolChoice)
    {
        var config = new JsonObject
        {
            ["tools"] = new JsonArray
            {
                new JsonObject { ["toolSpec"] = new JsonObject { ["name"] = "lookup", ["description"] = "Looks up.", ["inputSchema"] = new JsonObject { ["json"] = JsonNode.Parse("{\"type\":\"object\",\"properties\":{\"q\":{\"type\":\"string\"}},\"required\":[\"q\"]}") } } },
                new JsonObject { ["toolSpec"] = new JsonObject { ["name"] = "get_weather", ["description"] = "Weather.", ["inputSchema"] = new JsonObject { ["json"] = JsonNode.Parse(WeatherSchema) } } },
            },
        };
        if (toolChoice != null)
        {
            config["toolChoice"] = toolChoice;
        }

        return config;
    }

    [Fact]
    public async Task Forced_tool_returns_a_toolUse_block_whose_input_conforms_to_the_schema()
    {
        await using BedrockEmulator emulator = await BedrockEmulator.StartAsync();
        using var http = new EmulatorHttp(emulator);
        JsonObject body = EmulatorHttp.UserBody("Weather in Paris?");
        body["toolConfig"] = WeatherToolConfig(new JsonObject { ["tool"] = new JsonObject { ["name"] = "get_weather" } });

        var (_, json) = await http.SendJsonAsync(EmulatorHttp.Sonnet45, "converse", body);
        var (_, again) = await http.SendJsonAsync(EmulatorHttp.Sonnet45, "converse", body.DeepClone());

        Assert.Equal("tool_use", json!["stopReason"]!.GetValue<string>());
        JsonNode toolUse = json["output"]!["message"]!["content"]![0]!["toolUse"]!;
        Assert.Equal("get_weather", toolUse["name"]!.GetValue<string>());
        Assert.Matches("^[a-zA-Z0-9_.:-]{1,64}$", toolUse["toolUseId"]!.GetValue<string>());
        JsonNode input = toolUse["input"]!;
        Assert.Empty(SchemaChecker.Check(input, JsonNode.Parse(WeatherSchema)));
        Assert.True(JsonNode.DeepEquals(input, again!["output"]!["message"]!["content"]![0]!["toolUse"]!["input"]));
    }

    [Fact]
    public async Task Auto_tool_choice_calls_the_first_tool_then_answers_in_text_after_a_tool_result()
    {
        await using BedrockEmulator emulator = await BedrockEmulator.StartAsync();
        using var http = new EmulatorHttp(emulator);
        JsonObject body = EmulatorHttp.UserBody("Look something up");
        body["toolConfig"] = WeatherToolConfig(new JsonObject { ["auto"] = new JsonObject() });

        var (_, first) = await http.SendJsonAsync(EmulatorHttp.Sonnet45, "converse", body);
        JsonNode toolUse = first!["output"]!["message"]!["content"]![0]!["toolUse"]!;
        Assert.Equal("lookup", toolUse["name"]!.GetValue<string>());
        Assert.Empty(SchemaChecker.Check(toolUse["input"], body["toolConfig"]!["tools"]![0]!["toolSpec"]!["inputSchema"]!["json"]));

        JsonArray messages = body["messages"]!.AsArray();
        messages.Add(first["output"]!["message"]!.DeepClone());
        messages.Add(new JsonObject
        {
            ["role"] = "user",
            ["content"] = new JsonArray { new JsonObject { ["toolResult"] = new JsonObject { ["toolUseId"] = toolUse["toolUseId"]!.GetValue<string>(), ["content"] = new JsonArray { new JsonObject { ["text"] = "42" } } } } },
        });
        var (_, second) = await http.SendJsonAsync(EmulatorHttp.Sonnet45, "converse", body);
        Assert.Equal("end_turn", second!["stopReason"]!.GetValue<string>());
        Assert.NotNull(second["output"]!["message"]!["content"]![0]!["text"]);
    }

    [Fact]
    public async Task Streamed_tool_use_sends_contentBlockStart_and_input_deltas_that_parse_to_conforming_json()
    {
        await using BedrockEmulator emulator = await BedrockEmulator.StartAsync();
        using var http = new EmulatorHttp(emulator);
        JsonObject body = EmulatorHttp.UserBody("Weather?");
        body["toolConfig"] = WeatherToolConfig(new JsonObject { ["any"] = new JsonObject() });
        body["toolConfig"]!["tools"]!.AsArray().RemoveAt(0);

        HttpResponseMessage response = await http.SendAsync(EmulatorHttp.Sonnet45, "converse-stream", body);
        List<TestFrame> frames = TestFrameDecoder.DecodeAll(await response.Content.ReadAsByteArrayAsync(), out int trailing);
        Assert.Equal(0, trailing);
        TestFrame start = frames.Single(f => f.EventType == "contentBlockStart");
        Assert.Equal("get_weather", start.Json!["start"]!["toolUse"]!["name"]!.GetValue<string>());
        string input = string.Concat(frames.Where(f => f.EventType == "contentBlockDelta").Select(f => f.Json!["delta"]!["toolUse"]!["input"]!.GetValue<string>()));
        Assert.Empty(SchemaChecker.Check(JsonNode.Parse(input), JsonNode.Parse(WeatherSchema)));
        Assert.Equal("tool_use", frames.Single(f => f.EventType == "messageStop").Json!["stopReason"]!.GetValue<string>());
    }
}
