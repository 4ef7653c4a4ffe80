using PromptGen.Generator.Common;
using PromptGen.Generator.Templates;

namespace PromptGen.Generator.Tests.Templates;

/// <summary>What the compiler reports for templates it cannot compile: kind, subject and a span inside the template.</summary>
public class TemplateDiagnosticsTests
{
    private static readonly TemplateType s_string = new("global::System.String", TemplateTypeKind.String, false);
    private static readonly TemplateType s_int = new("global::System.Int32", TemplateTypeKind.Integer, true);

    private static EquatableArray<TemplateParameter> Params(params (string Name, TemplateType Type)[] items) =>
        new(items.Select(i => new TemplateParameter(i.Name, i.Type)).ToArray());

    private static EquatableArray<TemplateParameter> Standard() => Params(
        ("name", s_string),
        ("count", s_int),
        ("items", new TemplateType("global::System.String[]", TemplateTypeKind.Enumerable, false, ElementType: s_string, CountMember: "Length")),
        ("customer", new TemplateType(
            "global::Test.Customer",
            TemplateTypeKind.Object,
            false,
            Members: new EquatableArray<TemplateMember>(new[] { new TemplateMember("Name", s_string), new TemplateMember("Age", s_int) }))));

    private static TemplateDiagnostic Single(string template, TemplateDiagnosticKind kind)
    {
        TemplateCompilation result = TemplateCompiler.Compile(template, Standard());
        Assert.False(result.Success);
        Assert.Null(result.Code);
        TemplateDiagnostic diagnostic = Assert.Single(result.Diagnostics);
        Assert.Equal(kind, diagnostic.Kind);
        Assert.InRange(diagnostic.Offset, 0, template.Length);
        Assert.InRange(diagnostic.Offset + diagnostic.Length, diagnostic.Offset, template.Length);
        return diagnostic;
    }

    private static void AssertSpan(string template, TemplateDiagnostic diagnostic, string expectedText)
    {
        Assert.Equal(expectedText, template.Substring(diagnostic.Offset, diagnostic.Length));
    }

    [Theory]
    [InlineData("Hi {{ func f }}x{{ end }}", "func", "func f }}x{{ end")]
    [InlineData("{{ capture c }}x{{ end }}", "capture", "capture c }}x{{ end")]
    [InlineData("a {{ y = 1 }}", "assignment", "y = 1")]
    [InlineData("{{ include 'other' }}", "include", "include")]
    [InlineData("{{ items[0] }}", "indexer [ ]", "items[0]")]
    [InlineData("{{ while true }}x{{ end }}", "while", null)]
    [InlineData("{{ case count }}{{ when 1 }}one{{ end }}", "case", null)]
    [InlineData("{{ name | string.capitalize }}", "string.capitalize", "string.capitalize")]
    [InlineData("{{ for x in items limit:2 }}{{ x }}{{ end }}", "for option 'limit'", null)]
    [InlineData("{{ for i in 1..3 }}{{ i }}{{ end }}", "range", "1..3")]
    [InlineData("{{ count / 2 }}", "operator '/'", "count / 2")]
    [InlineData("{{ $x }}", "local variable $x", "$x")]
    [InlineData("{{ customer }}", "rendering a value of type global::Test.Customer directly", "customer")]
    [InlineData("{{ items }}", "rendering a value of type global::System.String[] directly", "items")]
    [InlineData("{{ for.index }}", "for.index outside a loop", "for.index")]
    [InlineData("{{ with customer }}{{ end }}", "with", null)]
    [InlineData("{{ tablerow x in items }}{{ x }}{{ end }}", "tablerow", null)]
    [InlineData("{{ count ? 1 : 2 }}", "conditional expression ? :", null)]
    [InlineData("{{ name + 'x' }}", "operator '+' between global::System.String and string", "name + 'x'")]
    [InlineData("{{ for x in items }}{{ for.changed }}{{ end }}", "for.changed", "for.changed")]
    [InlineData("{{ array.join items }}", "array.join with 1 argument (it takes 2)", null)]
    [InlineData("{{ name | math.format '0' }}", "math.format of a value of type global::System.String", "name")]
    [InlineData("{{ string.upcase }}", "string.upcase without arguments", "string.upcase")]
    [InlineData("{{ name | object.default count | string.upcase }}", "object.default inside another expression", null)]
    public void Unsupported_constructs_are_named_with_their_span(string template, string subject, string? spanText)
    {
        TemplateDiagnostic diagnostic = Single(template, TemplateDiagnosticKind.UnsupportedConstruct);

        Assert.Equal(subject, diagnostic.Subject);
        Assert.Contains(subject, diagnostic.Message);
        Assert.True(diagnostic.Length > 0, diagnostic.ToString());
        if (spanText != null)
        {
            AssertSpan(template, diagnostic, spanText);
        }
    }

