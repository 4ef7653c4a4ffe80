using System.Text;
using PromptGen.Testing;

namespace PromptGen.Testing.Tests;

/// <summary>
/// BedrockClient against the emulator on loopback: the client's SigV4 signing is checked by the emulator's independent
/// verifier, Bedrock's validation errors come back typed, and every injected fault gives a typed exception that keeps the
/// streamed text, with no connection left open.
/// </summary>
public class ClientAgainstEmulatorTests
{
    private const string Haiku45 = "us.anthropic.claude-haiku-4-5-20251001-v1:0";

    private static BedrockClient Client(BedrockEmulator emulator, Action<BedrockClientOptions>? configure = null)
    {
        BedrockClientOptions options = emulator.ClientOptions();
        options.ThrottlingBackoffBase = TimeSpan.FromMilliseconds(1);
        options.TransientBackoffBase = TimeSpan.FromMilliseconds(1);
        configure?.Invoke(options);
        return new BedrockClient(options);
    }

    private static ConverseRequest Ask(string text = "Why does streaming feel faster?") => new()
    {
        System = [SystemContentBlock.FromText("You answer briefly.")],
        Messages = [Message.User(text)],
        InferenceConfig = new InferenceConfiguration { MaxTokens = 64, Temperature = 0.2f },
    };

    private static async Task<string> CollectAsync(IAsyncEnumerable<ConverseStreamEvent> events, StringBuilder? seen = null)
    {
        seen ??= new StringBuilder();
        await foreach (ConverseStreamEvent e in events)
        {
            if (e is ContentBlockDeltaEvent { Delta.Text: { } text })
            {
                seen.Append(text);
            }
        }

        return seen.ToString();
    }

    /// <summary>
    /// A failed call must leave the client working and no connection behind: after three more calls on the same client,
    /// disposing it brings the emulator's open-connection count to zero. A response left undisposed would keep its
    /// connection open past the handler's disposal, so this catches leaks.
    /// </summary>
    private static async Task AssertNoLeakedConnectionAsync(BedrockEmulator emulator, BedrockClient client)
    {
        emulator.Faults.Clear();
        for (int i = 0; i < 3; i++)
        {
            await client.ConverseAsync(Haiku45, Ask("follow-up " + i));
        }

        client.Dispose();
        await WaitUntilAsync(() => emulator.OpenConnections == 0);
        Assert.Equal(0, emulator.OpenConnections);
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        for (int i = 0; i < 500 && !condition(); i++)
        {
            await Task.Delay(20);
        }
    }

    [Fact]
    public async Task Signed_converse_is_accepted_and_recorded_with_the_decoded_model_id()
    {
        await using BedrockEmulator emulator = await BedrockEmulator.StartAsync();
        using BedrockClient client = Client(emulator);

        ConverseResponse response = await client.ConverseAsync(Haiku45, Ask());

        Assert.False(string.IsNullOrWhiteSpace(response.OutputText));
        Assert.Equal(StopReason.EndTurn, response.StopReason);
        Assert.True(response.Usage!.InputTokens > 0);
        RecordedRequest recorded = Assert.Single(emulator.Requests);
        Assert.Equal(Haiku45, recorded.ModelId);
        Assert.Equal(EmulatorOperation.Converse, recorded.Operation);
        Assert.Contains("%3A0", recorded.RawPath, StringComparison.Ordinal);
        Assert.Equal(0.2, recorded.Json!["inferenceConfig"]!["temperature"]!.GetValue<double>(), 5);
    }

    [Fact]
    public async Task Arn_model_id_with_a_slash_routes_as_one_segment()
    {
        await using BedrockEmulator emulator = await BedrockEmulator.StartAsync();
        using BedrockClient client = Client(emulator);
        const string arn = "arn:aws:bedrock:us-east-1:123456789012:application-inference-profile/mi1dadi0g15f";

        ConverseResponse response = await client.ConverseAsync(arn, Ask());

        Assert.Equal(StopReason.EndTurn, response.StopReason);
        Assert.Equal(arn, Assert.Single(emulator.Requests).ModelId);
    }

    [Fact]
    public async Task Session_token_and_bearer_token_authenticate()
    {
        await using BedrockEmulator emulator = await BedrockEmulator.StartAsync();
        using BedrockClient bearer = Client(emulator, o =>
        {
            o.AccessKeyId = null;
            o.SecretAccessKey = null;
            o.BearerToken = emulator.Options.BearerToken;
        });

        ConverseResponse response = await bearer.ConverseAsync(Haiku45, Ask());

        Assert.Equal(StopReason.EndTurn, response.StopReason);
    }

