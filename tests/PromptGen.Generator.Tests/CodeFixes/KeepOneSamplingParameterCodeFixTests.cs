using PromptGen.CodeFixes;
using static PromptGen.Generator.Tests.CodeFixes.CodeFixVerifier;

namespace PromptGen.Generator.Tests.CodeFixes;

/// <summary>PG0005: keep temperature (remove TopP) or keep topP (remove Temperature, the diagnostic's additional location).</summary>
public sealed class KeepOneSamplingParameterCodeFixTests
{
    private const string Haiku45 = "us.anthropic.claude-haiku-4-5-20251001-v1:0";

    [Fact]
    public Task PG0005_keep_temperature_removes_topP() => VerifyAsync<KeepOneSamplingParameterCodeFixProvider>(
        Prompt(Haiku45, "Temperature = 0.2, {|PG0005:TopP = 0.3|}"),
        Prompt(Haiku45, "Temperature = 0.2"),
        KeepOneSamplingParameterCodeFixProvider.KeepTemperatureKey);

    [Fact]
    public Task PG0005_keep_topP_removes_temperature() => VerifyAsync<KeepOneSamplingParameterCodeFixProvider>(
        Prompt(Haiku45, "Temperature = 0.2, {|PG0005:TopP = 0.3|}"),
        Prompt(Haiku45, "TopP = 0.3"),
        KeepOneSamplingParameterCodeFixProvider.KeepTopPKey);

    private const string TwoMethods = """
        [Prompt(Model = "us.anthropic.claude-haiku-4-5-20251001-v1:0", Temperature = 0.2)]
        public interface IChat
        {
            [Prompt({|PG0005:TopP = 0.3|})]
            [UserPrompt("{{ q }}")]
            Task<string> AskAsync(string q, CancellationToken cancellationToken = default);

            [Prompt(MaxTokens = 300, {|PG0005:TopP = 0.5|})]
            [UserPrompt("Explain: {{ q }}")]
            Task<string> ExplainAsync(string q, CancellationToken cancellationToken = default);
        }
        """;

    [Fact]
    public Task PG0005_fix_all_keep_temperature_removes_every_topP() => VerifyAsync<KeepOneSamplingParameterCodeFixProvider>(TwoMethods, """
        [Prompt(Model = "us.anthropic.claude-haiku-4-5-20251001-v1:0", Temperature = 0.2)]
        public interface IChat
        {
            [Prompt]
            [UserPrompt("{{ q }}")]
            Task<string> AskAsync(string q, CancellationToken cancellationToken = default);

            [Prompt(MaxTokens = 300)]
            [UserPrompt("Explain: {{ q }}")]
            Task<string> ExplainAsync(string q, CancellationToken cancellationToken = default);
        }
        """,
        KeepOneSamplingParameterCodeFixProvider.KeepTemperatureKey);

    [Fact]
    public Task PG0005_fix_all_keep_topP_removes_the_shared_interface_temperature_once() => VerifyAsync<KeepOneSamplingParameterCodeFixProvider>(TwoMethods, """
        [Prompt(Model = "us.anthropic.claude-haiku-4-5-20251001-v1:0")]
        public interface IChat
        {
            [Prompt(TopP = 0.3)]
            [UserPrompt("{{ q }}")]
            Task<string> AskAsync(string q, CancellationToken cancellationToken = default);

            [Prompt(MaxTokens = 300, TopP = 0.5)]
            [UserPrompt("Explain: {{ q }}")]
            Task<string> ExplainAsync(string q, CancellationToken cancellationToken = default);
        }
        """,
        KeepOneSamplingParameterCodeFixProvider.KeepTopPKey);

    [Fact]
    public Task PG0005_keep_topP_removes_temperature_from_the_other_file_of_a_partial_interface() => VerifyAsync<KeepOneSamplingParameterCodeFixProvider>(
        [
            ("""
            [Prompt(Model = "us.anthropic.claude-haiku-4-5-20251001-v1:0", Temperature = 0.2)]
            public partial interface IChat
            {
            }
            """, """
            [Prompt(Model = "us.anthropic.claude-haiku-4-5-20251001-v1:0")]
            public partial interface IChat
            {
            }
            """),
            ("""
            public partial interface IChat
            {
                [Prompt({|PG0005:TopP = 0.3|})]
                [UserPrompt("{{ q }}")]
                Task<string> AskAsync(string q, CancellationToken cancellationToken = default);
            }
            """, """
            public partial interface IChat
            {
                [Prompt(TopP = 0.3)]
                [UserPrompt("{{ q }}")]
                Task<string> AskAsync(string q, CancellationToken cancellationToken = default);
            }
            """),
        ],
        KeepOneSamplingParameterCodeFixProvider.KeepTopPKey);
}
