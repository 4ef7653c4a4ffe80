using System.Text.Json.Nodes;

namespace PromptGen.Testing.Tests.Support;

/// <summary>Checks a JSON value against a schema's types, required properties, enums, items and bounds (test-only).</summary>
internal static class SchemaChecker
{
    public static List<string> Check(JsonNode? value, JsonNode? schema, string path = "$", JsonNode? root = null)
    {
        root ??= schema;
        var errors = new List<string>();
        if (schema is not JsonObject s)
        {
            return errors;
        }

        if (s["$ref"]?.GetValue<string>() is string reference)
        {
            JsonNode? target = root;
            foreach (string part in reference.TrimStart('#').Trim('/').Split('/', StringSplitOptions.RemoveEmptyEntries)) target = target?[part];
            return Check(value, target, path, root);
        }

        if (s["anyOf"] is JsonArray anyOf)
        {
            if (!anyOf.Any(branch => Check(value, branch, path, root).Count == 0)) errors.Add(path + ": matches no anyOf branch");
            return errors;
        }

        if (s["enum"] is JsonArray values && !values.Any(v => JsonNode.DeepEquals(v, value)))
        {
            errors.Add(path + ": not in enum");
        }

        var types = s["type"] switch
        {
            JsonValue t => new List<string> { t.GetValue<string>() },
            JsonArray a => a.Select(x => x!.GetValue<string>()).ToList(),
            _ => new List<string>(),
        };
        if (types.Count > 0 && !types.Any(t => IsType(value, t)))
        {
            errors.Add($"{path}: expected {string.Join("|", types)}, got {value?.GetValueKind().ToString() ?? "null"}");
            return errors;
        }

        if (value is JsonObject obj)
        {
            foreach (JsonNode? r in (s["required"] as JsonArray) ?? new JsonArray())
            {
                if (!obj.ContainsKey(r!.GetValue<string>())) errors.Add($"{path}: missing required '{r}'");
            }

            if (s["properties"] is JsonObject props)
            {
                foreach (var p in props)
                {
                    if (obj.TryGetPropertyValue(p.Key, out JsonNode? child)) errors.AddRange(Check(child, p.Value, path + "." + p.Key, root));
                }

                if (s["additionalProperties"] is JsonValue ap && !ap.GetValue<bool>())
                {
                    foreach (var p in obj) if (!props.ContainsKey(p.Key)) errors.Add($"{path}: unexpected '{p.Key}'");
                }
            }
        }

        if (value is JsonArray arr)
        {
            if (s["minItems"] is JsonValue min && arr.Count < min.GetValue<int>()) errors.Add(path + ": too few items");
            if (s["maxItems"] is JsonValue max && arr.Count > max.GetValue<int>()) errors.Add(path + ": too many items");
            for (int i = 0; i < arr.Count; i++) errors.AddRange(Check(arr[i], s["items"], $"{path}[{i}]", root));
        }

        if (value is JsonValue number && (IsType(value, "number")))
        {
            double d = number.GetValue<double>();
            if (s["minimum"] is JsonValue mn && d < mn.GetValue<double>()) errors.Add(path + ": below minimum");
            if (s["maximum"] is JsonValue mx && d > mx.GetValue<double>()) errors.Add(path + ": above maximum");
        }

        if (value is JsonValue str && IsType(value, "string"))
        {
            string text = str.GetValue<string>();
            if (s["minLength"] is JsonValue ml && text.Length < ml.GetValue<int>()) errors.Add(path + ": too short");
            if (s["maxLength"] is JsonValue xl && text.Length > xl.GetValue<int>()) errors.Add(path + ": too long");
        }

        return errors;
    }

    private static bool IsType(JsonNode? value, string type) => type switch
    {
        "null" => value is null,
        "object" => value is JsonObject,
        "array" => value is JsonArray,
        "string" => value?.GetValueKind() == System.Text.Json.JsonValueKind.String,
        "boolean" => value?.GetValueKind() is System.Text.Json.JsonValueKind.True or System.Text.Json.JsonValueKind.False,
        "number" => value?.GetValueKind() == System.Text.Json.JsonValueKind.Number,
        "integer" => value?.GetValueKind() == System.Text.Json.JsonValueKind.Number && value.GetValue<double>() % 1 == 0,
        _ => true,
    };
}
