using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using PromptGen.Generated;
using PromptGen.Runtime.Tests.Prompts;

namespace PromptGen.Runtime.Tests.Pricing;

/// <summary>Cost estimates: the arithmetic (cache tokens included), model lookup through inference profiles, overrides, configuration.</summary>
public sealed class ModelPricesTests
{
    private static readonly ModelPrice Sample = new(InputPerMillion: 3m, OutputPerMillion: 15m, CacheReadPerMillion: 0.30m, CacheWritePerMillion: 3.75m)
    {
        CacheWrite1hPerMillion = 6m,
    };

    [Fact]
    public void A_cost_is_each_kind_of_token_at_its_price_per_million()
    {
        var usage = new PromptUsage { InputTokens = 1_000, OutputTokens = 500, CacheReadInputTokens = 10_000, CacheWriteInputTokens = 2_000 };

        // 1,000 × 3 + 500 × 15 + 10,000 × 0.30 + 2,000 × 3.75 = 3,000 + 7,500 + 3,000 + 7,500 = 21,000 per million.
        Assert.Equal(0.021m, Sample.Estimate(usage));
    }

    [Fact]
    public void One_hour_cache_writes_use_their_own_price_when_the_table_has_one()
    {
        var usage = new PromptUsage { CacheWriteInputTokens = 1_000_000 };

        Assert.Equal(3.75m, Sample.Estimate(usage, "5m"));
        Assert.Equal(6m, Sample.Estimate(usage, "1h"));
        Assert.Equal(3.75m, (Sample with { CacheWrite1hPerMillion = null }).Estimate(usage, "1h"));
    }

    [Fact]
    public void Estimates_are_exact_decimals_for_small_calls()
    {
        var usage = new PromptUsage { InputTokens = 1, OutputTokens = 1 };
        Assert.Equal(0.000018m, Sample.Estimate(usage));
        Assert.Equal(0m, Sample.Estimate(PromptUsage.Empty));
    }

    [Theory]
    [InlineData("anthropic.claude-haiku-4-5-20251001-v1:0")]
    [InlineData("us.anthropic.claude-haiku-4-5-20251001-v1:0")]
    [InlineData("global.anthropic.claude-haiku-4-5-20251001-v1:0")]
    [InlineData("arn:aws:bedrock:us-east-1::foundation-model/anthropic.claude-haiku-4-5-20251001-v1:0")]
    public void Inference_profiles_and_foundation_model_arns_resolve_to_the_base_models_price(string modelId)
    {
        ModelPrice price = Assert.IsType<ModelPrice>(ModelPrices.Default.Find(modelId));
        Assert.Equal(1m, price.InputPerMillion);
        Assert.Equal(5m, price.OutputPerMillion);
        Assert.Equal(0.10m, price.CacheReadPerMillion);
        Assert.Equal(1.25m, price.CacheWritePerMillion);
    }

    [Theory]
    [InlineData("meta.llama3-8b-instruct-v1:0")]
    [InlineData("no.such-model")]
    [InlineData("arn:aws:bedrock:us-east-1:123456789012:application-inference-profile/a1b2c3d4e5")]
    [InlineData("")]
    [InlineData(null)]
    public void A_model_without_a_price_has_no_estimate(string? modelId)
    {
        Assert.Null(ModelPrices.Default.Estimate(modelId, new PromptUsage { InputTokens = 100 }));
    }

    [Fact]
    public void Every_built_in_price_is_for_a_catalogue_model_and_is_consistent()
    {
        Assert.NotEmpty(ModelPrices.Default.Prices);
        foreach ((string id, ModelPrice price) in ModelPrices.Default.Prices)
        {
            Assert.NotNull(ModelCatalog.Default.FindBaseModel(id));
            Assert.True(price.OutputPerMillion > price.InputPerMillion, id);
            Assert.True(price.CacheReadPerMillion < price.InputPerMillion, id);
            Assert.True(price.CacheWritePerMillion > price.InputPerMillion, id);
        }
    }

