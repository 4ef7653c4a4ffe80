using System.Text.Json.Nodes;

namespace PromptGen.Testing.Internal;

/// <summary>
/// Produces a deterministic JSON value conforming to a JSON Schema (the subset tools and structured output use):
/// type (also arrays of types with "null"), enum, const, properties/required, items, min/maxItems, minimum/maximum,
/// exclusive bounds, multipleOf (integers), minLength/maxLength, format, anyOf/oneOf/allOf (first branch), $ref to
/// #/$defs or #/definitions.
/// </summary>
internal sealed class SchemaValueGenerator
{
    private readonly JsonNode? _root;
    private readonly int _seed;

    public SchemaValueGenerator(JsonNode? root, int seed)
    {
        _root = root;
        _seed = seed;
    }

    public JsonNode? Generate() => Generate(_root, "value", 0);

    private JsonNode? Generate(JsonNode? schema, string name, int depth)
    {
        if (schema is not JsonObject obj || depth > 32)
        {
            return schema is JsonValue v && v.TryGetValue(out bool b) && !b ? null : JsonValue.Create(name + "-" + (_seed % 1000));
        }

        if (obj["$ref"] is JsonValue refValue && refValue.TryGetValue(out string? reference))
        {
            return Generate(Resolve(reference), name, depth + 1);
        }

        if (obj.TryGetPropertyValue("const", out JsonNode? constant))
        {
            return constant?.DeepClone();
        }

        if (obj["enum"] is JsonArray values && values.Count > 0)
        {
            return values[0]?.DeepClone();
        }

        foreach (string combinator in new[] { "anyOf", "oneOf" })
        {
            if (obj[combinator] is JsonArray branches && branches.Count > 0)
            {
                JsonNode? preferred = branches.FirstOrDefault(b => !IsNullType(b)) ?? branches[0];
                return Generate(preferred, name, depth + 1);
            }
        }

        if (obj["allOf"] is JsonArray all && all.Count > 0)
        {
            var merged = new JsonObject();
            foreach (JsonNode? part in all)
            {
                if (Generate(part, name, depth + 1) is JsonObject partValue)
                {
                    foreach (KeyValuePair<string, JsonNode?> p in partValue.ToList())
                    {
                        merged[p.Key] = p.Value?.DeepClone();
                    }
                }
            }

            return merged;
        }

        string type = PickType(obj);
        switch (type)
        {
            case "null":
                return null;
            case "object":
            {
                var result = new JsonObject();
                if (obj["properties"] is JsonObject properties)
                {
                    foreach (KeyValuePair<string, JsonNode?> property in properties)
                    {
                        result[property.Key] = Generate(property.Value, property.Key, depth + 1);
                    }
                }

                if (obj["required"] is JsonArray required)
                {
                    foreach (JsonNode? r in required)
                    {
                        string key = r?.GetValue<string>() ?? string.Empty;
                        if (!result.ContainsKey(key))
                        {
                            result[key] = JsonValue.Create(key + "-" + (_seed % 1000));
                        }
                    }
                }

                return result;
            }

            case "array":
            {
                int min = Int(obj["minItems"]) ?? 0;
                int? max = Int(obj["maxItems"]);
                int count = Math.Max(min, 1 + (_seed & 1));
                if (max is int m)
                {
                    count = Math.Min(count, m);
                }

                var array = new JsonArray();
                JsonNode? items = obj["items"] is JsonArray tuple ? null : obj["items"];
                for (int i = 0; i < count; i++)
                {
                    JsonNode? itemSchema = obj["prefixItems"] is JsonArray prefix && i < prefix.Count ? prefix[i]
                        : obj["items"] is JsonArray legacyTuple && i < legacyTuple.Count ? legacyTuple[i] : items;
                    array.Add(Generate(itemSchema, name + "-" + (i + 1), depth + 1));
                }

                return array;
            }

            case "integer":
            {
                long value = 1 + (_seed % 7);
                if (Number(obj["minimum"]) is double min && value < min) value = (long)Math.Ceiling(min);
                if (Number(obj["exclusiveMinimum"]) is double emin && value <= emin) value = (long)Math.Floor(emin) + 1;
                if (Number(obj["maximum"]) is double max && value > max) value = (long)Math.Floor(max);
                if (Number(obj["exclusiveMaximum"]) is double emax && value >= emax) value = (long)Math.Ceiling(emax) - 1;
                if (Number(obj["multipleOf"]) is double multiple && multiple >= 1)
                {
                    value = (long)(Math.Ceiling(value / multiple) * multiple);
                }

                return JsonValue.Create(value);
            }

            case "number":
            {
                double value = 1.5 + (_seed % 7);
                if (Number(obj["minimum"]) is double min && value < min) value = min;
                if (Number(obj["exclusiveMinimum"]) is double emin && value <= emin) value = emin + 0.5;
                if (Number(obj["maximum"]) is double max && value > max) value = max;
                if (Number(obj["exclusiveMaximum"]) is double emax && value >= emax) value = emax - 0.5;
                return JsonValue.Create(value);
            }

            case "boolean":
                return JsonValue.Create(true);
            default:
                return JsonValue.Create(StringFor(obj, name));
        }
    }

    private string StringFor(JsonObject obj, string name)
    {
        string value = (obj["format"] as JsonValue)?.ToString() switch
        {
            "date-time" => "2025-01-02T03:04:05Z",
            "date" => "2025-01-02",
            "time" => "03:04:05Z",
            "email" => "user@example.com",
            "uri" or "url" => "https://example.com/" + name,
            "uuid" => "00000000-0000-4000-8000-" + (_seed & 0xFFFFFF).ToString("x12", System.Globalization.CultureInfo.InvariantCulture),
            "ipv4" => "192.0.2.1",
            _ => name + "-" + (_seed % 1000),
        };
        int minLength = Int(obj["minLength"]) ?? 0;
        while (value.Length < minLength)
        {
            value += "x";
        }

        if (Int(obj["maxLength"]) is int maxLength && value.Length > maxLength)
        {
            value = value.Substring(0, maxLength);
        }

        return value;
    }

    private static string PickType(JsonObject obj)
    {
        switch (obj["type"])
        {
            case JsonValue single when single.TryGetValue(out string? t):
                return t;
            case JsonArray types:
                foreach (JsonNode? t in types)
                {
                    if (t?.GetValue<string>() is string s && s != "null")
                    {
                        return s;
                    }
                }

                return "null";
        }

        if (obj.ContainsKey("properties") || obj.ContainsKey("required")) return "object";
        if (obj.ContainsKey("items") || obj.ContainsKey("prefixItems")) return "array";
        if (obj.ContainsKey("minimum") || obj.ContainsKey("maximum")) return "number";
        return "string";
    }

    private static bool IsNullType(JsonNode? schema) =>
        schema is JsonObject o && o["type"] is JsonValue v && v.TryGetValue(out string? t) && t == "null";

    private JsonNode? Resolve(string reference)
    {
        if (reference == "#")
        {
            return _root;
        }

        if (!reference.StartsWith("#/", StringComparison.Ordinal))
        {
            return null;
        }

        JsonNode? node = _root;
        foreach (string raw in reference.Substring(2).Split('/'))
        {
            string part = raw.Replace("~1", "/").Replace("~0", "~");
            node = node is JsonObject o ? o[part] : null;
        }

        return node;
    }

    private static double? Number(JsonNode? node) =>
        node is JsonValue v && v.TryGetValue(out double d) ? d : null;

    private static int? Int(JsonNode? node) => Number(node) is double d ? (int)d : null;
}
