using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using PromptGen.Generator.Analyzers;

namespace PromptGen.Generator.Tests.Analyzers;

/// <summary>Template offsets map exactly to source positions in regular (with escapes), verbatim and raw string literals.</summary>
public sealed class TemplateLocationTests
{
    [Theory]
    [InlineData("\"plain {{ x }}\"")]
    [InlineData("\"tab\\there\\nnew \\\"quoted\\\" \\\\ back \\0 \\a\\b\\f\\r\\v\"")]
    [InlineData("\"\\u00e9t\\u00E9 \\x41\\x042 \\U0001F600 {{ x }}\"")]
    [InlineData("\"\\xABCDE\"")]
    [InlineData("@\"verbatim \"\"quoted\"\" \\n {{ x }}\"")]
    [InlineData("@\"multi\r\nline {{ x }}\"")]
    [InlineData("\"\"\"raw \"quoted\" {{ x }}\"\"\"")]
    [InlineData("\"\"\"\"raw with \"\"\" inside\"\"\"\"")]
    [InlineData("\"\"\"\n    first\n      indented {{ x }}\n    last\n    \"\"\"")]
    [InlineData("\"\"\"\r\n\tfirst\r\n\t\tsecond\r\n\t\"\"\"")]
    [InlineData("\"\"\"\n    \n    after blank\n    \"\"\"")]
    public void Every_value_character_maps_to_the_source_character_that_produces_it(string literal)
    {
        SyntaxToken token = CSharpSyntaxTree.ParseText("class C { string s = " + literal + "; }")
            .GetRoot().DescendantNodes().OfType<LiteralExpressionSyntax>().Single().Token;
        int[]? map = TemplateLocations.Build(token);

        Assert.NotNull(map);
        string text = token.Text;
        string value = token.ValueText;
        Assert.Equal(value.Length + 1, map!.Length);
        for (int i = 0; i < value.Length; i++)
        {
            char source = text[map[i]];
            bool escaped = source == '\\' && !text.StartsWith('@') && !text.StartsWith("\"\"\"", StringComparison.Ordinal);
            Assert.True(escaped || source == value[i] || (source == '"' && value[i] == '"'),
                $"value[{i}] = '{value[i]}' maps to text[{map[i]}] = '{source}' in {text}");
            Assert.True(i == 0 || map[i] >= map[i - 1], "offsets never go backwards");
        }

        Assert.True(map[value.Length] <= text.Length);
    }

    [Fact]
    public void Other_expressions_map_to_the_whole_expression()
    {
        SyntaxTree tree = CSharpSyntaxTree.ParseText("class C { string s = \"a\" + \"{{ x }}\"; }");
        ExpressionSyntax expression = tree.GetRoot().DescendantNodes().OfType<BinaryExpressionSyntax>().Single();
        Location location = TemplateLocations.Map(expression, 3, 1);
        Assert.Equal(expression.Span, location.SourceSpan);
    }
}