    [Fact]
    public void Overrides_replace_a_price_or_add_a_model_without_changing_the_original_table()
    {
        var llama = new ModelPrice(0.22m, 0.22m, 0m, 0m);
        ModelPrices custom = ModelPrices.Default
            .With("meta.llama3-8b-instruct-v1:0", llama)
            .With("anthropic.claude-haiku-4-5-20251001-v1:0", Sample);

        Assert.Same(llama, custom.Find("us.meta.llama3-8b-instruct-v1:0"));
        Assert.Same(Sample, custom.Find("eu.anthropic.claude-haiku-4-5-20251001-v1:0"));
        Assert.Null(ModelPrices.Default.Find("meta.llama3-8b-instruct-v1:0"));
        Assert.Null(ModelPrices.Empty.Find("anthropic.claude-haiku-4-5-20251001-v1:0"));
    }

    [Fact]
    public void An_exact_profile_price_wins_over_the_base_models()
    {
        var regional = Sample with { InputPerMillion = 3.3m };
        ModelPrices custom = ModelPrices.Default.With("eu.anthropic.claude-sonnet-4-5-20250929-v1:0", regional);

        Assert.Same(regional, custom.Find("eu.anthropic.claude-sonnet-4-5-20250929-v1:0"));
        Assert.Equal(3m, custom.Find("us.anthropic.claude-sonnet-4-5-20250929-v1:0")!.InputPerMillion);
    }

