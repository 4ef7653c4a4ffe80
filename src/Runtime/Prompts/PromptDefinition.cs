using System.ComponentModel;
using System.Text.Json;

namespace PromptGen.Generated;

/// <summary>How a prompt method's answer is obtained and read. Used by generated code; not meant to be used by hand.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public enum PromptOutputKind
{
    /// <summary>
    /// Plain text: strings, streamed text, and labels parsed with <see cref="PromptRunner.ParseEnum{T}(string)"/>. With
    /// <see cref="PromptRunner.GetValueAsync{T}(PromptPipeline, PromptDefinition, string, int, long, System.Text.Json.Serialization.Metadata.JsonTypeInfo{T}, CancellationToken)"/>
    /// the text is read as JSON (prompted JSON, for models with neither native structured output nor tool use); nothing
    /// about a schema is sent.
    /// </summary>
    Text = 0,

    /// <summary>JSON following <see cref="PromptDefinition.JsonSchema"/> through <c>outputConfig.textFormat</c> (models with native structured output).</summary>
    NativeJson = 1,

    /// <summary>JSON following <see cref="PromptDefinition.JsonSchema"/> as the input of one forced tool call (models without native structured output).</summary>
    ToolJson = 2,
}

/// <summary>
/// Everything about one prompt method that is fixed at build time: model, system prompt, resolved inference settings,
/// caching and the structured-output contract. The generator emits one instance per method, as a
/// <c>static readonly</c> field of the generated client, and passes it to <see cref="PromptRunner"/> on every call.
/// Not meant to be used by hand: its shape may change with the generator.
/// </summary>
/// <remarks>
/// Properties are init-only and the instance is immutable once built, so one instance serves concurrent calls.
/// Inference values are the final, resolved ones (preset ⊕ overrides ⊕ model catalogue); <see langword="null"/> means
/// "do not send".
/// </remarks>
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed class PromptDefinition
{
    private readonly string? _jsonSchema;
    private readonly JsonElement _schemaElement;

    /// <summary>The interface's name as written (for messages and telemetry), e.g. <c>IInvoiceReader</c>.</summary>
    public string InterfaceName { get; init; } = string.Empty;

    /// <summary>The method's name as written, e.g. <c>ExtractAsync</c>.</summary>
    public string MethodName { get; init; } = string.Empty;

    /// <summary>The method's use case.</summary>
    public UseCase UseCase { get; init; }

    /// <summary>The model ID, inference-profile ID or ARN the request goes to.</summary>
    public string ModelId { get; init; } = string.Empty;

    /// <summary>The system prompt text, or <see langword="null"/> for none.</summary>
    public string? SystemPrompt { get; init; }

    /// <summary>
    /// Whether to add prompt-cache checkpoints: one after the system prompt and, when the call passes a static prefix
    /// length, one after the static prefix of the user message.
    /// </summary>
    public bool CachePrompt { get; init; }

    /// <summary>The checkpoints' time to live, <c>5m</c> or <c>1h</c>; <see langword="null"/> sends none (the model's default, 5 minutes).</summary>
    public string? CacheTtl { get; init; }

    /// <summary>
    /// Whether whole responses are cached (<see cref="PromptAttribute.CacheResponse"/>) in
    /// <see cref="PromptClientOptions.ResponseCache"/>, keyed on everything the request holds.
    /// </summary>
    public bool CacheResponse { get; init; }

    /// <summary>How long a cached response stays valid; <see langword="null"/> uses <see cref="PromptClientOptions.ResponseCacheDuration"/>.</summary>
    public TimeSpan? ResponseCacheTtl { get; init; }

    /// <summary>The temperature to send, or <see langword="null"/>.</summary>
    public float? Temperature { get; init; }

    /// <summary>The topP to send, or <see langword="null"/>.</summary>
    public float? TopP { get; init; }

    /// <summary>The top-k to send through <c>additionalModelRequestFields</c> at <see cref="TopKField"/>, or <see langword="null"/>.</summary>
    public int? TopK { get; init; }

    /// <summary>
    /// Where top-k goes inside <c>additionalModelRequestFields</c>, as a dotted path from the model catalogue:
    /// <c>top_k</c> (Anthropic) or <c>inferenceConfig.topK</c> (Amazon Nova). Required when <see cref="TopK"/> is set.
    /// </summary>
    public string? TopKField { get; init; }

    /// <summary>The <c>maxTokens</c> to send; 0 or less sends none.</summary>
    public int MaxTokens { get; init; }

    /// <summary>Stop sequences to send, or <see langword="null"/>.</summary>
    public IReadOnlyList<string>? StopSequences { get; init; }

    /// <summary>Whether to send <c>performanceConfig.latency = optimized</c>.</summary>
    public bool LatencyOptimized { get; init; }

    /// <summary>How the answer is obtained and read.</summary>
    public PromptOutputKind OutputKind { get; init; }

    /// <summary>
    /// The JSON Schema of the value for <see cref="PromptOutputKind.NativeJson"/> and <see cref="PromptOutputKind.ToolJson"/>,
    /// as JSON text. Its top level must be an object (wrap other values, see <see cref="JsonSchemaIsWrapped"/>).
    /// </summary>
    /// <exception cref="ArgumentException">The text is not a JSON object.</exception>
    public string? JsonSchema
    {
        get => _jsonSchema;
        init
        {
            if (value is not null)
            {
                try
                {
                    using JsonDocument document = JsonDocument.Parse(value);
                    if (document.RootElement.ValueKind != JsonValueKind.Object)
                    {
                        throw new ArgumentException("The JSON schema of a prompt must be a JSON object.", nameof(JsonSchema));
                    }

                    _schemaElement = document.RootElement.Clone();
                }
                catch (JsonException e)
                {
                    throw new ArgumentException("The JSON schema of a prompt is not valid JSON: " + e.Message, nameof(JsonSchema), e);
                }
            }

            _jsonSchema = value;
        }
    }

    /// <summary>
    /// Whether the value sits in a <c>{"value": …}</c> object (the schema describes that wrapper), as it must for values
    /// whose own schema is not an object: arrays, strings, numbers, enums.
    /// </summary>
    public bool JsonSchemaIsWrapped { get; init; }

    /// <summary>The name of the forced tool for <see cref="PromptOutputKind.ToolJson"/> (<c>[a-zA-Z0-9_-]{1,64}</c>; default <c>respond</c>).</summary>
    public string ToolName { get; init; } = "respond";

    /// <summary>A description of the forced tool, or <see langword="null"/>.</summary>
    public string? ToolDescription { get; init; }

    /// <summary>
    /// For <see cref="PromptOutputKind.ToolJson"/>: whether to force the tool with <c>toolChoice.tool</c> (default). Set it
    /// to <see langword="false"/> for models that reject a named tool choice; the tool is then offered with the model's
    /// default choice, and an answer without the tool call is a <see cref="PromptOutputFormatException"/>.
    /// </summary>
    public bool ForceToolChoice { get; init; } = true;

    /// <summary>
    /// Whether <c>PromptRunner.GetResultAsync</c> and <c>GetParsedResultAsync</c> stream the answer (ConverseStream) so that it can measure time
    /// to first token. <see langword="null"/> (default) decides from the model catalogue: streamed when the model streams
    /// (and, for <see cref="PromptOutputKind.ToolJson"/>, streams tool use); unknown models and ARNs use Converse.
    /// </summary>
    public bool? StreamResult { get; init; }

    /// <summary>
    /// The name of the A/B variant this definition is (<see cref="PromptVariantAttribute"/>), or <see langword="null"/> for a
    /// method's own definition. Reported as <see cref="PromptResult{T}.Variant"/> and in telemetry.
    /// </summary>
    public string? Variant { get; init; }

    /// <summary>This variant's share of calls relative to its siblings' weights (<see cref="PromptVariantAttribute.Weight"/>; default 1).</summary>
    public double VariantWeight { get; init; } = 1;

    /// <summary>
    /// The method's A/B variants, each a fully resolved definition with <see cref="Variant"/> set, or <see langword="null"/>
    /// when the method has none. When set, every call runs one of them, chosen by <see cref="PromptVariantSelector.Choose"/>;
    /// this definition's own settings are then never sent.
    /// </summary>
    public IReadOnlyList<PromptDefinition>? Variants { get; init; }

    /// <summary>The parsed schema (valid only when <see cref="JsonSchema"/> is set).</summary>
    internal JsonElement SchemaElement => _schemaElement;

    /// <summary>The response-cache key's hash of everything but the user message, computed on first use (see <see cref="ResponseCacheKey"/>).</summary>
    internal byte[]? CacheKeySeed { get; set; }

    private int _streamDecision; // 0 undecided, 1 stream, 2 converse

    /// <summary>Whether <see cref="PromptRunner"/> streams a call that returns a <see cref="PromptResult{T}"/>.</summary>
    internal bool ShouldStreamResult()
    {
        if (StreamResult is bool explicitChoice)
        {
            return explicitChoice;
        }

        int decision = _streamDecision;
        if (decision == 0)
        {
            ModelInfo? model = ModelCatalog.Default.Resolve(ModelId).Model;
            bool stream = model is not null && model.Streaming && (OutputKind != PromptOutputKind.ToolJson || model.StreamingToolUse);
            decision = stream ? 1 : 2;
            _streamDecision = decision;
        }

        return decision == 1;
    }

    /// <summary>A short name for messages: <c>IInvoiceReader.ExtractAsync</c>, or <c>IInvoiceReader.ExtractAsync [variant]</c>.</summary>
    public override string ToString() => Variant is null ? InterfaceName + "." + MethodName : InterfaceName + "." + MethodName + " [" + Variant + "]";
}
