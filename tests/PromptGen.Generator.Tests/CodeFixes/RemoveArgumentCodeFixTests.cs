using PromptGen.CodeFixes;
using static PromptGen.Generator.Tests.CodeFixes.CodeFixVerifier;

namespace PromptGen.Generator.Tests.CodeFixes;

/// <summary>Code fixes that remove the underlined named argument: PG0001–PG0003, PG0006, PG0015, PG0016.</summary>
public sealed class RemoveArgumentCodeFixTests
{
    private const string Haiku45 = "us.anthropic.claude-haiku-4-5-20251001-v1:0";
    private const string Sonnet37 = "anthropic.claude-3-7-sonnet-20250219-v1:0";
    private const string Opus47 = "global.anthropic.claude-opus-4-7";
    private const string Llama3 = "meta.llama3-8b-instruct-v1:0";
    private const string Haiku35 = "anthropic.claude-3-5-haiku-20241022-v1:0";

    [Fact]
    public Task PG0001_removes_the_temperature_override() => VerifyAsync<RemoveArgumentCodeFixProvider>(
        Prompt(Haiku45, "UseCase = UseCase.Classification, {|PG0001:Temperature = 0.9|}"),
        Prompt(Haiku45, "UseCase = UseCase.Classification"),
        RemoveArgumentCodeFixProvider.RemoveOverrideKey);

    [Fact]
    public Task PG0001_removes_the_argument_list_when_it_empties() => VerifyAsync<RemoveArgumentCodeFixProvider>("""
        [Prompt(Model = "us.anthropic.claude-haiku-4-5-20251001-v1:0", UseCase = UseCase.Classification)]
        public interface IAsk
        {
            [Prompt({|PG0001:Temperature = 0.9|})]
            [UserPrompt("Answer: {{ q }}")]
            Task<string> AskAsync(string q, CancellationToken cancellationToken = default);
        }
        """, """
        [Prompt(Model = "us.anthropic.claude-haiku-4-5-20251001-v1:0", UseCase = UseCase.Classification)]
        public interface IAsk
        {
            [Prompt]
            [UserPrompt("Answer: {{ q }}")]
            Task<string> AskAsync(string q, CancellationToken cancellationToken = default);
        }
        """,
        RemoveArgumentCodeFixProvider.RemoveOverrideKey);

    [Fact]
    public Task PG0001_fix_all_removes_every_override_in_the_document() => VerifyAsync<RemoveArgumentCodeFixProvider>("""
        [Prompt(Model = "us.anthropic.claude-haiku-4-5-20251001-v1:0")]
        public interface IReviews
        {
            [Prompt(UseCase = UseCase.Classification, {|PG0001:Temperature = 0.9|})]
            [UserPrompt("Sentiment of: {{ review }}")]
            Task<string> SentimentAsync(string review, CancellationToken cancellationToken = default);

            [Prompt({|PG0001:Temperature = 0.8|}, UseCase = UseCase.Extraction)]
            [UserPrompt("Names in: {{ review }}")]
            Task<string> NamesAsync(string review, CancellationToken cancellationToken = default);
        }
        """, """
        [Prompt(Model = "us.anthropic.claude-haiku-4-5-20251001-v1:0")]
        public interface IReviews
        {
            [Prompt(UseCase = UseCase.Classification)]
            [UserPrompt("Sentiment of: {{ review }}")]
            Task<string> SentimentAsync(string review, CancellationToken cancellationToken = default);

            [Prompt(UseCase = UseCase.Extraction)]
            [UserPrompt("Names in: {{ review }}")]
            Task<string> NamesAsync(string review, CancellationToken cancellationToken = default);
        }
        """,
        RemoveArgumentCodeFixProvider.RemoveOverrideKey);

    [Fact]
    public Task PG0002_removes_the_topP_override() => VerifyAsync<RemoveArgumentCodeFixProvider>(
        Prompt(Sonnet37, "UseCase = UseCase.Extraction, {|PG0002:TopP = 0.9|}"),
        Prompt(Sonnet37, "UseCase = UseCase.Extraction"),
        RemoveArgumentCodeFixProvider.RemoveOverrideKey);

