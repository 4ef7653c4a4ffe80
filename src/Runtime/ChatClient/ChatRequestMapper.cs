using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.AI;

namespace PromptGen;

/// <summary>
/// Turns Microsoft.Extensions.AI messages and options into a Converse request. One instance maps one request (it
/// numbers unnamed documents).
/// </summary>
internal sealed class ChatRequestMapper
{
    private const string JsonOnlyInstruction = "Respond only with a JSON value, with no other text before or after it.";

    private readonly string _modelId;
    private readonly ModelInfo? _model;
    private int _unnamedDocuments;

    private ChatRequestMapper(string modelId)
    {
        _modelId = modelId;
        _model = ModelCatalog.Default.Resolve(modelId).Model;
    }

    /// <summary>
    /// Builds the request. <paramref name="start"/> (from <see cref="ChatOptions.RawRepresentationFactory"/>) is the base:
    /// messages, system blocks and tools are appended to it, and option values fill only fields it leaves unset.
    /// </summary>
    /// <exception cref="NotSupportedException">Content or an option Bedrock cannot take (an unsupported media type, top-k for a model with no known top-k field).</exception>
    /// <exception cref="ArgumentException">An <see cref="ChatOptions.AdditionalProperties"/> value of the wrong type.</exception>
    public static ConverseRequest Build(ConverseRequest? start, IEnumerable<ChatMessage> messages, ChatOptions? options, string modelId) =>
        new ChatRequestMapper(modelId).Map(start ?? new ConverseRequest(), messages, options);

    private ConverseRequest Map(ConverseRequest request, IEnumerable<ChatMessage> messages, ChatOptions? options)
    {
        List<SystemContentBlock> system = request.System is { } existingSystem ? new(existingSystem) : new();
        List<Message> conversation = request.Messages is { } existingMessages ? new(existingMessages) : new();

        if (!string.IsNullOrEmpty(options?.Instructions))
        {
            system.Add(SystemContentBlock.FromText(options.Instructions));
        }

        foreach (ChatMessage message in messages)
        {
            if (message is null)
            {
                continue;
            }

            if (message.Role == ChatRole.System)
            {
                AddSystem(system, message);
                continue;
            }

            List<ContentBlock> blocks = ToBlocks(message.Contents, message.Role == ChatRole.Assistant);
            if (blocks.Count == 0)
            {
                continue;
            }

            string role = message.Role == ChatRole.Assistant ? ConversationRole.Assistant : ConversationRole.User;

            // Tool results come in their own "tool" message, but Bedrock wants them in the user turn that follows the
            // tool call, and alternating roles: consecutive turns of one role become one message.
            if (conversation.Count > 0 && conversation[^1].Role == role)
            {
                foreach (ContentBlock block in blocks)
                {
                    conversation[^1].Content.Add(block);
                }
            }
            else
            {
                conversation.Add(new Message(role, blocks));
            }
        }

        request.Messages = conversation;

        if (options is not null)
        {
            ApplyInference(request, options);
            ApplyTools(request, options, conversation);
            ApplyResponseFormat(request, options, system);
            ApplyAdditionalProperties(request, options, system);
        }

        request.System = system.Count > 0 ? system : null;
        return request;
    }

    // ---------------------------------------------------------------- options

    private void ApplyInference(ConverseRequest request, ChatOptions options)
    {
        InferenceConfiguration? config = request.InferenceConfig;
        if (options.MaxOutputTokens is int maxTokens)
        {
            (config ??= new()).MaxTokens ??= maxTokens;
        }

        if (options.Temperature is float temperature)
        {
            (config ??= new()).Temperature ??= temperature;
        }

        if (options.TopP is float topP)
        {
            (config ??= new()).TopP ??= topP;
        }

        if (options.StopSequences is { Count: > 0 } stops)
        {
            (config ??= new()).StopSequences ??= new List<string>(stops);
        }

        request.InferenceConfig = config;

        if (options.TopK is int topK)
        {
            // Converse has no top-k field: it goes into the model's native request at the path the catalogue gives.
            string field = _model?.TopKField ?? throw new NotSupportedException(
                $"ChatOptions.TopK cannot be sent to '{_modelId}': the model catalogue knows no top-k field for it. " +
                $"If the model takes one, send it through AdditionalProperties[\"{BedrockChatProperties.AdditionalModelRequestFields}\"].");
            JsonObject fields = request.AdditionalModelRequestFields ??= new JsonObject();
            JsonObject parent = BedrockJson.ParentOf(fields, field, out string name);
            if (!parent.ContainsKey(name))
            {
                parent[name] = topK;
            }
        }
    }

