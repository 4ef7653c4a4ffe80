using System.Buffers;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace PromptGen;

/// <summary>
/// Source-generated JSON metadata for every wire type (AOT-safe; no reflection). camelCase member names as on the
/// wire, null members omitted, unknown members skipped, and nesting limited to <see cref="BedrockJson.MaxDepth"/>.
/// </summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    MaxDepth = BedrockJson.MaxDepth,
    GenerationMode = JsonSourceGenerationMode.Default)]
[JsonSerializable(typeof(ConverseRequest))]
[JsonSerializable(typeof(ConverseResponse))]
[JsonSerializable(typeof(CountTokensRequest))]
[JsonSerializable(typeof(CountTokensResponse))]
[JsonSerializable(typeof(MessageStartEvent))]
[JsonSerializable(typeof(ContentBlockStartEvent))]
[JsonSerializable(typeof(ContentBlockDeltaEvent))]
[JsonSerializable(typeof(ContentBlockStopEvent))]
[JsonSerializable(typeof(MessageStopEvent))]
[JsonSerializable(typeof(MetadataEvent))]
[JsonSerializable(typeof(Message))]
[JsonSerializable(typeof(ContentBlock))]
internal sealed partial class BedrockJsonContext : JsonSerializerContext
{
}

/// <summary>The JSON entry points used by the client for Bedrock Runtime bodies.</summary>
internal static class BedrockJson
{
    /// <summary>
    /// The object under <paramref name="root"/> that holds the last segment of <paramref name="dottedPath"/> (such as
    /// <c>inferenceConfig.topK</c>, where a model family takes top-k in <c>additionalModelRequestFields</c>), creating the
    /// objects on the way; <paramref name="name"/> is that last segment.
    /// </summary>
    public static JsonObject ParentOf(JsonObject root, string dottedPath, out string name)
    {
        JsonObject current = root;
        string[] parts = dottedPath.Split('.');
        for (int i = 0; i < parts.Length - 1; i++)
        {
            if (current[parts[i]] is not JsonObject child)
            {
                child = new JsonObject();
                current[parts[i]] = child;
            }

            current = child;
        }

        name = parts[^1];
        return current;
    }

    /// <summary>
    /// The maximum JSON nesting depth accepted when reading and produced when writing (64). Bedrock bodies nest about
    /// ten levels plus whatever tool schemas and documents add; deeper input is rejected with a <see cref="JsonException"/>
    /// rather than risking unbounded recursion.
    /// </summary>
    public const int MaxDepth = 64;

    /// <summary>Serializes a Converse / ConverseStream request body.</summary>
    public static byte[] SerializeToUtf8Bytes(ConverseRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return JsonSerializer.SerializeToUtf8Bytes(request, BedrockJsonContext.Default.ConverseRequest);
    }

    /// <summary>Serializes a CountTokens request body.</summary>
    public static byte[] SerializeToUtf8Bytes(CountTokensRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return JsonSerializer.SerializeToUtf8Bytes(request, BedrockJsonContext.Default.CountTokensRequest);
    }

    /// <summary>Serializes a Converse / ConverseStream request body into a buffer writer (no intermediate array).</summary>
    public static void Serialize(IBufferWriter<byte> destination, ConverseRequest request)
    {
        ArgumentNullException.ThrowIfNull(destination);
        ArgumentNullException.ThrowIfNull(request);
        using var writer = new Utf8JsonWriter(destination, new JsonWriterOptions { MaxDepth = MaxDepth, SkipValidation = true });
        JsonSerializer.Serialize(writer, request, BedrockJsonContext.Default.ConverseRequest);
    }

    /// <summary>Reads a Converse response body. Throws <see cref="JsonException"/> when the body is not a JSON object.</summary>
    public static ConverseResponse DeserializeConverseResponse(ReadOnlySpan<byte> utf8Json) =>
        JsonSerializer.Deserialize(utf8Json, BedrockJsonContext.Default.ConverseResponse)
        ?? throw new JsonException("The Converse response body was JSON null.");

    /// <summary>Reads a CountTokens response body. Throws <see cref="JsonException"/> when the body is not a JSON object.</summary>
    public static CountTokensResponse DeserializeCountTokensResponse(ReadOnlySpan<byte> utf8Json) =>
        JsonSerializer.Deserialize(utf8Json, BedrockJsonContext.Default.CountTokensResponse)
        ?? throw new JsonException("The CountTokens response body was JSON null.");
}
