using System.Net;
using System.Text;

namespace PromptGen.Runtime.Tests.Client;

public class BedrockClientBehaviourTests
{
    private const string OkJson = """
        {"output":{"message":{"role":"assistant","content":[{"text":"Hi there"}]}},"stopReason":"end_turn",
         "usage":{"inputTokens":3,"outputTokens":2,"totalTokens":5},"metrics":{"latencyMs":42}}
        """;

    [Theory]
    [InlineData("us.anthropic.claude-sonnet-4-5-20250929-v1:0", "/model/us.anthropic.claude-sonnet-4-5-20250929-v1%3A0/converse")]
    [InlineData("arn:aws:bedrock:us-east-1:123456789012:application-inference-profile/abc123",
        "/model/arn%3Aaws%3Abedrock%3Aus-east-1%3A123456789012%3Aapplication-inference-profile%2Fabc123/converse")]
    public async Task Model_id_is_percent_encoded_as_one_path_segment(string modelId, string expectedPath)
    {
        var handler = new FakeBedrockHandler().EnqueueJson(HttpStatusCode.OK, OkJson);
        using BedrockClient client = TestClients.Create(handler);

        ConverseResponse response = await client.ConverseAsync(modelId, TestClients.Hello());

        Assert.Equal("Hi there", response.OutputText);
        Assert.Equal(expectedPath, handler.Requests.Single().Uri.AbsolutePath);
        Assert.Equal("https://bedrock-runtime.us-east-1.amazonaws.com" + expectedPath, handler.Requests.Single().Uri.AbsoluteUri);
    }

    [Fact]
    public async Task Requests_are_sigv4_signed_for_the_bedrock_service_with_a_json_body()
    {
        var handler = new FakeBedrockHandler().EnqueueJson(HttpStatusCode.OK, OkJson);
        using BedrockClient client = TestClients.Create(handler, o => o.SessionToken = "session-token-value");

        await client.ConverseAsync("amazon.nova-micro-v1:0", TestClients.Hello());

        FakeBedrockHandler.CapturedRequest request = handler.Requests.Single();
        Assert.StartsWith("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/", request.Headers["Authorization"], StringComparison.Ordinal);
        Assert.Contains("/us-east-1/bedrock/aws4_request", request.Headers["Authorization"], StringComparison.Ordinal);
        Assert.Equal("session-token-value", request.Headers["X-Amz-Security-Token"]);
        Assert.Equal("application/json", request.Headers["Content-Type"]);
        Assert.Equal("""{"messages":[{"role":"user","content":[{"text":"Hello"}]}]}""", Encoding.UTF8.GetString(request.Body));
    }

    [Fact]
    public async Task Api_key_is_sent_as_a_bearer_token_without_a_signature()
    {
        var handler = new FakeBedrockHandler().EnqueueJson(HttpStatusCode.OK, OkJson);
        using BedrockClient client = TestClients.Create(handler, o =>
        {
            o.AccessKeyId = null;
            o.SecretAccessKey = null;
            o.BearerToken = "bedrock-api-key-123";
        });

        await client.ConverseAsync("amazon.nova-micro-v1:0", TestClients.Hello());

        Assert.Equal("Bearer bedrock-api-key-123", handler.Requests.Single().Headers["Authorization"]);
        Assert.False(handler.Requests.Single().Headers.ContainsKey("X-Amz-Date"));
    }

    [Fact]
    public async Task Throttling_is_retried_then_succeeds_and_the_quota_is_refunded()
    {
        var handler = new FakeBedrockHandler()
            .EnqueueJson(HttpStatusCode.TooManyRequests, """{"message":"Too many requests, please wait before trying again."}""", "ThrottlingException")
            .EnqueueJson(HttpStatusCode.ServiceUnavailable, """{"message":"busy"}""", "ServiceUnavailableException")
            .EnqueueJson(HttpStatusCode.OK, OkJson);
        using BedrockClient client = TestClients.Create(handler);

        ConverseResponse response = await client.ConverseAsync("amazon.nova-micro-v1:0", TestClients.Hello());

        Assert.Equal("Hi there", response.OutputText);
        Assert.Equal(3, handler.Requests.Count);
        Assert.Equal(500, client.AvailableRetryQuota);
        // Each attempt is signed afresh.
        Assert.Equal(3, handler.Requests.Select(r => r.Headers["Authorization"]).Count());
    }

