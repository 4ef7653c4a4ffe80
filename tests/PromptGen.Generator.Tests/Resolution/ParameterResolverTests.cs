using PromptGen;

namespace PromptGen.Generator.Tests.Resolution;

public class ParameterResolverTests
{
    private static ModelInfo Model(string id) =>
        ModelCatalog.Default.FindBaseModel(id) ?? throw new InvalidOperationException(id + " is not in the catalogue");

    private static readonly ModelInfo s_haiku45 = Model("anthropic.claude-haiku-4-5-20251001-v1:0");      // temperatureXorTopP
    private static readonly ModelInfo s_sonnet37 = Model("anthropic.claude-3-7-sonnet-20250219-v1:0");    // independent, top_k
    private static readonly ModelInfo s_opus47 = Model("anthropic.claude-opus-4-7");                      // no sampling
    private static readonly ModelInfo s_novaPro = Model("amazon.nova-pro-v1:0");                          // inferenceConfig.topK
    private static readonly ModelInfo s_nova2Lite = Model("amazon.nova-2-lite-v1:0");                     // temperature [1e-5, 1]
    private static readonly ModelInfo s_llama3 = Model("meta.llama3-8b-instruct-v1:0");                   // 2048 tokens, no top-k

    [Theory]
    [InlineData(UseCase.Extraction, 0, 0.1, 1024)]
    [InlineData(UseCase.Classification, 0, 0.1, 64)]
    [InlineData(UseCase.Summarization, 0.3, 0.5, 1024)]
    [InlineData(UseCase.CreativeWriting, 0.8, 0.9, 4096)]
    [InlineData(UseCase.CodeGeneration, 0.2, 0.3, 4096)]
    [InlineData(UseCase.Chatbot, 0.5, 0.7, 1024)]
    public void Unknown_model_sends_the_preset_as_it_is(UseCase useCase, double temperature, double topP, int maxTokens)
    {
        ResolvedParameters resolved = ParameterResolver.Resolve(useCase, null, null);

        Assert.Equal(temperature, resolved.Temperature);
        Assert.Equal(topP, resolved.TopP);
        Assert.Equal(maxTokens, resolved.MaxTokens);
        Assert.Null(resolved.TopK);
        Assert.Null(resolved.TopKField);
        Assert.Equal(ParameterSource.Preset, resolved.TemperatureSource);
        Assert.Equal(ParameterSource.Preset, resolved.TopPSource);
        Assert.Equal(ParameterSource.Preset, resolved.MaxTokensSource);
        Assert.False(resolved.HasSamplingConflict);
    }

    [Fact]
    public void Unknown_model_keeps_written_values_and_topK_without_placement()
    {
        var written = new WrittenParameters(temperature: 1.7, topP: 0.95, topK: 40, maxTokens: 999_999);

        ResolvedParameters resolved = ParameterResolver.Resolve(UseCase.Extraction, written, null);

        Assert.Equal(1.7, resolved.Temperature);
        Assert.Equal(0.95, resolved.TopP);
        Assert.Equal(40, resolved.TopK);
        Assert.Null(resolved.TopKField);
        Assert.Equal(999_999, resolved.MaxTokens);
        Assert.Equal(ParameterSource.Written, resolved.TemperatureSource);
        Assert.Equal(ParameterSource.Written, resolved.TopPSource);
        Assert.Equal(ParameterSource.Written, resolved.MaxTokensSource);
    }

    [Fact]
    public void A_written_value_overrides_only_itself()
    {
        ResolvedParameters resolved = ParameterResolver.Resolve(UseCase.Summarization, new WrittenParameters(maxTokens: 400), s_sonnet37);

        Assert.Equal(0.3, resolved.Temperature);
        Assert.Equal(ParameterSource.Preset, resolved.TemperatureSource);
        Assert.Equal(0.5, resolved.TopP);
        Assert.Equal(400, resolved.MaxTokens);
        Assert.Equal(ParameterSource.Written, resolved.MaxTokensSource);
    }

