using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using PromptGen.EventStreams;
using PromptGen.Testing.Internal;

namespace PromptGen.Testing;

/// <summary>
/// A Bedrock Runtime emulator on 127.0.0.1 (Kestrel): Converse, ConverseStream (real event-stream framing) and
/// CountTokens, SigV4 or bearer authentication, Bedrock-style validation from the model catalogue, deterministic
/// replies (text, schema-conforming tool input and structured output), simulated latency, fault injection and
/// request recording.
/// </summary>
public sealed class BedrockEmulator : IAsyncDisposable
{
    private const string ErrorTypeSuffix = ":http://internal.amazon.com/coral/com.amazon.bedrock/";
    private const string CoralErrorTypeSuffix = ":http://internal.amazon.com/coral/com.amazon.coral.service/";
    private const string Padding = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    private const string UnknownOperationBody = "{\"Output\":{\"__type\":\"com.amazon.coral.service#UnknownOperationException\"},\"Version\":\"1.0\"}";

    private readonly WebApplication _app;
    private readonly CancellationTokenSource _stopping = new();
    private readonly List<RecordedRequest> _requests = new();
    private readonly ConcurrentDictionary<string, bool> _promptCache = new(StringComparer.Ordinal);
    private readonly object _quotaGate = new();
    private double _quotaBalance = double.NaN;
    private long _quotaRefilled;
    private int _openConnections;
    private int _disposed;

    private BedrockEmulator(BedrockEmulatorOptions options, WebApplicationBuilder builder)
    {
        Options = options;
        _app = builder.Build();
        _app.Run(HandleAsync);
    }

    /// <summary>The base address, <c>http://127.0.0.1:PORT</c>.</summary>
    public Uri Endpoint { get; private set; } = null!;

    /// <summary>Takes one request from <see cref="BedrockEmulatorOptions.RequestsPerSecondQuota"/>'s bucket; false when it is empty.</summary>
    private bool TryTakeQuota()
    {
        if (Options.RequestsPerSecondQuota is not double rate || !(rate > 0))
        {
            return true;
        }

        double capacity = Math.Max(1, rate);
        lock (_quotaGate)
        {
            long now = Stopwatch.GetTimestamp();
            _quotaBalance = double.IsNaN(_quotaBalance)
                ? capacity
                : Math.Min(capacity, _quotaBalance + (Stopwatch.GetElapsedTime(_quotaRefilled, now).TotalSeconds * rate));
            _quotaRefilled = now;
            if (_quotaBalance < 1)
            {
                return false;
            }

            _quotaBalance -= 1;
            return true;
        }
    }

    /// <summary>
    /// Options for a <see cref="BedrockClient"/> that talks to this emulator: its endpoint, its region and its test
    /// credentials (SigV4-signed), ignoring the process's AWS settings. Change the returned copy as you like.
    /// </summary>
    public BedrockClientOptions ClientOptions() => new()
    {
        Endpoint = Endpoint,
        Region = Options.Region,
        AccessKeyId = Options.AccessKeyId,
        SecretAccessKey = Options.SecretAccessKey,
        UseEnvironment = false,
    };

    /// <summary>The settings (may be changed while running; each request reads them afresh).</summary>
    public BedrockEmulatorOptions Options { get; }

    /// <summary>A snapshot of the requests received so far, in arrival order.</summary>
    public IReadOnlyList<RecordedRequest> Requests
    {
        get
        {
            lock (_requests)
            {
                return _requests.ToArray();
            }
        }
    }

    /// <summary>The number of TCP connections currently open to the emulator.</summary>
    public int OpenConnections => Volatile.Read(ref _openConnections);

    /// <summary>Faults to inject into upcoming requests.</summary>
    public FaultPlan Faults { get; } = new();

