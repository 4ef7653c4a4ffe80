using Microsoft.CodeAnalysis;
using PromptGen.Generator.Structured;
using static PromptGen.Generator.Tests.Structured.StructuredTestSupport;

namespace PromptGen.Generator.Tests.Structured;

public class StructuredParserTests
{
    private static readonly Lazy<Compilation> Samples = new(() => Compile(StructuredSamples.UserTypes));
    private static readonly Lazy<Compilation> Unsupported = new(() => Compile(StructuredSamples.UnsupportedTypes));

    private static StructuredTypeModel Model(string method)
    {
        StructuredParseResult result = Parse(Samples.Value, StructuredSamples.Holder, method);
        Assert.True(result.IsSupported, result.Unsupported?.ToString());
        return result.Model!;
    }

    [Fact]
    public void Sample_source_compiles_cleanly()
    {
        Assert.Empty(Samples.Value.GetDiagnostics().Where(d => d.Severity != DiagnosticSeverity.Hidden));
    }

    [Fact]
    public void Record_properties_bind_to_the_primary_constructor()
    {
        StructuredTypeModel model = Model("Invoice");
        StructuredTypeDefinition invoice = model.Find("global::Acme.Invoice")!;
        Assert.Equal("Invoice", invoice.DisplayName);
        Assert.Equal("An invoice extracted from a document.", invoice.Description);
        Assert.Equal(6, invoice.ConstructorParameterCount);
        Assert.Equal(
            ["Number", "IssuedAt", "Vendor", "Lines", "Total", "Currency", "Notes", "Kind"],
            invoice.Properties.Select(p => p.Name));

        StructuredProperty number = invoice.Properties[0];
        Assert.Equal(StructuredPropertyBinding.Constructor, number.Binding);
        Assert.Equal(0, number.ConstructorParameterIndex);
        Assert.True(number.IsRequired);
        Assert.Equal("The invoice number as printed.", number.Description);
        Assert.Equal(StructuredPrimitive.String, number.Type.Primitive);

        StructuredProperty currency = invoice.Properties[5];
        Assert.False(currency.IsRequired);
        Assert.True(currency.Type.IsNullable);
        Assert.Equal("\"EUR\"", currency.DefaultValueExpression);

        StructuredProperty notes = invoice.Properties[6];
        Assert.Equal(StructuredPropertyBinding.Initializer, notes.Binding);
        Assert.False(notes.IsRequired);
        Assert.Equal("Free-text remarks.", notes.Description);

        StructuredProperty kind = invoice.Properties[7];
        Assert.True(kind.IsRequired); // non-nullable
        Assert.Equal(StructuredTypeKind.Enum, kind.Type.Kind);

        StructuredProperty lines = invoice.Properties[3];
        Assert.Equal(StructuredTypeKind.Collection, lines.Type.Kind);
        Assert.Equal(StructuredCollectionKind.List, lines.Type.CollectionKind);
        Assert.Equal("global::System.Collections.Generic.List<global::Acme.LineItem>", lines.Type.TypeName);
        Assert.Equal(StructuredTypeKind.Object, lines.Type.Element!.Kind);

        Assert.Equal(
            ["global::Acme.DocumentKind", "global::Acme.Invoice", "global::Acme.LineItem", "global::Acme.Party"],
            model.Definitions.Select(d => d.Key));
        Assert.False(model.IsWrapped);
        Assert.False(model.HasRecursion);
        Assert.Equal("Invoice", model.SafeName);
    }

    [Fact]
    public void Parameter_descriptions_flow_to_properties()
    {
        StructuredTypeDefinition party = Model("Invoice").Find("global::Acme.Party")!;
        Assert.Equal("VAT id, if printed.", party.Properties[1].Description);
        Assert.True(party.Properties[1].IsRequired); // primary-constructor parameter without default, even though nullable
    }

    [Fact]
    public void Class_with_setters_honours_json_attributes_and_skips_computed_members()
    {
        StructuredTypeDefinition settings = Model("Settings").Find("global::Acme.Settings")!;
        Assert.Equal(0, settings.ConstructorParameterCount);
        Assert.Equal(["Name", "Limit", "Enabled", "MaxItems", "Mood", "Comment"], settings.Properties.Select(p => p.Name));
        Assert.Equal("max_items", settings.Properties[3].JsonName);
        Assert.Equal([true, false, true, true, true, false], settings.Properties.Select(p => p.IsRequired));
        Assert.Equal(StructuredPropertyBinding.Setter, settings.Properties[0].Binding);
        Assert.Equal(StructuredPropertyBinding.Initializer, settings.Properties[4].Binding);
        Assert.True(settings.Properties[1].Type.IsNullableValueType);
        Assert.Equal("int?", settings.Properties[1].Type.TypeName);
    }

