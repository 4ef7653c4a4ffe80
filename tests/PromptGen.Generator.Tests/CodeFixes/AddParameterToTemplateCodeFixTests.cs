using PromptGen.CodeFixes;
using static PromptGen.Generator.Tests.CodeFixes.CodeFixVerifier;

namespace PromptGen.Generator.Tests.CodeFixes;

/// <summary>PG0011: append <c>{{ name }}</c> to the inline template.</summary>
public sealed class AddParameterToTemplateCodeFixTests
{
    [Fact]
    public Task PG0011_appends_the_parameter_to_a_regular_literal() => VerifyAsync<AddParameterToTemplateCodeFixProvider>("""
        [Prompt(Model = "anthropic.claude-3-7-sonnet-20250219-v1:0")]
        public interface ISummaries
        {
            [UserPrompt("Summarize:\n{{ text }}")]
            Task<string> SummarizeAsync(string text, string {|PG0011:audience|}, CancellationToken cancellationToken = default);
        }
        """, """
        [Prompt(Model = "anthropic.claude-3-7-sonnet-20250219-v1:0")]
        public interface ISummaries
        {
            [UserPrompt("Summarize:\n{{ text }} {{ audience }}")]
            Task<string> SummarizeAsync(string text, string audience, CancellationToken cancellationToken = default);
        }
        """,
        AddParameterToTemplateCodeFixProvider.AddParameterToTemplateKey);

    [Fact]
    public Task PG0011_appends_to_a_multi_line_raw_literal() => VerifyAsync<AddParameterToTemplateCodeFixProvider>(""""
        [Prompt(Model = "anthropic.claude-3-7-sonnet-20250219-v1:0")]
        public interface ISummaries
        {
            [UserPrompt("""
                Summarize:
                {{ text }}
                """)]
            Task<string> SummarizeAsync(string text, int {|PG0011:words|}, CancellationToken cancellationToken = default);
        }
        """", """"
        [Prompt(Model = "anthropic.claude-3-7-sonnet-20250219-v1:0")]
        public interface ISummaries
        {
            [UserPrompt("""
                Summarize:
                {{ text }} {{ words }}
                """)]
            Task<string> SummarizeAsync(string text, int words, CancellationToken cancellationToken = default);
        }
        """",
        AddParameterToTemplateCodeFixProvider.AddParameterToTemplateKey);

    [Fact]
    public Task PG0011_fix_all_appends_in_every_method() => VerifyAsync<AddParameterToTemplateCodeFixProvider>("""
        [Prompt(Model = "anthropic.claude-3-7-sonnet-20250219-v1:0")]
        public interface ISummaries
        {
            [UserPrompt(@"Summarize: {{ text }}")]
            Task<string> SummarizeAsync(string text, string {|PG0011:audience|}, CancellationToken cancellationToken = default);

            [UserPrompt("Translate: {{ text }}")]
            Task<string> TranslateAsync(string text, string {|PG0011:language|}, CancellationToken cancellationToken = default);
        }
        """, """
        [Prompt(Model = "anthropic.claude-3-7-sonnet-20250219-v1:0")]
        public interface ISummaries
        {
            [UserPrompt(@"Summarize: {{ text }} {{ audience }}")]
            Task<string> SummarizeAsync(string text, string audience, CancellationToken cancellationToken = default);

            [UserPrompt("Translate: {{ text }} {{ language }}")]
            Task<string> TranslateAsync(string text, string language, CancellationToken cancellationToken = default);
        }
        """,
        AddParameterToTemplateCodeFixProvider.AddParameterToTemplateKey);

    private const string ConstantTemplate = """
        [Prompt(Model = "anthropic.claude-3-7-sonnet-20250219-v1:0")]
        public interface ISummaries
        {
            const string Prefix = "Summarize: ";

            [UserPrompt(Prefix + "{{ text }}")]
            Task<string> SummarizeAsync(string text, string {|PG0011:audience|}, CancellationToken cancellationToken = default);
        }
        """;

    [Fact]
    public Task PG0011_is_not_offered_for_a_template_built_from_constants() =>
        VerifyAsync<AddParameterToTemplateCodeFixProvider>(ConstantTemplate, ConstantTemplate);
}