    [Fact]
    public async Task Retries_stop_at_max_attempts_with_the_last_typed_error()
    {
        var handler = new FakeBedrockHandler();
        for (int i = 0; i < 3; i++)
        {
            handler.EnqueueJson(HttpStatusCode.TooManyRequests, """{"message":"slow down"}""", "ThrottlingException", "req-" + i);
        }

        using BedrockClient client = TestClients.Create(handler);

        var error = await Assert.ThrowsAsync<BedrockThrottlingException>(() => client.ConverseAsync("amazon.nova-micro-v1:0", TestClients.Hello()));

        Assert.Equal(3, handler.Requests.Count);
        Assert.Equal("req-2", error.RequestId);
        Assert.Equal(429, error.StatusCode);
        Assert.True(error.IsRetryable);
        Assert.Equal(490, client.AvailableRetryQuota);
    }

    [Theory]
    [InlineData(HttpStatusCode.BadRequest, "ValidationException", typeof(BedrockValidationException))]
    [InlineData(HttpStatusCode.Forbidden, "AccessDeniedException", typeof(BedrockAccessDeniedException))]
    [InlineData(HttpStatusCode.NotFound, "ResourceNotFoundException", typeof(BedrockResourceNotFoundException))]
    [InlineData((HttpStatusCode)424, "ModelErrorException", typeof(BedrockModelErrorException))]
    public async Task Client_errors_are_typed_and_never_retried(HttpStatusCode status, string errorType, Type expected)
    {
        var handler = new FakeBedrockHandler().EnqueueJson(status, """{"message":"nope"}""", errorType);
        using BedrockClient client = TestClients.Create(handler);

        BedrockException error = await Assert.ThrowsAnyAsync<BedrockException>(() => client.ConverseAsync("amazon.nova-micro-v1:0", TestClients.Hello()));

        Assert.IsType(expected, error);
        Assert.Equal("nope", error.Message);
        Assert.Equal(errorType, error.ErrorType);
        Assert.Single(handler.Requests);
    }

    [Fact]
    public async Task Http_200_unknown_operation_body_is_an_error_not_a_response()
    {
        var handler = new FakeBedrockHandler().EnqueueJson(HttpStatusCode.OK,
            """{"Output":{"__type":"com.amazon.coral.service#UnknownOperationException"},"Version":"1.0"}""");
        using BedrockClient client = TestClients.Create(handler, o => o.MaxAttempts = 1);

        BedrockException error = await Assert.ThrowsAnyAsync<BedrockException>(() => client.ConverseAsync("amazon.nova-micro-v1:0", TestClients.Hello()));

        Assert.Equal("UnknownOperationException", error.ErrorType);
    }

    [Fact]
    public async Task Oversized_response_body_is_a_typed_error()
    {
        string big = "{\"output\":{\"message\":{\"role\":\"assistant\",\"content\":[{\"text\":\"" + new string('x', 4096) + "\"}]}}}";
        var handler = new FakeBedrockHandler().EnqueueJson(HttpStatusCode.OK, big);
        using BedrockClient client = TestClients.Create(handler, o => o.MaxResponseBodySize = 1024);

        var error = await Assert.ThrowsAsync<BedrockStreamException>(() => client.ConverseAsync("amazon.nova-micro-v1:0", TestClients.Hello()));

        Assert.Equal(BedrockStreamFailure.EventTooLarge, error.Failure);
    }