    [Fact]
    public void Enum_members_keep_their_values_and_descriptions()
    {
        StructuredTypeDefinition kind = Model("Kind").Find("global::Acme.DocumentKind")!;
        Assert.Equal(StructuredTypeKind.Enum, kind.Kind);
        Assert.Equal(["Invoice", "Receipt", "Other"], kind.EnumMembers.Select(m => m.JsonName));
        Assert.Equal(["0", "1", "2"], kind.EnumMembers.Select(m => m.Value));
        Assert.Equal("A till receipt", kind.EnumMembers[1].Description);
        Assert.Equal("int", kind.EnumUnderlyingType);
    }

    [Theory]
    [InlineData("Invoice", false, "Invoice")]
    [InlineData("Kind", true, "DocumentKind")]
    [InlineData("Count", true, "Int32")]
    [InlineData("Lines", true, "ListOfLineItem")]
    [InlineData("Text", true, "String")]
    [InlineData("MaybeInvoice", true, "NullableInvoice")]
    [InlineData("MaybeKind", true, "NullableDocumentKind")]
    [InlineData("Parties", true, "PartyArray")]
    [InlineData("PartyPage", false, "PageOfParty")]
    [InlineData("Point", false, "Point")]
    public void Roots_that_are_not_plain_objects_are_wrapped(string method, bool wrapped, string safeName)
    {
        StructuredTypeModel model = Model(method);
        Assert.Equal(wrapped, model.IsWrapped);
        Assert.Equal(safeName, model.SafeName);
    }

    [Fact]
    public void Recursive_types_are_detected()
    {
        StructuredTypeModel model = Model("Tree");
        Assert.True(model.HasRecursion);
        Assert.True(model.Find("global::Acme.Node")!.IsRecursive);
    }

    [Fact]
    public void Record_struct_binds_its_primary_constructor()
    {
        StructuredTypeDefinition point = Model("Point").Find("global::Acme.Point")!;
        Assert.True(point.IsValueType);
        Assert.Equal(2, point.ConstructorParameterCount);
        Assert.All(point.Properties, p => Assert.Equal(StructuredPropertyBinding.Constructor, p.Binding));
    }

    [Fact]
    public void Collections_dictionaries_and_framework_primitives()
    {
        StructuredTypeDefinition bag = Model("Bag").Find("global::Acme.Bag")!;
        var kinds = bag.Properties.ToDictionary(p => p.Name, p => p.Type);
        Assert.Equal(StructuredCollectionKind.Array, kinds["Numbers"].CollectionKind);
        Assert.Equal(StructuredCollectionKind.ImmutableArray, kinds["Words"].CollectionKind);
        Assert.Equal(StructuredCollectionKind.IEnumerable, kinds["Points"].CollectionKind);
        Assert.Equal(StructuredTypeKind.Dictionary, kinds["Counts"].Kind);
        Assert.Equal(StructuredPrimitive.Guid, kinds["Id"].Primitive);
        Assert.Equal(StructuredPrimitive.DateOnly, kinds["Day"].Primitive);
        Assert.Equal(StructuredPrimitive.Uri, kinds["Link"].Primitive);
        Assert.True(kinds["Grid"].Element!.Element!.IsNullableValueType);
        Assert.Equal("(byte)(7)", bag.Properties.Single(p => p.Name == "Small").DefaultValueExpression);
    }

    [Fact]
    public void Parsing_twice_gives_equal_models()
    {
        Compilation a = Compile(StructuredSamples.UserTypes);
        Compilation b = Compile(StructuredSamples.UserTypes);
        foreach ((string method, _) in StructuredSamples.Roots)
        {
            StructuredParseResult first = Parse(a, StructuredSamples.Holder, method);
            StructuredParseResult second = Parse(b, StructuredSamples.Holder, method);
            Assert.Equal(first, second);
            Assert.Equal(first.GetHashCode(), second.GetHashCode());
        }
    }

    [Fact]
    public void A_changed_description_changes_the_model()
    {
        Compilation changed = Compile(StructuredSamples.UserTypes.Replace("Free-text remarks.", "Other remarks."));
        Assert.NotEqual(Model("Invoice"), Parse(changed, StructuredSamples.Holder, "Invoice").Model);
    }

    [Theory]
    [InlineData("IntKeys", "string keys")]
    [InlineData("Disposable", "Interfaces other than")]
    [InlineData("Abstract", "Abstract classes")]
    [InlineData("Callback", "Delegates")]
    [InlineData("Anything", "'object'")]
    [InlineData("Locked", "no accessible constructor")]
    [InlineData("Pair", "Tuples")]
    [InlineData("Open", "Open generic")]
    [InlineData("TwoWays", "[JsonConstructor]")]
    [InlineData("Stray", "'other' does not match")]
    [InlineData("Flags", "[Flags]")]
    [InlineData("Nested", "Abstract classes")]
    [InlineData("NestedDelegate", "Delegates")]
    [InlineData("Clash", "same JSON name")]
    [InlineData("Empty", "no members")]
    [InlineData("Grid", "Multi-dimensional")]
    [InlineData("Custom", "collection type is not supported")]
    [InlineData("Deep", "nest more than")]
    [InlineData("Span", "framework type")]
    [InlineData("Dynamic", "'dynamic'")]
    public void Unsupported_types_give_a_reason(string method, string reasonFragment)
    {
        StructuredParseResult result = Parse(Unsupported.Value, "Bad.IBad`1", method);
        Assert.False(result.IsSupported);
        Assert.Null(result.Model);
        Assert.Contains(reasonFragment, result.Unsupported!.Reason);
        Assert.False(string.IsNullOrEmpty(result.Unsupported.Path));
    }

