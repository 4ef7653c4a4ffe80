using Microsoft.Extensions.Caching.Hybrid;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using PromptGen;
using PromptGen.Generated;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers PromptGen's Bedrock client and generated prompt clients with Microsoft.Extensions.DependencyInjection.</summary>
public static class PromptGenServiceCollectionExtensions
{
    /// <summary>
    /// Registers a singleton <see cref="IBedrockClient"/> (a <see cref="BedrockClient"/>, disposed with the container) whose
    /// <see cref="BedrockClientOptions"/> bind from <paramref name="configuration"/>, for example
    /// <c>builder.Configuration.GetSection("PromptGen")</c> holding <c>Region</c>, <c>Endpoint</c>, <c>MaxAttempts</c>,
    /// <c>FirstByteTimeout</c> (<c>00:00:30</c>) and the other option names. Settings the section leaves out fall back to
    /// the standard AWS settings. Binding is source-generated, so it is trimming- and AOT-safe. An
    /// <see cref="IBedrockClient"/> registered earlier (for example a test double) is kept.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configuration">The configuration section holding the options.</param>
    /// <returns>The service collection.</returns>
    public static IServiceCollection AddPromptGen(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<BedrockClientOptions>().Bind(configuration);
        // Model prices for PromptResult.EstimatedCost: the built-in table with the section's "Prices" entries on top.
        services.TryAddSingleton(ModelPrices.Default.With(configuration.GetSection("Prices")));
        return AddBedrockClient(services);
    }

    /// <summary>
    /// Registers a singleton <see cref="IBedrockClient"/> (a <see cref="BedrockClient"/>, disposed with the container)
    /// whose <see cref="BedrockClientOptions"/> are set by <paramref name="configure"/>. An <see cref="IBedrockClient"/>
    /// registered earlier (for example a test double) is kept.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configure">Sets the options.</param>
    /// <returns>The service collection.</returns>
    public static IServiceCollection AddPromptGen(this IServiceCollection services, Action<BedrockClientOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configure);
        services.AddOptions<BedrockClientOptions>().Configure(configure);
        return AddBedrockClient(services);
    }

    /// <summary>
    /// Registers the generated client of the <c>[Prompt]</c> interface <typeparamref name="TInterface"/> (singleton by
    /// default). No reflection is involved: the generated code registers a factory when its assembly loads. Call
    /// <see cref="AddPromptGen(IServiceCollection, IConfiguration)"/> too, or register an <see cref="IBedrockClient"/>.
    /// </summary>
    /// <typeparam name="TInterface">The <c>[Prompt]</c> interface.</typeparam>
    /// <param name="services">The service collection.</param>
    /// <param name="lifetime">The client's lifetime (default singleton; the clients are stateless and thread-safe).</param>
    /// <returns>The service collection.</returns>
    /// <exception cref="InvalidOperationException">No generated client of <typeparamref name="TInterface"/> exists.</exception>
    public static IServiceCollection AddPromptClient<TInterface>(this IServiceCollection services, ServiceLifetime lifetime = ServiceLifetime.Singleton)
        where TInterface : class
    {
        ArgumentNullException.ThrowIfNull(services);
        if (!PromptClientRegistry.TryGetFactory<TInterface>(out Func<IServiceProvider, TInterface>? factory))
        {
            throw new InvalidOperationException(
                $"There is no generated client for {typeof(TInterface).FullName}: is PromptGen.Generator referenced (it comes with the PromptGen package) " +
                "and the interface annotated with [Prompt]? A generated client registers itself when its assembly loads.");
        }

        services.Add(new ServiceDescriptor(typeof(TInterface), sp => factory(sp), lifetime));
        return services;
    }

    private static IServiceCollection AddBedrockClient(IServiceCollection services)
    {
        services.TryAddSingleton(static sp => new BedrockClient(sp.GetRequiredService<IOptions<BedrockClientOptions>>().Value));
        services.TryAddSingleton<IBedrockClient>(static sp => sp.GetRequiredService<BedrockClient>());
        // Generated clients take what else they use from the container: a HybridCache for CacheResponse, logging.
        services.TryAddSingleton(static sp => new PromptClientOptions
        {
            ResponseCache = sp.GetService<HybridCache>(),
            LoggerFactory = sp.GetService<ILoggerFactory>(),
            Prices = sp.GetService<ModelPrices>() ?? ModelPrices.Default,
        });
        return services;
    }
}
