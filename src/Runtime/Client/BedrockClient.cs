using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Runtime.CompilerServices;
using PromptGen.EventStreams;
using PromptGen.Signing;
using PromptGen.Telemetry;

namespace PromptGen;

/// <summary>
/// A client for the Amazon Bedrock Runtime Converse, ConverseStream and CountTokens operations, speaking the REST
/// protocol directly (WIRE.md): SigV4 or API-key auth, AWS standard retries, timeouts, and typed errors. One instance
/// owns one pooled connection handler; create it once and share it.
/// </summary>
public sealed class BedrockClient : IBedrockClient, IDisposable
{
    private const string JsonMediaType = "application/json";
    private const string EventStreamMediaType = "application/vnd.amazon.eventstream";
    private const string SigningService = "bedrock";
    private const int MaxErrorBodySize = 64 * 1024;

    private static readonly ProductInfoHeaderValue s_userAgent = new("promptgen", typeof(BedrockClient).Assembly.GetName().Version?.ToString(3) ?? "0.0.0");

    private readonly HttpClient _http;
    private readonly bool _ownsHttp;
    private readonly ResolvedClientSettings _settings;
    private readonly RetryStrategy _retries;
    private readonly ConcurrentDictionary<(string ModelId, string Operation), Uri> _uris = new();

    /// <summary>Creates a client from the standard AWS settings of this process (region, credential chain, API key, endpoint override).</summary>
    public BedrockClient()
        : this(new BedrockClientOptions())
    {
    }

    /// <summary>Creates a client from explicit options; unset options fall back to the standard AWS settings.</summary>
    /// <exception cref="BedrockConfigurationException">The settings cannot work (no Region, plain http to a remote host, …).</exception>
    public BedrockClient(BedrockClientOptions options)
        : this(options, handler: null)
    {
    }

    /// <summary>Creates a client that sends through <paramref name="handler"/> (for proxies, test handlers or custom TLS).</summary>
    /// <param name="options">The settings.</param>
    /// <param name="handler">The handler to send through, or <see langword="null"/> for PromptGen's pooled <see cref="SocketsHttpHandler"/>.</param>
    /// <param name="disposeHandler">Whether disposing the client disposes <paramref name="handler"/>.</param>
    public BedrockClient(BedrockClientOptions options, HttpMessageHandler? handler, bool disposeHandler = true)
        : this(options, new HttpClient(handler ?? CreateHandler(options), handler is null || disposeHandler), ownsHttp: true)
    {
    }

    /// <summary>Creates a client over an existing <see cref="HttpClient"/>, which the caller keeps owning.</summary>
    public BedrockClient(BedrockClientOptions options, HttpClient httpClient)
        : this(options, httpClient ?? throw new ArgumentNullException(nameof(httpClient)), ownsHttp: false)
    {
    }

    private BedrockClient(BedrockClientOptions options, HttpClient httpClient, bool ownsHttp)
    {
        ArgumentNullException.ThrowIfNull(options);
        Options = options.Clone();
        _settings = ResolvedClientSettings.Resolve(Options, Environment.GetEnvironmentVariable);
        _retries = new RetryStrategy(Options);
        _http = httpClient;
        _ownsHttp = ownsHttp;
        if (ownsHttp)
        {
            // Timeouts are enforced per phase (first byte, between events), not by HttpClient's whole-call timer.
            _http.Timeout = Timeout.InfiniteTimeSpan;
        }
    }

    /// <summary>A copy of the options this client was created with.</summary>
    public BedrockClientOptions Options { get; }

    /// <summary>The endpoint requests are sent to.</summary>
    public Uri Endpoint => _settings.Endpoint;

    /// <summary>Tokens left in the shared retry quota (AWS standard retry mode).</summary>
    internal int AvailableRetryQuota => _retries.AvailableQuota;

    /// <inheritdoc />
    public Task<ConverseResponse> ConverseAsync(string modelId, ConverseRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(modelId);
        ArgumentNullException.ThrowIfNull(request);
        byte[] body = BedrockJson.SerializeToUtf8Bytes(request);
        return ExecuteJsonAsync(modelId, "converse", body, static bytes => BedrockJson.DeserializeConverseResponse(bytes.Span), cancellationToken);
    }

