using System.Runtime.CompilerServices;
using Microsoft.Extensions.Caching.Hybrid;
using PromptGen.Generated;
using PromptGen.Runtime.Tests.Prompts;

namespace PromptGen.Runtime.Tests.Caching;

/// <summary>
/// A thread-safe <see cref="IBedrockClient"/> that counts calls and can hold every call at a gate, so concurrent callers
/// are all waiting on the same in-flight request.
/// </summary>
internal sealed class CountingBedrock : IBedrockClient
{
    private int _calls;

    public int Calls => Volatile.Read(ref _calls);

    /// <summary>When set, calls wait for it before answering.</summary>
    public TaskCompletionSource? Gate { get; set; }

    /// <summary>Completed when the first call has started.</summary>
    public TaskCompletionSource FirstCallStarted { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Func<int, ConverseResponse> Respond { get; set; } = n => FakeBedrockClient.Text("answer " + n);

    public Func<int, IEnumerable<ConverseStreamEvent>> Stream { get; set; } = n => FakeBedrockClient.TextEvents("", "end_turn", "streamed ", "answer ", n.ToString(System.Globalization.CultureInfo.InvariantCulture));

    public async Task<ConverseResponse> ConverseAsync(string modelId, ConverseRequest request, CancellationToken cancellationToken = default)
    {
        int n = Interlocked.Increment(ref _calls);
        FirstCallStarted.TrySetResult();
        if (Gate is { } gate)
        {
            await gate.Task.WaitAsync(cancellationToken);
        }

        return Respond(n);
    }

    public async IAsyncEnumerable<ConverseStreamEvent> ConverseStreamAsync(
        string modelId, ConverseRequest request, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        int n = Interlocked.Increment(ref _calls);
        FirstCallStarted.TrySetResult();
        if (Gate is { } gate)
        {
            await gate.Task.WaitAsync(cancellationToken);
        }

        foreach (ConverseStreamEvent e in Stream(n))
        {
            cancellationToken.ThrowIfCancellationRequested();
            await Task.Yield();
            yield return e;
        }
    }

    public Task<CountTokensResponse> CountTokensAsync(string modelId, CountTokensRequest request, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException();
}

/// <summary>A <see cref="HybridCache"/> that delegates to another and counts every operation, to prove a path never touches the cache.</summary>
internal sealed class SpyCache(HybridCache inner) : HybridCache
{
    private int _operations;

    public int Operations => Volatile.Read(ref _operations);

    public override ValueTask<T> GetOrCreateAsync<TState, T>(
        string key, TState state, Func<TState, CancellationToken, ValueTask<T>> factory, HybridCacheEntryOptions? options = null,
        IEnumerable<string>? tags = null, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _operations);
        return inner.GetOrCreateAsync(key, state, factory, options, tags, cancellationToken);
    }

    public override ValueTask SetAsync<T>(string key, T value, HybridCacheEntryOptions? options = null, IEnumerable<string>? tags = null, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _operations);
        return inner.SetAsync(key, value, options, tags, cancellationToken);
    }

    public override ValueTask RemoveAsync(string key, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _operations);
        return inner.RemoveAsync(key, cancellationToken);
    }

    public override ValueTask RemoveByTagAsync(string tag, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _operations);
        return inner.RemoveByTagAsync(tag, cancellationToken);
    }
}

internal static class Definitions
{
    public const string Haiku45 = "us.anthropic.claude-haiku-4-5-20251001-v1:0";

    public const string Schema = """{"type":"object","properties":{"number":{"type":"string"},"total":{"type":"number"},"currency":{"type":["string","null"]}}}""";

    public static PromptDefinition Text(bool cache = true, TimeSpan? ttl = null) => new()
    {
        InterfaceName = "IReader", MethodName = "SummarizeAsync", ModelId = Haiku45, SystemPrompt = "You summarize.",
        Temperature = 0, MaxTokens = 100, CacheResponse = cache, ResponseCacheTtl = ttl, StreamResult = false,
    };

    public static PromptDefinition Structured() => new()
    {
        InterfaceName = "IReader", MethodName = "ExtractAsync", ModelId = Haiku45, Temperature = 0, MaxTokens = 100,
        OutputKind = PromptOutputKind.NativeJson, JsonSchema = Schema, CacheResponse = true, StreamResult = false,
    };
}

/// <summary>
/// A plain shared <see cref="Microsoft.Extensions.Caching.Distributed.IDistributedCache"/> standing for Redis in unit
/// tests (HybridCache ignores <c>MemoryDistributedCache</c> as a second tier, since it is memory already). Ignores expiry.
/// </summary>
internal sealed class DictionaryDistributedCache : Microsoft.Extensions.Caching.Distributed.IDistributedCache
{
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, byte[]> _entries = new(StringComparer.Ordinal);

    public int Count => _entries.Count;

    public byte[]? Get(string key) => _entries.TryGetValue(key, out byte[]? value) ? value : null;

    public Task<byte[]?> GetAsync(string key, CancellationToken token = default) => Task.FromResult(Get(key));

    public void Refresh(string key)
    {
    }

    public Task RefreshAsync(string key, CancellationToken token = default) => Task.CompletedTask;

    public void Remove(string key) => _entries.TryRemove(key, out _);

    public Task RemoveAsync(string key, CancellationToken token = default)
    {
        Remove(key);
        return Task.CompletedTask;
    }

    public void Set(string key, byte[] value, Microsoft.Extensions.Caching.Distributed.DistributedCacheEntryOptions options) => _entries[key] = value;

    public Task SetAsync(string key, byte[] value, Microsoft.Extensions.Caching.Distributed.DistributedCacheEntryOptions options, CancellationToken token = default)
    {
        Set(key, value, options);
        return Task.CompletedTask;
    }
}

