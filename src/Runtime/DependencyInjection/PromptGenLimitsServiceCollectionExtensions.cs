using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using PromptGen;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers PromptGen's client-side limits (<see cref="RateLimitedBedrockClient"/>) around the registered <see cref="IBedrockClient"/>.</summary>
public static class PromptGenLimitsServiceCollectionExtensions
{
    /// <summary>
    /// Decorates the registered <see cref="IBedrockClient"/> with a <see cref="RateLimitedBedrockClient"/> whose
    /// <see cref="BedrockLimitsOptions"/> bind from <paramref name="configuration"/> (for example
    /// <c>builder.Configuration.GetSection("PromptGen:Limits")</c>; binding is source-generated, so trimming- and AOT-safe).
    /// Call it after <c>AddPromptGen</c> or after registering your own <see cref="IBedrockClient"/>; called first, it
    /// decorates the <see cref="BedrockClient"/> that <c>AddPromptGen</c> registers later. A singleton
    /// <see cref="BedrockLimiter"/> holds the limits' state (resolve it to read the counters); a
    /// <see cref="TimeProvider"/> registered in the container drives its clock.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configuration">The configuration section holding the limits.</param>
    /// <returns>The service collection.</returns>
    public static IServiceCollection AddPromptGenLimits(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<BedrockLimitsOptions>().Bind(configuration);
        return AddLimits(services);
    }

    /// <summary>
    /// Decorates the registered <see cref="IBedrockClient"/> with a <see cref="RateLimitedBedrockClient"/> whose limits
    /// <paramref name="configure"/> sets. See <see cref="AddPromptGenLimits(IServiceCollection, IConfiguration)"/>.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configure">Sets the limits, e.g. <c>o => o.Default.MaxConcurrency = 8</c>.</param>
    /// <returns>The service collection.</returns>
    public static IServiceCollection AddPromptGenLimits(this IServiceCollection services, Action<BedrockLimitsOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configure);
        services.AddOptions<BedrockLimitsOptions>().Configure(configure);
        return AddLimits(services);
    }

    private static IServiceCollection AddLimits(IServiceCollection services)
    {
        services.TryAddSingleton(static sp => new BedrockLimiter(
            sp.GetRequiredService<IOptions<BedrockLimitsOptions>>().Value,
            sp.GetService<TimeProvider>()));

        ServiceDescriptor? inner = null;
        for (int i = services.Count - 1; i >= 0; i--)
        {
            if (services[i].ServiceType == typeof(IBedrockClient) && !services[i].IsKeyedService)
            {
                inner = services[i];
                services.RemoveAt(i);
                break;
            }
        }

        if (inner?.ImplementationFactory is { } factory && factory.Target is Decorated)
        {
            // Already decorated (AddPromptGenLimits called twice): keep one layer of limits.
            services.Add(inner);
            return services;
        }

        ServiceLifetime lifetime = inner?.Lifetime ?? ServiceLifetime.Singleton;
        var decorated = new Decorated(inner);
        services.Add(new ServiceDescriptor(typeof(IBedrockClient), decorated.Create, lifetime));
        return services;
    }

    /// <summary>Builds the decorator over whatever the earlier registration produced; marks the factory so it is applied once.</summary>
    private sealed class Decorated(ServiceDescriptor? inner)
    {
        public object Create(IServiceProvider services)
        {
            BedrockLimiter limiter = services.GetRequiredService<BedrockLimiter>();
            (IBedrockClient client, bool owned) = Resolve(services);

            // The container disposes what its own registrations create; an inner client this factory created is ours to dispose.
            return new RateLimitedBedrockClient(client, limiter, disposeInner: owned);
        }

        private (IBedrockClient Client, bool Owned) Resolve(IServiceProvider services)
        {
            if (inner is null)
            {
                return (services.GetService<BedrockClient>() ?? throw new InvalidOperationException(
                    "AddPromptGenLimits decorates an IBedrockClient, but none is registered: call services.AddPromptGen(...) or register an IBedrockClient."), false);
            }

            if (inner.ImplementationInstance is IBedrockClient instance)
            {
                return (instance, false);
            }

            if (inner.ImplementationFactory is { } factory)
            {
                object created = factory(services);

                // AddPromptGen's factory hands out the container's own BedrockClient singleton, which the container disposes.
                bool owned = created is not BedrockClient || !ReferenceEquals(created, services.GetService<BedrockClient>());
                return ((IBedrockClient)created, owned);
            }

            return ((IBedrockClient)ActivatorUtilities.CreateInstance(services, inner.ImplementationType!), true);
        }
    }
}