    /// <inheritdoc />
    public Task<CountTokensResponse> CountTokensAsync(string modelId, CountTokensRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(modelId);
        ArgumentNullException.ThrowIfNull(request);
        byte[] body = BedrockJson.SerializeToUtf8Bytes(request);
        return ExecuteJsonAsync(modelId, "count-tokens", body, static bytes => BedrockJson.DeserializeCountTokensResponse(bytes.Span), cancellationToken);
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<ConverseStreamEvent> ConverseStreamAsync(
        string modelId, ConverseRequest request, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(modelId);
        ArgumentNullException.ThrowIfNull(request);
        byte[] body = BedrockJson.SerializeToUtf8Bytes(request);
        await using var call = new ConverseStreamCall(this, modelId, body, cancellationToken);
        while (await call.NextAsync().ConfigureAwait(false) is { } streamEvent)
        {
            yield return streamEvent;
        }
    }

    /// <summary>Disposes the connection handler when this client created it.</summary>
    public void Dispose()
    {
        if (_ownsHttp)
        {
            _http.Dispose();
        }
    }

    /// <summary>Sends a JSON operation with retries and parses its success body.</summary>
    private async Task<T> ExecuteJsonAsync<T>(string modelId, string operation, byte[] body, Func<ReadOnlyMemory<byte>, T> parse, CancellationToken cancellationToken)
    {
        var attempt = new AttemptState();
        T result = await SendWithRetriesAsync(modelId, operation, body, attempt, parse, ReadJsonAsync, cancellationToken).ConfigureAwait(false);
        _retries.OnSuccess(attempt.CostTaken);
        return result;

        async ValueTask<SuccessOutcome<T>> ReadJsonAsync(HttpResponseMessage response, Func<ReadOnlyMemory<byte>, T> parse, CancellationToken token)
        {
            string? requestId = RequestId(response);
            using ResponseBody content = await ResponseBody.ReadAsync(response, Options.MaxResponseBodySize, token).ConfigureAwait(false);
            if (BedrockErrorParser.FromSuccessBody(content.Span, requestId) is { } disguised)
            {
                return new SuccessOutcome<T>(default!, disguised);
            }

            try
            {
                return new SuccessOutcome<T>(parse(content.Memory), null);
            }
            catch (System.Text.Json.JsonException ex)
            {
                // An HTML page from a proxy or load balancer is a wrong content type, not a malformed Bedrock answer.
                string? mediaType = response.Content.Headers.ContentType?.MediaType;
                if (mediaType is not null && !mediaType.Contains("json", StringComparison.OrdinalIgnoreCase))
                {
                    throw Errors.UnexpectedContentType(mediaType, requestId, operation, "application/json", ex);
                }

                throw Errors.MalformedPayload(ex, "a response body", null, requestId);
            }
        }
    }

    /// <summary>Opens a ConverseStream response, retrying failures that happen before the stream starts.</summary>
    private Task<HttpResponseMessage> OpenStreamAsync(string modelId, byte[] body, AttemptState attempt, CancellationToken cancellationToken) =>
        SendWithRetriesAsync(modelId, "converse-stream", body, attempt, this, static async (response, client, token) =>
        {
            string? mediaType = response.Content.Headers.ContentType?.MediaType;
            if (string.Equals(mediaType, EventStreamMediaType, StringComparison.OrdinalIgnoreCase))
            {
                return new SuccessOutcome<HttpResponseMessage>(response, null, KeepResponse: true);
            }

            using ResponseBody content = await ResponseBody.ReadAsync(response, MaxErrorBodySize, token).ConfigureAwait(false);
            return new SuccessOutcome<HttpResponseMessage>(null!,
                BedrockErrorParser.FromSuccessBody(content.Span, RequestId(response)) ?? Errors.UnexpectedContentType(mediaType, RequestId(response)));
        }, cancellationToken);

    /// <summary>
    /// One call with AWS standard retries: sends, maps error responses, timeouts and broken connections to typed
    /// exceptions, and retries the retryable ones while attempts and quota last. <paramref name="onSuccess"/> turns a
    /// 2xx response into the result (or a failure, e.g. Bedrock's HTTP-200 error body); the response is disposed unless
    /// the outcome keeps it.
    /// </summary>
    private async Task<T> SendWithRetriesAsync<T, TState>(string modelId, string operation, byte[] body, AttemptState attempt, TState state,
        Func<HttpResponseMessage, TState, CancellationToken, ValueTask<SuccessOutcome<T>>> onSuccess, CancellationToken cancellationToken)
    {
        while (true)
        {
            HttpResponseMessage? response = null;
            BedrockException failure;
            try
            {
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                timeout.CancelAfter(Options.FirstByteTimeout);
                response = await SendOnceAsync(modelId, operation, body, timeout.Token).ConfigureAwait(false);
                if (response.IsSuccessStatusCode)
                {
                    SuccessOutcome<T> outcome = await onSuccess(response, state, timeout.Token).ConfigureAwait(false);
                    if (outcome.Failure is null)
                    {
                        if (outcome.KeepResponse)
                        {
                            response = null;
                        }

                        return outcome.Result;
                    }

                    failure = outcome.Failure;
                }
                else
                {
                    failure = await ReadErrorAsync(response, timeout.Token).ConfigureAwait(false);
                }
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                failure = Errors.FirstByteTimeout(Options.FirstByteTimeout, RequestId(response));
            }
            catch (HttpRequestException ex)
            {
                failure = Errors.ConnectionFailed(ex, partialText: null);
            }
            catch (IOException ex)
            {
                failure = Errors.ConnectionFailed(ex, partialText: null);
            }
            finally
            {
                response?.Dispose();
            }

            if (!await attempt.TryRetryAsync(_retries, failure, RetryAfter(response), cancellationToken).ConfigureAwait(false))
            {
                throw failure;
            }
        }
    }

    /// <summary>What a 2xx response turned into: a result, or a failure that goes through the retry rules.</summary>
    private readonly record struct SuccessOutcome<T>(T Result, BedrockException? Failure, bool KeepResponse = false);

    private async Task<HttpResponseMessage> SendOnceAsync(string modelId, string operation, byte[] body, CancellationToken cancellationToken)
    {
        PromptTiming.RecordAttemptStarted();
        var request = new HttpRequestMessage(HttpMethod.Post, OperationUri(modelId, operation))
        {
            Content = new ByteArrayContent(body),
            Version = HttpVersion.Version11,
        };
        request.Content.Headers.TryAddWithoutValidation("Content-Type", JsonMediaType);
        request.Headers.UserAgent.Add(s_userAgent);

        if (_settings.BearerToken is { } token)
        {
            request.Headers.TryAddWithoutValidation("Authorization", "Bearer " + token);
        }
        else
        {
            SigningCredentials credentials = await _settings.Credentials!.GetCredentialsAsync(cancellationToken).ConfigureAwait(false);
            SigV4Signer.Sign(request, body, credentials, _settings.SigningRegion, SigningService, DateTimeOffset.UtcNow);
        }

        try
        {
            HttpResponseMessage response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
            if (PromptTiming.IsObserving)
            {
                PromptTiming.RecordResponseHeaders(RequestId(response));
            }

            return response;
        }
        finally
        {
            request.Dispose();
        }
    }

    /// <summary>
    /// The operation URI. The model ID is one path label, so everything but RFC 3986 unreserved characters is
    /// percent-encoded, including ':' and '/' (WIRE.md §1.4: a literal '/' is misrouted to UnknownOperationException).
    /// </summary>
    private Uri OperationUri(string modelId, string operation) =>
        _uris.GetOrAdd((modelId, operation), static (key, endpoint) =>
            new Uri(endpoint.AbsoluteUri.TrimEnd('/') + "/model/" + Uri.EscapeDataString(key.ModelId) + "/" + key.Operation, UriKind.Absolute),
            _settings.Endpoint);

    private async Task<BedrockException> ReadErrorAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        string? errorType = response.Headers.TryGetValues("x-amzn-ErrorType", out IEnumerable<string>? values) ? values.FirstOrDefault() : null;
        using ResponseBody content = await ResponseBody.ReadAsync(response, MaxErrorBodySize, cancellationToken, truncate: true).ConfigureAwait(false);
        byte[] body = await RedactSecretsAsync(content.Span.ToArray(), cancellationToken).ConfigureAwait(false);
        return BedrockErrorParser.FromResponse((int)response.StatusCode, errorType, RequestId(response), body);
    }

