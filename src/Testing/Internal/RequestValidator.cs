using System.Globalization;
using System.Text.Json.Nodes;

namespace PromptGen.Testing.Internal;

/// <summary>An error answer: status, restJson1 error type and message.</summary>
internal sealed record EmulatorError(int StatusCode, string ErrorType, string Message);

/// <summary>Validates request bodies the way Bedrock does, driven by the model catalogue.</summary>
internal static class RequestValidator
{
    internal const string InvalidModelMessage = "The provided model identifier is invalid.";
    internal const string ModelErrorsPrefix = "The model returned the following errors: ";

    /// <summary>Checks the model identifier; returns the catalogue model where checks apply.</summary>
    public static EmulatorError? CheckModel(ModelResolution resolution, bool validate, out ModelInfo? model)
    {
        model = resolution.IsCheckable ? resolution.Model : null;
        if (!validate)
        {
            return null;
        }

        if (resolution.Kind == ModelIdKind.Unknown)
        {
            return Validation(InvalidModelMessage);
        }

        // A profile ID for a geography the catalogue does not list for the model names no inference profile.
        if (resolution.Kind == ModelIdKind.InferenceProfile && resolution.Model != null && !resolution.Model.InferenceProfileGeos.Contains(resolution.Geo!, StringComparer.Ordinal))
        {
            return Validation(InvalidModelMessage);
        }

        if (resolution.Kind == ModelIdKind.BaseModel && resolution.Model is { ProfileOnly: true })
        {
            return Validation($"Invocation of model ID {resolution.ModelId} with on-demand throughput isn\u2019t supported. Retry your request with the ID or ARN of an inference profile that contains this model.");
        }

        return null;
    }

    /// <summary>Converse / ConverseStream body checks (service constraints always; catalogue rules when <paramref name="model"/> is set).</summary>
    public static EmulatorError? CheckConverse(JsonObject body, bool stream, ModelInfo? model)
    {
        if (body["messages"] is not JsonArray messages)
        {
            return Constraint("null", "messages", "Member must not be null");
        }

        JsonObject? inference = body["inferenceConfig"] as JsonObject;
        double? temperature = Number(inference?["temperature"]);
        double? topP = Number(inference?["topP"]);
        double? maxTokens = Number(inference?["maxTokens"]);
        if (maxTokens is double mt && mt < 1)
        {
            return Constraint(Format(mt), "inferenceConfig.maxTokens", "Member must have value greater than or equal to 1");
        }

        foreach ((string name, double? value) in new[] { ("temperature", temperature), ("topP", topP) })
        {
            if (value is double v && v < 0)
            {
                return Constraint(Format(v), "inferenceConfig." + name, "Member must have value greater than or equal to 0");
            }

            if (value is double w && w > 1)
            {
                return Constraint(Format(w), "inferenceConfig." + name, "Member must have value less than or equal to 1");
            }
        }

        JsonObject? toolConfig = body["toolConfig"] as JsonObject;
        JsonArray? tools = toolConfig?["tools"] as JsonArray;
        if (toolConfig != null && (tools == null || tools.Count == 0))
        {
            return Constraint(tools == null ? "null" : "[]", "toolConfig.tools", tools == null ? "Member must not be null" : "Member must have length greater than or equal to 1");
        }

        bool toolBlocks = messages.OfType<JsonObject>()
            .SelectMany(m => (m["content"] as JsonArray)?.OfType<JsonObject>() ?? Enumerable.Empty<JsonObject>())
            .Any(b => b.ContainsKey("toolUse") || b.ContainsKey("toolResult"));
        if (toolBlocks && toolConfig == null)
        {
            return Validation("The toolConfig field must be defined when using toolUse and toolResult content blocks.");
        }

        JsonObject? forced = toolConfig?["toolChoice"]?["tool"] as JsonObject;
        if (forced != null)
        {
            string? name = (forced["name"] as JsonValue)?.ToString();
            bool known = tools!.OfType<JsonObject>().Any(t => (t["toolSpec"]?["name"] as JsonValue)?.ToString() == name);
            if (!known)
            {
                return Validation(ModelErrorsPrefix + $"tool_choice.name: Tool '{name}' not found in provided tools");
            }
        }

        string? schemaText = body["outputConfig"]?["textFormat"]?["structure"]?["jsonSchema"]?["schema"] is JsonValue sv && sv.TryGetValue(out string? s) ? s : null;
        if (body["outputConfig"]?["textFormat"] != null)
        {
            if (schemaText == null)
            {
                return Constraint("null", "outputConfig.textFormat.structure.jsonSchema.schema", "Member must not be null");
            }

            try
            {
                if (JsonNode.Parse(schemaText) is not JsonObject)
                {
                    return Validation(ModelErrorsPrefix + "output_config.format.schema: the schema must be a JSON object");
                }
            }
            catch (System.Text.Json.JsonException)
            {
                return Validation(ModelErrorsPrefix + "output_config.format.schema: the schema is not valid JSON");
            }
        }

        if (model == null)
        {
            return null;
        }

        // Catalogue rules, in the order Bedrock and the model report them.
        if (stream && !model.Streaming)
        {
            return Validation("The model is unsupported for streaming.");
        }

        if (body["system"] is JsonArray system && system.Count > 0 && !model.SystemPrompt)
        {
            return Validation("This model doesn't support system messages. Remove system and try again.");
        }

        if (tools != null && !model.ToolUse)
        {
            return Validation("This model doesn't support tool use.");
        }

        if (tools != null && stream && !model.StreamingToolUse)
        {
            return Validation("This model doesn't support tool use in streaming mode.");
        }

        if (forced != null && !model.ToolChoiceTool)
        {
            return Validation("This model doesn't support the toolConfig.toolChoice.tool field. Remove toolConfig.toolChoice.tool and try again.");
        }

        double? topK = model.TopKField != null ? Number(Path(body["additionalModelRequestFields"], model.TopKField)) : null;
        if (model.Sampling == SamplingRule.None)
        {
            if (temperature != null) return Validation(ModelErrorsPrefix + "`temperature` is deprecated for this model.");
            if (topP != null) return Validation(ModelErrorsPrefix + "`top_p` is deprecated for this model.");
            if (topK != null) return Validation(ModelErrorsPrefix + "`top_k` is deprecated for this model.");
        }

        if (model.Sampling == SamplingRule.TemperatureXorTopP && temperature != null && topP != null)
        {
            return Validation(ModelErrorsPrefix + "`temperature` and `top_p` cannot both be specified for this model. Please use only one.");
        }

        if (temperature is double t)
        {
            if (model.Temperature == null) return Validation("This model doesn't support the temperature field. Remove temperature and try again.");
            if (!model.Temperature.Contains(t)) return Validation(ModelErrorsPrefix + $"temperature: range: {Format(model.Temperature.Min)}..{Format(model.Temperature.Max)}");
        }

        if (topP is double p)
        {
            if (model.TopP == null) return Validation("This model doesn't support the topP field. Remove topP and try again.");
            if (!model.TopP.Contains(p)) return Validation(ModelErrorsPrefix + $"top_p: range: {Format(model.TopP.Min)}..{Format(model.TopP.Max)}");
        }

        if (topK is double k && model.TopK != null && !model.TopK.Contains(k))
        {
            return Validation(ModelErrorsPrefix + $"top_k: range: {Format(model.TopK.Min)}..{Format(model.TopK.Max)}");
        }

        if (maxTokens is double max && model.MaxOutputTokens is int limit && max > limit)
        {
            return Validation($"The maximum tokens you requested exceeds the model limit of {limit}. Try again with a maximum tokens value that is lower than {limit}.");
        }

        int cachePoints = CountCachePoints(body);
        int maxCachePoints = model.PromptCaching?.MaxCachePoints ?? 4;
        if (model.PromptCaching != null && cachePoints > maxCachePoints)
        {
            return Validation(ModelErrorsPrefix + $"A maximum of {maxCachePoints} blocks with cache_control may be provided. Found {cachePoints}.");
        }

        if (body["outputConfig"]?["textFormat"] != null && !model.NativeStructuredOutput)
        {
            return Validation("This model doesn't support the outputConfig.textFormat field. Remove outputConfig.textFormat and try again.");
        }

        return null;
    }

