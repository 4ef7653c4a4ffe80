using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using PromptGen.Generator.Structured;

namespace PromptGen.Generator.Tests.Structured;

/// <summary>Awkward but legal user types: keywords, odd names, oblivious nullability, every primitive and collection.</summary>
public sealed class StructuredEdgeCaseFixture : IDisposable
{
    public const string Source = """
        #nullable enable
        using System;
        using System.Collections.Generic;
        using System.Collections.Immutable;
        using System.ComponentModel;
        using System.Text.Json.Serialization;

        namespace Edge
        {
            [Description("Quotes \" and \\ backslashes\nand a new line, ünïcødé")]
            public sealed class Keywords
            {
                public string @class { get; set; } = "";
                [JsonPropertyName("weird \"name\"")] public int Weird { get; set; }
                public KeywordEnum @enum { get; set; }
            }

            public enum KeywordEnum { @default, @new, [JsonStringEnumMemberName("in-progress")] InProgress }

            public enum Big : ulong { Small = 1, Huge = 18446744073709551615 }

            public enum Signed : sbyte { Minus = -1, Zero = 0 }

            public sealed class Outer
            {
                public sealed record Inner(int Value);
            }

            public record struct Numbers(byte B, sbyte SB, short S, ushort US, uint UI, ulong UL, float F, long L)
            {
                public TimeOnly? At { get; init; }
                public DateOnly Day { get; init; }
            }

            public sealed record Collections(
                IList<int> A,
                ICollection<string> B,
                IReadOnlyCollection<Outer.Inner> C,
                IReadOnlyDictionary<string, List<int>?> D,
                IDictionary<string, Outer.Inner>? E,
                Numbers? MaybeNumbers,
                Big Big,
                Signed Signed,
                ImmutableArray<Big>? MaybeImmutable);

            public sealed class Mixed
            {
                public Mixed(string name) { Name = name; }
                public string Name { get; }
                public required int Count { get; set; }
                public Outer.Inner? Inner { get; init; }
                public string Optional { get; set; } = "kept";
            }

            public sealed class Chosen
            {
                public Chosen() { Value = -1; }
                [JsonConstructor] public Chosen(int value) { Value = value; }
                public int Value { get; }
            }
        }

        namespace Other
        {
            public sealed record Item(string Id);
        }

        namespace Edge
        {
            public sealed record Item(int Id);
            public sealed record TwoItems(Item Mine, Other.Item Theirs);
            public sealed record Linked(int Value, Linked? Next);
            public sealed record Ping(string Name, Pong? Reply);
            public sealed record Pong(List<Ping> Pings, Item Leaf);
        }

        #nullable disable
        namespace Edge
        {
            public sealed class Oblivious
            {
                public string Text { get; set; }
                public List<string> Items { get; set; }
                public Outer.Inner Inner { get; set; }
                public int Number { get; set; }
            }
        }
        #nullable enable

        namespace Edge
        {
            public interface IRoots
            {
                Keywords Keywords();
                Numbers Numbers();
                Collections Collections();
                Mixed Mixed();
                Chosen Chosen();
                TwoItems TwoItems();
                Oblivious Oblivious();
                Outer.Inner Inner();
                Dictionary<string, int> Counts();
                Big[] Bigs();
                Linked Linked();
                List<Ping> Pings();
            }
        }
        """;

    private readonly Lazy<LoadedStructuredAssembly> loaded;

    public StructuredEdgeCaseFixture()
    {
        Compilation user = StructuredTestSupport.Compile(Source);
        Assert.Empty(user.GetDiagnostics().Where(d => d.Severity != DiagnosticSeverity.Hidden));
        foreach (IMethodSymbol method in user.GetTypeByMetadataName("Edge.IRoots")!.GetMembers().OfType<IMethodSymbol>())
        {
            StructuredParseResult result = StructuredTypeParser.Parse(method.ReturnType, user, CancellationToken.None);
            Assert.True(result.IsSupported, method.Name + ": " + result.Unsupported);
            string className = StructuredConverterEmitter.DefaultClassName(result.Model!);
            Models[method.Name] = result.Model!;
            ClassNames[method.Name] = className;
            Sources[method.Name] = StructuredConverterEmitter.EmitFile(result.Model!, "Gen", className);
        }

        Compilation = user.AddSyntaxTrees(Sources.Values.Select(s => CSharpSyntaxTree.ParseText(s, StructuredTestSupport.ParseOptions)));
        loaded = new Lazy<LoadedStructuredAssembly>(() => new LoadedStructuredAssembly(Compilation));
    }

