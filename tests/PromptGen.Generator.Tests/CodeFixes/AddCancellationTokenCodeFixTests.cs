using PromptGen.CodeFixes;
using static PromptGen.Generator.Tests.CodeFixes.CodeFixVerifier;

namespace PromptGen.Generator.Tests.CodeFixes;

/// <summary>PG0013: append <c>CancellationToken cancellationToken = default</c>.</summary>
public sealed class AddCancellationTokenCodeFixTests
{
    [Fact]
    public Task PG0013_appends_the_token_after_the_parameters() => VerifyAsync<AddCancellationTokenCodeFixProvider>("""
        [Prompt(Model = "amazon.nova-micro-v1:0")]
        public interface IAsk
        {
            [UserPrompt("{{ q }}")]
            Task<string> {|PG0013:AskAsync|}(string q);
        }
        """, """
        [Prompt(Model = "amazon.nova-micro-v1:0")]
        public interface IAsk
        {
            [UserPrompt("{{ q }}")]
            Task<string> AskAsync(string q, CancellationToken cancellationToken = default);
        }
        """,
        AddCancellationTokenCodeFixProvider.AddCancellationTokenKey);

    [Fact]
    public Task PG0013_fully_qualifies_the_type_without_a_using_and_fixes_all() => VerifyAsync<AddCancellationTokenCodeFixProvider>("""
        [Prompt(Model = "amazon.nova-micro-v1:0")]
        public interface IAsk
        {
            [UserPrompt("Hello")]
            Task<string> {|PG0013:HelloAsync|}();

            [UserPrompt("{{ q }} in {{ language }}")]
            Task<string> {|PG0013:AskAsync|}(string q, string language);
        }
        """, """
        [Prompt(Model = "amazon.nova-micro-v1:0")]
        public interface IAsk
        {
            [UserPrompt("Hello")]
            Task<string> HelloAsync(System.Threading.CancellationToken cancellationToken = default);

            [UserPrompt("{{ q }} in {{ language }}")]
            Task<string> AskAsync(string q, string language, System.Threading.CancellationToken cancellationToken = default);
        }
        """,
        AddCancellationTokenCodeFixProvider.AddCancellationTokenKey,
        usings: "using System.Threading.Tasks;\nusing PromptGen;\n");
}
