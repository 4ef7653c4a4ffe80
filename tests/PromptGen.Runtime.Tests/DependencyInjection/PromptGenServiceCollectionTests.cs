using System.Runtime.CompilerServices;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using PromptGen.Generated;

namespace PromptGen.Runtime.Tests.DependencyInjection;

public interface IRegisteredPrompts
{
    string Name { get; }
}

public interface IUnregisteredPrompts
{
}

/// <summary>What generated code does: a client class and a module initializer that registers its factory.</summary>
internal sealed class RegisteredPromptsClient(IBedrockClient bedrock) : IRegisteredPrompts
{
    public IBedrockClient Bedrock { get; } = bedrock;

    public string Name => "generated";
}

internal static class RegisteredPromptsRegistration
{
#pragma warning disable CA2255 // ModuleInitializer in a library: this is exactly what the generator emits.
    [ModuleInitializer]
#pragma warning restore CA2255
    internal static void Register() =>
        PromptClientRegistry.Register<IRegisteredPrompts>(sp => new RegisteredPromptsClient(sp.GetRequiredService<IBedrockClient>()));
}

public sealed class PromptGenServiceCollectionTests
{
    private static IConfigurationSection Section(Dictionary<string, string?> values) =>
        new ConfigurationBuilder().AddInMemoryCollection(values).Build().GetSection("PromptGen");

    [Fact]
    public void AddPromptGen_binds_options_from_a_configuration_section()
    {
        IConfigurationSection section = Section(new()
        {
            ["PromptGen:Region"] = "eu-west-1",
            ["PromptGen:Endpoint"] = "http://127.0.0.1:4599/",
            ["PromptGen:AccessKeyId"] = "AKIDEXAMPLE",
            ["PromptGen:SecretAccessKey"] = "secret",
            ["PromptGen:UseEnvironment"] = "false",
            ["PromptGen:MaxAttempts"] = "5",
            ["PromptGen:FirstByteTimeout"] = "00:00:42",
            ["PromptGen:ConnectTimeout"] = "00:00:03",
            ["PromptGen:BetweenEventsTimeout"] = "00:01:00",
        });
        using ServiceProvider provider = new ServiceCollection().AddPromptGen(section).BuildServiceProvider();

        BedrockClientOptions options = provider.GetRequiredService<IOptions<BedrockClientOptions>>().Value;
        Assert.Equal("eu-west-1", options.Region);
        Assert.Equal(new Uri("http://127.0.0.1:4599/"), options.Endpoint);
        Assert.Equal("AKIDEXAMPLE", options.AccessKeyId);
        Assert.Equal("secret", options.SecretAccessKey);
        Assert.False(options.UseEnvironment);
        Assert.Equal(5, options.MaxAttempts);
        Assert.Equal(TimeSpan.FromSeconds(42), options.FirstByteTimeout);
        Assert.Equal(TimeSpan.FromSeconds(3), options.ConnectTimeout);
        Assert.Equal(TimeSpan.FromMinutes(1), options.BetweenEventsTimeout);
        Assert.Equal(TimeSpan.FromSeconds(1), options.ThrottlingBackoffBase); // untouched default

        IBedrockClient client = provider.GetRequiredService<IBedrockClient>();
        BedrockClient concrete = Assert.IsType<BedrockClient>(client);
        Assert.Same(concrete, provider.GetRequiredService<BedrockClient>());
        Assert.Same(client, provider.GetRequiredService<IBedrockClient>());
        Assert.Equal(new Uri("http://127.0.0.1:4599/"), concrete.Endpoint);
    }

    [Fact]
    public void AddPromptGen_with_a_delegate_configures_options_and_keeps_an_existing_client()
    {
        var services = new ServiceCollection();
        services.AddPromptGen(o =>
        {
            o.Region = "us-west-2";
            o.Endpoint = new Uri("http://localhost:1/");
            o.UseEnvironment = false;
            o.AccessKeyId = "a";
            o.SecretAccessKey = "b";
        });
        using (ServiceProvider provider = services.BuildServiceProvider())
        {
            Assert.Equal("us-west-2", provider.GetRequiredService<IOptions<BedrockClientOptions>>().Value.Region);
            Assert.IsType<BedrockClient>(provider.GetRequiredService<IBedrockClient>());
        }

        var fake = new Prompts.FakeBedrockClient();
        var withFake = new ServiceCollection().AddSingleton<IBedrockClient>(fake);
        withFake.AddPromptGen(o => o.Region = "us-east-1");
        using ServiceProvider fakeProvider = withFake.BuildServiceProvider();
        Assert.Same(fake, fakeProvider.GetRequiredService<IBedrockClient>());
    }

    [Fact]
    public void AddPromptClient_resolves_the_registered_generated_client()
    {
        var fake = new Prompts.FakeBedrockClient();
        using ServiceProvider provider = new ServiceCollection()
            .AddSingleton<IBedrockClient>(fake)
            .AddPromptClient<IRegisteredPrompts>()
            .BuildServiceProvider();

        IRegisteredPrompts client = provider.GetRequiredService<IRegisteredPrompts>();

        RegisteredPromptsClient generated = Assert.IsType<RegisteredPromptsClient>(client);
        Assert.Same(fake, generated.Bedrock);
        Assert.Same(client, provider.GetRequiredService<IRegisteredPrompts>());
        Assert.True(PromptClientRegistry.IsRegistered<IRegisteredPrompts>());
    }

    [Fact]
    public void AddPromptClient_honours_the_lifetime()
    {
        using ServiceProvider provider = new ServiceCollection()
            .AddSingleton<IBedrockClient>(new Prompts.FakeBedrockClient())
            .AddPromptClient<IRegisteredPrompts>(ServiceLifetime.Transient)
            .BuildServiceProvider();

        Assert.NotSame(provider.GetRequiredService<IRegisteredPrompts>(), provider.GetRequiredService<IRegisteredPrompts>());
    }

    [Fact]
    public void AddPromptClient_without_a_generated_client_throws_a_clear_error()
    {
        var services = new ServiceCollection();

        var e = Assert.Throws<InvalidOperationException>(() => services.AddPromptClient<IUnregisteredPrompts>());

        Assert.Contains("no generated client for PromptGen.Runtime.Tests.DependencyInjection.IUnregisteredPrompts", e.Message);
        Assert.Contains("PromptGen.Generator", e.Message);
        Assert.Contains("[Prompt]", e.Message);
        Assert.Empty(services);
        Assert.False(PromptClientRegistry.IsRegistered<IUnregisteredPrompts>());
    }
}