    [Fact]
    public Task PG0003_removes_the_maxTokens_override_in_the_middle() => VerifyAsync<RemoveArgumentCodeFixProvider>(
        Prompt(Sonnet37, "UseCase = UseCase.Classification, {|PG0003:MaxTokens = 1000|}, Temperature = 0.1"),
        Prompt(Sonnet37, "UseCase = UseCase.Classification, Temperature = 0.1"),
        RemoveArgumentCodeFixProvider.RemoveOverrideKey);

    [Fact]
    public Task PG0006_removes_the_rejected_parameter() => VerifyAsync<RemoveArgumentCodeFixProvider>(
        Prompt(Opus47, "UseCase = UseCase.Chatbot, {|PG0006:Temperature = 0.2|}"),
        Prompt(Opus47, "UseCase = UseCase.Chatbot"),
        RemoveArgumentCodeFixProvider.RemoveRejectedParameterKey);

    [Fact]
    public Task PG0006_fix_all_removes_every_rejected_parameter() => VerifyAsync<RemoveArgumentCodeFixProvider>("""
        [Prompt(Model = "meta.llama3-8b-instruct-v1:0")]
        public interface IAsk
        {
            [Prompt({|PG0006:TopK = 40|})]
            [UserPrompt("Answer: {{ q }}")]
            Task<string> AskAsync(string q, CancellationToken cancellationToken = default);

            [Prompt(MaxTokens = 300, {|PG0006:TopK = 10|})]
            [UserPrompt("Explain: {{ q }}")]
            Task<string> ExplainAsync(string q, CancellationToken cancellationToken = default);
        }
        """, """
        [Prompt(Model = "meta.llama3-8b-instruct-v1:0")]
        public interface IAsk
        {
            [Prompt]
            [UserPrompt("Answer: {{ q }}")]
            Task<string> AskAsync(string q, CancellationToken cancellationToken = default);

            [Prompt(MaxTokens = 300)]
            [UserPrompt("Explain: {{ q }}")]
            Task<string> ExplainAsync(string q, CancellationToken cancellationToken = default);
        }
        """,
        RemoveArgumentCodeFixProvider.RemoveRejectedParameterKey);

    [Fact]
    public Task PG0015_removes_LatencyOptimized() => VerifyAsync<RemoveArgumentCodeFixProvider>(
        Prompt(Haiku35, "MaxTokens = 300, {|PG0015:LatencyOptimized = true|}"),
        Prompt(Haiku35, "MaxTokens = 300"),
        RemoveArgumentCodeFixProvider.RemoveLatencyOptimizedKey);

    [Fact]
    public Task PG0015_fix_all_removes_every_LatencyOptimized() => VerifyAsync<RemoveArgumentCodeFixProvider>("""
        [Prompt(Model = "anthropic.claude-3-5-haiku-20241022-v1:0")]
        public interface IAsk
        {
            [Prompt({|PG0015:LatencyOptimized = true|})]
            [UserPrompt("Answer: {{ q }}")]
            Task<string> AskAsync(string q, CancellationToken cancellationToken = default);

            [Prompt({|PG0015:LatencyOptimized = true|}, MaxTokens = 300)]
            [UserPrompt("Explain: {{ q }}")]
            Task<string> ExplainAsync(string q, CancellationToken cancellationToken = default);
        }
        """, """
        [Prompt(Model = "anthropic.claude-3-5-haiku-20241022-v1:0")]
        public interface IAsk
        {
            [Prompt]
            [UserPrompt("Answer: {{ q }}")]
            Task<string> AskAsync(string q, CancellationToken cancellationToken = default);

            [Prompt(MaxTokens = 300)]
            [UserPrompt("Explain: {{ q }}")]
            Task<string> ExplainAsync(string q, CancellationToken cancellationToken = default);
        }
        """,
        RemoveArgumentCodeFixProvider.RemoveLatencyOptimizedKey);

