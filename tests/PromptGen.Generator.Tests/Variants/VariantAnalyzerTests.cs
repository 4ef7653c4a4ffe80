using static PromptGen.Generator.Tests.Analyzers.AnalyzerHarness;

namespace PromptGen.Generator.Tests.Variants;

/// <summary>The analyzers check each variant's settings like any other, and PG0101–PG0103 and PG0014's TTL cases fire and stay silent.</summary>
public sealed class VariantAnalyzerTests
{
    private const string Haiku45 = "us.anthropic.claude-haiku-4-5-20251001-v1:0";
    private const string Sonnet37 = "anthropic.claude-3-7-sonnet-20250219-v1:0";
    private static readonly string[] AllIds = Enumerable.Range(1, 17).Select(i => $"PG{i:0000}").Concat(["PG0100", "PG0101", "PG0102", "PG0103"]).ToArray();

    private static string Prompt(string variants, string methodPrompt = "UseCase = UseCase.Classification", string parameters = "string q", string model = Haiku45) => $$$"""
        [Prompt(Model = "{{{model}}}")]
        public interface IAsk
        {
            [Prompt({{{methodPrompt}}})]
            {{{variants}}}
            [UserPrompt("Answer: {{ q }}")]
            Task<string> AskAsync({{{parameters}}}, CancellationToken cancellationToken = default);
        }
        """;

    [Fact]
    public void A_variants_risky_temperature_is_reported_at_the_variants_argument()
    {
        Verify(Prompt("[PromptVariant(\"control\")] [PromptVariant(\"hot\", {|#0:Temperature = 0.9|})]"),
            new Expected("PG0001", 0, "Classification prompts should use temperature ≤ 0.3; remove the override to use the preset (0)"));
    }

    [Fact]
    public void A_variants_model_is_checked_for_what_it_accepts()
    {
        // Opus 4.7 accepts no temperature at all: the variant's own Temperature is the problem (PG0006).
        Verify(Prompt("[PromptVariant(\"opus\", Model = \"global.anthropic.claude-opus-4-7\", {|#0:Temperature = 0.1|})]"),
            new Expected("PG0006", 0, "Claude Opus 4.7 does not accept Temperature; remove the Temperature argument"));
    }

    [Fact]
    public void A_method_setting_that_only_the_variants_model_rejects_is_reported_at_the_variants_model()
    {
        // MaxTokens = 9000 suits Haiku 4.5 but exceeds Nova Micro's 5,000-token output limit.
        Verify(Prompt("[PromptVariant(\"micro\", {|#0:Model = \"us.amazon.nova-micro-v1:0\"|})]", "UseCase = UseCase.Chatbot, MaxTokens = 9000"),
            new Expected("PG0004", 0, "MaxTokens = 9000 is outside what Nova Micro accepts (1–5000); use a value in that range"));
    }

    [Fact]
    public void An_unknown_variant_model_is_reported_at_its_argument()
    {
        Verify(Prompt("[PromptVariant(\"typo\", {|#0:Model = \"anthropic.claude-haiku-9\"|})]"),
            new Expected("PG0007", 0, "Model ID 'anthropic.claude-haiku-9' is not in the PromptGen model catalogue; check the spelling, or use a catalogued base or inference-profile ID, or an ARN"));
    }

    [Fact]
    public void A_finding_the_method_already_has_is_not_repeated_for_each_variant()
    {
        Verify(Prompt("[PromptVariant(\"a\")] [PromptVariant(\"b\", MaxTokens = 32)]", "UseCase = UseCase.Classification, {|#0:Temperature = 0.9|}"),
            new Expected("PG0001", 0, "Classification prompts should use temperature ≤ 0.3; remove the override to use the preset (0)"));
    }

    [Fact]
    public void Valid_variants_report_nothing()
    {
        VerifyNone(Prompt("[PromptVariant(\"control\")] [PromptVariant(\"short\", MaxTokens = 16, Weight = 3)] [PromptVariant(\"nova\", Model = \"us.amazon.nova-pro-v1:0\", Temperature = 0.1)]",
            parameters: "string q, [VariantKey] string userId"), AllIds);
    }

    [Fact]
    public void PG0101_fires_on_a_duplicate_variant_name()
    {
        Verify(Prompt("[PromptVariant(\"a\")] [PromptVariant({|#0:\"a\"|}, MaxTokens = 32)]"),
            new Expected("PG0101", 0, "'AskAsync' has two variants named 'a'; give each variant a unique name"));
    }

    [Fact]
    public void PG0101_fires_on_an_empty_variant_name()
    {
        Verify(Prompt("[PromptVariant({|#0:\"\"|})]"),
            new Expected("PG0101", 0, "'AskAsync' has a variant without a name; give each variant a unique, non-empty name"));
    }

