using System.ComponentModel;
using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization.Metadata;

namespace PromptGen.Generated;

/// <summary>
/// What generated prompt clients call: builds the Converse request from a <see cref="PromptDefinition"/> and the rendered
/// user prompt, sends it through <see cref="IBedrockClient"/>, and turns the answer into the method's return type. Public
/// for generated code only; not meant to be used by hand (its shape may change with the generator).
/// </summary>
/// <remarks>
/// Every method is trimming- and AOT-safe: JSON is read only through the <see cref="JsonTypeInfo{T}"/> the generated code
/// passes, enums are parsed with the generic <see cref="Enum"/> APIs. Errors about the model's output are
/// <see cref="PromptOutputFormatException"/> or <see cref="PromptOutputTruncatedException"/>, never a bare
/// <see cref="JsonException"/>; failed calls are <see cref="BedrockException"/>s.
/// </remarks>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class PromptRunner
{
    /// <summary>The most prompt-cache checkpoints one request may hold (Bedrock's limit).</summary>
    public const int MaxCachePoints = 4;

    private const string DefaultToolDescription = "Return the answer as this tool's input, following its schema exactly.";

    // ---------------------------------------------------------------- text

    /// <summary>Sends the prompt with Converse and returns the answer's text.</summary>
    /// <param name="pipeline">The generated client's pipeline (Bedrock client, response cache, options).</param>
    /// <param name="definition">The method's definition.</param>
    /// <param name="userPrompt">The rendered user message.</param>
    /// <param name="staticPrefixLength">The length of the user message's static prefix to mark as cacheable (see <see cref="BuildRequest"/>).</param>
    /// <param name="renderStarted">When the generated code began rendering the template (<see cref="Stopwatch.GetTimestamp"/>), for the call's render phase in telemetry; 0 when unknown.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    public static async Task<string> GetTextAsync(
        PromptPipeline pipeline, PromptDefinition definition, string userPrompt, int staticPrefixLength, long renderStarted, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(pipeline);
        definition = PromptVariantSelector.Choose(definition, key: null);
        PromptOutcome<string> outcome = await pipeline.RunAsync(definition, userPrompt, staticPrefixLength, renderStarted, stream: false, static (_, answer) => answer.Text, cancellationToken).ConfigureAwait(false);
        return outcome.Value;
    }

    /// <summary>Sends the prompt with ConverseStream and yields the answer's text pieces as they arrive.</summary>
    /// <param name="pipeline">The generated client's pipeline (Bedrock client, response cache, options).</param>
    /// <param name="definition">The method's definition.</param>
    /// <param name="userPrompt">The rendered user message.</param>
    /// <param name="staticPrefixLength">The length of the user message's static prefix to mark as cacheable (see <see cref="BuildRequest"/>).</param>
    /// <param name="renderStarted">When the generated code began rendering the template (<see cref="Stopwatch.GetTimestamp"/>), for the call's render phase in telemetry; 0 when unknown.</param>
    /// <param name="cancellationToken">Cancels the call, including a stream in progress.</param>
    public static IAsyncEnumerable<string> StreamTextAsync(
        PromptPipeline pipeline, PromptDefinition definition, string userPrompt, int staticPrefixLength, long renderStarted, CancellationToken cancellationToken)
    {
        // Validate and build eagerly, so a bad argument fails at the call and not at the first MoveNextAsync.
        ArgumentNullException.ThrowIfNull(pipeline);
        definition = PromptVariantSelector.Choose(definition, key: null);
        ConverseRequest request = BuildRequest(definition, userPrompt, staticPrefixLength);
        return pipeline.StreamTextAsync(definition, request, userPrompt, renderStarted, cancellationToken);
    }

    // ---------------------------------------------------------------- structured values

    /// <summary>Sends the prompt with Converse and reads the answer as a <typeparamref name="T"/> (structured output).</summary>
    /// <typeparam name="T">The value type.</typeparam>
    /// <param name="pipeline">The generated client's pipeline (Bedrock client, response cache, options).</param>
    /// <param name="definition">The method's definition (<see cref="PromptDefinition.OutputKind"/> NativeJson or ToolJson).</param>
    /// <param name="userPrompt">The rendered user message.</param>
    /// <param name="staticPrefixLength">The length of the user message's static prefix to mark as cacheable (see <see cref="BuildRequest"/>).</param>
    /// <param name="renderStarted">When the generated code began rendering the template (<see cref="Stopwatch.GetTimestamp"/>), for the call's render phase in telemetry; 0 when unknown.</param>
    /// <param name="typeInfo">The source-generated JSON metadata of <typeparamref name="T"/>.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <exception cref="PromptOutputTruncatedException">The answer stopped at the token limit.</exception>
    /// <exception cref="PromptOutputFormatException">The answer is not valid JSON for <typeparamref name="T"/>.</exception>
    public static async Task<T> GetValueAsync<T>(
        PromptPipeline pipeline, PromptDefinition definition, string userPrompt, int staticPrefixLength, long renderStarted, JsonTypeInfo<T> typeInfo, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(pipeline);
        ArgumentNullException.ThrowIfNull(typeInfo);
        definition = PromptVariantSelector.Choose(definition, key: null);
        PromptOutcome<T> outcome = await pipeline.RunAsync(definition, userPrompt, staticPrefixLength, renderStarted, stream: false, (d, answer) => ReadValue(d, answer, typeInfo), cancellationToken).ConfigureAwait(false);
        return outcome.Value;
    }

    /// <summary>Sends the prompt with Converse and returns the answer's text converted by <paramref name="parse"/> (for example <see cref="ParseEnum{T}(string)"/>).</summary>
    /// <typeparam name="T">The value type.</typeparam>
    /// <param name="pipeline">The generated client's pipeline (Bedrock client, response cache, options).</param>
    /// <param name="definition">The method's definition (<see cref="PromptOutputKind.Text"/>).</param>
    /// <param name="userPrompt">The rendered user message.</param>
    /// <param name="staticPrefixLength">The length of the user message's static prefix to mark as cacheable (see <see cref="BuildRequest"/>).</param>
    /// <param name="renderStarted">When the generated code began rendering the template (<see cref="Stopwatch.GetTimestamp"/>), for the call's render phase in telemetry; 0 when unknown.</param>
    /// <param name="parse">Converts the answer's text.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    public static async Task<T> GetParsedValueAsync<T>(
        PromptPipeline pipeline, PromptDefinition definition, string userPrompt, int staticPrefixLength, long renderStarted, Func<string, T> parse, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(pipeline);
        ArgumentNullException.ThrowIfNull(parse);
        definition = PromptVariantSelector.Choose(definition, key: null);
        PromptOutcome<T> outcome = await pipeline.RunAsync(definition, userPrompt, staticPrefixLength, renderStarted, stream: false, (d, answer) => WithModel(d, () => parse(answer.Text)), cancellationToken).ConfigureAwait(false);
        return outcome.Value;
    }

    // ---------------------------------------------------------------- PromptResult<T>

    /// <summary>
    /// Sends the prompt and returns the value with usage, latency, stop reason, model, latency mode and whether the
    /// response cache served it. The call is streamed when <see cref="PromptDefinition.StreamResult"/> says so (by
    /// default when the model streams), which also measures <see cref="PromptResult{T}.TimeToFirstToken"/>.
    /// </summary>
    /// <typeparam name="T">The value type.</typeparam>
    /// <param name="pipeline">The generated client's pipeline (Bedrock client, response cache, options).</param>
    /// <param name="definition">The method's definition.</param>
    /// <param name="userPrompt">The rendered user message.</param>
    /// <param name="staticPrefixLength">The length of the user message's static prefix to mark as cacheable (see <see cref="BuildRequest"/>).</param>
    /// <param name="renderStarted">When the generated code began rendering the template (<see cref="Stopwatch.GetTimestamp"/>), for the call's render phase in telemetry; 0 when unknown.</param>
    /// <param name="typeInfo">The JSON metadata of <typeparamref name="T"/> for structured output; <see langword="null"/> when <typeparamref name="T"/> is <see cref="string"/> (the answer's text).</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <exception cref="PromptOutputTruncatedException">Structured output stopped at the token limit.</exception>
    /// <exception cref="PromptOutputFormatException">The answer is not valid JSON for <typeparamref name="T"/>.</exception>
    public static Task<PromptResult<T>> GetResultAsync<T>(
        PromptPipeline pipeline, PromptDefinition definition, string userPrompt, int staticPrefixLength, long renderStarted, JsonTypeInfo<T>? typeInfo, CancellationToken cancellationToken)
    {
        if (typeInfo is null && typeof(T) != typeof(string))
        {
            throw new ArgumentNullException(nameof(typeInfo), $"A JsonTypeInfo is required for PromptResult<{typeof(T).Name}>; only PromptResult<string> reads plain text.");
        }

        Func<PromptDefinition, PromptAnswer, T> read = typeInfo is null
            ? static (_, answer) => (T)(object)answer.Text
            : (d, answer) => ReadValue(d, answer, typeInfo);
        return GetResultCoreAsync(pipeline, definition, userPrompt, staticPrefixLength, renderStarted, read, cancellationToken);
    }

    /// <summary>
    /// Sends the prompt and returns the answer's text converted by <paramref name="parse"/> (for example
    /// <see cref="ParseEnum{T}(string)"/> for a classification), with usage, latency, stop reason, model and latency mode.
    /// A <see cref="PromptOutputFormatException"/> thrown by <paramref name="parse"/> gets the model ID filled in.
    /// </summary>
    /// <typeparam name="T">The value type.</typeparam>
    /// <param name="pipeline">The generated client's pipeline (Bedrock client, response cache, options).</param>
    /// <param name="definition">The method's definition (<see cref="PromptOutputKind.Text"/>).</param>
    /// <param name="userPrompt">The rendered user message.</param>
    /// <param name="staticPrefixLength">The length of the user message's static prefix to mark as cacheable (see <see cref="BuildRequest"/>).</param>
    /// <param name="renderStarted">When the generated code began rendering the template (<see cref="Stopwatch.GetTimestamp"/>), for the call's render phase in telemetry; 0 when unknown.</param>
    /// <param name="parse">Converts the answer's text.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    public static Task<PromptResult<T>> GetParsedResultAsync<T>(
        PromptPipeline pipeline, PromptDefinition definition, string userPrompt, int staticPrefixLength, long renderStarted, Func<string, T> parse, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(parse);
        return GetResultCoreAsync(pipeline, definition, userPrompt, staticPrefixLength, renderStarted, (d, answer) => WithModel(d, () => parse(answer.Text)), cancellationToken);
    }

    private static async Task<PromptResult<T>> GetResultCoreAsync<T>(
        PromptPipeline pipeline, PromptDefinition definition, string userPrompt, int staticPrefixLength, long renderStarted,
        Func<PromptDefinition, PromptAnswer, T> read, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(pipeline);
        ArgumentNullException.ThrowIfNull(definition);
        // A definition with variants passed by hand still runs one of them (generated code has chosen already).
        definition = PromptVariantSelector.Choose(definition, key: null);
        PromptOutcome<T> outcome = await pipeline.RunAsync(definition, userPrompt, staticPrefixLength, renderStarted, definition.ShouldStreamResult(), read, cancellationToken).ConfigureAwait(false);
        // A cache hit spent no tokens: the usage of the call that filled the cache is not this call's.
        PromptUsage usage = outcome.CacheHit ? PromptUsage.Empty : outcome.Answer.Usage;
        return new PromptResult<T>(outcome.Value)
        {
            Usage = usage,
            Variant = definition.Variant,
            EstimatedCost = outcome.CacheHit ? 0m : pipeline.Options.Prices.Estimate(definition.ModelId, usage, definition.CacheTtl),
            Latency = outcome.Latency,
            TimeToFirstToken = outcome.TimeToFirstToken,
            StopReason = outcome.Answer.StopReason,
            ModelId = definition.ModelId,
            LatencyMode = outcome.Answer.LatencyMode,
            CacheHit = outcome.CacheHit,
        };
    }

    // ---------------------------------------------------------------- enums

    /// <summary>
    /// Reads a classification label: the answer is trimmed and may carry quotes, backticks, markdown emphasis or a trailing
    /// period; names match case-insensitively and ignoring spaces, hyphens and underscores (<c>credit note</c> matches
    /// <c>CreditNote</c>). When the whole answer is no label, its first line and then its first word are tried. Numbers
    /// are never accepted.
    /// </summary>
    /// <typeparam name="T">The enum type.</typeparam>
    /// <param name="text">The model's answer.</param>
    /// <exception cref="PromptOutputFormatException">No label matched; the message and <see cref="PromptOutputFormatException.AllowedValues"/> list the names.</exception>
    public static T ParseEnum<T>(string text)
        where T : struct, Enum
    {
        if (TryParseEnum(text, out T value))
        {
            return value;
        }

        string shown = text is null ? "(nothing)" : text.Length > 200 ? string.Concat("\"", text.AsSpan(0, 200), "…\"") : "\"" + text + "\"";
        throw new PromptOutputFormatException(
            $"The model answered {shown}, which is none of the labels of {typeof(T).Name}: {string.Join(", ", EnumLabels<T>.Names)}.",
            null, text ?? string.Empty, typeof(T), allowedValues: EnumLabels<T>.ReadOnlyNames);
    }

    /// <summary>Tries to read a classification label the way <see cref="ParseEnum{T}(string)"/> does.</summary>
    /// <typeparam name="T">The enum type.</typeparam>
    /// <param name="text">The model's answer.</param>
    /// <param name="value">The label, when one matched.</param>
    public static bool TryParseEnum<T>(string? text, out T value)
        where T : struct, Enum
    {
        value = default;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        string whole = CleanLabel(text);
        if (MatchLabel(whole, out value))
        {
            return true;
        }

        string trimmed = text.Trim();
        int newline = trimmed.IndexOfAny(['\r', '\n']);
        if (newline > 0 && MatchLabel(CleanLabel(trimmed[..newline]), out value))
        {
            return true;
        }

        int space = whole.IndexOfAny([' ', '\t', '\r', '\n', ',', ';', ':']);
        if (space > 0 && MatchLabel(CleanLabel(whole[..space]), out value))
        {
            // "Invoice, Receipt" names two labels: refuse rather than guess. Another label counts when written exactly
            // as declared, so prose such as "Receipt - unlike other documents" still reads as Receipt.
            int lineEnd = whole.IndexOfAny(['\r', '\n']);
            string firstLine = lineEnd < 0 ? whole : whole[..lineEnd];
            string chosen = EnumLabels<T>.Names[Array.IndexOf(EnumLabels<T>.Values, value)];
            foreach (string word in firstLine[space..].Split(WordSeparators, StringSplitOptions.RemoveEmptyEntries))
            {
                if (!string.Equals(word, chosen, StringComparison.Ordinal) && Array.IndexOf(EnumLabels<T>.Names, word) >= 0)
                {
                    value = default;
                    return false;
                }
            }

            return true;
        }

        value = default;
        return false;
    }

    private static readonly char[] WordSeparators =
        [' ', '\t', ',', ';', ':', '.', '!', '?', '/', '"', '\'', '`', '*', '(', ')', '[', ']', '-', '\u201C', '\u201D'];

    private static readonly char[] LabelNoise =
        ['"', '\'', '`', '*', '_', '.', '!', '?', ',', ';', ':', '(', ')', '[', ']', '{', '}', '<', '>', '\u201C', '\u201D', '\u2018', '\u2019'];

    private static string CleanLabel(string text)
    {
        string current = text.Trim();
        while (true)
        {
            string next = current.Trim(LabelNoise).Trim();
            if (next.Length == current.Length)
            {
                return next;
            }

            current = next;
        }
    }

    private static bool MatchLabel<T>(string candidate, out T value)
        where T : struct, Enum
    {
        value = default;
        if (candidate.Length == 0 || char.IsDigit(candidate[0]) || candidate[0] is '-' or '+')
        {
            return false;
        }

        if (candidate.IndexOf(',') < 0 && Enum.TryParse(candidate, ignoreCase: true, out value) && Enum.IsDefined(value))
        {
            return true;
        }

        string normalized = NormalizeLabel(candidate);
        string[] names = EnumLabels<T>.Normalized;
        for (int i = 0; i < names.Length; i++)
        {
            if (string.Equals(names[i], normalized, StringComparison.OrdinalIgnoreCase))
            {
                value = EnumLabels<T>.Values[i];
                return true;
            }
        }

        value = default;
        return false;
    }

    private static string NormalizeLabel(string text)
    {
        var builder = new StringBuilder(text.Length);
        foreach (char c in text)
        {
            if (c is not (' ' or '_' or '-'))
            {
                builder.Append(c);
            }
        }

        return builder.ToString();
    }

    private static class EnumLabels<T>
        where T : struct, Enum
    {
        public static readonly string[] Names = Enum.GetNames<T>();
        public static readonly T[] Values = Enum.GetValues<T>();
        public static readonly string[] Normalized = Array.ConvertAll(Names, NormalizeLabel);
        public static readonly IReadOnlyList<string> ReadOnlyNames = Array.AsReadOnly(Names);
    }

    // ---------------------------------------------------------------- request building

    /// <summary>
    /// Builds the Converse request of one call: the system prompt (followed by a cache checkpoint when
    /// <see cref="PromptDefinition.CachePrompt"/>), the user message (split into static prefix, checkpoint and rest when
    /// <paramref name="staticPrefixLength"/> &gt; 0 and caching is on), <c>inferenceConfig</c> with only the values that
    /// are set, top-k at <see cref="PromptDefinition.TopKField"/> inside <c>additionalModelRequestFields</c>,
    /// <c>performanceConfig</c> when latency-optimized, and the structured-output contract (<c>outputConfig</c> for
    /// <see cref="PromptOutputKind.NativeJson"/>, one forced tool for <see cref="PromptOutputKind.ToolJson"/>). At most
    /// <see cref="MaxCachePoints"/> checkpoints.
    /// </summary>
    /// <param name="definition">The method's definition.</param>
    /// <param name="userPrompt">The rendered user message.</param>
    /// <param name="staticPrefixLength">
    /// How many leading characters of <paramref name="userPrompt"/> are the same on every call (the template's literal
    /// prefix); 0 for none. Used only with <see cref="PromptDefinition.CachePrompt"/>.
    /// </param>
    /// <exception cref="InvalidOperationException">The definition is inconsistent (no model, a top-k without its field, structured output without a schema).</exception>
    public static ConverseRequest BuildRequest(PromptDefinition definition, string userPrompt, int staticPrefixLength = 0)
    {
        ArgumentNullException.ThrowIfNull(definition);
        ArgumentNullException.ThrowIfNull(userPrompt);
        ArgumentOutOfRangeException.ThrowIfNegative(staticPrefixLength);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(staticPrefixLength, userPrompt.Length);
        if (string.IsNullOrEmpty(definition.ModelId))
        {
            throw new InvalidOperationException($"The prompt definition {definition} has no model ID.");
        }

        var request = new ConverseRequest();
        int cachePoints = 0;

        if (!string.IsNullOrEmpty(definition.SystemPrompt))
        {
            var system = new List<SystemContentBlock>(2) { SystemContentBlock.FromText(definition.SystemPrompt) };
            if (definition.CachePrompt && cachePoints < MaxCachePoints)
            {
                system.Add(new SystemContentBlock { CachePoint = CachePoint(definition) });
                cachePoints++;
            }

            request.System = system;
        }

        List<ContentBlock> content;
        string prefix = userPrompt[..staticPrefixLength];
        if (definition.CachePrompt && staticPrefixLength > 0 && !string.IsNullOrWhiteSpace(prefix) && cachePoints < MaxCachePoints)
        {
            string rest = userPrompt[staticPrefixLength..];
            content = string.IsNullOrWhiteSpace(rest)
                ? [ContentBlock.FromText(userPrompt), new ContentBlock { CachePoint = CachePoint(definition) }]
                : [ContentBlock.FromText(prefix), new ContentBlock { CachePoint = CachePoint(definition) }, ContentBlock.FromText(rest)];
            cachePoints++;
        }
        else
        {
            content = [ContentBlock.FromText(userPrompt)];
        }

        request.Messages = [new Message(ConversationRole.User, content)];

        int? maxTokens = definition.MaxTokens > 0 ? definition.MaxTokens : null;
        IList<string>? stops = definition.StopSequences is { Count: > 0 } s ? new List<string>(s) : null;
        if (maxTokens is not null || definition.Temperature is not null || definition.TopP is not null || stops is not null)
        {
            request.InferenceConfig = new InferenceConfiguration
            {
                MaxTokens = maxTokens,
                Temperature = definition.Temperature,
                TopP = definition.TopP,
                StopSequences = stops,
            };
        }

        if (definition.TopK is int topK)
        {
            if (string.IsNullOrEmpty(definition.TopKField))
            {
                throw new InvalidOperationException($"The prompt definition {definition} sets TopK but not TopKField, so it is unknown where the model takes top-k.");
            }

            var fields = new JsonObject();
            BedrockJson.ParentOf(fields, definition.TopKField, out string name)[name] = topK;
            request.AdditionalModelRequestFields = fields;
        }

        if (definition.LatencyOptimized)
        {
            request.PerformanceConfig = PerformanceConfiguration.Optimized;
        }

        switch (definition.OutputKind)
        {
            case PromptOutputKind.NativeJson:
                request.OutputConfig = OutputConfiguration.JsonSchema(RequireSchema(definition));
                break;
            case PromptOutputKind.ToolJson:
                RequireSchema(definition);
                request.ToolConfig = new ToolConfiguration
                {
                    Tools = [Tool.FromSpec(definition.ToolName, definition.ToolDescription ?? DefaultToolDescription, JsonObject.Create(definition.SchemaElement)!)],
                    ToolChoice = definition.ForceToolChoice ? ToolChoice.ForTool(definition.ToolName) : null,
                };
                break;
        }

        return request;
    }

    private static CachePointBlock CachePoint(PromptDefinition definition) => new() { Ttl = definition.CacheTtl };

    private static string RequireSchema(PromptDefinition definition) =>
        definition.JsonSchema ?? throw new InvalidOperationException($"The prompt definition {definition} asks for structured output but has no JSON schema.");

    // ---------------------------------------------------------------- reading structured output

    private static T WithModel<T>(PromptDefinition definition, Func<T> parse)
    {
        try
        {
            return parse();
        }
        catch (PromptOutputFormatException e) when (e.ModelId is null)
        {
            throw new PromptOutputFormatException(e.Message, definition.ModelId, e.RawText, e.TargetType, e.JsonError, e.AllowedValues);
        }
    }

    /// <summary>Reads a structured value out of an answer (internal so tests can reach it).</summary>
    internal static T ReadValue<T>(PromptDefinition definition, PromptAnswer answer, JsonTypeInfo<T> typeInfo)
    {
        string raw;
        string json;
        if (definition.OutputKind == PromptOutputKind.ToolJson)
        {
            if (!answer.ToolCalled)
            {
                if (answer.StopReason == StopReason.MaxTokens)
                {
                    throw new PromptOutputTruncatedException(definition.ModelId, answer.Text, definition.MaxTokens);
                }

                throw new PromptOutputFormatException(
                    $"{definition}: the model answered with text instead of calling the tool '{definition.ToolName}' (stop reason {answer.StopReason}).",
                    definition.ModelId, answer.Text, typeof(T));
            }

            raw = answer.ToolInputJson ?? string.Empty;
            json = raw;
        }
        else
        {
            raw = answer.Text;
            json = StripCodeFence(raw);
        }

        if (answer.StopReason == StopReason.MaxTokens)
        {
            throw new PromptOutputTruncatedException(definition.ModelId, raw, definition.MaxTokens);
        }

        T? value;
        try
        {
            value = Deserialize(json, definition.JsonSchemaIsWrapped, typeInfo);
        }
        catch (JsonException e)
        {
            throw new PromptOutputFormatException(
                $"{definition}: the model's answer is not valid JSON for {typeof(T).Name}: {e.Message}", definition.ModelId, raw, typeof(T), e);
        }

        if (value is null)
        {
            throw new PromptOutputFormatException(
                $"{definition}: the model answered JSON null where a {typeof(T).Name} was required.", definition.ModelId, raw, typeof(T));
        }

        return value;
    }

    private static T? Deserialize<T>(string json, bool wrapped, JsonTypeInfo<T> typeInfo)
    {
        if (!wrapped)
        {
            return JsonSerializer.Deserialize(json, typeInfo);
        }

        using JsonDocument document = JsonDocument.Parse(json, new JsonDocumentOptions { MaxDepth = typeInfo.Options.MaxDepth > 0 ? typeInfo.Options.MaxDepth : 64 });
        JsonElement root = document.RootElement;
        // The schema asks for {"value": …}; a model that answers with the bare value is forgiven.
        JsonElement inner = root.ValueKind == JsonValueKind.Object && root.TryGetProperty("value"u8, out JsonElement v) ? v : root;
        return inner.Deserialize(typeInfo);
    }

    /// <summary>The JSON inside an answer: trimmed, and taken from inside a Markdown code fence (<c>```json … ```</c>) when there is one.</summary>
    internal static string StripCodeFence(string text)
    {
        string trimmed = text.Trim();
        int fence = trimmed.IndexOf("```", StringComparison.Ordinal);
        if (fence < 0)
        {
            return trimmed;
        }

        int bodyStart = trimmed.IndexOf('\n', fence + 3);
        if (bodyStart < 0)
        {
            return trimmed;
        }

        int end = trimmed.IndexOf("```", bodyStart + 1, StringComparison.Ordinal);
        return (end < 0 ? trimmed[(bodyStart + 1)..] : trimmed[(bodyStart + 1)..end]).Trim();
    }
}