    /// <summary>
    /// Error messages are shown to people and written to logs, and a service may echo what it received (a signature
    /// mismatch message quotes the canonical request, session token included): blank out every secret this client
    /// sends before the body becomes an exception message.
    /// </summary>
    private async ValueTask<byte[]> RedactSecretsAsync(byte[] body, CancellationToken cancellationToken)
    {
        string text = System.Text.Encoding.UTF8.GetString(body);
        string redacted = text;
        if (_settings.BearerToken is { } bearer)
        {
            redacted = redacted.Replace(bearer, "***", StringComparison.Ordinal);
        }

        if (_settings.Credentials is { } source)
        {
            SigningCredentials credentials = await source.GetCredentialsAsync(cancellationToken).ConfigureAwait(false);
            redacted = redacted.Replace(credentials.SecretAccessKey, "***", StringComparison.Ordinal);
            if (credentials.SessionToken is { Length: > 0 } token)
            {
                redacted = redacted.Replace(token, "***", StringComparison.Ordinal);
            }
        }

        return ReferenceEquals(redacted, text) ? body : System.Text.Encoding.UTF8.GetBytes(redacted);
    }

    internal static string? RequestId(HttpResponseMessage? response) =>
        response is not null && response.Headers.TryGetValues("x-amzn-RequestId", out IEnumerable<string>? values) ? values.FirstOrDefault() : null;

