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

    /// <summary>
    /// Turns on the response cache of methods marked <see cref="PromptAttribute.CacheResponse"/>: registers a
    /// <see cref="HybridCache"/> (unless one is registered already, which is then shared) with PromptGen's source-generated
    /// serializer, and hands it to generated clients. The cache lives in memory; register any <c>IDistributedCache</c>
    /// as well, for example <c>services.AddStackExchangeRedisCache(o =&gt; o.Configuration = "redis:6379")</c>, and it
    /// becomes the shared second tier, so every instance of the service is served what one of them cached. Concurrent
    /// identical calls make one Bedrock request (stampede protection). Call it before or after
    /// <see cref="AddPromptGen(IServiceCollection, IConfiguration)"/>.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configure">Sets the default time to live and other PromptGen settings of the cache; optional.</param>
    /// <returns>The service collection.</returns>
    public static IServiceCollection AddPromptGenResponseCache(this IServiceCollection services, Action<PromptResponseCacheOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        OptionsBuilder<PromptResponseCacheOptions> options = services.AddOptions<PromptResponseCacheOptions>();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        services.AddHybridCache();
        AddPromptClientOptions(services);
        return services;
    }

    private static IServiceCollection AddBedrockClient(IServiceCollection services)
    {
        services.TryAddSingleton(static sp => new BedrockClient(sp.GetRequiredService<IOptions<BedrockClientOptions>>().Value));
        services.TryAddSingleton<IBedrockClient>(static sp => sp.GetRequiredService<BedrockClient>());
        AddPromptClientOptions(services);
        return services;
    }

    private static void AddPromptClientOptions(IServiceCollection services)
    {
        // Any HybridCache in the container stores cached answers with the source-generated serializer (AOT-safe), also
        // one the application registered for itself; without it HybridCache would fall back to reflection-based JSON.
        services.TryAddSingleton<IHybridCacheSerializer<PromptAnswer>, PromptAnswerSerializer>();
        // Generated clients take what else they use from the container: a HybridCache for CacheResponse, logging.
        services.TryAddSingleton(static sp => new PromptClientOptions
        {
            ResponseCache = sp.GetService<HybridCache>(),
            ResponseCacheDuration = sp.GetService<IOptions<PromptResponseCacheOptions>>()?.Value.DefaultDuration ?? TimeSpan.FromMinutes(10),
            LoggerFactory = sp.GetService<ILoggerFactory>(),
            Prices = sp.GetService<ModelPrices>() ?? ModelPrices.Default,
        });
    }
}
