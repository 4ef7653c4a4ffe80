using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace PromptGen.Runtime.Tests.Throughput;

public sealed class DependencyInjectionTests
{
    [Fact]
    public void AddPromptGenLimits_decorates_the_registered_BedrockClient_with_limits_bound_from_configuration()
    {
        IConfiguration configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Bedrock:Region"] = "us-east-1",
            ["Bedrock:UseEnvironment"] = "false",
            ["Bedrock:BearerToken"] = "k",
            ["Limits:Default:MaxConcurrency"] = "8",
            ["Limits:MaxThrottleRetries"] = "2",
            ["Limits:Models:0:Model"] = "us.anthropic.*",
            ["Limits:Models:0:RequestsPerMinute"] = "200",
            ["Limits:Models:0:TokensPerMinute"] = "400000",
        }).Build();
        var services = new ServiceCollection();
        services.AddPromptGen(configuration.GetSection("Bedrock"));
        services.AddPromptGenLimits(configuration.GetSection("Limits"));

        using ServiceProvider provider = services.BuildServiceProvider();
        var client = Assert.IsType<RateLimitedBedrockClient>(provider.GetRequiredService<IBedrockClient>());

        Assert.Same(provider.GetRequiredService<BedrockClient>(), client.Inner);
        Assert.Same(provider.GetRequiredService<BedrockLimiter>(), client.Limiter);
        BedrockLimitsOptions options = client.Limiter.Options;
        Assert.Equal(8, options.Default.MaxConcurrency);
        Assert.Equal(2, options.MaxThrottleRetries);
        Assert.Equal(200, options.Resolve("us.anthropic.claude-haiku-4-5-20251001-v1:0").RequestsPerMinute);
        Assert.Equal(400_000, options.Resolve("us.anthropic.claude-haiku-4-5-20251001-v1:0").TokensPerMinute);
    }

    [Fact]
    public void Limits_registered_before_AddPromptGen_still_wrap_its_client_and_a_second_call_adds_no_layer()
    {
        var services = new ServiceCollection();
        services.AddPromptGenLimits(o => o.Default.MaxConcurrency = 2);
        services.AddPromptGen(o => { o.Region = "us-east-1"; o.UseEnvironment = false; o.BearerToken = "k"; });
        services.AddPromptGenLimits(o => o.Default.MaxConcurrency = 3);

        using ServiceProvider provider = services.BuildServiceProvider();
        var client = Assert.IsType<RateLimitedBedrockClient>(provider.GetRequiredService<IBedrockClient>());
        Assert.IsType<BedrockClient>(client.Inner);
        Assert.Equal(3, client.Limiter.Options.Default.MaxConcurrency);
    }

    [Fact]
    public async Task A_test_double_registered_as_the_IBedrockClient_is_wrapped_and_not_disposed()
    {
        var fake = new ScriptedBedrockClient();
        var services = new ServiceCollection();
        services.AddSingleton<IBedrockClient>(fake);
        services.AddPromptGenLimits(o => o.Default.MaxConcurrency = 1);

        await using (ServiceProvider provider = services.BuildServiceProvider())
        {
            IBedrockClient client = provider.GetRequiredService<IBedrockClient>();
            await client.ConverseAsync("m", ScriptedBedrockClient.Request());
            Assert.Equal(1, fake.Calls);
            Assert.Same(fake, Assert.IsType<RateLimitedBedrockClient>(client).Inner);
        }
    }

    [Fact]
    public void Without_any_client_registered_resolving_explains_what_to_call()
    {
        var services = new ServiceCollection();
        services.AddPromptGenLimits(o => { });
        using ServiceProvider provider = services.BuildServiceProvider();

        var ex = Assert.Throws<InvalidOperationException>(() => provider.GetRequiredService<IBedrockClient>());
        Assert.Contains("AddPromptGen", ex.Message);
    }
}
