using System.Diagnostics;
using System.Net;
using System.Text.Json.Nodes;
using PromptGen.Testing.Tests.Support;

namespace PromptGen.Testing.Tests;

public sealed class FaultTests
{
    [Theory]
    [InlineData("throttle", 429, "ThrottlingException")]
    [InlineData("server500", 500, "InternalServerException")]
    [InlineData("server503", 503, "ServiceUnavailableException")]
    [InlineData("notready", 429, "ModelNotReadyException")]
    [InlineData("timeout", 408, "ModelTimeoutException")]
    [InlineData("modelerror", 424, "ModelErrorException")]
    public async Task Error_fault_answers_once_with_its_status_and_error_type_then_the_next_request_succeeds(string kind, int status, string errorType)
    {
        await using BedrockEmulator emulator = await BedrockEmulator.StartAsync();
        _ = kind switch
        {
            "throttle" => emulator.Faults.Throttle(),
            "server500" => emulator.Faults.ServerError(500),
            "server503" => emulator.Faults.ServerError(503),
            "notready" => emulator.Faults.ModelNotReady(),
            "timeout" => emulator.Faults.ModelTimeout(),
            _ => emulator.Faults.ModelError(),
        };
        using var http = new EmulatorHttp(emulator);

        var (failed, json) = await http.SendJsonAsync(EmulatorHttp.Sonnet45, "converse", EmulatorHttp.UserBody("Hi"));
        HttpResponseMessage next = await http.SendAsync(EmulatorHttp.Sonnet45, "converse", EmulatorHttp.UserBody("Hi"));

        Assert.Equal(status, (int)failed.StatusCode);
        Assert.Equal(errorType + ":http://internal.amazon.com/coral/com.amazon.bedrock/", failed.Headers.GetValues("x-amzn-ErrorType").Single());
        Assert.False(string.IsNullOrEmpty(json!["message"]!.GetValue<string>()));
        Assert.Equal(HttpStatusCode.OK, next.StatusCode);
        Assert.Empty(emulator.Faults.Pending);
        Assert.Equal(errorType == "ModelErrorException" ? 500 : (int?)null, json["originalStatusCode"]?.GetValue<int>());
    }

    [Fact]
    public async Task Repeat_and_operation_filter_decide_which_requests_a_fault_hits()
    {
        await using BedrockEmulator emulator = await BedrockEmulator.StartAsync();
        emulator.Faults.Throttle(EmulatorOperation.CountTokens, repeat: 2);
        using var http = new EmulatorHttp(emulator);
        var countBody = new JsonObject { ["input"] = new JsonObject { ["converse"] = EmulatorHttp.UserBody("Hi") } };

        HttpResponseMessage converse = await http.SendAsync(EmulatorHttp.Sonnet45, "converse", EmulatorHttp.UserBody("Hi"));
        HttpResponseMessage count1 = await http.SendAsync(EmulatorHttp.Sonnet45, "count-tokens", countBody.DeepClone());
        HttpResponseMessage count2 = await http.SendAsync(EmulatorHttp.Sonnet45, "count-tokens", countBody.DeepClone());
        HttpResponseMessage count3 = await http.SendAsync(EmulatorHttp.Sonnet45, "count-tokens", countBody.DeepClone());

        Assert.Equal(HttpStatusCode.OK, converse.StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, count1.StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, count2.StatusCode);
        Assert.Equal(HttpStatusCode.OK, count3.StatusCode);
    }