    [Fact]
    public async Task Wrong_secret_is_rejected_with_a_typed_invalid_signature_error()
    {
        await using BedrockEmulator emulator = await BedrockEmulator.StartAsync();
        using BedrockClient client = Client(emulator, o => o.SecretAccessKey = "not-the-secret");

        BedrockException error = await Assert.ThrowsAnyAsync<BedrockException>(() => client.ConverseAsync(Haiku45, Ask()));

        Assert.Equal("InvalidSignatureException", error.ErrorType);
        Assert.Equal(403, error.StatusCode);
        Assert.False(error.IsRetryable);
        Assert.DoesNotContain("not-the-secret", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sonnet_45_with_temperature_and_top_p_is_a_typed_validation_error()
    {
        await using BedrockEmulator emulator = await BedrockEmulator.StartAsync();
        using BedrockClient client = Client(emulator);
        ConverseRequest request = Ask();
        request.InferenceConfig!.TopP = 0.9f;

        var error = await Assert.ThrowsAsync<BedrockValidationException>(() =>
            client.ConverseAsync("us.anthropic.claude-sonnet-4-5-20250929-v1:0", request));

        Assert.Equal(
            "The model returned the following errors: `temperature` and `top_p` cannot both be specified for this model. Please use only one.",
            error.Message);
        Assert.Single(emulator.Requests);
    }

    [Fact]
    public async Task Stream_text_equals_the_converse_text_and_arrives_after_the_time_to_first_token()
    {
        await using BedrockEmulator emulator = await BedrockEmulator.StartAsync(new BedrockEmulatorOptions
        {
            TimeToFirstToken = TimeSpan.FromMilliseconds(120),
            TokenDelay = TimeSpan.FromMilliseconds(1),
        });
        using BedrockClient client = Client(emulator);

        string whole = (await client.ConverseAsync(Haiku45, Ask())).OutputText;
        var stopwatch = System.Diagnostics.Stopwatch.StartNew();
        TimeSpan? firstToken = null;
        var streamed = new StringBuilder();
        await foreach (ConverseStreamEvent e in client.ConverseStreamAsync(Haiku45, Ask()))
        {
            if (e is ContentBlockDeltaEvent { Delta.Text: { } text })
            {
                firstToken ??= stopwatch.Elapsed;
                streamed.Append(text);
            }
        }

        Assert.Equal(whole, streamed.ToString());
        Assert.True(firstToken >= TimeSpan.FromMilliseconds(100), $"first token after {firstToken}");
    }

    [Fact]
    public async Task Count_tokens_matches_the_converse_input_count()
    {
        await using BedrockEmulator emulator = await BedrockEmulator.StartAsync();
        using BedrockClient client = Client(emulator);

        ConverseResponse response = await client.ConverseAsync(Haiku45, Ask());
        CountTokensResponse count = await client.CountTokensAsync("anthropic.claude-haiku-4-5-20251001-v1:0", CountTokensRequest.ForConverse(Ask()));

        Assert.Equal(response.Usage!.InputTokens, count.InputTokens);
    }

    [Fact]
    public async Task Throttling_burst_is_retried_to_success()
    {
        await using BedrockEmulator emulator = await BedrockEmulator.StartAsync();
        emulator.Faults.Throttle(repeat: 2);
        using BedrockClient client = Client(emulator);

        ConverseResponse response = await client.ConverseAsync(Haiku45, Ask());

        Assert.Equal(StopReason.EndTurn, response.StopReason);
        Assert.Equal(3, emulator.Requests.Count);
    }

    [Theory]
    [InlineData("500")]
    [InlineData("503")]
    [InlineData("not-ready")]
    public async Task Transient_errors_before_the_stream_are_retried(string fault)
    {
        await using BedrockEmulator emulator = await BedrockEmulator.StartAsync();
        _ = fault switch
        {
            "500" => emulator.Faults.ServerError(500),
            "503" => emulator.Faults.ServerError(503),
            _ => emulator.Faults.ModelNotReady(),
        };
        using BedrockClient client = Client(emulator);

        string text = await CollectAsync(client.ConverseStreamAsync(Haiku45, Ask()));

        Assert.NotEmpty(text);
        Assert.Equal(2, emulator.Requests.Count);
        await AssertNoLeakedConnectionAsync(emulator, client);
    }

    [Fact]
    public async Task Model_timeout_is_typed_and_not_retried()
    {
        await using BedrockEmulator emulator = await BedrockEmulator.StartAsync();
        emulator.Faults.ModelTimeout();
        using BedrockClient client = Client(emulator);

        await Assert.ThrowsAsync<BedrockModelTimeoutException>(() => client.ConverseAsync(Haiku45, Ask()));

        Assert.Single(emulator.Requests);
    }

    [Theory]
    [InlineData("modelStreamErrorException", typeof(BedrockModelStreamErrorException))]
    [InlineData("throttlingException", typeof(BedrockThrottlingException))]
    [InlineData("internalServerException", typeof(BedrockInternalServerException))]
    public async Task In_stream_exception_after_text_keeps_the_text_and_is_not_retried(string exceptionType, Type expected)
    {
        await using BedrockEmulator emulator = await BedrockEmulator.StartAsync(new BedrockEmulatorOptions { TokenDelay = TimeSpan.Zero });
        emulator.Faults.InStreamException(afterEvents: 4, exceptionType);
        using BedrockClient client = Client(emulator);
        var seen = new StringBuilder();

        BedrockException error = await Assert.ThrowsAnyAsync<BedrockException>(() => CollectAsync(client.ConverseStreamAsync(Haiku45, Ask()), seen));

        Assert.IsType(expected, error);
        Assert.NotEmpty(seen.ToString());
        Assert.Equal(seen.ToString(), error.PartialText);
        Assert.False(error.IsRetryable);
        Assert.Single(emulator.Requests);
        await AssertNoLeakedConnectionAsync(emulator, client);
    }

    [Fact]
    public async Task In_stream_exception_before_any_event_is_retried()
    {
        await using BedrockEmulator emulator = await BedrockEmulator.StartAsync(new BedrockEmulatorOptions { TokenDelay = TimeSpan.Zero });
        emulator.Faults.InStreamException(afterEvents: 0, "throttlingException");
        using BedrockClient client = Client(emulator);

        string text = await CollectAsync(client.ConverseStreamAsync(Haiku45, Ask()));

        Assert.NotEmpty(text);
        Assert.Equal(2, emulator.Requests.Count);
    }

    [Fact]
    public async Task Connection_reset_mid_stream_is_typed_and_keeps_the_text()
    {
        await using BedrockEmulator emulator = await BedrockEmulator.StartAsync(new BedrockEmulatorOptions { TokenDelay = TimeSpan.Zero });
        emulator.Faults.ResetConnection(afterBytes: 900, EmulatorOperation.ConverseStream);
        using BedrockClient client = Client(emulator);
        var seen = new StringBuilder();

        BedrockException error = await Assert.ThrowsAnyAsync<BedrockException>(() => CollectAsync(client.ConverseStreamAsync(Haiku45, Ask()), seen));

        var stream = Assert.IsType<BedrockStreamException>(error);
        Assert.True(stream.Failure is BedrockStreamFailure.ConnectionFailed or BedrockStreamFailure.Truncated, stream.Failure.ToString());
        Assert.Equal(seen.Length == 0 ? null : seen.ToString(), error.PartialText is "" ? null : error.PartialText);
        await AssertNoLeakedConnectionAsync(emulator, client);
    }

    [Fact]
    public async Task Connection_reset_before_the_response_is_retried()
    {
        await using BedrockEmulator emulator = await BedrockEmulator.StartAsync();
        emulator.Faults.ResetConnection(afterBytes: 0, EmulatorOperation.Converse);
        using BedrockClient client = Client(emulator);

        ConverseResponse response = await client.ConverseAsync(Haiku45, Ask());

        Assert.Equal(StopReason.EndTurn, response.StopReason);
        Assert.Equal(2, emulator.Requests.Count);
    }

    [Theory]
    [InlineData("truncate", BedrockStreamFailure.Truncated)]
    [InlineData("crc", BedrockStreamFailure.ChecksumMismatch)]
    public async Task Broken_frames_after_text_are_typed_and_keep_the_text(string fault, BedrockStreamFailure expected)
    {
        await using BedrockEmulator emulator = await BedrockEmulator.StartAsync(new BedrockEmulatorOptions { TokenDelay = TimeSpan.Zero });
        _ = fault == "truncate" ? emulator.Faults.TruncateFrame(afterEvents: 4) : emulator.Faults.CorruptCrc(afterEvents: 4);
        using BedrockClient client = Client(emulator);
        var seen = new StringBuilder();

        var error = await Assert.ThrowsAsync<BedrockStreamException>(() => CollectAsync(client.ConverseStreamAsync(Haiku45, Ask()), seen));

        Assert.Equal(expected, error.Failure);
        Assert.NotEmpty(seen.ToString());
        Assert.Equal(seen.ToString(), error.PartialText);
        Assert.Single(emulator.Requests);
        await AssertNoLeakedConnectionAsync(emulator, client);
    }

    [Fact]
    public async Task Stall_before_the_first_byte_hits_the_first_byte_timeout_and_is_retried()
    {
        await using BedrockEmulator emulator = await BedrockEmulator.StartAsync();
        emulator.Faults.StallBeforeFirstByte(TimeSpan.FromSeconds(5), EmulatorOperation.Converse);
        using BedrockClient client = Client(emulator, o => o.FirstByteTimeout = TimeSpan.FromMilliseconds(300));

        ConverseResponse response = await client.ConverseAsync(Haiku45, Ask());

        Assert.Equal(StopReason.EndTurn, response.StopReason);
        Assert.Equal(2, emulator.Requests.Count);
    }

    [Fact]
    public async Task Stall_between_events_hits_the_between_events_timeout_with_the_text_so_far()
    {
        await using BedrockEmulator emulator = await BedrockEmulator.StartAsync(new BedrockEmulatorOptions { TokenDelay = TimeSpan.Zero });
        emulator.Faults.StallBetweenEvents(afterEvents: 4, TimeSpan.FromSeconds(5));
        // Long enough that the first events always arrive first, even on a busy 2-core CI machine (300 ms once timed out
        // before any text, leaving nothing to check); far shorter than the 5 s stall.
        using BedrockClient client = Client(emulator, o => o.BetweenEventsTimeout = TimeSpan.FromSeconds(1));
        var seen = new StringBuilder();

        var error = await Assert.ThrowsAsync<BedrockTimeoutException>(() => CollectAsync(client.ConverseStreamAsync(Haiku45, Ask()), seen));

        Assert.Equal(BedrockTimeoutKind.BetweenEvents, error.Kind);
        Assert.NotEqual(string.Empty, seen.ToString());
        Assert.Equal(seen.ToString(), error.PartialText);
        await AssertNoLeakedConnectionAsync(emulator, client);
    }

    [Fact]
    public async Task Oversized_event_is_refused_by_the_size_bound()
    {
        await using BedrockEmulator emulator = await BedrockEmulator.StartAsync(new BedrockEmulatorOptions { TokenDelay = TimeSpan.Zero });
        emulator.Faults.OversizedEvent(bytes: 256 * 1024);
        using BedrockClient client = Client(emulator, o => o.MaxEventSize = 64 * 1024);

        var error = await Assert.ThrowsAsync<BedrockStreamException>(() => CollectAsync(client.ConverseStreamAsync(Haiku45, Ask())));

        Assert.Equal(BedrockStreamFailure.EventTooLarge, error.Failure);
        await AssertNoLeakedConnectionAsync(emulator, client);
    }

    [Fact]
    public async Task Html_answer_to_a_stream_is_an_unexpected_content_type_error()
    {
        await using BedrockEmulator emulator = await BedrockEmulator.StartAsync();
        emulator.Faults.WrongContentType(EmulatorOperation.ConverseStream);
        using BedrockClient client = Client(emulator);

        var error = await Assert.ThrowsAsync<BedrockStreamException>(() => CollectAsync(client.ConverseStreamAsync(Haiku45, Ask())));

        Assert.Equal(BedrockStreamFailure.UnexpectedContentType, error.Failure);
        Assert.Single(emulator.Requests);
    }

    [Fact]
    public async Task Cancelling_mid_stream_stops_the_call_and_releases_the_connection()
    {
        await using BedrockEmulator emulator = await BedrockEmulator.StartAsync(new BedrockEmulatorOptions { TokenDelay = TimeSpan.FromMilliseconds(20) });
        using BedrockClient client = Client(emulator);
        using var cts = new CancellationTokenSource();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            await foreach (ConverseStreamEvent e in client.ConverseStreamAsync(Haiku45, Ask(), cts.Token))
            {
                if (e is ContentBlockDeltaEvent)
                {
                    cts.Cancel();
                }
            }
        });

        await AssertNoLeakedConnectionAsync(emulator, client);
    }
}