    private static void ApplyTools(ConverseRequest request, ChatOptions options, List<Message> conversation)
    {
        var functions = new List<Tool>();
        if (options.Tools is { Count: > 0 } tools)
        {
            foreach (AITool tool in tools)
            {
                // Hosted tools (web search, code interpreter, …) have no Converse equivalent: Bedrock only takes toolSpecs.
                if (tool is AIFunctionDeclaration function)
                {
                    functions.Add(Tool.FromSpec(function.Name, string.IsNullOrEmpty(function.Description) ? null : function.Description, ToSchema(function.JsonSchema)));
                }
            }
        }

        // Bedrock has no "none" tool choice; leaving the tools out is the way to forbid calls. A conversation that
        // already holds toolUse/toolResult blocks must still declare them, so there they stay.
        if (options.ToolMode is NoneChatToolMode && !HasToolBlocks(conversation))
        {
            functions.Clear();
        }

        if (functions.Count > 0)
        {
            ToolConfiguration config = request.ToolConfig ??= new ToolConfiguration();
            config.Tools = config.Tools is { } existing ? new List<Tool>(existing) : new List<Tool>();
            foreach (Tool tool in functions)
            {
                config.Tools.Add(tool);
            }
        }

        if (request.ToolConfig is { Tools.Count: > 0 } toolConfig && toolConfig.ToolChoice is null)
        {
            toolConfig.ToolChoice = options.ToolMode switch
            {
                RequiredChatToolMode { RequiredFunctionName: { } name } => ToolChoice.ForTool(name),
                RequiredChatToolMode => ToolChoice.ForAny(),
                AutoChatToolMode => ToolChoice.ForAuto(),
                _ => null,
            };
        }
    }

    private void ApplyResponseFormat(ConverseRequest request, ChatOptions options, List<SystemContentBlock> system)
    {
        if (options.ResponseFormat is not ChatResponseFormatJson json || request.OutputConfig?.TextFormat is not null)
        {
            return;
        }

        // Native structured output where the catalogue says the model has it (and for models it does not know, such
        // as application inference profiles, where Bedrock is the judge); otherwise the schema goes into the system prompt.
        if (json.Schema is { } schema && (_model is null || _model.NativeStructuredOutput))
        {
            (request.OutputConfig ??= new OutputConfiguration()).TextFormat =
                OutputConfiguration.JsonSchema(schema.GetRawText(), json.SchemaName, json.SchemaDescription).TextFormat;
            return;
        }

        system.Add(SystemContentBlock.FromText(json.Schema is { } s
            ? "Respond only with a JSON value that conforms to this JSON schema, with no other text before or after it:\n" + s.GetRawText()
            : JsonOnlyInstruction));
    }