    [Fact]
    public void Independent_model_gets_temperature_and_topP_together()
    {
        ResolvedParameters resolved = ParameterResolver.Resolve(UseCase.Chatbot, null, s_sonnet37);

        Assert.Equal(0.5, resolved.Temperature);
        Assert.Equal(0.7, resolved.TopP);
        Assert.Equal(1024, resolved.MaxTokens);
        Assert.False(resolved.HasSamplingConflict);
    }

    [Fact]
    public void No_sampling_model_gets_no_sampling_parameters_even_written_ones()
    {
        var written = new WrittenParameters(temperature: 0.2, topP: 0.3, topK: 10);

        ResolvedParameters resolved = ParameterResolver.Resolve(UseCase.CreativeWriting, written, s_opus47);

        Assert.Null(resolved.Temperature);
        Assert.Null(resolved.TopP);
        Assert.Null(resolved.TopK);
        Assert.Null(resolved.TopKField);
        Assert.Equal(4096, resolved.MaxTokens);
    }

    [Fact]
    public void XorTopP_with_nothing_written_keeps_temperature_only()
    {
        ResolvedParameters resolved = ParameterResolver.Resolve(UseCase.Summarization, null, s_haiku45);

        Assert.Equal(0.3, resolved.Temperature);
        Assert.Null(resolved.TopP);
        Assert.False(resolved.HasSamplingConflict);
    }

    [Fact]
    public void XorTopP_with_temperature_written_drops_the_preset_topP()
    {
        ResolvedParameters resolved = ParameterResolver.Resolve(UseCase.Summarization, new WrittenParameters(temperature: 0.6), s_haiku45);

        Assert.Equal(0.6, resolved.Temperature);
        Assert.Equal(ParameterSource.Written, resolved.TemperatureSource);
        Assert.Null(resolved.TopP);
    }

    [Fact]
    public void XorTopP_with_topP_written_drops_the_preset_temperature()
    {
        ResolvedParameters resolved = ParameterResolver.Resolve(UseCase.Summarization, new WrittenParameters(topP: 0.8), s_haiku45);

        Assert.Null(resolved.Temperature);
        Assert.Equal(0.8, resolved.TopP);
        Assert.Equal(ParameterSource.Written, resolved.TopPSource);
        Assert.False(resolved.HasSamplingConflict);
    }

    [Fact]
    public void XorTopP_with_both_written_keeps_both_and_flags_the_conflict()
    {
        ResolvedParameters resolved = ParameterResolver.Resolve(UseCase.Summarization, new WrittenParameters(temperature: 0.6, topP: 0.8), s_haiku45);

        Assert.Equal(0.6, resolved.Temperature);
        Assert.Equal(0.8, resolved.TopP);
        Assert.True(resolved.HasSamplingConflict);
    }

    [Fact]
    public void Preset_values_are_clamped_into_the_model_ranges()
    {
        // Nova 2 Lite accepts temperature from 1e-5: Extraction's 0 becomes 1e-5, silently (a preset never triggers a diagnostic).
        ResolvedParameters resolved = ParameterResolver.Resolve(UseCase.Extraction, null, s_nova2Lite);

        Assert.Equal(s_nova2Lite.Temperature!.Min, resolved.Temperature);
        Assert.True(resolved.Temperature > 0);
        Assert.Equal(ParameterSource.Preset, resolved.TemperatureSource);
    }

    [Fact]
    public void Preset_max_tokens_are_clamped_to_the_model_output_limit()
    {
        ResolvedParameters resolved = ParameterResolver.Resolve(UseCase.CreativeWriting, null, s_llama3);

        Assert.Equal(2048, resolved.MaxTokens);
        Assert.Equal(ParameterSource.Preset, resolved.MaxTokensSource);
    }