    [Fact]
    public void Prices_bind_from_a_configuration_array()
    {
        IConfiguration configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Prices:0:Model"] = "meta.llama3-8b-instruct-v1:0",
            ["Prices:0:Input"] = "0.22",
            ["Prices:0:Output"] = "0.22",
            ["Prices:1:Model"] = "anthropic.claude-haiku-4-5-20251001-v1:0",
            ["Prices:1:Input"] = "0.9",
            ["Prices:1:Output"] = "4.5",
            ["Prices:1:CacheRead"] = "0.09",
            ["Prices:1:CacheWrite"] = "1.125",
            ["Prices:1:CacheWrite1h"] = "1.8",
        }).Build();

        ModelPrices prices = ModelPrices.Default.With(configuration.GetSection("Prices"));

        Assert.Equal(new ModelPrice(0.22m, 0.22m, 0m, 0m), prices.Find("meta.llama3-8b-instruct-v1:0"));
        Assert.Equal(new ModelPrice(0.9m, 4.5m, 0.09m, 1.125m) { CacheWrite1hPerMillion = 1.8m }, prices.Find("us.anthropic.claude-haiku-4-5-20251001-v1:0"));
        Assert.Equal(15m, prices.Find("anthropic.claude-opus-4-1-20250805-v1:0")!.InputPerMillion);
    }

    [Theory]
    [InlineData("Model", "", "has no Model")]
    [InlineData("Input", "", "has no Input")]
    [InlineData("Input", "cheap", "Input = 'cheap', which is not a non-negative number")]
    [InlineData("Output", "-1", "Output = '-1', which is not a non-negative number")]
    public void Invalid_configuration_says_which_entry_and_value(string key, string value, string message)
    {
        var values = new Dictionary<string, string?>
        {
            ["Prices:0:Model"] = "meta.llama3-8b-instruct-v1:0",
            ["Prices:0:Input"] = "0.22",
            ["Prices:0:Output"] = "0.22",
        };
        values["Prices:0:" + key] = value;
        IConfiguration configuration = new ConfigurationBuilder().AddInMemoryCollection(values).Build();

        FormatException e = Assert.Throws<FormatException>(() => ModelPrices.Default.With(configuration.GetSection("Prices")));
        Assert.Contains("Prices:0", e.Message, StringComparison.Ordinal);
        Assert.Contains(message, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AddPromptGen_takes_prices_from_the_configuration_section()
    {
        IConfiguration configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["PromptGen:Region"] = "us-east-1",
            ["PromptGen:Prices:0:Model"] = "meta.llama3-8b-instruct-v1:0",
            ["PromptGen:Prices:0:Input"] = "0.22",
            ["PromptGen:Prices:0:Output"] = "0.22",
        }).Build();
        var services = new ServiceCollection();
        services.AddPromptGen(configuration.GetSection("PromptGen"));
        using ServiceProvider provider = services.BuildServiceProvider();

        PromptClientOptions options = provider.GetRequiredService<PromptClientOptions>();

        Assert.Equal(0.22m, options.Prices.Find("meta.llama3-8b-instruct-v1:0")!.InputPerMillion);
        Assert.Equal(1m, options.Prices.Find("anthropic.claude-haiku-4-5-20251001-v1:0")!.InputPerMillion);
    }

    [Fact]
    public async Task A_result_carries_the_estimated_cost_of_its_usage()
    {
        // The fake answers with 11 input, 7 output and 3 cache-read tokens.
        var fake = new FakeBedrockClient();
        var definition = new PromptDefinition { InterfaceName = "IChat", MethodName = "AskAsync", ModelId = "us.anthropic.claude-haiku-4-5-20251001-v1:0", StreamResult = false };

        PromptResult<string> result = await PromptRunner.GetResultAsync<string>(new PromptPipeline(fake), definition, "Hi", 0, 0, null, CancellationToken.None);

        Assert.Equal((11 * 1m + 7 * 5m + 3 * 0.10m) / 1_000_000m, result.EstimatedCost);
    }

    [Fact]
    public async Task Custom_prices_from_the_options_are_used_and_an_unpriced_model_gives_null()
    {
        var fake = new FakeBedrockClient();
        var llama = new PromptDefinition { InterfaceName = "IChat", MethodName = "AskAsync", ModelId = "us.meta.llama3-1-8b-instruct-v1:0", StreamResult = false };

        PromptResult<string> unpriced = await PromptRunner.GetResultAsync<string>(new PromptPipeline(fake), llama, "Hi", 0, 0, null, CancellationToken.None);
        var options = new PromptClientOptions { Prices = ModelPrices.Default.With("meta.llama3-1-8b-instruct-v1:0", new ModelPrice(0.22m, 0.22m, 0m, 0m)) };
        PromptResult<string> priced = await PromptRunner.GetResultAsync<string>(new PromptPipeline(fake, options), llama, "Hi", 0, 0, null, CancellationToken.None);

        Assert.Null(unpriced.EstimatedCost);
        Assert.Equal((11 + 7) * 0.22m / 1_000_000m + 3 * 0m, priced.EstimatedCost);
    }

    [Fact]
    public async Task A_response_cache_hit_costs_nothing()
    {
        var services = new ServiceCollection();
        services.AddHybridCache().AddSerializer<PromptAnswer, PromptAnswerSerializer>();
        using ServiceProvider provider = services.BuildServiceProvider();
        var options = new PromptClientOptions { ResponseCache = provider.GetRequiredService<Microsoft.Extensions.Caching.Hybrid.HybridCache>() };
        var fake = new FakeBedrockClient();
        var definition = new PromptDefinition
        {
            InterfaceName = "IChat", MethodName = "AskAsync", ModelId = "us.anthropic.claude-haiku-4-5-20251001-v1:0",
            StreamResult = false, CacheResponse = true, Temperature = 0,
        };
        var pipeline = new PromptPipeline(fake, options);

        PromptResult<string> first = await PromptRunner.GetResultAsync<string>(pipeline, definition, "Hi", 0, 0, null, CancellationToken.None);
        PromptResult<string> second = await PromptRunner.GetResultAsync<string>(pipeline, definition, "Hi", 0, 0, null, CancellationToken.None);

        Assert.False(first.CacheHit);
        Assert.True(first.EstimatedCost > 0m);
        Assert.True(second.CacheHit);
        Assert.Equal(0m, second.EstimatedCost);
        Assert.Single(fake.Calls);
    }
}
