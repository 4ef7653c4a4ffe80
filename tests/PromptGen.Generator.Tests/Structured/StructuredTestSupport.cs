using System.Collections.Immutable;
using System.Reflection;
using System.Runtime.Loader;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization.Metadata;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using PromptGen.Generator.Structured;

namespace PromptGen.Generator.Tests.Structured;

/// <summary>Builds compilations of user types, runs the parser and emitters, and loads the result.</summary>
internal static class StructuredTestSupport
{
    private static readonly Lazy<ImmutableArray<MetadataReference>> References = new(() =>
    {
        string tpa = (string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!;
        var builder = ImmutableArray.CreateBuilder<MetadataReference>();
        foreach (string path in tpa.Split(Path.PathSeparator))
        {
            string name = Path.GetFileNameWithoutExtension(path);
            if (name.StartsWith("System.", StringComparison.Ordinal) || name is "System" or "mscorlib" or "netstandard")
            {
                builder.Add(MetadataReference.CreateFromFile(path));
            }
        }

        return builder.ToImmutable();
    });

    public static readonly CSharpParseOptions ParseOptions = new(LanguageVersion.CSharp12);

    public static CSharpCompilation Compile(params string[] sources) =>
        CSharpCompilation.Create(
            "StructuredTest" + Guid.NewGuid().ToString("N"),
            sources.Select(s => CSharpSyntaxTree.ParseText(s, ParseOptions)),
            References.Value,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable, warningLevel: 9999));

    /// <summary>The return type of method <paramref name="method"/> on interface <paramref name="holder"/>.</summary>
    public static ITypeSymbol ReturnType(Compilation compilation, string holder, string method)
    {
        INamedTypeSymbol type = compilation.GetTypeByMetadataName(holder) ?? throw new InvalidOperationException("no " + holder);
        return type.GetMembers(method).OfType<IMethodSymbol>().Single().ReturnType;
    }

    public static StructuredParseResult Parse(Compilation compilation, string holder, string method) =>
        StructuredTypeParser.Parse(ReturnType(compilation, holder, method), compilation, CancellationToken.None);

    public static string SnapshotDirectory =>
        Path.Combine(PromptGen.Tests.TestPaths.RepoRoot, "tests", "PromptGen.Generator.Tests", "Structured", "Snapshots");

    /// <summary>Compares with Snapshots/{name}.txt; PROMPTGEN_ACCEPT_SNAPSHOTS=1 rewrites the file instead.</summary>
    public static void MatchSnapshot(string name, string actual)
    {
        string path = Path.Combine(SnapshotDirectory, name + ".txt");
        actual = actual.Replace("\r\n", "\n");
        if (Environment.GetEnvironmentVariable("PROMPTGEN_ACCEPT_SNAPSHOTS") == "1")
        {
            Directory.CreateDirectory(SnapshotDirectory);
            File.WriteAllText(path, actual);
            return;
        }

        Assert.True(File.Exists(path), "Missing snapshot " + path + "; run with PROMPTGEN_ACCEPT_SNAPSHOTS=1 to create it.");
        string expected = File.ReadAllText(path).Replace("\r\n", "\n");
        if (expected != actual)
        {
            File.WriteAllText(path + ".received", actual);
        }

        Assert.True(expected == actual, "Snapshot " + name + " differs; see " + path + ".received, or re-accept with PROMPTGEN_ACCEPT_SNAPSHOTS=1.");
    }
}

/// <summary>A compiled, loaded assembly of user types plus emitted converters, in a collectible context.</summary>
internal sealed class LoadedStructuredAssembly : IDisposable
{
    private readonly AssemblyLoadContext context;

    public LoadedStructuredAssembly(Compilation compilation)
    {
        using var stream = new MemoryStream();
        var result = compilation.Emit(stream);
        Assert.True(result.Success, string.Join("\n", result.Diagnostics));
        stream.Position = 0;
        context = new AssemblyLoadContext("structured-" + Guid.NewGuid().ToString("N"), isCollectible: true);
        Assembly = context.LoadFromStream(stream);
    }

    public Assembly Assembly { get; }

    public Type JsonClass(string className) => Assembly.GetType("Gen." + className, throwOnError: true)!;

    public JsonTypeInfo TypeInfo(string className) =>
        (JsonTypeInfo)JsonClass(className).GetProperty("TypeInfo")!.GetValue(null)!;

    public string Schema(string className) => (string)JsonClass(className).GetField("Schema")!.GetValue(null)!;

    public bool IsWrapped(string className) => (bool)JsonClass(className).GetField("IsWrapped")!.GetValue(null)!;

    public object? Read(string className, string json) => JsonSerializer.Deserialize(json, TypeInfo(className));

