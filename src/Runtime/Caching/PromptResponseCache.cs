using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.Caching.Hybrid;
using Microsoft.Extensions.DependencyInjection;

namespace PromptGen;

/// <summary>
/// The response cache behind <see cref="PromptAttribute.CacheResponse"/> without dependency injection: creates the
/// <see cref="HybridCache"/> to put in <see cref="PromptClientOptions.ResponseCache"/> (in memory, or in memory in front of
/// Redis or any <see cref="IDistributedCache"/>), and warms it ahead of time for inputs known in advance.
/// </summary>
/// <example>
/// <code>
/// HybridCache cache = PromptResponseCache.CreateInMemory();
/// var reader = new InvoiceReaderClient(bedrock, new PromptClientOptions { ResponseCache = cache });
/// PromptCacheWarmResult&lt;string&gt; warmed = await PromptResponseCache.WarmAsync(
///     knownDocuments, (text, ct) =&gt; reader.ClassifyAsync(text, ct), maxConcurrency: 4);
/// </code>
/// With dependency injection use <c>services.AddPromptGenResponseCache()</c> instead.
/// </example>
public static class PromptResponseCache
{
    /// <summary>
    /// The tag every cached response carries: <c>await cache.RemoveByTagAsync(PromptResponseCache.Tag)</c> drops them all
    /// (for example after changing a prompt's model or wording outside the generated code).
    /// </summary>
    public const string Tag = "promptgen";

    /// <summary>
    /// Creates a response cache that lives in this process's memory. Concurrent identical calls still make one Bedrock
    /// request (stampede protection).
    /// </summary>
    /// <param name="configure">Adjusts the cache's options (entry size limits, default expirations); optional.</param>
    /// <returns>The cache, for <see cref="PromptClientOptions.ResponseCache"/>.</returns>
    public static HybridCache CreateInMemory(Action<HybridCacheOptions>? configure = null) => Build(null, configure);

    /// <summary>
    /// Creates a response cache in memory in front of <paramref name="distributed"/> (Redis, SQL Server, …), so that
    /// several instances of a service share answers: an answer one instance cached is served to the others without a
    /// Bedrock call. Answers are stored as source-generated JSON (trimming- and AOT-safe).
    /// </summary>
    /// <param name="distributed">The shared second tier, for example a <c>RedisCache</c>.</param>
    /// <param name="configure">Adjusts the cache's options (entry size limits, default expirations); optional.</param>
    /// <returns>The cache, for <see cref="PromptClientOptions.ResponseCache"/>.</returns>
    public static HybridCache Create(IDistributedCache distributed, Action<HybridCacheOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(distributed);
        return Build(distributed, configure);
    }

    private static HybridCache Build(IDistributedCache? distributed, Action<HybridCacheOptions>? configure)
    {
        var services = new ServiceCollection();
        if (distributed is not null)
        {
            services.AddSingleton(distributed);
        }

        IHybridCacheBuilder builder = configure is null ? services.AddHybridCache() : services.AddHybridCache(configure);
        builder.AddSerializer<Generated.PromptAnswer, Generated.PromptAnswerSerializer>();
        // The provider only holds the cache and its memory tier; it lives as long as the cache is referenced.
        return services.BuildServiceProvider().GetRequiredService<HybridCache>();
    }

    /// <summary>
    /// Warms the response cache for inputs known ahead of time (the day's report templates, the catalogue's product
    /// descriptions, …) by calling a <see cref="PromptAttribute.CacheResponse"/> method once per input, at most
    /// <paramref name="maxConcurrency"/> at a time. Inputs already cached cost nothing. A failing input is recorded in the
    /// result and does not stop the others.
    /// </summary>
    /// <typeparam name="TInput">The input type.</typeparam>
    /// <param name="inputs">The inputs to warm.</param>
    /// <param name="call">Calls the prompt method, e.g. <c>(text, ct) =&gt; reader.ClassifyAsync(text, ct)</c>.</param>
    /// <param name="maxConcurrency">How many calls run at once (default 4); mind the account's Bedrock quotas.</param>
    /// <param name="cancellationToken">Stops warming; calls in progress are cancelled and the method throws.</param>
    /// <returns>How many inputs were warmed, and which failed with what.</returns>
    public static Task<PromptCacheWarmResult<TInput>> WarmAsync<TInput>(
        IEnumerable<TInput> inputs, Func<TInput, CancellationToken, Task> call, int maxConcurrency = 4, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(call);
        return WarmCoreAsync(inputs, (input, ct) => new ValueTask(call(input, ct)), maxConcurrency, cancellationToken);
    }

