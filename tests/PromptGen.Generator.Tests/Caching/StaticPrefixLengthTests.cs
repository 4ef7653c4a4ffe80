using PromptGen.Generator.Prompts;
using Scriban;
using Scriban.Runtime;

namespace PromptGen.Generator.Tests.Caching;

/// <summary>
/// The static prefix the emitter passes with <c>CachePrompt</c>: the literal text every rendering of a template starts
/// with. Each case checks the length and that Scriban's own rendering, with values that differ, really starts with it.
/// </summary>
public sealed class StaticPrefixLengthTests
{
    [Theory]
    [InlineData("Extract the fields from:\n{{ text }}", "Extract the fields from:\n")]        // plain tag
    [InlineData("{{ text }} is the question", "")]                                               // leading tag: no prefix
    [InlineData("No tag at all.", "")]                                                           // all literal: nothing to split off
    [InlineData("", "")]
    [InlineData("Context:\n  {{~ text }}", "Context:")]                                        // {{~ eats the whitespace before it
    [InlineData("Context:   {{- text }}", "Context:")]                                         // {{- too
    [InlineData("Code:\n{%{ {{ not a tag }} }%}\n{{ text }}", "Code:")]                        // a raw block renders differently from its source
    [InlineData("A {{# a comment }} and {{ text }}", "A ")]                                   // a comment is a tag too
    [InlineData("Price in {{ text }}: {{ text }}", "Price in ")]
    public void The_prefix_is_the_literal_text_before_the_first_tag(string template, string expected)
    {
        int length = PromptEmitter.StaticPrefixLength(template);

        Assert.Equal(expected, template[..length]);
        foreach (string value in new[] { "alpha", "  spaced  ", string.Empty, "{{ x }}" })
        {
            string rendered = Render(template, value);
            Assert.StartsWith(expected, rendered, StringComparison.Ordinal);
        }
    }

    private static string Render(string text, string value)
    {
        Template template = Template.Parse(text);
        Assert.False(template.HasErrors, string.Join("; ", template.Messages));
        var globals = new ScriptObject();
        globals.SetValue("text", value, false);
        var context = new TemplateContext();
        context.PushGlobal(globals);
        return template.Render(context);
    }
}