    private static void ApplyAdditionalProperties(ConverseRequest request, ChatOptions options, List<SystemContentBlock> system)
    {
        if (options.AdditionalProperties is not { Count: > 0 } properties)
        {
            return;
        }

        if (properties.TryGetValue(BedrockChatProperties.PerformanceConfig, out object? performance) && performance is not null)
        {
            request.PerformanceConfig ??= performance as PerformanceConfiguration
                ?? new PerformanceConfiguration { Latency = AsString(performance, BedrockChatProperties.PerformanceConfig) };
        }

        if (properties.TryGetValue(BedrockChatProperties.ServiceTier, out object? tier) && tier is not null)
        {
            request.ServiceTier ??= tier as ServiceTier ?? new ServiceTier { Type = AsString(tier, BedrockChatProperties.ServiceTier) };
        }

        if (properties.TryGetValue(BedrockChatProperties.GuardrailConfig, out object? guardrail) && guardrail is not null)
        {
            request.GuardrailConfig ??= guardrail as GuardrailConfiguration
                ?? throw WrongType(BedrockChatProperties.GuardrailConfig, guardrail, nameof(GuardrailConfiguration));
        }

        if (properties.TryGetValue(BedrockChatProperties.RequestMetadata, out object? metadata) && metadata is not null)
        {
            if (metadata is not IEnumerable<KeyValuePair<string, string>> pairs)
            {
                throw WrongType(BedrockChatProperties.RequestMetadata, metadata, "IEnumerable<KeyValuePair<string, string>>");
            }

            request.RequestMetadata ??= new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (KeyValuePair<string, string> pair in pairs)
            {
                request.RequestMetadata.TryAdd(pair.Key, pair.Value);
            }
        }

        if (properties.TryGetValue(BedrockChatProperties.AdditionalModelRequestFields, out object? fields) && fields is not null)
        {
            JsonObject extra = fields switch
            {
                JsonObject o => (JsonObject)o.DeepClone(),
                JsonElement { ValueKind: JsonValueKind.Object } e => JsonObject.Create(e)!,
                _ => throw WrongType(BedrockChatProperties.AdditionalModelRequestFields, fields, "JsonObject or a JSON-object JsonElement"),
            };
            request.AdditionalModelRequestFields = Merge(request.AdditionalModelRequestFields, extra);
        }

        if (properties.TryGetValue(BedrockChatProperties.AdditionalModelResponseFieldPaths, out object? paths) && paths is not null)
        {
            request.AdditionalModelResponseFieldPaths ??= paths switch
            {
                string single => [single],
                IEnumerable<string> many => new List<string>(many),
                JsonElement { ValueKind: JsonValueKind.Array } array => array.EnumerateArray().Select(p => p.GetString() ?? string.Empty).ToList(),
                _ => throw WrongType(BedrockChatProperties.AdditionalModelResponseFieldPaths, paths, "IEnumerable<string>"),
            };
        }

        if (properties.TryGetValue(BedrockChatProperties.Effort, out object? effort) && effort is not null)
        {
            (request.OutputConfig ??= new OutputConfiguration()).Effort ??= AsString(effort, BedrockChatProperties.Effort);
        }

        if (properties.TryGetValue(BedrockChatProperties.PromptCaching, out object? caching) && caching is not null)
        {
            string? ttl = caching switch
            {
                true => null,
                false => string.Empty,
                JsonElement { ValueKind: JsonValueKind.True } => null,
                JsonElement { ValueKind: JsonValueKind.False } => string.Empty,
                _ => AsString(caching, BedrockChatProperties.PromptCaching),
            };
            if (ttl != string.Empty)
            {
                AddCachePoints(request, system, ttl);
            }
        }
    }

    /// <summary>A checkpoint after the system prompt and one after the tools: the stable prefix of a chat.</summary>
    private static void AddCachePoints(ConverseRequest request, List<SystemContentBlock> system, string? ttl)
    {
        if (system.Count > 0 && system[^1].CachePoint is null)
        {
            system.Add(new SystemContentBlock { CachePoint = new CachePointBlock { Ttl = ttl } });
        }

        if (request.ToolConfig is { Tools: { Count: > 0 } tools } && tools[^1].CachePoint is null)
        {
            tools.Add(new Tool { CachePoint = new CachePointBlock { Ttl = ttl } });
        }
    }

    // ---------------------------------------------------------------- messages

