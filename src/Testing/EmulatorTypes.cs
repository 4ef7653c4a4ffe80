using System.Text.Json.Nodes;

namespace PromptGen.Testing;

/// <summary>A Bedrock Runtime operation the emulator tells apart.</summary>
public enum EmulatorOperation
{
    /// <summary>A request that routed to no operation (unknown path, or an unencoded <c>/</c> in the model ID).</summary>
    Unknown,

    /// <summary><c>POST /model/{modelId}/converse</c>.</summary>
    Converse,

    /// <summary><c>POST /model/{modelId}/converse-stream</c>.</summary>
    ConverseStream,

    /// <summary><c>POST /model/{modelId}/count-tokens</c>.</summary>
    CountTokens,
}

/// <summary>What a <see cref="BedrockEmulatorOptions.ResponseText"/> callback sees of a request.</summary>
public sealed class EmulatorRequestContext
{
    internal EmulatorRequestContext(EmulatorOperation operation, string modelId, ModelInfo? model, JsonNode? body, string lastUserText, string? jsonSchema)
    {
        Operation = operation;
        ModelId = modelId;
        Model = model;
        Body = body;
        LastUserText = lastUserText;
        JsonSchema = jsonSchema;
    }

    /// <summary>The operation.</summary>
    public EmulatorOperation Operation { get; }

    /// <summary>The model ID, percent-decoded.</summary>
    public string ModelId { get; }

    /// <summary>The catalogue model behind <see cref="ModelId"/>, where known.</summary>
    public ModelInfo? Model { get; }

    /// <summary>The parsed request body.</summary>
    public JsonNode? Body { get; }

    /// <summary>The text blocks of the last user message, joined.</summary>
    public string LastUserText { get; }

    /// <summary>The <c>outputConfig.textFormat</c> JSON schema text when structured output was requested, else <see langword="null"/>.</summary>
    public string? JsonSchema { get; }
}

/// <summary>One request the emulator received, for assertions.</summary>
public sealed class RecordedRequest
{
    private int _statusCode;

    internal RecordedRequest(
        EmulatorOperation operation, string? modelId, string method, string rawPath,
        IReadOnlyDictionary<string, string> headers, byte[] body, JsonNode? json, string requestId, DateTimeOffset receivedAt)
    {
        Operation = operation;
        ModelId = modelId;
        Method = method;
        RawPath = rawPath;
        Headers = headers;
        Body = body;
        Json = json;
        RequestId = requestId;
        ReceivedAt = receivedAt;
    }

    /// <summary>The operation the request routed to.</summary>
    public EmulatorOperation Operation { get; }

    /// <summary>The model ID from the path, percent-decoded; <see langword="null"/> when the path did not route.</summary>
    public string? ModelId { get; }

    /// <summary>The HTTP method.</summary>
    public string Method { get; }

    /// <summary>The request target exactly as sent (still percent-encoded).</summary>
    public string RawPath { get; }

    /// <summary>The request headers (names lower-case; repeated headers joined with <c>,</c>).</summary>
    public IReadOnlyDictionary<string, string> Headers { get; }

    /// <summary>The raw body bytes.</summary>
    public byte[] Body { get; }

    /// <summary>The body parsed as JSON, or <see langword="null"/> when it is empty or not JSON.</summary>
    public JsonNode? Json { get; }

    /// <summary>The <c>x-amzn-RequestId</c> the emulator answered with.</summary>
    public string RequestId { get; }

    /// <summary>When the request arrived.</summary>
    public DateTimeOffset ReceivedAt { get; }

    /// <summary>The HTTP status code of the response (0 until decided; 200 for streams even if they later fail).</summary>
    public int StatusCode => Volatile.Read(ref _statusCode);

    /// <summary>The fault applied to the request, if any.</summary>
    public EmulatorFault? Fault { get; internal set; }

    internal void SetStatus(int statusCode) => Volatile.Write(ref _statusCode, statusCode);

    /// <inheritdoc />
    public override string ToString() => $"{Method} {RawPath} -> {StatusCode}";
}