    [Fact]
    public void Written_values_are_never_clamped()
    {
        var written = new WrittenParameters(temperature: 0, maxTokens: 8000);

        ResolvedParameters resolved = ParameterResolver.Resolve(UseCase.CreativeWriting, written, s_nova2Lite);

        Assert.Equal(0, resolved.Temperature);
        Assert.Equal(8000, resolved.MaxTokens);

        ResolvedParameters llama = ParameterResolver.Resolve(UseCase.Chatbot, new WrittenParameters(temperature: 1.5, maxTokens: 9000), s_llama3);
        Assert.Equal(1.5, llama.Temperature);
        Assert.Equal(9000, llama.MaxTokens);
    }

    [Fact]
    public void TopK_is_sent_only_when_written_and_accepted_with_the_model_field()
    {
        Assert.Null(ParameterResolver.Resolve(UseCase.Chatbot, null, s_sonnet37).TopK);

        ResolvedParameters claude = ParameterResolver.Resolve(UseCase.Chatbot, new WrittenParameters(topK: 50), s_sonnet37);
        Assert.Equal(50, claude.TopK);
        Assert.Equal("top_k", claude.TopKField);

        ResolvedParameters nova = ParameterResolver.Resolve(UseCase.Chatbot, new WrittenParameters(topK: 20), s_novaPro);
        Assert.Equal(20, nova.TopK);
        Assert.Equal("inferenceConfig.topK", nova.TopKField);

        ResolvedParameters llama = ParameterResolver.Resolve(UseCase.Chatbot, new WrittenParameters(topK: 20), s_llama3);
        Assert.Null(llama.TopK);
        Assert.Null(llama.TopKField);
    }

    [Fact]
    public void Results_are_equatable_values()
    {
        var written = new WrittenParameters(temperature: 0.6, topK: 5);
        ResolvedParameters a = ParameterResolver.Resolve(UseCase.Chatbot, written, s_sonnet37);
        ResolvedParameters b = ParameterResolver.Resolve(UseCase.Chatbot, new WrittenParameters(temperature: 0.6, topK: 5), s_sonnet37);
        ResolvedParameters c = ParameterResolver.Resolve(UseCase.Chatbot, new WrittenParameters(temperature: 0.7, topK: 5), s_sonnet37);
        ResolvedParameters presetSame = ParameterResolver.Resolve(UseCase.Chatbot, null, s_sonnet37);
        ResolvedParameters writtenSame = ParameterResolver.Resolve(UseCase.Chatbot, new WrittenParameters(temperature: 0.5, topP: 0.7), s_sonnet37);

        Assert.Equal(a, b);
        Assert.Equal(a.GetHashCode(), b.GetHashCode());
        Assert.NotEqual(a, c);
        Assert.Equal(written, new WrittenParameters(temperature: 0.6, topK: 5));
        Assert.Equal(written.GetHashCode(), new WrittenParameters(temperature: 0.6, topK: 5).GetHashCode());
        Assert.NotEqual(presetSame, writtenSame); // same numbers, different provenance
        Assert.Contains("(written)", writtenSame.ToString());
    }

    [Fact]
    public void Every_catalogue_model_and_use_case_resolves_within_the_model_rules()
    {
        foreach (ModelInfo model in ModelCatalog.Default.Models)
        {
            foreach (UseCase useCase in Enum.GetValues<UseCase>())
            {
                ResolvedParameters resolved = ParameterResolver.Resolve(useCase, null, model);
                if (resolved.Temperature is double t)
                {
                    Assert.True(model.AcceptsTemperature && model.Temperature!.Contains(t), model.Id + " temperature " + t);
                }

                if (resolved.TopP is double p)
                {
                    Assert.True(model.AcceptsTopP && model.TopP!.Contains(p), model.Id + " topP " + p);
                }

                if (model.Sampling == SamplingRule.TemperatureXorTopP)
                {
                    Assert.False(resolved.Temperature.HasValue && resolved.TopP.HasValue, model.Id);
                }

                Assert.True(model.MaxOutputTokens is not int limit || resolved.MaxTokens <= limit, model.Id);
                Assert.Null(resolved.TopK);
                Assert.False(resolved.HasSamplingConflict);
            }
        }
    }
}