    [Fact]
    public void Unsupported_date_specifier_points_at_the_format()
    {
        var parameters = Params(("d", new TemplateType("global::System.DateTime", TemplateTypeKind.DateTime, true)));
        const string template = "{{ d | date.to_string '%e' }}";

        TemplateCompilation result = TemplateCompiler.Compile(template, parameters);

        TemplateDiagnostic diagnostic = Assert.Single(result.Diagnostics);
        Assert.Equal(TemplateDiagnosticKind.UnsupportedConstruct, diagnostic.Kind);
        Assert.Equal("date format '%e'", diagnostic.Subject);
        Assert.Equal("'%e'", template.Substring(diagnostic.Offset, diagnostic.Length));
    }

    [Theory]
    [InlineData("Hello {{ nme }}!", "nme", "nme", 0, 9)]
    [InlineData("Line one\nHello {{ customer.Nmae }}", "Nmae", "Nmae", 1, 18)]
    [InlineData("{{ for x in items }}{{ y }}{{ end }}", "y", "y", 0, 23)]
    [InlineData("{{ if missing > 1 }}x{{ end }}", "missing", "missing", 0, 6)]
    public void Unknown_variables_are_reported_with_line_and_column(string template, string subject, string spanText, int line, int column)
    {
        TemplateDiagnostic diagnostic = Single(template, TemplateDiagnosticKind.UnknownVariable);

        Assert.Equal(subject, diagnostic.Subject);
        Assert.Contains("'" + subject + "'", diagnostic.Message);
        AssertSpan(template, diagnostic, spanText);
        Assert.Equal(line, diagnostic.Line);
        Assert.Equal(column, diagnostic.Column);
    }

    [Fact]
    public void Loop_variable_is_not_visible_after_the_loop()
    {
        TemplateCompilation result = TemplateCompiler.Compile("{{ for x in items }}{{ end }}{{ x }}", Standard());

        Assert.Equal(TemplateDiagnosticKind.UnknownVariable, Assert.Single(result.Diagnostics).Kind);
    }

    [Theory]
    [InlineData("{{ if }")]
    [InlineData("{{ end }}")]
    [InlineData("{{ for x in }}{{ end }}")]
    [InlineData("Hello {{ for }}")]
    [InlineData("{{ \"abc }}")]
    [InlineData("{{ if name }}never closed")]
    [InlineData("{{ name | }}")]
    [InlineData("line\n  {{ (name }}")]
    public void Parse_errors_have_a_span_inside_the_template(string template)
    {
        TemplateCompilation result = TemplateCompiler.Compile(template, Standard());

        Assert.False(result.Success);
        Assert.NotEmpty(result.Diagnostics);
        foreach (TemplateDiagnostic diagnostic in result.Diagnostics)
        {
            Assert.Equal(TemplateDiagnosticKind.ParseError, diagnostic.Kind);
            Assert.False(string.IsNullOrWhiteSpace(diagnostic.Message));
            Assert.InRange(diagnostic.Offset, 0, template.Length);
            Assert.InRange(diagnostic.Offset + diagnostic.Length, 0, template.Length);
            Assert.True(diagnostic.Line >= 0 && diagnostic.Column >= 0);
        }
    }

    [Fact]
    public void Several_problems_are_all_reported_in_template_order()
    {
        TemplateCompilation result = TemplateCompiler.Compile("{{ a }} {{ capture c }}{{ end }} {{ b }}", Standard());

        Assert.Equal(
            new[] { TemplateDiagnosticKind.UnknownVariable, TemplateDiagnosticKind.UnsupportedConstruct, TemplateDiagnosticKind.UnknownVariable },
            result.Diagnostics.Select(d => d.Kind).ToArray());
        Assert.Equal(new[] { "a", "capture", "b" }, result.Diagnostics.Select(d => d.Subject).ToArray());
    }