    [Fact]
    public Task PG0016_removes_CacheResponse() => VerifyAsync<RemoveArgumentCodeFixProvider>(
        Prompt(Sonnet37, "UseCase = UseCase.Chatbot, {|PG0016:CacheResponse = true|}"),
        Prompt(Sonnet37, "UseCase = UseCase.Chatbot"),
        RemoveArgumentCodeFixProvider.RemoveCacheResponseKey);

    [Fact]
    public Task PG0016_fix_all_removes_every_CacheResponse() => VerifyAsync<RemoveArgumentCodeFixProvider>("""
        [Prompt(Model = "anthropic.claude-3-7-sonnet-20250219-v1:0", UseCase = UseCase.Chatbot)]
        public interface IAsk
        {
            [Prompt({|PG0016:CacheResponse = true|})]
            [UserPrompt("Answer: {{ q }}")]
            Task<string> AskAsync(string q, CancellationToken cancellationToken = default);

            [Prompt(Temperature = 0.2, {|PG0016:CacheResponse = true|})]
            [UserPrompt("Explain: {{ q }}")]
            Task<string> ExplainAsync(string q, CancellationToken cancellationToken = default);
        }
        """, """
        [Prompt(Model = "anthropic.claude-3-7-sonnet-20250219-v1:0", UseCase = UseCase.Chatbot)]
        public interface IAsk
        {
            [Prompt]
            [UserPrompt("Answer: {{ q }}")]
            Task<string> AskAsync(string q, CancellationToken cancellationToken = default);

            [Prompt(Temperature = 0.2)]
            [UserPrompt("Explain: {{ q }}")]
            Task<string> ExplainAsync(string q, CancellationToken cancellationToken = default);
        }
        """,
        RemoveArgumentCodeFixProvider.RemoveCacheResponseKey);

    [Fact]
    public Task PG0001_sets_the_preset_value() => VerifyAsync<RemoveArgumentCodeFixProvider>(
        Prompt(Haiku45, "UseCase = UseCase.Classification, {|PG0001:Temperature = 0.9|}"),
        Prompt(Haiku45, "UseCase = UseCase.Classification, Temperature = 0"),
        RemoveArgumentCodeFixProvider.SetPresetKey);

    [Fact]
    public Task PG0002_and_PG0003_fix_all_set_each_preset_value() => VerifyAsync<RemoveArgumentCodeFixProvider>("""
        [Prompt(Model = "anthropic.claude-3-7-sonnet-20250219-v1:0")]
        public interface IAsk
        {
            [Prompt(UseCase = UseCase.Extraction, {|PG0002:TopP = 0.9|})]
            [UserPrompt("Names in: {{ q }}")]
            Task<string> NamesAsync(string q, CancellationToken cancellationToken = default);

            [Prompt(UseCase = UseCase.Extraction, {|PG0002:TopP = 0.8|})]
            [UserPrompt("Dates in: {{ q }}")]
            Task<string> DatesAsync(string q, CancellationToken cancellationToken = default);
        }
        """, """
        [Prompt(Model = "anthropic.claude-3-7-sonnet-20250219-v1:0")]
        public interface IAsk
        {
            [Prompt(UseCase = UseCase.Extraction, TopP = 0.1)]
            [UserPrompt("Names in: {{ q }}")]
            Task<string> NamesAsync(string q, CancellationToken cancellationToken = default);

            [Prompt(UseCase = UseCase.Extraction, TopP = 0.1)]
            [UserPrompt("Dates in: {{ q }}")]
            Task<string> DatesAsync(string q, CancellationToken cancellationToken = default);
        }
        """,
        RemoveArgumentCodeFixProvider.SetPresetKey);

    [Fact]
    public Task PG0003_sets_the_preset_maxTokens() => VerifyAsync<RemoveArgumentCodeFixProvider>(
        Prompt(Sonnet37, "UseCase = UseCase.CodeGeneration, {|PG0003:MaxTokens = 100|}"),
        Prompt(Sonnet37, "UseCase = UseCase.CodeGeneration, MaxTokens = 4096"),
        RemoveArgumentCodeFixProvider.SetPresetKey);
}
