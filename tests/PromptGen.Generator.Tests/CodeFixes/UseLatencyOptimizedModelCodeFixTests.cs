using PromptGen.CodeFixes;
using static PromptGen.Generator.Tests.CodeFixes.CodeFixVerifier;

namespace PromptGen.Generator.Tests.CodeFixes;

/// <summary>PG0015 "switch to a supported inference profile": the model becomes one the catalogue says is latency-optimized.</summary>
public sealed class UseLatencyOptimizedModelCodeFixTests
{
    private const string Key = UseLatencyOptimizedModelCodeFixProvider.UseLatencyOptimizedModelKey;

    [Fact]
    public Task A_base_id_becomes_its_cross_region_profile() => VerifyAsync<UseLatencyOptimizedModelCodeFixProvider>("""
        [Prompt(Model = "anthropic.claude-3-5-haiku-20241022-v1:0", {|PG0015:LatencyOptimized = true|})]
        public interface IAsk
        {
            [UserPrompt("Answer: {{ q }}")]
            Task<string> AskAsync(string q, CancellationToken cancellationToken = default);
        }
        """, """
        [Prompt(Model = "us.anthropic.claude-3-5-haiku-20241022-v1:0", LatencyOptimized = true)]
        public interface IAsk
        {
            [UserPrompt("Answer: {{ q }}")]
            Task<string> AskAsync(string q, CancellationToken cancellationToken = default);
        }
        """, Key);

    [Fact]
    public Task A_profile_in_the_wrong_geography_becomes_one_that_serves_it() => VerifyAsync<UseLatencyOptimizedModelCodeFixProvider>(
        Prompt("eu.amazon.nova-pro-v1:0", "{|PG0015:LatencyOptimized = true|}, Model = \"eu.amazon.nova-pro-v1:0\""),
        Prompt("eu.amazon.nova-pro-v1:0", "LatencyOptimized = true, Model = \"us.amazon.nova-pro-v1:0\""),
        Key);

    [Fact]
    public Task A_model_without_it_becomes_the_same_providers_model_that_has_it() => VerifyAsync<UseLatencyOptimizedModelCodeFixProvider>("""
        [Prompt(Model = "us.anthropic.claude-sonnet-4-5-20250929-v1:0", {|PG0015:LatencyOptimized = true|})]
        public interface IAsk
        {
            [UserPrompt("Answer: {{ q }}")]
            Task<string> AskAsync(string q, CancellationToken cancellationToken = default);
        }
        """, """
        [Prompt(Model = "us.anthropic.claude-3-5-haiku-20241022-v1:0", LatencyOptimized = true)]
        public interface IAsk
        {
            [UserPrompt("Answer: {{ q }}")]
            Task<string> AskAsync(string q, CancellationToken cancellationToken = default);
        }
        """, Key);

    [Fact]
    public Task Fix_all_adds_the_model_to_each_method_that_asks_and_leaves_the_interface_model_to_the_others() =>
        VerifyAsync<UseLatencyOptimizedModelCodeFixProvider>("""
        [Prompt(Model = "meta.llama3-1-405b-instruct-v1:0")]
        public interface IAsk
        {
            [Prompt({|PG0015:LatencyOptimized = true|})]
            [UserPrompt("Answer: {{ q }}")]
            Task<string> AskAsync(string q, CancellationToken cancellationToken = default);

            [Prompt(MaxTokens = 300, {|PG0015:LatencyOptimized = true|})]
            [UserPrompt("Explain: {{ q }}")]
            Task<string> ExplainAsync(string q, CancellationToken cancellationToken = default);

            [UserPrompt("Plain: {{ q }}")]
            Task<string> PlainAsync(string q, CancellationToken cancellationToken = default);
        }
        """, """
        [Prompt(Model = "meta.llama3-1-405b-instruct-v1:0")]
        public interface IAsk
        {
            [Prompt(Model = "us.meta.llama3-1-405b-instruct-v1:0", LatencyOptimized = true)]
            [UserPrompt("Answer: {{ q }}")]
            Task<string> AskAsync(string q, CancellationToken cancellationToken = default);

            [Prompt(Model = "us.meta.llama3-1-405b-instruct-v1:0", MaxTokens = 300, LatencyOptimized = true)]
            [UserPrompt("Explain: {{ q }}")]
            Task<string> ExplainAsync(string q, CancellationToken cancellationToken = default);

            [UserPrompt("Plain: {{ q }}")]
            Task<string> PlainAsync(string q, CancellationToken cancellationToken = default);
        }
        """, Key);

    [Fact]
    public Task Not_offered_when_the_provider_has_no_latency_optimized_model()
    {
        // Mistral offers latency-optimized inference nowhere: the only fix is to remove the setting (RemoveArgument).
        string source = Prompt("mistral.mistral-7b-instruct-v0:2", "{|PG0015:LatencyOptimized = true|}");
        return VerifyAsync<UseLatencyOptimizedModelCodeFixProvider>(source, source, Key);
    }
}