    private static TimeSpan? RetryAfter(HttpResponseMessage? response)
    {
        if (response is not null && response.Headers.TryGetValues("x-amz-retry-after", out IEnumerable<string>? values) &&
            long.TryParse(values.FirstOrDefault(), out long milliseconds) && milliseconds >= 0)
        {
            return TimeSpan.FromMilliseconds(milliseconds);
        }

        return null;
    }

    private static SocketsHttpHandler CreateHandler(BedrockClientOptions options) => new()
    {
        ConnectTimeout = options.ConnectTimeout,
        PooledConnectionLifetime = TimeSpan.FromMinutes(5),
        PooledConnectionIdleTimeout = TimeSpan.FromMinutes(1),
        AutomaticDecompression = DecompressionMethods.None,
        UseCookies = false,
        AllowAutoRedirect = false,
        MaxResponseHeadersLength = 64,

        // A stream the caller abandoned (cancelled, failed, too large) is closed rather than drained: draining a model
        // that is still generating would hold the connection for nothing.
        MaxResponseDrainSize = 16 * 1024,
        ResponseDrainTimeout = TimeSpan.FromMilliseconds(100),
    };

    /// <summary>Attempt count and retry-quota bookkeeping of one call, shared across the phases of a stream.</summary>
    internal sealed class AttemptState
    {
        public int Attempt { get; private set; } = 1;

        public int CostTaken { get; private set; }

        public async ValueTask<bool> TryRetryAsync(RetryStrategy retries, BedrockException failure, TimeSpan? retryAfter, CancellationToken cancellationToken)
        {
            RetryKind kind = Errors.Classify(failure);
            int cost = retries.TryAcquireRetry(Attempt, kind);
            if (cost < 0)
            {
                return false;
            }

            await Task.Delay(retries.Backoff(Attempt, kind, retryAfter), cancellationToken).ConfigureAwait(false);
            CostTaken += cost;
            Attempt++;
            return true;
        }
    }

    /// <summary>One ConverseStream call: opens the stream, decodes events, maps in-stream faults to typed exceptions.</summary>
    private sealed class ConverseStreamCall : IAsyncDisposable
    {
        private readonly BedrockClient _client;
        private readonly string _modelId;
        private readonly byte[] _body;
        private readonly CancellationToken _cancellationToken;
        private readonly AttemptState _attempt = new();
        private readonly StreamedText _text = new();
        private HttpResponseMessage? _response;
        private EventStreamReader? _reader;
        private CancellationTokenSource? _idle;
        private string? _requestId;
        private bool _yielded;
        private bool _sawMessageStop;

        public ConverseStreamCall(BedrockClient client, string modelId, byte[] body, CancellationToken cancellationToken)
        {
            _client = client;
            _modelId = modelId;
            _body = body;
            _cancellationToken = cancellationToken;
        }