    private static void AddSystem(List<SystemContentBlock> system, ChatMessage message)
    {
        foreach (AIContent content in message.Contents)
        {
            switch (content)
            {
                case TextContent { Text: { Length: > 0 } text }:
                    system.Add(SystemContentBlock.FromText(text));
                    break;
                case { RawRepresentation: SystemContentBlock raw }:
                    system.Add(raw);
                    break;
                case { RawRepresentation: ContentBlock { CachePoint: { } cachePoint } }:
                    system.Add(new SystemContentBlock { CachePoint = cachePoint });
                    break;
            }
        }
    }

    private List<ContentBlock> ToBlocks(IList<AIContent> contents, bool assistant)
    {
        var blocks = new List<ContentBlock>(contents.Count);
        ReasoningRun reasoning = default;
        foreach (AIContent content in contents)
        {
            if (content is TextReasoningContent { RawRepresentation: not ContentBlock } piece)
            {
                // Streamed reasoning arrives as text pieces then a signature piece; Bedrock wants them back as one block.
                reasoning.Add(piece);
                continue;
            }

            if (assistant)
            {
                reasoning.FlushTo(blocks);
            }
            else
            {
                reasoning = default;
            }

            switch (content)
            {
                case TextContent text:
                    if (!string.IsNullOrEmpty(text.Text))
                    {
                        blocks.Add(ContentBlock.FromText(text.Text));
                    }

                    break;
                case TextReasoningContent { RawRepresentation: ContentBlock raw }:
                    if (assistant)
                    {
                        blocks.Add(raw);
                    }

                    break;
                case DataContent data:
                    blocks.Add(FromMedia(data.MediaType, data.Name, data.Data.ToArray(), null));
                    break;
                case UriContent uri:
                    if (!string.Equals(uri.Uri.Scheme, "s3", StringComparison.OrdinalIgnoreCase))
                    {
                        throw new NotSupportedException($"Bedrock takes media by value or from S3 only, not from '{uri.Uri}'. Load it into a DataContent.");
                    }

                    blocks.Add(FromMedia(uri.MediaType, null, null, new S3Location { Uri = uri.Uri.OriginalString }));
                    break;
                case FunctionCallContent call:
                    blocks.Add(ContentBlock.FromToolUse(call.CallId, call.Name, ToArguments(call.Arguments)));
                    break;
                case FunctionResultContent result:
                    blocks.Add(ToToolResult(result));
                    break;
                case { RawRepresentation: ContentBlock raw } when content.GetType() == typeof(AIContent):
                    // The escape hatch for blocks M.E.AI has no content type for (cache points, guard content, …).
                    blocks.Add(raw);
                    break;
            }
        }

        if (assistant)
        {
            reasoning.FlushTo(blocks);
        }

        return blocks;
    }

    private ContentBlock FromMedia(string mediaType, string? name, byte[]? bytes, S3Location? s3)
    {
        string type = mediaType.ToLowerInvariant();
        int semicolon = type.IndexOf(';', StringComparison.Ordinal);
        if (semicolon >= 0)
        {
            type = type[..semicolon].Trim();
        }

        if (ImageFormatOf(type) is { } image)
        {
            return new ContentBlock { Image = new ImageBlock { Format = image, Source = new ImageSource { Bytes = bytes, S3Location = s3 } } };
        }

        if (DocumentFormatOf(type) is { } document)
        {
            return new ContentBlock
            {
                Document = new DocumentBlock { Format = document, Name = DocumentName(name), Source = new DocumentSource { Bytes = bytes, S3Location = s3 } },
            };
        }

        if (VideoFormatOf(type) is { } video)
        {
            return new ContentBlock { Video = new VideoBlock { Format = video, Source = new MediaSource { Bytes = bytes, S3Location = s3 } } };
        }

        if (AudioFormatOf(type) is { } audio)
        {
            return new ContentBlock { Audio = new AudioBlock { Format = audio, Source = new MediaSource { Bytes = bytes, S3Location = s3 } } };
        }

        throw new NotSupportedException($"Bedrock Converse takes no content of media type '{mediaType}' (images: png, jpeg, gif, webp; documents: pdf, csv, doc, docx, xls, xlsx, html, txt, md; video; audio).");
    }

