using PromptGen.Tests;

namespace PromptGen.Runtime.Tests;

public class ModelCatalogTests
{
    [Fact]
    public void Embedded_catalogue_loads_every_model_with_an_id_and_provider()
    {
        ModelCatalog catalog = ModelCatalog.Default;

        Assert.True(catalog.Models.Count > 50);
        Assert.All(catalog.Models, m =>
        {
            Assert.False(string.IsNullOrWhiteSpace(m.Id));
            Assert.StartsWith(m.Provider + ".", m.Id, StringComparison.Ordinal);
        });
        Assert.Equal(catalog.Models.Count, catalog.Models.Select(m => m.Id).Distinct().Count());
    }

    [Theory]
    [InlineData("anthropic.claude-sonnet-4-5-20250929-v1:0", ModelIdKind.BaseModel, null)]
    [InlineData("us.anthropic.claude-sonnet-4-5-20250929-v1:0", ModelIdKind.InferenceProfile, "us")]
    [InlineData("global.anthropic.claude-haiku-4-5-20251001-v1:0", ModelIdKind.InferenceProfile, "global")]
    [InlineData("us-gov.anthropic.claude-3-7-sonnet-20250219-v1:0", ModelIdKind.InferenceProfile, "us-gov")]
    [InlineData("apac.amazon.nova-pro-v1:0", ModelIdKind.InferenceProfile, "apac")]
    public void Resolves_base_and_profile_ids_to_the_base_model(string id, ModelIdKind kind, string? geo)
    {
        ModelResolution resolution = ModelCatalog.Default.Resolve(id);

        Assert.Equal(kind, resolution.Kind);
        Assert.Equal(geo, resolution.Geo);
        Assert.NotNull(resolution.Model);
        Assert.True(resolution.IsCheckable);
        Assert.EndsWith(resolution.Model!.Id, id, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("arn:aws:bedrock:us-east-1:123456789012:application-inference-profile/mi1dadi0g15f")]
    [InlineData("arn:aws:bedrock:us-east-1::foundation-model/anthropic.claude-3-5-haiku-20241022-v1:0")]
    public void Arns_are_exempt_from_catalogue_checks(string arn)
    {
        ModelResolution resolution = ModelCatalog.Default.Resolve(arn);

        Assert.Equal(ModelIdKind.Arn, resolution.Kind);
        Assert.False(resolution.IsCheckable);
    }

    [Theory]
    [InlineData("anthropic.claude-unknown-v9:0")]
    [InlineData("xx.anthropic.claude-sonnet-4-5-20250929-v1:0")]
    [InlineData("")]
    public void Unknown_ids_resolve_to_no_model(string id)
    {
        ModelResolution resolution = ModelCatalog.Default.Resolve(id);

        Assert.Equal(ModelIdKind.Unknown, resolution.Kind);
        Assert.Null(resolution.Model);
    }

    [Fact]
    public void Constraints_follow_the_wire_spec()
    {
        ModelCatalog c = ModelCatalog.Default;

        Assert.Equal(SamplingRule.TemperatureXorTopP, c.FindBaseModel("anthropic.claude-sonnet-4-5-20250929-v1:0")!.Sampling);
        Assert.Equal(SamplingRule.TemperatureXorTopP, c.FindBaseModel("anthropic.claude-haiku-4-5-20251001-v1:0")!.Sampling);
        Assert.Equal(SamplingRule.None, c.FindBaseModel("anthropic.claude-opus-4-7")!.Sampling);
        Assert.False(c.FindBaseModel("anthropic.claude-opus-4-7")!.AcceptsTemperature);
        Assert.Equal(SamplingRule.Independent, c.FindBaseModel("anthropic.claude-3-5-haiku-20241022-v1:0")!.Sampling);
        Assert.Equal("top_k", c.FindBaseModel("anthropic.claude-3-5-haiku-20241022-v1:0")!.TopKField);
        Assert.Equal("inferenceConfig.topK", c.FindBaseModel("amazon.nova-pro-v1:0")!.TopKField);
        Assert.False(c.FindBaseModel("meta.llama3-8b-instruct-v1:0")!.AcceptsTopK);
        Assert.False(c.FindBaseModel("mistral.mistral-7b-instruct-v0:2")!.SystemPrompt);
        Assert.False(c.FindBaseModel("meta.llama3-1-70b-instruct-v1:0")!.StreamingToolUse);
        Assert.Equal(4096, c.FindBaseModel("anthropic.claude-haiku-4-5-20251001-v1:0")!.PromptCaching!.MinTokens);
        Assert.Contains("1h", c.FindBaseModel("anthropic.claude-haiku-4-5-20251001-v1:0")!.PromptCaching!.Ttls);
        Assert.Null(c.FindBaseModel("anthropic.claude-3-haiku-20240307-v1:0")!.PromptCaching);
        Assert.Equal(["us-east-1", "us-east-2"], c.FindBaseModel("amazon.nova-pro-v1:0")!.LatencyOptimizedRegions);
        Assert.Equal(0.00001, c.FindBaseModel("amazon.nova-2-lite-v1:0")!.Temperature!.Min);
    }

    [Fact]
    public void Presets_match_the_design_table()
    {
        Assert.Equal((0.0, 0.1, 1024), Tuple(InferencePreset.For(UseCase.Extraction)));
        Assert.Equal((0.0, 0.1, 64), Tuple(InferencePreset.For(UseCase.Classification)));
        Assert.Equal((0.3, 0.5, 1024), Tuple(InferencePreset.For(UseCase.Summarization)));
        Assert.Equal((0.8, 0.9, 4096), Tuple(InferencePreset.For(UseCase.CreativeWriting)));
        Assert.Equal((0.2, 0.3, 4096), Tuple(InferencePreset.For(UseCase.CodeGeneration)));
        Assert.Equal((0.5, 0.7, 1024), Tuple(InferencePreset.For(UseCase.Chatbot)));

        static (double, double, int) Tuple(InferencePreset p) => (p.Temperature, p.TopP, p.MaxTokens);
    }
}
