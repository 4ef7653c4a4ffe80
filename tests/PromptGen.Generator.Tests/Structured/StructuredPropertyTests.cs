using System.Text.Json;
using System.Text.Json.Nodes;

namespace PromptGen.Generator.Tests.Structured;

/// <summary>
/// Schema-driven round trips: documents generated at random from each emitted schema must be read by the emitted
/// converters, written back in a form the schema accepts, and be stable on a second round trip.
/// </summary>
public class StructuredPropertyTests : IClassFixture<StructuredEmitterFixture>, IClassFixture<StructuredEdgeCaseFixture>
{
    private readonly StructuredEmitterFixture samples;
    private readonly StructuredEdgeCaseFixture edges;

    public StructuredPropertyTests(StructuredEmitterFixture samples, StructuredEdgeCaseFixture edges)
    {
        this.samples = samples;
        this.edges = edges;
    }

    [Fact]
    public void Documents_generated_from_every_schema_round_trip()
    {
        var targets = new List<(LoadedStructuredAssembly Assembly, string ClassName)>();
        targets.AddRange(StructuredSamples.Roots.Select(r => (samples.Loaded, r.ClassName)));
        targets.AddRange(edges.ClassNames.Values.Select(c => (edges.Loaded, c)));

        var random = new Random(20260101);
        int documents = 0;
        foreach ((LoadedStructuredAssembly assembly, string className) in targets)
        {
            JsonNode schema = JsonNode.Parse(assembly.Schema(className))!;
            for (int i = 0; i < 25; i++)
            {
                JsonNode? document = SchemaValues.Generate(schema, schema, random, depth: 0);
                string json = document?.ToJsonString() ?? "null";
                string once;
                try
                {
                    once = assembly.RoundTrip(className, json);
                }
                catch (JsonException exception)
                {
                    throw new Xunit.Sdk.XunitException(className + " could not read a schema-valid document " + json + ": " + exception.Message);
                }

                string twice = assembly.RoundTrip(className, once);
                Assert.Equal(once, twice);
                documents++;
            }
        }

        Assert.True(documents >= 25 * 20);
    }

    private static class SchemaValues
    {
        public static JsonNode? Generate(JsonNode schemaNode, JsonNode root, Random random, int depth)
        {
            JsonObject schema = schemaNode.AsObject();
            if (schema["$ref"] is JsonValue reference)
            {
                JsonNode target = root;
                foreach (string part in reference.GetValue<string>().TrimStart('#').Split('/', StringSplitOptions.RemoveEmptyEntries))
                {
                    target = target[part]!;
                }

                return Generate(target, root, random, depth);
            }

            if (schema["anyOf"] is JsonArray anyOf)
            {
                // Deep in recursive structures prefer the null branch so documents stay finite.
                JsonNode branch = depth > 3 && anyOf.Any(b => (string?)b!["type"] == "null")
                    ? anyOf.First(b => (string?)b!["type"] == "null")!
                    : anyOf[random.Next(anyOf.Count)]!;
                return Generate(branch, root, random, depth);
            }

            string type = schema["type"] switch
            {
                JsonArray types => (string)types[random.Next(types.Count)]!,
                JsonValue single => single.GetValue<string>(),
                _ => "null",
            };

            if (schema["enum"] is JsonArray values && type == "string")
            {
                return values[random.Next(values.Count)]!.DeepClone();
            }

            switch (type)
            {
                case "null":
                    return null;
                case "boolean":
                    return JsonValue.Create(random.Next(2) == 0);
                case "integer":
                    return JsonValue.Create(random.Next(0, 100));
                case "number":
                    return JsonValue.Create(random.Next(-200, 200) / 2.0);
                case "string":
                    return JsonValue.Create((string?)schema["format"] switch
                    {
                        "date-time" => new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc).AddMinutes(random.Next(100000)).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'"),
                        "date" => new DateOnly(2026, 1, 1).AddDays(random.Next(1000)).ToString("yyyy-MM-dd"),
                        "uuid" => new Guid(Enumerable.Range(0, 16).Select(_ => (byte)random.Next(256)).ToArray()).ToString(),
                        "uri" => "https://example.com/" + random.Next(1000),
                        _ => TimeOnlyOrText(random),
                    });
                case "array":
                {
                    var array = new JsonArray();
                    int count = depth > 3 ? 0 : random.Next(4);
                    for (int i = 0; i < count; i++)
                    {
                        array.Add(Generate(schema["items"]!, root, random, depth + 1));
                    }

                    return array;
                }

                case "object":
                {
                    var obj = new JsonObject();
                    var required = ((schema["required"] as JsonArray) ?? []).Select(r => (string)r!).ToHashSet();
                    if (schema["properties"] is JsonObject properties)
                    {
                        foreach (KeyValuePair<string, JsonNode?> property in properties)
                        {
                            if (required.Contains(property.Key) || random.Next(2) == 0)
                            {
                                obj[property.Key] = Generate(property.Value!, root, random, depth + 1);
                            }
                        }
                    }
                    else if (schema["additionalProperties"] is JsonObject valueSchema)
                    {
                        int count = depth > 3 ? 0 : random.Next(3);
                        for (int i = 0; i < count; i++)
                        {
                            obj["k" + i] = Generate(valueSchema, root, random, depth + 1);
                        }
                    }

                    return obj;
                }

                default:
                    throw new InvalidOperationException("unknown type " + type);
            }
        }

        // Plain strings must also satisfy TimeOnly members (no format in the schema): use a time-shaped text.
        private static string TimeOnlyOrText(Random random) =>
            new TimeOnly(random.Next(24), random.Next(60), random.Next(60)).ToString("HH:mm:ss");
    }
}