    [Fact]
    public void Used_parameters_follow_declaration_order_and_skip_unused_ones()
    {
        TemplateCompilation result = TemplateCompiler.Compile("{{ customer.Name }} {{ for i in items }}{{ i }}{{ end }}", Standard());

        Assert.True(result.Success);
        Assert.Equal(new[] { "items", "customer" }, result.UsedParameters.ToArray());
    }

    [Fact]
    public void Used_parameters_are_reported_even_when_the_template_has_errors()
    {
        TemplateCompilation result = TemplateCompiler.Compile("{{ name }} {{ nope }}", Standard());

        Assert.False(result.Success);
        Assert.Equal(new[] { "name" }, result.UsedParameters.ToArray());
    }

    [Fact]
    public void Parameters_shadowing_builtin_objects_win()
    {
        var parameters = Params(("date", s_string), ("string", s_string));

        TemplateCompilation result = TemplateCompiler.Compile("{{ date }} {{ string }}", parameters);

        Assert.True(result.Success, string.Join("\n", result.Diagnostics));
        Assert.Contains("builder.Append(date);", result.Code);
        Assert.Contains("builder.Append(@string);", result.Code);
    }

    [Fact]
    public void Results_are_equatable_and_deterministic()
    {
        const string template = "{{ for i in items }}{{ for.index }}{{ i | string.upcase }}{{ end }} {{ customer.Age > 3 }}";

        TemplateCompilation a = TemplateCompiler.Compile(template, Standard());
        TemplateCompilation b = TemplateCompiler.Compile(template, Standard());

        Assert.Equal(a, b);
        Assert.Equal(a.GetHashCode(), b.GetHashCode());
        Assert.NotEqual(a, TemplateCompiler.Compile(template + " ", Standard()));
    }

    [Fact]
    public void Options_set_the_builder_name_and_indentation()
    {
        TemplateCompilation result = TemplateCompiler.Compile("x{{ name }}", Standard(), new TemplateCompilerOptions("sb", 2));

        Assert.Equal("        sb.Append(\"x\");\n        sb.Append(name);\n", result.Code);
    }
}

public class TemplateNumericSafetyTests
{
    private static readonly TemplateType s_ulong = new("global::System.UInt64", TemplateTypeKind.Integer, true);
    private static readonly TemplateType s_int = new("global::System.Int32", TemplateTypeKind.Integer, true);
    private static readonly TemplateType s_double = new("global::System.Double", TemplateTypeKind.Floating, true);
    private static readonly TemplateType s_decimal = new("global::System.Decimal", TemplateTypeKind.Decimal, true);

    private static EquatableArray<TemplateParameter> Params() => new(new[]
    {
        new TemplateParameter("u", s_ulong), new TemplateParameter("i", s_int), new TemplateParameter("d", s_double),
        new TemplateParameter("m", s_decimal),
    });

    // Each of these would be a C# compile error (CS0034, CS0019) in the generated code, so the compiler refuses them.
    [Theory]
    [InlineData("{{ u > i }}")]
    [InlineData("{{ u == -1 }}")]
    [InlineData("{{ u + 1 }}")]
    [InlineData("{{ m > d }}")]
    [InlineData("{{ d + 1 }}")]
    [InlineData("{{ 12345678901234567890123 }}")]
    public void Mixes_csharp_cannot_compile_are_unsupported(string template)
    {
        TemplateCompilation result = TemplateCompiler.Compile(template, Params());

        Assert.Equal(TemplateDiagnosticKind.UnsupportedConstruct, Assert.Single(result.Diagnostics).Kind);
    }

    [Theory]
    [InlineData("{{ u > 5 }}")]
    [InlineData("{{ m > 1.5 }}")]
    [InlineData("{{ d > 1 }}")]
    [InlineData("{{ i * 2 }}")]
    public void Literals_adapt_to_the_other_operand(string template)
    {
        Assert.True(TemplateCompiler.Compile(template, Params()).Success);
    }
}