    internal Dictionary<string, StructuredTypeModel> Models { get; } = new();

    internal Dictionary<string, string> ClassNames { get; } = new();

    internal Dictionary<string, string> Sources { get; } = new();

    internal Compilation Compilation { get; }

    internal LoadedStructuredAssembly Loaded => loaded.Value;

    public void Dispose()
    {
        if (loaded.IsValueCreated)
        {
            loaded.Value.Dispose();
        }
    }
}

public class StructuredEdgeCaseTests : IClassFixture<StructuredEdgeCaseFixture>
{
    private readonly StructuredEdgeCaseFixture fixture;

    public StructuredEdgeCaseTests(StructuredEdgeCaseFixture fixture)
    {
        this.fixture = fixture;
    }

    private string RoundTrip(string root, string json) => fixture.Loaded.RoundTrip(fixture.ClassNames[root], json);

    private static void JsonEqual(string expected, string actual) =>
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(expected), JsonNode.Parse(actual)), "Expected " + expected + "\nActual   " + actual);

    [Fact]
    public void Edge_case_code_compiles_with_zero_diagnostics()
    {
        var diagnostics = fixture.Compilation.GetDiagnostics().Where(d => d.Severity != DiagnosticSeverity.Hidden).ToList();
        Assert.True(diagnostics.Count == 0, string.Join("\n", diagnostics));
    }

    [Fact]
    public void Keywords_and_odd_names_round_trip()
    {
        JsonEqual("""{"class":"c","weird \"name\"":3,"enum":"in-progress"}""", RoundTrip("Keywords", """{"class":"c","WEIRD \"NAME\"":3,"enum":"In-Progress"}"""));
        JsonEqual("""{"class":"c","weird \"name\"":3,"enum":"in-progress"}""", RoundTrip("Keywords", """{"class":"c","weird \"name\"":3,"enum":"InProgress"}"""));
        JsonEqual("""{"class":"","weird \"name\"":0,"enum":"new"}""", RoundTrip("Keywords", """{"class":"","weird \"name\"":0,"enum":"NEW"}"""));
    }

    [Fact]
    public void Descriptions_are_escaped_in_the_schema()
    {
        string schema = fixture.Loaded.Schema(fixture.ClassNames["Keywords"]);
        Assert.Equal("Quotes \" and \\ backslashes\nand a new line, ünïcødé", (string?)JsonNode.Parse(schema)!["description"]);
    }

    [Fact]
    public void All_number_types_and_time_types_round_trip()
    {
        JsonEqual(
            """{"B":255,"SB":-128,"S":-32768,"US":65535,"UI":4294967295,"UL":18446744073709551615,"F":1.5,"L":-9223372036854775808,"At":"13:45:30.25","Day":"2026-12-31"}""",
            RoundTrip("Numbers", """{"B":255,"SB":-128,"S":-32768,"US":65535,"UI":4294967295,"UL":18446744073709551615,"F":1.5,"L":-9223372036854775808,"At":"13:45:30.25","Day":"2026-12-31"}"""));
        JsonEqual(
            """{"B":0,"SB":0,"S":0,"US":0,"UI":0,"UL":0,"F":0,"L":0,"At":null,"Day":"2026-01-01"}""",
            RoundTrip("Numbers", """{"B":0,"SB":0,"S":0,"US":0,"UI":0,"UL":0,"F":0,"L":0,"At":null,"Day":"2026-01-01"}"""));
        var error = Assert.Throws<JsonException>(() => fixture.Loaded.Read(fixture.ClassNames["Numbers"], """{"B":256,"SB":0,"S":0,"US":0,"UI":0,"UL":0,"F":0,"L":0,"At":null,"Day":"2026-01-01"}"""));
        Assert.Contains("Numbers.B: the number is not an integer that fits Byte.", error.Message);
        error = Assert.Throws<JsonException>(() => fixture.Loaded.Read(fixture.ClassNames["Numbers"], """{"B":1,"SB":0,"S":0,"US":0,"UI":0,"UL":0,"F":0,"L":0,"At":null,"Day":"31/12/2026"}"""));
        Assert.Contains("Numbers.Day: '31/12/2026' is not a date (yyyy-MM-dd).", error.Message);
    }

    [Fact]
    public void Interface_collections_dictionaries_unsigned_and_signed_enums_round_trip()
    {
        string json = """
            {"A":[1,2],"B":["x"],"C":[{"Value":1}],"D":{"k":[1],"n":null},"E":null,"MaybeNumbers":null,
             "Big":"huge","Signed":-1,"MaybeImmutable":["Small",18446744073709551615]}
            """;
        JsonEqual(
            """{"A":[1,2],"B":["x"],"C":[{"Value":1}],"D":{"k":[1],"n":null},"E":null,"MaybeNumbers":null,"Big":"Huge","Signed":"Minus","MaybeImmutable":["Small","Huge"]}""",
            RoundTrip("Collections", json));
        JsonEqual(
            """{"A":[],"B":[],"C":[],"D":{},"E":{"a":{"Value":2}},"MaybeNumbers":{"B":1,"SB":0,"S":0,"US":0,"UI":0,"UL":0,"F":0,"L":0,"At":null,"Day":"2026-01-01"},"Big":"Small","Signed":"Zero","MaybeImmutable":null}""",
            RoundTrip("Collections", """{"A":[],"B":[],"C":[],"D":{},"E":{"a":{"Value":2}},"MaybeNumbers":{"B":1,"SB":0,"S":0,"US":0,"UI":0,"UL":0,"F":0,"L":0,"Day":"2026-01-01"},"Big":1,"Signed":0,"MaybeImmutable":null}"""));
    }

    [Fact]
    public void Constructor_required_members_initializers_and_setters_combine()
    {
        // Non-nullable members are required even with an initializer (the schema says so too).
        JsonEqual("""{"Name":"n","Count":2,"Inner":null,"Optional":"x"}""", RoundTrip("Mixed", """{"name":"n","count":2,"optional":"x"}"""));
        Assert.Contains("Mixed: required property 'Optional' is missing.", Assert.Throws<JsonException>(() => fixture.Loaded.Read(fixture.ClassNames["Mixed"], """{"name":"n","count":2}""")).Message);
        JsonEqual("""{"Name":"n","Count":2,"Inner":{"Value":5},"Optional":"set"}""", RoundTrip("Mixed", """{"name":"n","count":2,"inner":{"value":5},"optional":"set"}"""));
        var error = Assert.Throws<JsonException>(() => fixture.Loaded.Read(fixture.ClassNames["Mixed"], """{"name":"n","optional":"o"}"""));
        Assert.Contains("Mixed: required property 'Count' is missing.", error.Message);
    }

    [Fact]
    public void JsonConstructor_attribute_chooses_the_constructor()
    {
        Assert.Equal(1, fixture.Models["Chosen"].Find("global::Edge.Chosen")!.ConstructorParameterCount);
        JsonEqual("""{"Value":4}""", RoundTrip("Chosen", """{"Value":4}"""));
    }

    [Fact]
    public void Same_simple_names_in_two_namespaces_get_distinct_ids()
    {
        StructuredTypeModel model = fixture.Models["TwoItems"];
        Assert.Equal(["Edge_Item", "Other_Item", "TwoItems"], model.Definitions.Select(d => d.Id).Order(StringComparer.Ordinal));
        JsonEqual("""{"Mine":{"Id":1},"Theirs":{"Id":"x"}}""", RoundTrip("TwoItems", """{"Mine":{"Id":1},"Theirs":{"Id":"x"}}"""));
    }

    [Fact]
    public void Oblivious_reference_types_are_optional_and_nullable()
    {
        StructuredTypeDefinition oblivious = fixture.Models["Oblivious"].Find("global::Edge.Oblivious")!;
        Assert.Equal([false, false, false, true], oblivious.Properties.Select(p => p.IsRequired));
        Assert.Equal("string?", oblivious.Properties[0].Type.TypeName);
        Assert.Equal("global::System.Collections.Generic.List<string?>?", oblivious.Properties[1].Type.TypeName);
        JsonEqual("""{"Text":null,"Items":null,"Inner":null,"Number":3}""", RoundTrip("Oblivious", """{"Number":3}"""));
        JsonEqual("""{"Text":"t","Items":["a",null],"Inner":{"Value":1},"Number":3}""", RoundTrip("Oblivious", """{"Text":"t","Items":["a",null],"Inner":{"Value":1},"Number":3}"""));
    }

    [Fact]
    public void Nested_types_and_wrapped_dictionaries_and_arrays()
    {
        Assert.Equal("Outer_InnerJson", fixture.ClassNames["Inner"]);
        JsonEqual("""{"Value":9}""", RoundTrip("Inner", """{"Value":9}"""));
        Assert.Equal("DictionaryOfInt32Json", fixture.ClassNames["Counts"]);
        JsonEqual("""{"value":{"a":1}}""", RoundTrip("Counts", """{"value":{"a":1}}"""));
        Assert.Throws<JsonException>(() => fixture.Loaded.Read(fixture.ClassNames["Counts"], """{"a":1}"""));
        JsonEqual("""{"value":["Huge"]}""", RoundTrip("Bigs", """["huge"]"""));
    }

    [Fact]
    public void Generic_serializer_calls_work_through_the_options_resolver()
    {
        Type jsonClass = fixture.Loaded.JsonClass(fixture.ClassNames["Inner"]);
        var options = (JsonSerializerOptions)jsonClass.GetProperty("Options")!.GetValue(null)!;
        Type inner = fixture.Loaded.Assembly.GetType("Edge.Outer+Inner")!;
        object? value = JsonSerializer.Deserialize("""{"value":7}""", inner, options);
        Assert.Equal("""{"Value":7}""", JsonSerializer.Serialize(value, inner, options));
        Assert.True(options.IsReadOnly);
    }

    [Fact]
    public async Task Streaming_deserialization_with_a_tiny_buffer_works()
    {
        var typeInfo = fixture.Loaded.TypeInfo(fixture.ClassNames["Collections"]);
        string json = """{"A":[1,2,3,4,5,6,7,8,9],"B":["xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"],"C":[{"Value":1},{"Value":2}],"D":{"k":[1]},"E":null,"MaybeNumbers":null,"Big":"Small","Signed":"Zero","MaybeImmutable":null}""";
        using var stream = new MemoryStream(System.Text.Encoding.UTF8.GetBytes(json));
        object? value = await JsonSerializer.DeserializeAsync(stream, typeInfo);
        JsonEqual(json, JsonSerializer.Serialize(value, typeInfo));
    }

    [Fact]
    public void Nullable_self_reference_round_trips_through_defs()
    {
        StructuredTypeModel model = fixture.Models["Linked"];
        Assert.True(model.HasRecursion);
        JsonNode schema = JsonNode.Parse(fixture.Loaded.Schema(fixture.ClassNames["Linked"]))!;
        Assert.Equal("#/$defs/Linked", (string?)schema["properties"]!["Next"]!["anyOf"]![0]!["$ref"]);
        string json = """{"Value":1,"Next":{"Value":2,"Next":{"Value":3,"Next":null}}}""";
        JsonEqual(json, RoundTrip("Linked", json));
    }

    [Fact]
    public void Mutual_recursion_marks_both_types_and_keeps_others_inline()
    {
        StructuredTypeModel model = fixture.Models["Pings"];
        Assert.True(model.IsWrapped);
        Assert.Equal(["global::Edge.Ping", "global::Edge.Pong"], model.Definitions.Where(d => d.IsRecursive).Select(d => d.Key));
        Assert.False(model.Find("global::Edge.Item")!.IsRecursive);
        JsonNode schema = JsonNode.Parse(fixture.Loaded.Schema(fixture.ClassNames["Pings"]))!;
        Assert.NotNull(schema["$defs"]!["Ping"]);
        Assert.NotNull(schema["$defs"]!["Pong"]);
        Assert.Equal("#/$defs/Ping", (string?)schema["properties"]!["value"]!["items"]!["$ref"]);
        string json = """{"value":[{"Name":"a","Reply":{"Pings":[{"Name":"b","Reply":null}],"Leaf":{"Id":1}}}]}""";
        JsonEqual(json, RoundTrip("Pings", json));
    }

    [Fact]
    public void Unwritable_enum_value_fails_clearly()
    {
        Type bigs = fixture.Loaded.Assembly.GetType("Edge.Big")!;
        Array array = Array.CreateInstance(bigs, 1);
        array.SetValue(Enum.ToObject(bigs, 5UL), 0);
        var error = Assert.Throws<JsonException>(() => fixture.Loaded.Write(fixture.ClassNames["Bigs"], array));
        Assert.Contains("Big: 5 is not a named member.", error.Message);
    }
}
