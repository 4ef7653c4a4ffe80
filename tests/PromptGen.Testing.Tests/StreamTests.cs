using System.Diagnostics;
using System.Net;
using PromptGen.Testing.Tests.Support;

namespace PromptGen.Testing.Tests;

public sealed class StreamTests
{
    [Fact]
    public async Task Converse_stream_sends_the_bedrock_event_sequence_in_valid_frames_and_the_text_reassembles()
    {
        await using BedrockEmulator emulator = await BedrockEmulator.StartAsync();
        using var http = new EmulatorHttp(emulator);
        HttpResponseMessage response = await http.SendAsync(EmulatorHttp.Sonnet45, "converse-stream", EmulatorHttp.UserBody("Say hello"));
        var (_, converse) = await http.SendJsonAsync(EmulatorHttp.Sonnet45, "converse", EmulatorHttp.UserBody("Say hello"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/vnd.amazon.eventstream", response.Content.Headers.ContentType!.MediaType);
        Assert.Single(response.Headers.GetValues("x-amzn-RequestId"));
        List<TestFrame> frames = TestFrameDecoder.DecodeAll(await response.Content.ReadAsByteArrayAsync(), out int trailing);
        Assert.Equal(0, trailing);

        Assert.All(frames, f =>
        {
            Assert.Equal("event", f.MessageType);
            Assert.Equal("application/json", f.Header(":content-type"));
        });
        List<string?> types = frames.Select(f => f.EventType).ToList();
        Assert.Equal("messageStart", types[0]);
        Assert.Equal(new[] { "contentBlockStop", "messageStop", "metadata" }, types.TakeLast(3));
        Assert.All(types.Skip(1).SkipLast(3), t => Assert.Equal("contentBlockDelta", t));
        Assert.True(types.Count > 5);
        Assert.Equal("assistant", frames[0].Json!["role"]!.GetValue<string>());
        Assert.All(frames, f => Assert.Matches("^[a-zA-Z0-9]+$", f.Json!["p"]!.GetValue<string>()));

        string text = string.Concat(frames.Where(f => f.EventType == "contentBlockDelta").Select(f => f.Json!["delta"]!["text"]!.GetValue<string>()));
        Assert.Equal(converse!["output"]!["message"]!["content"]![0]!["text"]!.GetValue<string>(), text);
        Assert.All(frames.Where(f => f.EventType is "contentBlockDelta" or "contentBlockStop"), f => Assert.Equal(0, f.Json!["contentBlockIndex"]!.GetValue<int>()));
        Assert.Equal("end_turn", frames[^2].Json!["stopReason"]!.GetValue<string>());

        var metadata = frames[^1].Json!;
        Assert.Equal(frames.Count(f => f.EventType == "contentBlockDelta"), metadata["usage"]!["outputTokens"]!.GetValue<int>());
        Assert.Equal(converse["usage"]!["inputTokens"]!.GetValue<int>(), metadata["usage"]!["inputTokens"]!.GetValue<int>());
        Assert.True(metadata["metrics"]!["latencyMs"]!.GetValue<long>() >= 0);
    }

    [Fact]
    public async Task First_text_delta_arrives_no_earlier_than_the_configured_time_to_first_token()
    {
        var ttft = TimeSpan.FromMilliseconds(250);
        await using BedrockEmulator emulator = await BedrockEmulator.StartAsync(new BedrockEmulatorOptions { TimeToFirstToken = ttft, TokenDelay = TimeSpan.FromMilliseconds(5) });
        using var http = new EmulatorHttp(emulator);

        var clock = Stopwatch.StartNew();
        HttpResponseMessage response = await http.SendAsync(EmulatorHttp.Sonnet45, "converse-stream", EmulatorHttp.UserBody("Hi"), completion: HttpCompletionOption.ResponseHeadersRead);
        Stream stream = await response.Content.ReadAsStreamAsync();
        var buffer = new List<byte>();
        var chunk = new byte[4096];
        TimeSpan? firstDelta = null, messageStartAt = null;
        while (firstDelta == null)
        {
            int read = await stream.ReadAsync(chunk);
            Assert.NotEqual(0, read);
            buffer.AddRange(chunk.AsSpan(0, read).ToArray());
            foreach (TestFrame frame in TestFrameDecoder.DecodeAll(buffer.ToArray(), out _))
            {
                if (frame.EventType == "messageStart") messageStartAt ??= clock.Elapsed;
                if (frame.EventType == "contentBlockDelta") firstDelta ??= clock.Elapsed;
            }
        }

        Assert.NotNull(messageStartAt);
        Assert.True(firstDelta >= ttft, $"first delta after {firstDelta!.Value.TotalMilliseconds} ms, configured {ttft.TotalMilliseconds} ms");
    }

    [Fact]
    public async Task Stream_request_failing_validation_gets_a_json_error_instead_of_an_event_stream()
    {
        await using BedrockEmulator emulator = await BedrockEmulator.StartAsync();
        using var http = new EmulatorHttp(emulator);
        var body = EmulatorHttp.UserBody("x");
        body["inferenceConfig"] = new System.Text.Json.Nodes.JsonObject { ["temperature"] = 0.2 };
        var (bad, json) = await http.SendJsonAsync(EmulatorHttp.Opus47, "converse-stream", body);
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Equal("application/json", bad.Content.Headers.ContentType!.MediaType);
        Assert.Equal("ValidationException", EmulatorHttp.ErrorType(bad));
        Assert.NotNull(json!["message"]);
    }
}