    public string Write(string className, object? value) => JsonSerializer.Serialize(value, TypeInfo(className));

    /// <summary>Reads, writes back, and checks the written JSON against the emitted schema.</summary>
    public string RoundTrip(string className, string json)
    {
        object? value = Read(className, json);
        string written = Write(className, value);
        List<string> errors = TestSchemaChecker.Check(JsonNode.Parse(written), JsonNode.Parse(Schema(className)));
        Assert.True(errors.Count == 0, "Write output " + written + " does not match the schema: " + string.Join("; ", errors));
        return written;
    }

    public void Dispose() => context.Unload();
}

/// <summary>A tiny JSON Schema checker: type, required, properties, additionalProperties, items, enum, anyOf, allOf, $ref.</summary>
internal static class TestSchemaChecker
{
    public static List<string> Check(JsonNode? value, JsonNode? schema) => Check(value, schema, "$", schema);

    private static List<string> Check(JsonNode? value, JsonNode? schema, string path, JsonNode? root)
    {
        var errors = new List<string>();
        if (schema is not JsonObject s)
        {
            errors.Add(path + ": schema is not an object");
            return errors;
        }

        if (s["$ref"] is JsonValue reference)
        {
            JsonNode? target = root;
            foreach (string part in reference.GetValue<string>().TrimStart('#').Split('/', StringSplitOptions.RemoveEmptyEntries))
            {
                target = target?[part];
            }

            if (target is null)
            {
                errors.Add(path + ": unresolved $ref");
                return errors;
            }

            errors.AddRange(Check(value, target, path, root));
        }

        if (s["anyOf"] is JsonArray anyOf && !anyOf.Any(branch => Check(value, branch, path, root).Count == 0))
        {
            errors.Add(path + ": matches no anyOf branch");
        }

        if (s["allOf"] is JsonArray allOf)
        {
            foreach (JsonNode? branch in allOf)
            {
                errors.AddRange(Check(value, branch, path, root));
            }
        }

        if (s["enum"] is JsonArray values && !values.Any(v => JsonNode.DeepEquals(v, value)))
        {
            errors.Add(path + ": " + (value?.ToJsonString() ?? "null") + " not in enum");
        }

        List<string> types = s["type"] switch
        {
            JsonValue t => [t.GetValue<string>()],
            JsonArray a => a.Select(x => x!.GetValue<string>()).ToList(),
            _ => [],
        };
        if (types.Count > 0 && !types.Any(t => IsType(value, t)))
        {
            errors.Add($"{path}: expected {string.Join("|", types)}, got {value?.GetValueKind().ToString() ?? "null"}");
            return errors;
        }

        if (value is JsonObject obj && (types.Contains("object") || s["properties"] is not null))
        {
            foreach (JsonNode? required in (s["required"] as JsonArray) ?? [])
            {
                if (!obj.ContainsKey(required!.GetValue<string>()))
                {
                    errors.Add($"{path}: missing required '{required}'");
                }
            }

            var properties = s["properties"] as JsonObject;
            foreach (KeyValuePair<string, JsonNode?> member in obj)
            {
                if (properties is not null && properties.TryGetPropertyValue(member.Key, out JsonNode? propertySchema))
                {
                    errors.AddRange(Check(member.Value, propertySchema, path + "." + member.Key, root));
                }
                else if (s["additionalProperties"] is JsonValue additional && !additional.GetValue<bool>())
                {
                    errors.Add($"{path}: unexpected property '{member.Key}'");
                }
                else if (s["additionalProperties"] is JsonObject additionalSchema)
                {
                    errors.AddRange(Check(member.Value, additionalSchema, path + "." + member.Key, root));
                }
            }
        }

        if (value is JsonArray array && s["items"] is JsonNode items)
        {
            for (int i = 0; i < array.Count; i++)
            {
                errors.AddRange(Check(array[i], items, $"{path}[{i}]", root));
            }
        }

        return errors;
    }

    private static bool IsType(JsonNode? value, string type) => type switch
    {
        "null" => value is null,
        "object" => value is JsonObject,
        "array" => value is JsonArray,
        "string" => value is JsonValue v && v.GetValueKind() == JsonValueKind.String,
        "boolean" => value is JsonValue v && v.GetValueKind() is JsonValueKind.True or JsonValueKind.False,
        "number" => value is JsonValue v && v.GetValueKind() == JsonValueKind.Number,
        "integer" => value is JsonValue v && v.GetValueKind() == JsonValueKind.Number && decimal.TryParse(v.ToJsonString(), System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out decimal d) && decimal.Truncate(d) == d,
        _ => true,
    };
}