    /// <summary>Warms the response cache through a method that returns a <see cref="ValueTask{TResult}"/> (see <see cref="WarmAsync{TInput}(IEnumerable{TInput}, Func{TInput, CancellationToken, Task}, int, CancellationToken)"/>).</summary>
    /// <typeparam name="TInput">The input type.</typeparam>
    /// <typeparam name="TResult">The method's value type.</typeparam>
    /// <param name="inputs">The inputs to warm.</param>
    /// <param name="call">Calls the prompt method.</param>
    /// <param name="maxConcurrency">How many calls run at once (default 4).</param>
    /// <param name="cancellationToken">Stops warming.</param>
    /// <returns>How many inputs were warmed, and which failed with what.</returns>
    public static Task<PromptCacheWarmResult<TInput>> WarmAsync<TInput, TResult>(
        IEnumerable<TInput> inputs, Func<TInput, CancellationToken, ValueTask<TResult>> call, int maxConcurrency = 4, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(call);
        return WarmCoreAsync(inputs, async (input, ct) => await call(input, ct).ConfigureAwait(false), maxConcurrency, cancellationToken);
    }

    /// <summary>
    /// Warms the response cache through a streaming method: each stream is read to its end, which is what caches it
    /// (see <see cref="WarmAsync{TInput}(IEnumerable{TInput}, Func{TInput, CancellationToken, Task}, int, CancellationToken)"/>).
    /// </summary>
    /// <typeparam name="TInput">The input type.</typeparam>
    /// <param name="inputs">The inputs to warm.</param>
    /// <param name="call">Calls the streaming prompt method.</param>
    /// <param name="maxConcurrency">How many streams run at once (default 4).</param>
    /// <param name="cancellationToken">Stops warming.</param>
    /// <returns>How many inputs were warmed, and which failed with what.</returns>
    public static Task<PromptCacheWarmResult<TInput>> WarmAsync<TInput>(
        IEnumerable<TInput> inputs, Func<TInput, CancellationToken, IAsyncEnumerable<string>> call, int maxConcurrency = 4, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(call);
        return WarmCoreAsync(
            inputs,
            async (input, ct) =>
            {
                await foreach (string _ in call(input, ct).WithCancellation(ct).ConfigureAwait(false))
                {
                }
            },
            maxConcurrency,
            cancellationToken);
    }

    private static async Task<PromptCacheWarmResult<TInput>> WarmCoreAsync<TInput>(
        IEnumerable<TInput> inputs, Func<TInput, CancellationToken, ValueTask> call, int maxConcurrency, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxConcurrency, 1);
        int total = 0;
        int warmed = 0;
        var failures = new List<PromptCacheWarmFailure<TInput>>();
        IEnumerable<(TInput Input, int Index)> numbered = inputs.Select((input, index) => (input, index));
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = maxConcurrency, CancellationToken = cancellationToken };
        await Parallel.ForEachAsync(numbered, parallel, async (item, token) =>
        {
            Interlocked.Increment(ref total);
            try
            {
                await call(item.Input, token).ConfigureAwait(false);
                Interlocked.Increment(ref warmed);
            }
            catch (Exception e) when (!token.IsCancellationRequested)
            {
                lock (failures)
                {
                    failures.Add(new PromptCacheWarmFailure<TInput>(item.Index, item.Input, e));
                }
            }
        }).ConfigureAwait(false);

        failures.Sort(static (a, b) => a.Index.CompareTo(b.Index));
        return new PromptCacheWarmResult<TInput>(total, warmed, failures);
    }
}

/// <summary>What <see cref="PromptResponseCache.WarmAsync{TInput}(IEnumerable{TInput}, Func{TInput, CancellationToken, Task}, int, CancellationToken)"/> did.</summary>
/// <typeparam name="TInput">The input type.</typeparam>
/// <param name="Total">How many inputs there were.</param>
/// <param name="Warmed">How many calls succeeded: their answers are cached now (or already were), unless the answer was not cacheable (a guardrail stop, a truncated answer).</param>
/// <param name="Failures">The inputs whose call failed, in input order.</param>
public sealed record PromptCacheWarmResult<TInput>(int Total, int Warmed, IReadOnlyList<PromptCacheWarmFailure<TInput>> Failures)
{
    /// <summary>How many calls failed.</summary>
    public int Failed => Failures.Count;
}

/// <summary>One input that could not be warmed.</summary>
/// <typeparam name="TInput">The input type.</typeparam>
/// <param name="Index">The input's position in the list passed to warm.</param>
/// <param name="Input">The input.</param>
/// <param name="Exception">Why its call failed.</param>
public sealed record PromptCacheWarmFailure<TInput>(int Index, TInput Input, Exception Exception);