    [Fact]
    public async Task Stream_yields_events_in_order_and_ends_after_metadata()
    {
        var handler = new FakeBedrockHandler().EnqueueStream(StreamFrames.Complete("Hel", "lo"));
        using BedrockClient client = TestClients.Create(handler);

        var events = new List<ConverseStreamEvent>();
        await foreach (ConverseStreamEvent e in client.ConverseStreamAsync("amazon.nova-micro-v1:0", TestClients.Hello()))
        {
            events.Add(e);
        }

        Assert.Collection(events,
            e => Assert.IsType<MessageStartEvent>(e),
            e => Assert.Equal("Hel", Assert.IsType<ContentBlockDeltaEvent>(e).Delta!.Text),
            e => Assert.Equal("lo", Assert.IsType<ContentBlockDeltaEvent>(e).Delta!.Text),
            e => Assert.IsType<ContentBlockStopEvent>(e),
            e => Assert.Equal(StopReason.EndTurn, Assert.IsType<MessageStopEvent>(e).StopReason),
            e => Assert.Equal(5, Assert.IsType<MetadataEvent>(e).Usage!.TotalTokens));
        Assert.EndsWith("/converse-stream", handler.Requests.Single().Uri.AbsolutePath, StringComparison.Ordinal);
    }

    [Fact]
    public async Task In_stream_exception_after_text_is_typed_keeps_the_streamed_text_and_is_not_retried()
    {
        byte[] body = StreamFrames.Concat(StreamFrames.Start, StreamFrames.Delta("Partial "), StreamFrames.Delta("answer"),
            StreamFrames.Exception("modelStreamErrorException", """{"message":"Model Stream Error","originalStatusCode":500,"originalMessage":"The model stream failed."}"""));
        var handler = new FakeBedrockHandler().EnqueueStream(body).EnqueueStream(StreamFrames.Complete("never"));
        using BedrockClient client = TestClients.Create(handler);

        var received = new StringBuilder();
        var error = await Assert.ThrowsAsync<BedrockModelStreamErrorException>(async () =>
        {
            await foreach (ConverseStreamEvent e in client.ConverseStreamAsync("amazon.nova-micro-v1:0", TestClients.Hello()))
            {
                if (e is ContentBlockDeltaEvent { Delta.Text: { } t })
                {
                    received.Append(t);
                }
            }
        });

        Assert.Equal("Partial answer", received.ToString());
        Assert.Equal("Partial answer", error.PartialText);
        Assert.False(error.IsRetryable);
        Assert.Equal(500, error.OriginalStatusCode);
        Assert.Single(handler.Requests);
    }

    [Fact]
    public async Task In_stream_throttling_before_any_event_is_retried()
    {
        byte[] throttled = StreamFrames.Exception("throttlingException", """{"message":"Too many tokens"}""");
        var handler = new FakeBedrockHandler().EnqueueStream(throttled).EnqueueStream(StreamFrames.Complete("ok"));
        using BedrockClient client = TestClients.Create(handler);

        var text = new StringBuilder();
        await foreach (ConverseStreamEvent e in client.ConverseStreamAsync("amazon.nova-micro-v1:0", TestClients.Hello()))
        {
            if (e is ContentBlockDeltaEvent { Delta.Text: { } t })
            {
                text.Append(t);
            }
        }

        Assert.Equal("ok", text.ToString());
        Assert.Equal(2, handler.Requests.Count);
    }

    [Fact]
    public async Task Stream_that_ends_before_message_stop_is_a_truncation_error_with_partial_text()
    {
        byte[] body = StreamFrames.Concat(StreamFrames.Start, StreamFrames.Delta("cut "), StreamFrames.Delta("off"));
        var handler = new FakeBedrockHandler().EnqueueStream(body);
        using BedrockClient client = TestClients.Create(handler);

        var error = await Assert.ThrowsAsync<BedrockStreamException>(async () =>
        {
            await foreach (ConverseStreamEvent _ in client.ConverseStreamAsync("amazon.nova-micro-v1:0", TestClients.Hello()))
            {
            }
        });

        Assert.Equal(BedrockStreamFailure.Truncated, error.Failure);
        Assert.Equal("cut off", error.PartialText);
        Assert.Equal("req-stream", error.RequestId);
    }

    [Fact]
    public async Task Corrupt_frame_mid_stream_is_a_checksum_error_with_partial_text()
    {
        byte[] bad = StreamFrames.Delta("bad");
        bad[^1] ^= 0xFF;
        byte[] body = StreamFrames.Concat(StreamFrames.Start, StreamFrames.Delta("good "), bad, StreamFrames.Stop);
        var handler = new FakeBedrockHandler().EnqueueStream(body);
        using BedrockClient client = TestClients.Create(handler);

        var error = await Assert.ThrowsAsync<BedrockStreamException>(async () =>
        {
            await foreach (ConverseStreamEvent _ in client.ConverseStreamAsync("amazon.nova-micro-v1:0", TestClients.Hello()))
            {
            }
        });

        Assert.Equal(BedrockStreamFailure.ChecksumMismatch, error.Failure);
        Assert.Equal("good ", error.PartialText);
        Assert.Single(handler.Requests);
    }

