using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;

namespace PromptGen.Runtime.Tests.Client;

/// <summary>An in-memory HTTP handler that answers from a queue of canned responses and records every request.</summary>
internal sealed class FakeBedrockHandler : HttpMessageHandler
{
    private readonly ConcurrentQueue<Func<HttpRequestMessage, HttpResponseMessage>> _responses = new();

    public List<CapturedRequest> Requests { get; } = [];

    public FakeBedrockHandler Enqueue(Func<HttpRequestMessage, HttpResponseMessage> respond)
    {
        _responses.Enqueue(respond);
        return this;
    }

    public FakeBedrockHandler EnqueueJson(HttpStatusCode status, string json, string? errorType = null, string requestId = "req-1") =>
        Enqueue(_ =>
        {
            var response = new HttpResponseMessage(status) { Content = new StringContent(json) };
            response.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            response.Headers.TryAddWithoutValidation("x-amzn-RequestId", requestId);
            if (errorType is not null)
            {
                response.Headers.TryAddWithoutValidation("x-amzn-ErrorType", errorType + ":http://internal.amazon.com/coral/com.amazon.bedrock/");
            }

            return response;
        });

    public FakeBedrockHandler EnqueueStream(byte[] body, string requestId = "req-stream") =>
        EnqueueStream(() => new MemoryStream(body), requestId);

    public FakeBedrockHandler EnqueueStream(Func<Stream> body, string requestId = "req-stream") =>
        Enqueue(_ =>
        {
            var response = new HttpResponseMessage(HttpStatusCode.OK) { Content = new StreamContent(body()) };
            response.Content.Headers.ContentType = new MediaTypeHeaderValue("application/vnd.amazon.eventstream");
            response.Headers.TryAddWithoutValidation("x-amzn-RequestId", requestId);
            return response;
        });

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        byte[] body = request.Content is null ? [] : await request.Content.ReadAsByteArrayAsync(cancellationToken);
        var headers = request.Headers.Concat(request.Content?.Headers ?? Enumerable.Empty<KeyValuePair<string, IEnumerable<string>>>())
            .ToDictionary(h => h.Key, h => string.Join(", ", h.Value), StringComparer.OrdinalIgnoreCase);
        lock (Requests)
        {
            Requests.Add(new CapturedRequest(request.Method.Method, request.RequestUri!, headers, body));
        }

        if (!_responses.TryDequeue(out Func<HttpRequestMessage, HttpResponseMessage>? respond))
        {
            throw new InvalidOperationException("The fake handler has no response queued for " + request.RequestUri);
        }

        return respond(request);
    }

    public sealed record CapturedRequest(string Method, Uri Uri, IReadOnlyDictionary<string, string> Headers, byte[] Body);
}

internal static class TestClients
{
    public static BedrockClient Create(FakeBedrockHandler handler, Action<BedrockClientOptions>? configure = null)
    {
        var options = new BedrockClientOptions
        {
            Region = "us-east-1",
            AccessKeyId = "AKIDEXAMPLE",
            SecretAccessKey = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
            UseEnvironment = false,
            ThrottlingBackoffBase = TimeSpan.FromMilliseconds(1),
            TransientBackoffBase = TimeSpan.FromMilliseconds(1),
        };
        configure?.Invoke(options);
        return new BedrockClient(options, handler);
    }

    public static ConverseRequest Hello() => new() { Messages = [Message.User("Hello")] };
}