    [Theory]
    [InlineData("0", "0")]
    [InlineData("-1.5", "-1.5")]
    public void PG0102_fires_on_a_weight_that_is_not_positive(string weight, string shown)
    {
        Verify(Prompt($"[PromptVariant(\"a\")] [PromptVariant(\"b\", {{|#0:Weight = {weight}|}})]"),
            new Expected("PG0102", 0, $"Weight = {shown} of variant 'b' is not a positive, finite number, so the variant could never be chosen; use a weight above 0 or remove the variant"));
    }

    [Fact]
    public void PG0101_and_PG0102_do_not_fire_on_distinct_names_and_positive_weights()
    {
        VerifyNone(Prompt("[PromptVariant(\"a\", Weight = 0.01)] [PromptVariant(\"A\", Weight = 100)]"), AllIds);
    }

    [Fact]
    public void PG0103_fires_on_a_non_string_key_and_on_a_second_key()
    {
        Verify(Prompt("[PromptVariant(\"a\")] [PromptVariant(\"b\")]", parameters: "string q, [VariantKey] int {|#0:userId|}"),
            new Expected("PG0103", 0, "[VariantKey] parameter 'userId' of 'AskAsync' is a int, not a string; make it a string (for example pass userId.ToString())"));
        Verify(Prompt("[PromptVariant(\"a\")] [PromptVariant(\"b\")]", parameters: "string q, [VariantKey] string userId, [VariantKey] string {|#0:tenantId|}"),
            new Expected("PG0103", 0, "[VariantKey] parameter 'tenantId' of 'AskAsync' is a second [VariantKey] after 'userId'; keep one key parameter"));
    }

    [Fact]
    public void A_variant_key_is_exempt_from_PG0011_and_PG0103_does_not_fire_on_one_string_key()
    {
        VerifyNone(Prompt("[PromptVariant(\"a\")] [PromptVariant(\"b\")]", parameters: "string q, [VariantKey] string? userId"), AllIds);
    }

    [Fact]
    public void A_variant_key_is_not_a_template_variable()
    {
        Verify("""
            [Prompt(Model = "us.anthropic.claude-haiku-4-5-20251001-v1:0")]
            public interface IAsk
            {
                [PromptVariant("a")]
                [UserPrompt("Hello {{ {|#0:userId|} }}")]
                Task<string> AskAsync([VariantKey] string userId, CancellationToken cancellationToken = default);
            }
            """,
            new Expected("PG0010", 0, "The template of 'AskAsync' names an unknown variable: 'userId' is not a parameter of the method"));
    }

    // ------------------------------------------------------------------ PG0014: CachePromptTtl

    /// <summary>A system prompt of about <paramref name="tokens"/> estimated tokens, so the cache-minimum rule stays quiet.</summary>
    private static string System(int tokens) => "[SystemPrompt(\"" + string.Concat(Enumerable.Repeat("Follow the policy. ", tokens * 4 / 19 + 1)) + "\")]";

    [Fact]
    public void PG0014_fires_on_a_ttl_the_model_does_not_offer()
    {
        Verify(Prompt(System(1100), "CachePrompt = true, {|#0:CachePromptTtl = \"1h\"|}", model: Sonnet37),
            new Expected("PG0014", 0, "Prompt caching on 'AskAsync' cannot use CachePromptTtl = \"1h\": Claude 3.7 Sonnet keeps cache checkpoints for 5m only, so no TTL is sent (the default, 5 minutes, applies); remove CachePromptTtl or choose a model that offers 1h"));
    }

    [Fact]
    public void PG0014_fires_on_a_ttl_bedrock_does_not_know()
    {
        Verify(Prompt(System(1100), "CachePrompt = true, {|#0:CachePromptTtl = \"10m\"|}", model: Sonnet37),
            new Expected("PG0014", 0, "Prompt caching on 'AskAsync' cannot use CachePromptTtl = \"10m\": Bedrock accepts \"5m\" or \"1h\", so no TTL is sent; write one of those or remove CachePromptTtl"));
    }

    [Fact]
    public void PG0014_fires_on_a_ttl_without_prompt_caching()
    {
        Verify(Prompt("", "{|#0:CachePromptTtl = \"5m\"|}"),
            new Expected("PG0014", 0, "Prompt caching on 'AskAsync' has no effect: CachePromptTtl = \"5m\" is set but CachePrompt is not; add CachePrompt = true or remove CachePromptTtl"));
    }

    [Fact]
    public void PG0014_does_not_fire_on_a_ttl_the_model_offers_or_an_arn()
    {
        VerifyNone(Prompt(System(4200), "CachePrompt = true, CachePromptTtl = \"1h\""), AllIds);
        VerifyNone(Prompt(System(1100), "CachePrompt = true, CachePromptTtl = \"5m\"", model: Sonnet37), AllIds);
        VerifyNone(Prompt("", "CachePrompt = true, CachePromptTtl = \"1h\"", model: "arn:aws:bedrock:us-east-1:123456789012:application-inference-profile/a1b2c3d4e5"), AllIds);
    }
}