    [Fact]
    public async Task Oversized_event_fails_the_stream_without_buffering_it()
    {
        byte[] big = StreamFrames.Delta(new string('x', 64 * 1024));
        var handler = new FakeBedrockHandler().EnqueueStream(StreamFrames.Concat(StreamFrames.Start, big));
        using BedrockClient client = TestClients.Create(handler, o => o.MaxEventSize = 16 * 1024);

        var error = await Assert.ThrowsAsync<BedrockStreamException>(async () =>
        {
            await foreach (ConverseStreamEvent _ in client.ConverseStreamAsync("amazon.nova-micro-v1:0", TestClients.Hello()))
            {
            }
        });

        Assert.Equal(BedrockStreamFailure.EventTooLarge, error.Failure);
    }

    [Fact]
    public async Task Stream_answered_with_another_content_type_is_a_typed_error()
    {
        var handler = new FakeBedrockHandler().Enqueue(_ => new HttpResponseMessage(HttpStatusCode.OK)
        {
            Content = new StringContent("<html>gateway</html>", Encoding.UTF8, "text/html"),
        });
        using BedrockClient client = TestClients.Create(handler);

        var error = await Assert.ThrowsAsync<BedrockStreamException>(async () =>
        {
            await foreach (ConverseStreamEvent _ in client.ConverseStreamAsync("amazon.nova-micro-v1:0", TestClients.Hello()))
            {
            }
        });

        Assert.Equal(BedrockStreamFailure.UnexpectedContentType, error.Failure);
        Assert.Contains("text/html", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_stalled_stream_fails_with_a_between_events_timeout_keeping_partial_text()
    {
        var gate = new TaskCompletionSource();
        var handler = new FakeBedrockHandler().EnqueueStream(() => new StallingStream(
            StreamFrames.Concat(StreamFrames.Start, StreamFrames.Delta("so far")), gate.Task));
        using BedrockClient client = TestClients.Create(handler, o => o.BetweenEventsTimeout = TimeSpan.FromMilliseconds(200));

        var error = await Assert.ThrowsAsync<BedrockTimeoutException>(async () =>
        {
            await foreach (ConverseStreamEvent _ in client.ConverseStreamAsync("amazon.nova-micro-v1:0", TestClients.Hello()))
            {
            }
        });

        Assert.Equal(BedrockTimeoutKind.BetweenEvents, error.Kind);
        Assert.Equal("so far", error.PartialText);
        gate.SetResult();
    }

    [Fact]
    public async Task Caller_cancellation_mid_stream_surfaces_as_cancellation()
    {
        var handler = new FakeBedrockHandler().EnqueueStream(() => new StallingStream(
            StreamFrames.Concat(StreamFrames.Start, StreamFrames.Delta("x")), new TaskCompletionSource().Task));
        using BedrockClient client = TestClients.Create(handler);
        using var cts = new CancellationTokenSource();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            await foreach (ConverseStreamEvent e in client.ConverseStreamAsync("amazon.nova-micro-v1:0", TestClients.Hello(), cts.Token))
            {
                if (e is ContentBlockDeltaEvent)
                {
                    cts.Cancel();
                }
            }
        });
    }

    /// <summary>Serves its bytes, then blocks until released (or cancelled), like a server that stops sending.</summary>
    private sealed class StallingStream(byte[] data, Task release) : Stream
    {
        private int _position;

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => _position; set => throw new NotSupportedException(); }

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            if (_position < data.Length)
            {
                int n = Math.Min(buffer.Length, data.Length - _position);
                data.AsMemory(_position, n).CopyTo(buffer);
                _position += n;
                return n;
            }

            await release.WaitAsync(cancellationToken);
            return 0;
        }

        public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