    [Fact]
    public void Unsupported_nested_member_names_its_path()
    {
        StructuredParseResult result = Parse(Unsupported.Value, "Bad.IBad`1", "Nested");
        Assert.Equal("HasShape.Shape", result.Unsupported!.Path);
        Assert.Equal("Shape", result.Unsupported.TypeName);
    }

    [Fact]
    public void Unsupported_source_compiles_so_the_reasons_are_about_the_types()
    {
        Assert.Empty(Unsupported.Value.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error));
    }

    [Fact]
    public void Private_nested_types_are_not_accessible()
    {
        Compilation compilation = Unsupported.Value;
        ITypeSymbol secret = compilation.GetTypeByMetadataName("Bad.Hidden+Secret")!;
        StructuredParseResult result = StructuredTypeParser.Parse(secret, compilation, CancellationToken.None);
        Assert.Contains("not accessible", result.Unsupported!.Reason);
    }

    [Fact]
    public void Error_types_and_missing_references_do_not_throw()
    {
        Compilation broken = Compile("""
            #nullable enable
            namespace Broken
            {
                public sealed record Holder(Missing Thing, System.Collections.Generic.List<AlsoMissing> Many);
                public interface IRoots { Missing Direct(); Holder Indirect(); NotThere<int> Generic(); }
            }
            """);
        foreach (string method in new[] { "Direct", "Indirect", "Generic" })
        {
            StructuredParseResult result = Parse(broken, "Broken.IRoots", method);
            Assert.False(result.IsSupported);
            Assert.Contains("could not be resolved", result.Unsupported!.Reason);
        }

        // No references at all: even string is an error type, and nothing throws.
        var bare = Microsoft.CodeAnalysis.CSharp.CSharpCompilation.Create("bare", [Microsoft.CodeAnalysis.CSharp.CSharpSyntaxTree.ParseText("namespace N { public interface I { string S(); System.Collections.Generic.List<int> L(); } }")]);
        foreach (string method in new[] { "S", "L" })
        {
            StructuredParseResult result = Parse(bare, "N.I", method);
            Assert.False(result.IsSupported);
        }
    }

    [Fact]
    public void Cancellation_is_honoured()
    {
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();
        ITypeSymbol type = ReturnType(Samples.Value, StructuredSamples.Holder, "Invoice");
        Assert.ThrowsAny<OperationCanceledException>(() => StructuredTypeParser.Parse(type, Samples.Value, cancelled.Token));
    }
}

public class StructuredParserNamingTests
{
    [Fact]
    public void Definitions_reached_through_a_nullable_use_keep_a_clean_display_name()
    {
        Compilation compilation = StructuredTestSupport.Compile(StructuredSamples.UserTypes);
        StructuredTypeModel model = StructuredTestSupport.Parse(compilation, StructuredSamples.Holder, "MaybeInvoice").Model!;
        Assert.Equal("Invoice", model.Find("global::Acme.Invoice")!.DisplayName);
        Assert.Equal("NullableInvoice", model.SafeName);
    }
}

public class StructuredModelShapeTests
{
    [Fact]
    public void Models_hold_only_values()
    {
        Compilation compilation = StructuredTestSupport.Compile(StructuredSamples.UserTypes);
        foreach ((string method, _) in StructuredSamples.Roots)
        {
            Walk(StructuredTestSupport.Parse(compilation, StructuredSamples.Holder, method), method);
        }
    }

    [Fact]
    public void Dictionaries_are_reported_for_model_compatibility_checks()
    {
        Compilation compilation = StructuredTestSupport.Compile(StructuredSamples.UserTypes);
        Assert.True(StructuredTestSupport.Parse(compilation, StructuredSamples.Holder, "Bag").Model!.ContainsDictionary());
        Assert.False(StructuredTestSupport.Parse(compilation, StructuredSamples.Holder, "Invoice").Model!.ContainsDictionary());
    }

    private static void Walk(object? value, string path)
    {
        if (value is null or string or bool or int or Enum)
        {
            return;
        }

        Type type = value.GetType();
        Assert.False(value is ISymbol or SyntaxNode or Location or Compilation or SemanticModel or Diagnostic, path + " holds " + type);
        if (value is System.Collections.IEnumerable items)
        {
            int i = 0;
            foreach (object? item in items)
            {
                Walk(item, path + "[" + i++ + "]");
            }

            return;
        }

        Assert.True(type.Namespace == "PromptGen.Generator.Structured", path + " holds unexpected " + type);
        foreach (var property in type.GetProperties())
        {
            if (property.GetIndexParameters().Length == 0 && property.Name != "EqualityContract")
            {
                Walk(property.GetValue(value), path + "." + property.Name);
            }
        }
    }
}