    /// <summary>CountTokens body checks.</summary>
    public static EmulatorError? CheckCountTokens(JsonObject body)
    {
        if (body["input"] is not JsonObject input)
        {
            return Constraint("null", "input", "Member must not be null");
        }

        if (input["converse"] is JsonObject converse)
        {
            return converse["messages"] is JsonArray ? null : Constraint("null", "input.converse.messages", "Member must not be null");
        }

        if (input["invokeModel"] is JsonObject invoke)
        {
            if (invoke["body"] is not JsonValue b || !b.TryGetValue(out string? text))
            {
                return Constraint("null", "input.invokeModel.body", "Member must not be null");
            }

            try
            {
                Convert.FromBase64String(text);
                return null;
            }
            catch (FormatException)
            {
                return Validation("The provided invokeModel body is not valid base64.");
            }
        }

        return Validation("The input must contain exactly one of converse or invokeModel.");
    }

    internal static int CountCachePoints(JsonObject body)
    {
        int count = 0;
        foreach (JsonNode? block in (body["system"] as JsonArray) ?? new JsonArray()) if (block is JsonObject o && o.ContainsKey("cachePoint")) count++;
        foreach (JsonNode? tool in (body["toolConfig"]?["tools"] as JsonArray) ?? new JsonArray()) if (tool is JsonObject o && o.ContainsKey("cachePoint")) count++;
        foreach (JsonNode? message in (body["messages"] as JsonArray) ?? new JsonArray())
        {
            foreach (JsonNode? block in (message?["content"] as JsonArray) ?? new JsonArray()) if (block is JsonObject o && o.ContainsKey("cachePoint")) count++;
        }

        return count;
    }

    internal static JsonNode? Path(JsonNode? node, string dotted)
    {
        foreach (string part in dotted.Split('.'))
        {
            node = node is JsonObject o ? o[part] : null;
        }

        return node;
    }

    internal static double? Number(JsonNode? node) => node is JsonValue v && v.TryGetValue(out double d) ? d : null;

    private static string Format(double value) => value.ToString("0.#####", CultureInfo.InvariantCulture);

    private static EmulatorError Validation(string message) => new(400, "ValidationException", message);

    private static EmulatorError Constraint(string value, string member, string constraint) =>
        Validation($"1 validation error detected: Value '{value}' at '{member}' failed to satisfy constraint: {constraint}");
}
