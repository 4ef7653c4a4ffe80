using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using PromptGen.Generator.Tests.Generation;

namespace PromptGen.Generator.Tests.Variants;

/// <summary>What the generator emits for [PromptVariant], [VariantKey], CacheResponseTtlSeconds and CachePromptTtl.</summary>
public sealed class VariantGenerationTests
{
    internal const string Sample = """
        using System.Collections.Generic;
        using System.Threading;
        using System.Threading.Tasks;
        using PromptGen;

        namespace Contoso.Support;

        [Prompt(UseCase = UseCase.Summarization, Model = "us.anthropic.claude-haiku-4-5-20251001-v1:0")]
        [SystemPrompt("You summarize support tickets.")]
        public interface ITicketSummarizer
        {
            [PromptVariant("control")]
            [PromptVariant("warm", Temperature = 0.7, Weight = 0.5)]
            [PromptVariant("nova", Model = "us.amazon.nova-pro-v1:0", MaxTokens = 300, Weight = 2)]
            [UserPrompt("Summarize:\n{{ ticket }}")]
            Task<PromptResult<string>> SummarizeAsync(string ticket, [VariantKey] string userId, CancellationToken cancellationToken = default);

            [PromptVariant("a")]
            [PromptVariant("b", TopP = 0.9)]
            [UserPrompt("Headline for {{ ticket }}")]
            IAsyncEnumerable<string> HeadlineAsync(string ticket, CancellationToken cancellationToken = default);

            [Prompt(UseCase = UseCase.Classification, Temperature = 0, CacheResponse = true, CacheResponseTtlSeconds = 120, CachePrompt = true, CachePromptTtl = "1h")]
            [UserPrompt("Urgent? {{ ticket }}")]
            Task<string> UrgencyAsync(string ticket, CancellationToken cancellationToken = default);

            [Prompt(Model = "anthropic.claude-3-7-sonnet-20250219-v1:0", CachePrompt = true, CachePromptTtl = "1h")]
            [UserPrompt("Reply to {{ ticket }}")]
            Task<string> ReplyAsync(string ticket, CancellationToken cancellationToken = default);
        }
        """;

    [Fact]
    public void Generated_client_with_variants_matches_the_snapshot_and_compiles_without_diagnostics()
    {
        (Compilation output, ImmutableArray<Diagnostic> generatorDiagnostics, GeneratorDriverRunResult result) = GeneratorHarness.Run(Sample, null);

        Assert.Empty(generatorDiagnostics);
        GeneratedSourceResult generated = Assert.Single(Assert.Single(result.Results).GeneratedSources);
        Snapshot.AssertMatches("TicketSummarizerClient.g.cs", generated.SourceText.ToString());

        Diagnostic[] problems = output.GetDiagnostics().Where(d => d.Severity >= DiagnosticSeverity.Warning).ToArray();
        Assert.True(problems.Length == 0, string.Join("\n", problems.Select(d => d.ToString())));
    }

    [Fact]
    public void Each_variant_is_its_own_resolved_definition_listed_by_the_method()
    {
        string source = GeneratorTests.Generated(Sample, null);

        // control: the method's settings (Summarization preset on Haiku 4.5: temperature 0.3, no topP).
        string control = Section(source, "s_summarizeAsync_control");
        Assert.Contains("Variant = \"control\",", control, StringComparison.Ordinal);
        Assert.Contains("Temperature = 0.3f,", control, StringComparison.Ordinal);
        Assert.DoesNotContain("VariantWeight", control, StringComparison.Ordinal);

        string warm = Section(source, "s_summarizeAsync_warm");
        Assert.Contains("Temperature = 0.7f,", warm, StringComparison.Ordinal);
        Assert.Contains("VariantWeight = 0.5,", warm, StringComparison.Ordinal);

        // nova: another model, so the preset resolves again for Nova (temperature and topP both sent) with its MaxTokens.
        string nova = Section(source, "s_summarizeAsync_nova");
        Assert.Contains("ModelId = \"us.amazon.nova-pro-v1:0\",", nova, StringComparison.Ordinal);
        Assert.Contains("TopP = 0.5f,", nova, StringComparison.Ordinal);
        Assert.Contains("MaxTokens = 300,", nova, StringComparison.Ordinal);
        Assert.Contains("VariantWeight = 2,", nova, StringComparison.Ordinal);

        string method = Section(source, "s_summarizeAsync");
        Assert.Contains("Variants = new global::PromptGen.Generated.PromptDefinition[] { s_summarizeAsync_control, s_summarizeAsync_warm, s_summarizeAsync_nova },", method, StringComparison.Ordinal);
        Assert.Contains("PromptVariantSelector.Choose(s_summarizeAsync, userId)", source, StringComparison.Ordinal);
        Assert.Contains("PromptVariantSelector.Choose(s_headlineAsync, null)", source, StringComparison.Ordinal);
        Assert.True(source.IndexOf("s_summarizeAsync_nova = new", StringComparison.Ordinal) < source.IndexOf("s_summarizeAsync = new", StringComparison.Ordinal),
            "variant fields must be initialized before the definition that lists them");
    }

    [Fact]
    public void Cache_ttls_are_emitted_where_the_model_offers_them()
    {
        string source = GeneratorTests.Generated(Sample, null);

        string urgency = Section(source, "s_urgencyAsync");
        Assert.Contains("ResponseCacheTtl = global::System.TimeSpan.FromSeconds(120),", urgency, StringComparison.Ordinal);
        Assert.Contains("CacheTtl = \"1h\",", urgency, StringComparison.Ordinal);

        // Claude 3.7 Sonnet keeps checkpoints for 5 minutes only: the 1h TTL is not sent (PG0014 says so).
        string reply = Section(source, "s_replyAsync");
        Assert.Contains("CachePrompt = true,", reply, StringComparison.Ordinal);
        Assert.DoesNotContain("CacheTtl", reply, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("[PromptVariant(\"a\")] [PromptVariant(\"a\", Temperature = 0.5)]", "has two variants named 'a'")]
    [InlineData("[PromptVariant(\"a\", Weight = 0)]", "is not a positive, finite number")]
    [InlineData("[PromptVariant(\"a\", Model = \"us.anthropic.claude-haiku-4-5-20251001-v1:0\", Temperature = 0.5, TopP = 0.5)]", "variant 'a': Claude Haiku 4.5 accepts temperature or topP, not both")]
    public void A_method_whose_variants_are_invalid_is_not_implemented(string variants, string reason)
    {
        string source = GeneratorTests.Generated($$$"""
            using System.Threading;
            using System.Threading.Tasks;
            using PromptGen;

            [Prompt(Model = "us.amazon.nova-pro-v1:0")]
            public interface IAsk
            {
                {{{variants}}}
                [UserPrompt("{{ q }}")]
                Task<string> AskAsync(string q, CancellationToken cancellationToken = default);
            }
            """, null);

        Assert.Contains("throw new global::System.NotSupportedException(", source, StringComparison.Ordinal);
        Assert.Contains(reason, source, StringComparison.Ordinal);
    }

    private static string Section(string source, string field)
    {
        int start = source.IndexOf(field + " = new", StringComparison.Ordinal);
        Assert.True(start >= 0, field + " not found");
        int end = source.IndexOf("};", start, StringComparison.Ordinal);
        return source[start..end];
    }
}