        /// <summary>The next event, or <see langword="null"/> when the stream ended normally.</summary>
        public async ValueTask<ConverseStreamEvent?> NextAsync()
        {
            while (true)
            {
                if (_reader is null)
                {
                    await OpenAsync().ConfigureAwait(false);
                }

                BedrockException failure;
                try
                {
                    _idle!.CancelAfter(_client.Options.BetweenEventsTimeout);
                    EventStreamMessage? message = await _reader!.ReadAsync(_idle.Token).ConfigureAwait(false);
                    if (message is null)
                    {
                        if (_sawMessageStop)
                        {
                            _client._retries.OnSuccess(_attempt.CostTaken);
                            return null;
                        }

                        failure = Errors.Truncated(_text.Value, _requestId);
                    }
                    else
                    {
                        string? messageType = message.GetString(":message-type");
                        if (messageType == "event")
                        {
                            string eventType = message.GetString(":event-type") ?? string.Empty;
                            ConverseStreamEvent? parsed;
                            try
                            {
                                parsed = ConverseStreamEventParser.Parse(eventType, message.Payload.Span);
                            }
                            catch (System.Text.Json.JsonException ex)
                            {
                                throw Errors.MalformedPayload(ex, $"a '{eventType}' event", _text.Value, _requestId);
                            }

                            if (parsed is null)
                            {
                                continue;
                            }

                            Observe(parsed);
                            return parsed;
                        }

                        failure = messageType switch
                        {
                            "exception" => BedrockErrorParser.FromStreamException(message.GetString(":exception-type") ?? "unknown", message.Payload.Span, _requestId),
                            "error" => BedrockErrorParser.FromStreamError(message.GetString(":error-code") ?? "unknown", message.GetString(":error-message"), _requestId),
                            _ => Errors.Protocol($"an event-stream message has :message-type '{messageType ?? "(missing)"}'", _text.Value, _requestId),
                        };
                    }
                }
                catch (OperationCanceledException) when (!_cancellationToken.IsCancellationRequested)
                {
                    failure = Errors.BetweenEventsTimeout(_client.Options.BetweenEventsTimeout, _text.Value, _requestId);
                }
                catch (EventStreamFormatException ex)
                {
                    failure = Errors.Malformed(ex, _text.Value, _requestId);
                }
                catch (HttpRequestException ex)
                {
                    failure = Errors.ConnectionFailed(ex, _text.Value);
                }
                catch (IOException ex)
                {
                    failure = Errors.ConnectionFailed(ex, _text.Value);
                }

                failure.PartialText ??= _text.Value;
                if (_yielded)
                {
                    failure.IsRetryable = false;
                }

                await CloseAsync().ConfigureAwait(false);

                // Once an event reached the caller, a retry would replay text it has already seen: fail instead.
                if (_yielded || !await _attempt.TryRetryAsync(_client._retries, failure, null, _cancellationToken).ConfigureAwait(false))
                {
                    throw failure;
                }
            }
        }

        public ValueTask DisposeAsync() => CloseAsync();

        private async Task OpenAsync()
        {
            _response = await _client.OpenStreamAsync(_modelId, _body, _attempt, _cancellationToken).ConfigureAwait(false);
            _requestId = RequestId(_response);
            _idle = CancellationTokenSource.CreateLinkedTokenSource(_cancellationToken);
            Stream content = await _response.Content.ReadAsStreamAsync(_cancellationToken).ConfigureAwait(false);
            _reader = new EventStreamReader(content, _client.Options.MaxEventSize);
        }

        private void Observe(ConverseStreamEvent streamEvent)
        {
            _yielded = true;
            switch (streamEvent)
            {
                case ContentBlockDeltaEvent { Delta.Text: { } text }:
                    _text.Append(text);
                    break;
                case MessageStopEvent:
                    _sawMessageStop = true;
                    break;
            }
        }

        private async ValueTask CloseAsync()
        {
            if (_reader is not null)
            {
                await _reader.DisposeAsync().ConfigureAwait(false);
                _reader = null;
            }

            _response?.Dispose();
            _response = null;
            _idle?.Dispose();
            _idle = null;
        }
    }

    /// <summary>Text already yielded to the caller, kept so a failure can hand it back.</summary>
    private sealed class StreamedText
    {
        private System.Text.StringBuilder? _builder;

        public string? Value => _builder?.ToString();

        public void Append(string text) => (_builder ??= new System.Text.StringBuilder()).Append(text);
    }
}