    [Fact]
    public async Task A_requests_per_second_quota_throttles_the_burst_beyond_it_and_refills_with_time()
    {
        await using BedrockEmulator emulator = await BedrockEmulator.StartAsync(new BedrockEmulatorOptions
        {
            RequestsPerSecondQuota = 5, TimeToFirstToken = TimeSpan.Zero, TokenDelay = TimeSpan.Zero,
        });
        using var http = new EmulatorHttp(emulator);

        HttpResponseMessage[] burst = await Task.WhenAll(Enumerable.Range(0, 12).Select(_ => http.SendAsync(EmulatorHttp.Sonnet45, "converse", EmulatorHttp.UserBody("Hi"))));

        // The burst is one second's worth (5); what the bucket refills while the burst runs may let one more through.
        int ok = burst.Count(r => r.StatusCode == HttpStatusCode.OK);
        Assert.InRange(ok, 5, 6);
        HttpResponseMessage throttled = burst.First(r => r.StatusCode == HttpStatusCode.TooManyRequests);
        Assert.StartsWith("ThrottlingException", throttled.Headers.GetValues("x-amzn-ErrorType").Single(), StringComparison.Ordinal);
        Assert.Equal(12 - ok, burst.Count(r => r.StatusCode == HttpStatusCode.TooManyRequests));

        await Task.Delay(TimeSpan.FromMilliseconds(450));
        Assert.Equal(HttpStatusCode.OK, (await http.SendAsync(EmulatorHttp.Sonnet45, "converse", EmulatorHttp.UserBody("Hi"))).StatusCode);

        emulator.Options.RequestsPerSecondQuota = null;
        for (int i = 0; i < 10; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await http.SendAsync(EmulatorHttp.Sonnet45, "converse", EmulatorHttp.UserBody("Hi"))).StatusCode);
        }
    }

    private static async Task<(List<TestFrame> Frames, int Trailing, Exception? Error)> StreamAsync(BedrockEmulator emulator)
    {
        using var http = new EmulatorHttp(emulator);
        HttpResponseMessage response = await http.SendAsync(EmulatorHttp.Sonnet45, "converse-stream", EmulatorHttp.UserBody("Hi"), completion: HttpCompletionOption.ResponseHeadersRead);
        var bytes = new MemoryStream();
        Exception? error = null;
        try
        {
            await (await response.Content.ReadAsStreamAsync()).CopyToAsync(bytes);
        }
        catch (Exception e) when (e is HttpRequestException or IOException)
        {
            error = e;
        }

        var frames = new List<TestFrame>();
        byte[] data = bytes.ToArray();
        int offset = 0;
        while (true)
        {
            TestFrame? frame;
            try
            {
                frame = TestFrameDecoder.TryDecode(data.AsSpan(offset), out int consumed);
                offset += consumed;
            }
            catch (InvalidDataException e)
            {
                error ??= e;
                break;
            }

            if (frame == null) break;
            frames.Add(frame);
        }

        return (frames, data.Length - offset, error);
    }

    [Theory]
    [InlineData("modelStreamErrorException")]
    [InlineData("throttlingException")]
    [InlineData("internalServerException")]
    public async Task In_stream_exception_arrives_as_an_exception_frame_after_the_given_events(string exceptionType)
    {
        await using BedrockEmulator emulator = await BedrockEmulator.StartAsync(new BedrockEmulatorOptions { TokenDelay = TimeSpan.Zero });
        emulator.Faults.InStreamException(afterEvents: 3, exceptionType);
        var (frames, trailing, error) = await StreamAsync(emulator);

        Assert.Null(error);
        Assert.Equal(0, trailing);
        Assert.Equal(4, frames.Count);
        Assert.All(frames.Take(3), f => Assert.Equal("event", f.MessageType));
        TestFrame last = frames[3];
        Assert.Equal("exception", last.MessageType);
        Assert.Equal(exceptionType, last.Header(":exception-type"));
        Assert.Equal("application/json", last.Header(":content-type"));
        Assert.NotNull(last.Json!["message"]);
        if (exceptionType == "modelStreamErrorException")
        {
            Assert.Equal(500, last.Json["originalStatusCode"]!.GetValue<int>());
        }
    }

    [Fact]
    public async Task Default_model_stream_error_frame_is_byte_identical_to_the_recorded_bedrock_frame()
    {
        await using BedrockEmulator emulator = await BedrockEmulator.StartAsync(new BedrockEmulatorOptions { TokenDelay = TimeSpan.Zero });
        emulator.Faults.InStreamException(afterEvents: 0);
        using var http = new EmulatorHttp(emulator);
        HttpResponseMessage response = await http.SendAsync(EmulatorHttp.Sonnet45, "converse-stream", EmulatorHttp.UserBody("Hi"));
        byte[] expected = Convert.FromBase64String("AAAA3QAAAGfHkZB6DTptZXNzYWdlLXR5cGUHAAlleGNlcHRpb24POmV4Y2VwdGlvbi10eXBlBwAZbW9kZWxTdHJlYW1FcnJvckV4Y2VwdGlvbg06Y29udGVudC10eXBlBwAQYXBwbGljYXRpb24vanNvbnsibWVzc2FnZSI6Ik1vZGVsIFN0cmVhbSBFcnJvciIsIm9yaWdpbmFsU3RhdHVzQ29kZSI6NTAwLCJvcmlnaW5hbE1lc3NhZ2UiOiJUaGUgbW9kZWwgc3RyZWFtIGZhaWxlZC4ifVczQxM=");
        Assert.Equal(expected, await response.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task Reset_connection_cuts_a_stream_after_the_given_bytes()
    {
        await using BedrockEmulator emulator = await BedrockEmulator.StartAsync(new BedrockEmulatorOptions { TokenDelay = TimeSpan.Zero });
        emulator.Faults.ResetConnection(afterBytes: 300);
        var (frames, trailing, error) = await StreamAsync(emulator);

        Assert.NotNull(error);
        Assert.True(frames.Count >= 1);
        Assert.DoesNotContain(frames, f => f.EventType == "metadata");
        Assert.True(trailing > 0, "the cut should fall inside a frame");
    }

    [Fact]
    public async Task Reset_connection_cuts_a_converse_json_body()
    {
        await using BedrockEmulator emulator = await BedrockEmulator.StartAsync();
        emulator.Faults.ResetConnection(afterBytes: 10, EmulatorOperation.Converse);
        using var http = new EmulatorHttp(emulator);
        await Assert.ThrowsAnyAsync<Exception>(async () =>
        {
            HttpResponseMessage response = await http.SendAsync(EmulatorHttp.Sonnet45, "converse", EmulatorHttp.UserBody("Hi"));
            await response.Content.ReadAsStringAsync();
        });
    }

    [Fact]
    public async Task Truncate_frame_ends_the_stream_cleanly_inside_a_frame()
    {
        await using BedrockEmulator emulator = await BedrockEmulator.StartAsync(new BedrockEmulatorOptions { TokenDelay = TimeSpan.Zero });
        emulator.Faults.TruncateFrame(afterEvents: 2);
        var (frames, trailing, error) = await StreamAsync(emulator);

        Assert.Null(error);
        Assert.Equal(2, frames.Count);
        Assert.True(trailing > 0);
    }

    [Fact]
    public async Task Corrupt_crc_makes_one_frame_fail_its_message_checksum()
    {
        await using BedrockEmulator emulator = await BedrockEmulator.StartAsync(new BedrockEmulatorOptions { TokenDelay = TimeSpan.Zero });
        emulator.Faults.CorruptCrc(afterEvents: 1);
        var (frames, _, error) = await StreamAsync(emulator);

        Assert.Single(frames);
        Assert.IsType<InvalidDataException>(error);
        Assert.Contains("message CRC", error!.Message);
    }

    /// <summary>
    /// The emulator's stalls are Task.Delay on the timer queue's coarse clock (a few ms a tick on Linux), which can fire before a
    /// Stopwatch says the time has passed (CI saw 295 ms for a 300 ms stall); an unstalled response takes a few ms.
    /// </summary>
    private static readonly TimeSpan TimerSlack = TimeSpan.FromMilliseconds(50);

    [Fact]
    public async Task Stall_before_first_byte_delays_the_response_headers()
    {
        var stall = TimeSpan.FromMilliseconds(300);
        await using BedrockEmulator emulator = await BedrockEmulator.StartAsync(new BedrockEmulatorOptions { TimeToFirstToken = TimeSpan.Zero });
        emulator.Faults.StallBeforeFirstByte(stall);
        using var http = new EmulatorHttp(emulator);
        var clock = Stopwatch.StartNew();
        HttpResponseMessage response = await http.SendAsync(EmulatorHttp.Sonnet45, "converse-stream", EmulatorHttp.UserBody("Hi"), completion: HttpCompletionOption.ResponseHeadersRead);
        TimeSpan headers = clock.Elapsed;
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(headers >= stall - TimerSlack, $"headers after {headers.TotalMilliseconds} ms");
        Assert.Equal(EmulatorFaultKind.StallBeforeFirstByte, emulator.Requests.Single().Fault!.Kind);
    }

    [Fact]
    public async Task Stall_between_events_pauses_the_stream_and_then_completes_it()
    {
        var stall = TimeSpan.FromMilliseconds(300);
        await using BedrockEmulator emulator = await BedrockEmulator.StartAsync(new BedrockEmulatorOptions { TimeToFirstToken = TimeSpan.Zero, TokenDelay = TimeSpan.Zero });
        emulator.Faults.StallBetweenEvents(afterEvents: 2, stall);
        using var http = new EmulatorHttp(emulator);
        var clock = Stopwatch.StartNew();
        HttpResponseMessage response = await http.SendAsync(EmulatorHttp.Sonnet45, "converse-stream", EmulatorHttp.UserBody("Hi"), completion: HttpCompletionOption.ResponseHeadersRead);
        Stream stream = await response.Content.ReadAsStreamAsync();

        var all = new List<byte>();
        var chunk = new byte[8192];
        TimeSpan? thirdFrame = null;
        int read;
        while ((read = await stream.ReadAsync(chunk)) > 0)
        {
            all.AddRange(chunk.AsSpan(0, read).ToArray());
            if (TestFrameDecoder.DecodeAll(all.ToArray(), out _).Count >= 3) thirdFrame ??= clock.Elapsed;
        }

        List<TestFrame> frames = TestFrameDecoder.DecodeAll(all.ToArray(), out int trailing);
        Assert.Equal(0, trailing);
        Assert.Equal("metadata", frames[^1].EventType);
        Assert.True(thirdFrame >= stall - TimerSlack, $"third frame after {thirdFrame!.Value.TotalMilliseconds} ms");
    }

    [Fact]
    public async Task Oversized_event_sends_a_frame_of_at_least_the_given_size()
    {
        await using BedrockEmulator emulator = await BedrockEmulator.StartAsync(new BedrockEmulatorOptions { TokenDelay = TimeSpan.Zero });
        emulator.Faults.OversizedEvent(bytes: 200_000);
        var (frames, trailing, error) = await StreamAsync(emulator);

        Assert.Null(error);
        Assert.Equal(0, trailing);
        Assert.Equal("messageStart", frames[0].EventType);
        Assert.Equal("contentBlockDelta", frames[1].EventType);
        Assert.True(frames[1].Payload.Length >= 200_000);
    }

    [Fact]
    public async Task Wrong_content_type_answers_200_with_html()
    {
        await using BedrockEmulator emulator = await BedrockEmulator.StartAsync();
        emulator.Faults.WrongContentType();
        using var http = new EmulatorHttp(emulator);
        HttpResponseMessage response = await http.SendAsync(EmulatorHttp.Sonnet45, "converse-stream", EmulatorHttp.UserBody("Hi"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType!.MediaType);
        Assert.StartsWith("<html>", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Stream_only_faults_wait_for_a_stream_request()
    {
        await using BedrockEmulator emulator = await BedrockEmulator.StartAsync(new BedrockEmulatorOptions { TokenDelay = TimeSpan.Zero });
        emulator.Faults.TruncateFrame(afterEvents: 1);
        using var http = new EmulatorHttp(emulator);
        HttpResponseMessage converse = await http.SendAsync(EmulatorHttp.Sonnet45, "converse", EmulatorHttp.UserBody("Hi"));
        Assert.Equal(HttpStatusCode.OK, converse.StatusCode);
        Assert.Single(emulator.Faults.Pending);
    }
}