    /// <summary>
    /// Bedrock accepts document names of letters, digits, single spaces, hyphens, parentheses and square brackets:
    /// anything else (the dot of an extension, underscores) becomes a space.
    /// </summary>
    private string DocumentName(string? name)
    {
        if (!string.IsNullOrWhiteSpace(name))
        {
            int dot = name.LastIndexOf('.');
            string stem = dot > 0 ? name[..dot] : name;
            var chars = new System.Text.StringBuilder(stem.Length);
            foreach (char c in stem)
            {
                bool allowed = char.IsAsciiLetterOrDigit(c) || c is '-' or '(' or ')' or '[' or ']';
                char next = allowed ? c : ' ';
                if (next != ' ' || (chars.Length > 0 && chars[^1] != ' '))
                {
                    chars.Append(next);
                }
            }

            string cleaned = chars.ToString().Trim();
            if (cleaned.Length > 0)
            {
                return cleaned.Length > 200 ? cleaned[..200] : cleaned;
            }
        }

        _unnamedDocuments++;
        return "document-" + _unnamedDocuments.ToString(System.Globalization.CultureInfo.InvariantCulture);
    }

    private static ContentBlock ToToolResult(FunctionResultContent result)
    {
        JsonNode? value = ToNode(result.Result);
        ToolResultContentBlock content = result.Result switch
        {
            string text => new ToolResultContentBlock { Text = text },
            _ when value is JsonObject json => new ToolResultContentBlock { Json = json },

            // AIFunctions hand back their return value serialized, so a string result arrives as a JSON string.
            _ when value is JsonValue scalar && scalar.GetValueKind() == JsonValueKind.String => new ToolResultContentBlock { Text = scalar.GetValue<string>() },

            // Text is the one result form every Bedrock model takes; non-object JSON goes as its JSON text.
            _ => new ToolResultContentBlock { Text = value?.ToJsonString() ?? "null" },
        };
        return new ContentBlock
        {
            ToolResult = new ToolResultBlock
            {
                ToolUseId = result.CallId,
                Content = [content],
                Status = result.Exception is null ? ToolResultStatus.Success : ToolResultStatus.Error,
            },
        };
    }

    private static JsonObject ToArguments(IDictionary<string, object?>? arguments)
    {
        var input = new JsonObject();
        if (arguments is not null)
        {
            foreach (KeyValuePair<string, object?> argument in arguments)
            {
                input[argument.Key] = ToNode(argument.Value);
            }
        }

        return input;
    }

    /// <summary>Any value to JSON, through M.E.AI's own serializer options (source-generated for its types, so AOT-safe).</summary>
    internal static JsonNode? ToNode(object? value) => value switch
    {
        null => null,
        JsonNode node => node.DeepClone(),
        JsonElement { ValueKind: JsonValueKind.Undefined } => null,
        JsonElement element => JsonNode.Parse(element.GetRawText()),
        string text => JsonValue.Create(text),
        _ => JsonSerializer.SerializeToNode(value, AIJsonUtilities.DefaultOptions.GetTypeInfo(value.GetType())),
    };

    private static JsonNode ToSchema(JsonElement schema) =>
        schema.ValueKind == JsonValueKind.Object
            ? JsonNode.Parse(schema.GetRawText())!
            : new JsonObject { ["type"] = "object", ["properties"] = new JsonObject() };

    private static bool HasToolBlocks(List<Message> conversation)
    {
        foreach (Message message in conversation)
        {
            foreach (ContentBlock block in message.Content)
            {
                if (block.ToolUse is not null || block.ToolResult is not null)
                {
                    return true;
                }
            }
        }

        return false;
    }

    // ---------------------------------------------------------------- helpers

    /// <summary>Deep-merges <paramref name="overlay"/> into <paramref name="target"/>; the overlay wins on conflicts.</summary>
    private static JsonObject Merge(JsonObject? target, JsonObject overlay)
    {
        if (target is null)
        {
            return overlay;
        }

        foreach ((string key, JsonNode? value) in overlay.ToList())
        {
            overlay.Remove(key);
            if (value is JsonObject child && target[key] is JsonObject existing)
            {
                Merge(existing, child);
            }
            else
            {
                target[key] = value;
            }
        }

        return target;
    }