    /// <summary>Starts an emulator on 127.0.0.1 (a free port unless <see cref="BedrockEmulatorOptions.Port"/> is set).</summary>
    public static async Task<BedrockEmulator> StartAsync(BedrockEmulatorOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new BedrockEmulatorOptions();
        WebApplicationBuilder builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions { ApplicationName = "PromptGen.Testing" });
        BedrockEmulator? emulator = null;
        ListenOptions? listen = null;
        builder.WebHost.UseKestrelCore().ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxRequestBodySize = 64L * 1024 * 1024;
            kestrel.Listen(IPAddress.Loopback, options.Port, lo =>
            {
                listen = lo;
                lo.Protocols = HttpProtocols.Http1;
                lo.Use(next => async connection =>
                {
                    Interlocked.Increment(ref emulator!._openConnections);
                    try
                    {
                        await next(connection).ConfigureAwait(false);
                    }
                    finally
                    {
                        Interlocked.Decrement(ref emulator._openConnections);
                    }
                });
            });
        });
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(2));

        emulator = new BedrockEmulator(options, builder);
        try
        {
            await emulator._app.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await emulator._app.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        string? address = emulator._app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault();
        int port = address != null ? new Uri(address).Port : ((IPEndPoint)listen!.EndPoint).Port;
        emulator.Endpoint = new Uri("http://127.0.0.1:" + port.ToString(System.Globalization.CultureInfo.InvariantCulture));
        return emulator;
    }

    /// <summary>Forgets recorded requests, pending faults and the simulated prompt cache, and refills the request quota.</summary>
    public void Reset()
    {
        lock (_requests)
        {
            _requests.Clear();
        }

        Faults.Clear();
        _promptCache.Clear();
        lock (_quotaGate)
        {
            // The quota's bucket starts full again, as at start-up.
            _quotaBalance = double.NaN;
        }
    }

    /// <summary>Stops Kestrel, cutting in-flight streams.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        _stopping.Cancel();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
        try
        {
            await _app.StopAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }

        await _app.DisposeAsync().ConfigureAwait(false);
        _stopping.Dispose();
    }

    private async Task HandleAsync(HttpContext http)
    {
        var clock = Stopwatch.StartNew();
        BedrockEmulatorOptions options = Options;
        string requestId = Guid.NewGuid().ToString();
        http.Response.Headers["x-amzn-RequestId"] = requestId;
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(http.RequestAborted, _stopping.Token);
        CancellationToken token = cts.Token;

        string rawTarget = http.Features.Get<IHttpRequestFeature>()?.RawTarget ?? http.Request.Path.ToString();
        byte[] body;
        using (var buffer = new MemoryStream())
        {
            await http.Request.Body.CopyToAsync(buffer, token).ConfigureAwait(false);
            body = buffer.ToArray();
        }

        (EmulatorOperation operation, string? modelId) = Route(http.Request.Method, rawTarget);
        JsonNode? json = null;
        JsonException? parseError = null;
        if (body.Length > 0)
        {
            try
            {
                json = JsonNode.Parse(body, documentOptions: new JsonDocumentOptions { MaxDepth = 128 });
            }
            catch (JsonException e)
            {
                parseError = e;
            }
        }

        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (KeyValuePair<string, Microsoft.Extensions.Primitives.StringValues> h in http.Request.Headers)
        {
            headers[h.Key.ToLowerInvariant()] = string.Join(",", h.Value.ToArray());
        }

        var record = new RecordedRequest(operation, modelId, http.Request.Method, rawTarget, headers, body, json, requestId, DateTimeOffset.UtcNow);
        lock (_requests)
        {
            _requests.Add(record);
        }

        try
        {
            // 1. Authentication.
            string region = options.Region;
            if (options.RequireSignature)
            {
                string? authorization = headers.GetValueOrDefault("authorization");
                if (authorization != null && authorization.StartsWith("Bearer ", StringComparison.Ordinal))
                {
                    if (options.BearerToken == null || !string.Equals(authorization.Substring(7).Trim(), options.BearerToken, StringComparison.Ordinal))
                    {
                        await WriteErrorAsync(http, record, new EmulatorError(403, "UnrecognizedClientException", "Invalid API Key format: Must start with pre-defined prefix"), CoralErrorTypeSuffix).ConfigureAwait(false);
                        return;
                    }
                }
                else
                {
                    SigV4Verifier.Result result = SigV4Verifier.Verify(
                        http.Request.Method, rawTarget, name => headers.GetValueOrDefault(name), body, options.AccessKeyId, options.SecretAccessKey, "bedrock");
                    if (!result.Ok)
                    {
                        await WriteErrorAsync(http, record, new EmulatorError(result.StatusCode, result.ErrorType, result.Message), CoralErrorTypeSuffix).ConfigureAwait(false);
                        return;
                    }

                    region = result.Region ?? region;
                }
            }

            // 2. Routing: Bedrock answers an unroutable path (such as an unencoded '/' in the model ID) with 200 and an error body.
            if (operation == EmulatorOperation.Unknown)
            {
                record.SetStatus(200);
                http.Response.StatusCode = 200;
                http.Response.ContentType = "application/json";
                await http.Response.WriteAsync(UnknownOperationBody, token).ConfigureAwait(false);
                return;
            }

            // 3. Faults, then the account quota.
            EmulatorFault? fault = Faults.TryTake(operation);
            record.Fault = fault;
            if (fault is null && !TryTakeQuota())
            {
                await WriteErrorAsync(http, record, new EmulatorError(429, "ThrottlingException", "Too many requests, please wait before trying again."), ErrorTypeSuffix).ConfigureAwait(false);
                return;
            }

            if (fault != null)
            {
                switch (fault.Kind)
                {
                    case EmulatorFaultKind.StallBeforeFirstByte:
                        await Task.Delay(fault.Delay, token).ConfigureAwait(false);
                        fault = null;
                        break;
                    case EmulatorFaultKind.Throttle:
                    case EmulatorFaultKind.ServerError:
                    case EmulatorFaultKind.ModelNotReady:
                    case EmulatorFaultKind.ModelTimeout:
                    case EmulatorFaultKind.ModelError:
                        await WriteErrorAsync(http, record, new EmulatorError(fault.StatusCode, fault.ErrorType!, fault.Message!), ErrorTypeSuffix,
                            fault.Kind == EmulatorFaultKind.ModelError ? o => { o["originalStatusCode"] = fault.OriginalStatusCode; o["resourceName"] = modelId; } : null).ConfigureAwait(false);
                        return;
                    case EmulatorFaultKind.WrongContentType:
                        record.SetStatus(200);
                        http.Response.StatusCode = 200;
                        http.Response.ContentType = "text/html; charset=utf-8";
                        await http.Response.WriteAsync("<html><head><title>502 Bad Gateway</title></head><body><h1>Bad Gateway</h1></body></html>", token).ConfigureAwait(false);
                        return;
                }
            }

            // 4. Validation.
            if (parseError != null || (json != null && json is not JsonObject))
            {
                await WriteErrorAsync(http, record, new EmulatorError(400, "SerializationException", "Unexpected content: the request body must be a JSON object."), ErrorTypeSuffix).ConfigureAwait(false);
                return;
            }

            JsonObject request = json as JsonObject ?? new JsonObject();
            ModelResolution resolution = ModelCatalog.Default.Resolve(modelId);
            EmulatorError? error = RequestValidator.CheckModel(resolution, options.ValidateAgainstCatalogue, out ModelInfo? model);
            if (!options.ValidateAgainstCatalogue)
            {
                model = null;
            }

            error ??= operation == EmulatorOperation.CountTokens
                ? RequestValidator.CheckCountTokens(request)
                : RequestValidator.CheckConverse(request, operation == EmulatorOperation.ConverseStream, model);
            if (error != null)
            {
                await WriteErrorAsync(http, record, error, ErrorTypeSuffix).ConfigureAwait(false);
                return;
            }

            // 5. The answer.
            if (operation == EmulatorOperation.CountTokens)
            {
                JsonObject? converse = request["input"]?["converse"] as JsonObject;
                int tokens = converse != null
                    ? ReplyBuilder.MeasureInput(converse["system"], converse["messages"], converse["toolConfig"]).Total
                    : ReplyBuilder.Tokens(Convert.FromBase64String(request["input"]!["invokeModel"]!["body"]!.GetValue<string>()).Length);
                await WriteJsonAsync(http, record, new JsonObject { ["inputTokens"] = tokens }, fault, token).ConfigureAwait(false);
                return;
            }

            string lastUserText = LastUserText(request);
            string? schemaText = request["outputConfig"]?["textFormat"]?["structure"]?["jsonSchema"]?["schema"]?.GetValue<string>();
            var context = new EmulatorRequestContext(operation, modelId!, resolution.Model, request, lastUserText, schemaText);
            uint seed = ReplyBuilder.Hash((resolution.Model?.Id ?? modelId) + "\n" + lastUserText + "\n" + SystemText(request) + "\n" + schemaText);
            Reply reply = ReplyBuilder.Build(context, request, options.ResponseText, seed);
            JsonObject usage = Usage(request, resolution, reply);
            JsonObject? performance = request["performanceConfig"] is JsonObject perf
                ? new JsonObject { ["latency"] = ServedLatency(perf, resolution, region) }
                : null;
            JsonNode? serviceTier = request["serviceTier"]?.DeepClone();

            if (operation == EmulatorOperation.Converse)
            {
                TimeSpan latency = options.TimeToFirstToken + options.TokenDelay * Math.Max(0, reply.OutputTokens - 1);
                if (latency > TimeSpan.Zero)
                {
                    await Task.Delay(latency, token).ConfigureAwait(false);
                }

                var content = new JsonArray();
                foreach (ReplyBlock block in reply.Blocks)
                {
                    // Typed as JsonNode so Add(JsonNode) binds, not the reflection-based Add<T> (IL2026/IL3050 under Native AOT).
                    JsonNode item = block.Text != null
                        ? new JsonObject { ["text"] = block.Text }
                        : new JsonObject { ["toolUse"] = new JsonObject { ["toolUseId"] = block.ToolUseId, ["name"] = block.ToolName, ["input"] = JsonNode.Parse(block.ToolInputJson!) } };
                    content.Add(item);
                }

                var response = new JsonObject
                {
                    ["output"] = new JsonObject { ["message"] = new JsonObject { ["role"] = "assistant", ["content"] = content } },
                    ["stopReason"] = reply.StopReason,
                    ["usage"] = usage,
                    ["metrics"] = new JsonObject { ["latencyMs"] = clock.ElapsedMilliseconds },
                };
                if (performance != null) response["performanceConfig"] = performance;
                if (serviceTier != null) response["serviceTier"] = serviceTier;
                await WriteJsonAsync(http, record, response, fault, token).ConfigureAwait(false);
                return;
            }

            await StreamAsync(http, record, reply, usage, performance, serviceTier, fault, clock, options, token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
            http.Abort();
        }
    }

    private async Task StreamAsync(
        HttpContext http, RecordedRequest record, Reply reply, JsonObject usage, JsonObject? performance, JsonNode? serviceTier,
        EmulatorFault? fault, Stopwatch clock, BedrockEmulatorOptions options, CancellationToken token)
    {
        record.SetStatus(200);
        http.Response.StatusCode = 200;
        http.Response.ContentType = "application/vnd.amazon.eventstream";
        await http.Response.StartAsync(token).ConfigureAwait(false);

        // (event type, payload, delay before it)
        var events = new List<(string Type, JsonObject? Payload, TimeSpan Delay)> { ("messageStart", new JsonObject { ["role"] = "assistant" }, TimeSpan.Zero) };
        bool first = true;
        for (int index = 0; index < reply.Blocks.Count; index++)
        {
            ReplyBlock block = reply.Blocks[index];
            if (block.ToolName != null)
            {
                events.Add(("contentBlockStart", new JsonObject
                {
                    ["contentBlockIndex"] = index,
                    ["start"] = new JsonObject { ["toolUse"] = new JsonObject { ["toolUseId"] = block.ToolUseId, ["name"] = block.ToolName } },
                }, first ? options.TimeToFirstToken : options.TokenDelay));
                first = false;
            }

            foreach (string chunk in block.Chunks)
            {
                JsonObject delta = block.ToolName != null
                    ? new JsonObject { ["toolUse"] = new JsonObject { ["input"] = chunk } }
                    : new JsonObject { ["text"] = chunk };
                events.Add(("contentBlockDelta", new JsonObject { ["contentBlockIndex"] = index, ["delta"] = delta }, first ? options.TimeToFirstToken : options.TokenDelay));
                first = false;
            }

            events.Add(("contentBlockStop", new JsonObject { ["contentBlockIndex"] = index }, TimeSpan.Zero));
        }

        events.Add(("messageStop", new JsonObject { ["stopReason"] = reply.StopReason }, TimeSpan.Zero));
        events.Add(("metadata", null, TimeSpan.Zero));

        Stream output = http.Response.Body;
        long written = 0;
        for (int i = 0; i <= events.Count; i++)
        {
            if (fault != null && i == fault.AfterEvents)
            {
                switch (fault.Kind)
                {
                    case EmulatorFaultKind.InStreamException:
                    {
                        var payload = new JsonObject { ["message"] = fault.Message };
                        if (fault.ErrorType == "modelStreamErrorException")
                        {
                            payload["originalStatusCode"] = 500;
                            payload["originalMessage"] = "The model stream failed.";
                        }

                        byte[] frame = Frame(fault.ErrorType!, payload, exception: true);
                        if (!await WriteFrameAsync(http, output, frame, fault, written, token).ConfigureAwait(false)) return;
                        return;
                    }

                    case EmulatorFaultKind.TruncateFrame:
                    {
                        byte[] frame = i < events.Count ? Frame(events[i].Type, events[i].Payload ?? new JsonObject()) : Frame("metadata", new JsonObject());
                        await output.WriteAsync(frame.AsMemory(0, frame.Length / 2), token).ConfigureAwait(false);
                        await output.FlushAsync(token).ConfigureAwait(false);
                        return;
                    }

                    case EmulatorFaultKind.StallBetweenEvents:
                        await Task.Delay(fault.Delay, token).ConfigureAwait(false);
                        break;
                    case EmulatorFaultKind.OversizedEvent:
                    {
                        string padding = new string('x', Math.Max(1, fault.Bytes));
                        byte[] frame = Frame("contentBlockDelta", new JsonObject { ["contentBlockIndex"] = 0, ["delta"] = new JsonObject { ["text"] = padding } });
                        if (!await WriteFrameAsync(http, output, frame, null, written, token).ConfigureAwait(false)) return;
                        written += frame.Length;
                        break;
                    }
                }
            }

            if (i == events.Count)
            {
                break;
            }

            (string type, JsonObject? eventPayload, TimeSpan delay) = events[i];
            if (delay > TimeSpan.Zero)
            {
                await Task.Delay(delay, token).ConfigureAwait(false);
            }

            if (type == "metadata")
            {
                eventPayload = new JsonObject { ["usage"] = usage, ["metrics"] = new JsonObject { ["latencyMs"] = clock.ElapsedMilliseconds } };
                if (performance != null) eventPayload["performanceConfig"] = performance;
                if (serviceTier != null) eventPayload["serviceTier"] = serviceTier;
            }

            if (options.PadStreamEvents)
            {
                // Bedrock pads every event with a "p" member of varying length (a prefix of a-zA-Z0-9).
                eventPayload!["p"] = Padding.Substring(0, 1 + (int)((ReplyBuilder.Hash(type + i) ^ (uint)i) % 40));
            }

            byte[] bytes = Frame(type, eventPayload!);
            if (fault is { Kind: EmulatorFaultKind.CorruptCrc } && i == fault.AfterEvents)
            {
                bytes[^1] ^= 0xFF;
            }

            if (!await WriteFrameAsync(http, output, bytes, fault, written, token).ConfigureAwait(false))
            {
                return;
            }

            written += bytes.Length;
        }
    }

    /// <summary>Writes and flushes one frame; for a ResetConnection fault, writes only up to the byte budget and aborts (returns false).</summary>
    private static async Task<bool> WriteFrameAsync(HttpContext http, Stream output, byte[] frame, EmulatorFault? fault, long written, CancellationToken token)
    {
        if (fault is { Kind: EmulatorFaultKind.ResetConnection } && written + frame.Length > fault.AfterBytes)
        {
            int part = (int)Math.Max(0, fault.AfterBytes - written);
            if (part > 0)
            {
                await output.WriteAsync(frame.AsMemory(0, part), token).ConfigureAwait(false);
            }

            await output.FlushAsync(token).ConfigureAwait(false);
            await AbortAfterDrainAsync(http, token).ConfigureAwait(false);
            return false;
        }

        await output.WriteAsync(frame, token).ConfigureAwait(false);
        await output.FlushAsync(token).ConfigureAwait(false);
        return true;
    }

    /// <summary>
    /// Aborts the connection once the bytes already flushed had a moment to leave the socket: an immediate abort resets the
    /// connection and can discard output the transport has not sent yet, so the client would not see the partial body.
    /// </summary>
    private static async Task AbortAfterDrainAsync(HttpContext http, CancellationToken token)
    {
        try
        {
            await Task.Delay(TimeSpan.FromMilliseconds(50), token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }

        http.Abort();
    }

    internal static byte[] Frame(string type, JsonObject payload, bool exception = false)
    {
        // Header order as Bedrock sends it (recorded traffic): events :event-type, :content-type, :message-type;
        // exceptions :message-type, :exception-type, :content-type.
        var headers = exception
            ? new List<KeyValuePair<string, EventStreamHeaderValue>>
            {
                new(":message-type", EventStreamHeaderValue.FromString("exception")),
                new(":exception-type", EventStreamHeaderValue.FromString(type)),
                new(":content-type", EventStreamHeaderValue.FromString("application/json")),
            }
            : new List<KeyValuePair<string, EventStreamHeaderValue>>
            {
                new(":event-type", EventStreamHeaderValue.FromString(type)),
                new(":content-type", EventStreamHeaderValue.FromString("application/json")),
                new(":message-type", EventStreamHeaderValue.FromString("event")),
            };
        return EventStreamWriter.Encode(headers, Encoding.UTF8.GetBytes(payload.ToJsonString()));
    }

    private JsonObject Usage(JsonObject request, ModelResolution resolution, Reply reply)
    {
        (int total, int prefix, string prefixKey, string ttl, int points) = ReplyBuilder.MeasureInput(request["system"], request["messages"], request["toolConfig"]);
        total = Math.Max(1, total);
        var usage = new JsonObject();
        int input = total;
        int? read = null, write = null;
        PromptCachingSupport? caching = resolution.Model?.PromptCaching;
        if (points > 0 && (caching != null || resolution.Model == null))
        {
            read = 0;
            write = 0;
            if (prefix >= (caching?.MinTokens ?? 0) && prefix > 0)
            {
                string key = (resolution.Model?.Id ?? resolution.ModelId) + "\n" + prefixKey;
                if (_promptCache.ContainsKey(key))
                {
                    read = prefix;
                }
                else
                {
                    _promptCache[key] = true;
                    write = prefix;
                }

                input = Math.Max(0, total - prefix);
            }
        }

        usage["inputTokens"] = input;
        usage["outputTokens"] = reply.OutputTokens;
        usage["totalTokens"] = input + reply.OutputTokens + (read ?? 0) + (write ?? 0);
        if (read != null)
        {
            usage["cacheReadInputTokens"] = read;
            usage["cacheWriteInputTokens"] = write;
            if (write > 0)
            {
                // The constructor, not a collection initializer, which would call the reflection-based Add<T>.
                usage["cacheDetails"] = new JsonArray(new JsonObject { ["ttl"] = ttl, ["inputTokens"] = write });
            }
        }

        return usage;
    }

    private static string ServedLatency(JsonObject performance, ModelResolution resolution, string region)
    {
        bool optimizedRequested = (performance["latency"] as JsonValue)?.ToString() == "optimized";
        bool available = resolution.Kind == ModelIdKind.InferenceProfile
            && resolution.Model != null
            && resolution.Model.LatencyOptimizedRegions.Contains(region, StringComparer.Ordinal);
        return optimizedRequested && available ? "optimized" : "standard";
    }

    private static string LastUserText(JsonObject request)
    {
        JsonObject? last = (request["messages"] as JsonArray)?.OfType<JsonObject>().LastOrDefault(m => (m["role"] as JsonValue)?.ToString() == "user");
        return string.Join("\n", ((last?["content"] as JsonArray) ?? new JsonArray()).OfType<JsonObject>()
            .Select(b => (b["text"] as JsonValue)?.ToString() ?? (b["toolResult"] != null ? b["toolResult"]!.ToJsonString() : null))
            .Where(t => t != null));
    }

    private static string SystemText(JsonObject request) =>
        string.Join("\n", ((request["system"] as JsonArray) ?? new JsonArray()).OfType<JsonObject>()
            .Select(b => (b["text"] as JsonValue)?.ToString()).Where(t => t != null));

    /// <summary>Splits <c>/model/{modelId}/{operation}</c> from the raw target; anything else is Unknown.</summary>
    internal static (EmulatorOperation Operation, string? ModelId) Route(string method, string rawTarget)
    {
        int q = rawTarget.IndexOf('?');
        string path = q >= 0 ? rawTarget.Substring(0, q) : rawTarget;
        string[] segments = path.Split('/');
        if (!HttpMethods.IsPost(method) || segments.Length != 4 || segments[0].Length != 0 || segments[1] != "model" || segments[2].Length == 0)
        {
            return (EmulatorOperation.Unknown, null);
        }

        EmulatorOperation operation = segments[3] switch
        {
            "converse" => EmulatorOperation.Converse,
            "converse-stream" => EmulatorOperation.ConverseStream,
            "count-tokens" => EmulatorOperation.CountTokens,
            _ => EmulatorOperation.Unknown,
        };
        return operation == EmulatorOperation.Unknown ? (operation, null) : (operation, Uri.UnescapeDataString(segments[2]));
    }

    private static async Task WriteErrorAsync(HttpContext http, RecordedRequest record, EmulatorError error, string suffix, Action<JsonObject>? extra = null)
    {
        record.SetStatus(error.StatusCode);
        http.Response.StatusCode = error.StatusCode;
        http.Response.ContentType = "application/json";
        http.Response.Headers["x-amzn-ErrorType"] = error.ErrorType + suffix;
        var body = new JsonObject { ["message"] = error.Message };
        extra?.Invoke(body);
        await http.Response.WriteAsync(body.ToJsonString(), http.RequestAborted).ConfigureAwait(false);
    }

    private static async Task WriteJsonAsync(HttpContext http, RecordedRequest record, JsonObject response, EmulatorFault? fault, CancellationToken token)
    {
        byte[] bytes = Encoding.UTF8.GetBytes(response.ToJsonString());
        record.SetStatus(200);
        http.Response.StatusCode = 200;
        http.Response.ContentType = "application/json";
        http.Response.ContentLength = bytes.Length;
        if (fault is { Kind: EmulatorFaultKind.ResetConnection })
        {
            await http.Response.Body.WriteAsync(bytes.AsMemory(0, Math.Min(bytes.Length, fault.AfterBytes)), token).ConfigureAwait(false);
            await http.Response.Body.FlushAsync(token).ConfigureAwait(false);
            await AbortAfterDrainAsync(http, token).ConfigureAwait(false);
            return;
        }

        await http.Response.Body.WriteAsync(bytes, token).ConfigureAwait(false);
    }
}