    private static string AsString(object value, string key) => value switch
    {
        string s => s,
        JsonElement { ValueKind: JsonValueKind.String } e => e.GetString()!,
        _ => throw WrongType(key, value, "string"),
    };

    private static ArgumentException WrongType(string key, object value, string expected) =>
        new($"ChatOptions.AdditionalProperties[\"{key}\"] must be a {expected}, not {value.GetType().Name}.", "options");

    private static string? ImageFormatOf(string mediaType) => mediaType switch
    {
        "image/png" => PromptGen.ImageFormat.Png,
        "image/jpeg" or "image/jpg" => PromptGen.ImageFormat.Jpeg,
        "image/gif" => PromptGen.ImageFormat.Gif,
        "image/webp" => PromptGen.ImageFormat.Webp,
        _ => null,
    };

    private static string? DocumentFormatOf(string mediaType) => mediaType switch
    {
        "application/pdf" => PromptGen.DocumentFormat.Pdf,
        "text/csv" => PromptGen.DocumentFormat.Csv,
        "application/msword" => PromptGen.DocumentFormat.Doc,
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document" => PromptGen.DocumentFormat.Docx,
        "application/vnd.ms-excel" => PromptGen.DocumentFormat.Xls,
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" => PromptGen.DocumentFormat.Xlsx,
        "text/html" => PromptGen.DocumentFormat.Html,
        "text/plain" => PromptGen.DocumentFormat.Txt,
        "text/markdown" => PromptGen.DocumentFormat.Md,
        _ => null,
    };

    private static string? VideoFormatOf(string mediaType) => mediaType switch
    {
        "video/x-matroska" => "mkv",
        "video/quicktime" => "mov",
        "video/mp4" => "mp4",
        "video/webm" => "webm",
        "video/x-flv" => "flv",
        "video/mpeg" => "mpeg",
        "video/x-ms-wmv" => "wmv",
        "video/3gpp" => "three_gp",
        _ => null,
    };

    private static string? AudioFormatOf(string mediaType) => mediaType switch
    {
        "audio/mpeg" or "audio/mp3" => "mp3",
        "audio/wav" or "audio/x-wav" or "audio/wave" => "wav",
        "audio/flac" => "flac",
        "audio/ogg" => "ogg",
        _ => null,
    };

    /// <summary>Consecutive reasoning pieces of one assistant turn, joined into one reasoning block.</summary>
    private struct ReasoningRun
    {
        private System.Text.StringBuilder? _text;
        private string? _protectedData;

        public void Add(TextReasoningContent piece)
        {
            if (!string.IsNullOrEmpty(piece.Text))
            {
                (_text ??= new System.Text.StringBuilder()).Append(piece.Text);
            }

            _protectedData = piece.ProtectedData ?? _protectedData;
        }

        /// <summary>
        /// Emits the block: signed text, or redacted content (no text, the base64 data in ProtectedData). Unsigned
        /// reasoning is left out: Bedrock refuses reasoning it cannot verify, and it is not part of the answer.
        /// </summary>
        public void FlushTo(List<ContentBlock> blocks)
        {
            string? text = _text?.ToString();
            string? data = _protectedData;
            _text = null;
            _protectedData = null;
            if (data is null)
            {
                return;
            }

            if (!string.IsNullOrEmpty(text))
            {
                blocks.Add(new ContentBlock { ReasoningContent = new ReasoningContentBlock { ReasoningText = new ReasoningTextBlock { Text = text, Signature = data } } });
                return;
            }

            byte[] redacted = new byte[data.Length];
            if (Convert.TryFromBase64String(data, redacted, out int written))
            {
                blocks.Add(new ContentBlock { ReasoningContent = new ReasoningContentBlock { RedactedContent = redacted[..written] } });
            }
        }
    }
}
