using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.Caching.Hybrid;
using Microsoft.Extensions.Caching.StackExchangeRedis;
using Microsoft.Extensions.DependencyInjection;
using PromptGen.Generated;
using PromptGen.Runtime.Tests.Prompts;

namespace PromptGen.Runtime.Tests.Caching;

/// <summary>
/// Several service instances share answers through a real redis-server: each instance has its own container, its own
/// HybridCache and memory tier, and its own Bedrock client; Redis is the only thing they share.
/// </summary>
public sealed class RedisResponseCacheTests(RedisServerFixture redis) : IClassFixture<RedisServerFixture>
{
    private ServiceProvider Instance(IBedrockClient bedrock, string instanceName)
    {
        ServiceProvider instance = new ServiceCollection()
            .AddSingleton(bedrock)
            .AddStackExchangeRedisCache(o =>
            {
                o.Configuration = redis.Configuration;
                o.InstanceName = instanceName;
            })
            .AddPromptGenResponseCache()
            .BuildServiceProvider();
        // Connect before the cache is used: HybridCache treats a Redis failure as a miss (it only logs it), so a
        // connection still being made on a loaded machine would look like "not shared" instead of failing loudly.
        instance.GetRequiredService<IDistributedCache>().Get("connect");
        return instance;
    }

    /// <summary>
    /// HybridCache hands the value to its caller before its write to Redis completes; wait (bounded) for the write, as a
    /// second instance arriving a moment later would.
    /// </summary>
    private static async Task WaitUntilInRedisAsync(ServiceProvider instance, string key)
    {
        IDistributedCache distributed = instance.GetRequiredService<IDistributedCache>();
        for (int i = 0; i < 400 && await distributed.GetAsync(key) is null; i++)
        {
            await Task.Delay(50);
        }

        Assert.True(await distributed.GetAsync(key) is not null, $"The answer never reached Redis under {key}.");
    }

    private static Task<PromptResult<string>> Result(ServiceProvider instance, PromptDefinition definition, string prompt) =>
        PromptRunner.GetResultAsync<string>(
            new PromptPipeline(instance.GetRequiredService<IBedrockClient>(), instance.GetRequiredService<PromptClientOptions>()),
            definition, prompt, 0, 0, null, default);

    [Fact]
    public async Task Instance_B_is_served_what_instance_A_cached_without_a_Bedrock_call()
    {
        string prefix = "app-" + Guid.NewGuid().ToString("N") + ":";
        var bedrockA = new CountingBedrock();
        var bedrockB = new CountingBedrock();
        using ServiceProvider a = Instance(bedrockA, prefix);
        using ServiceProvider b = Instance(bedrockB, prefix);

        PromptResult<string> fromA = await Result(a, Definitions.Text(), "Summarize: shared through Redis");
        await WaitUntilInRedisAsync(a, ResponseCacheKey.For(Definitions.Text(), "Summarize: shared through Redis"));
        PromptResult<string> fromB = await Result(b, Definitions.Text(), "Summarize: shared through Redis");

        Assert.False(fromA.CacheHit);
        Assert.True(fromB.CacheHit);
        Assert.Equal("answer 1", fromB.Value);
        Assert.Equal(StopReason.EndTurn, fromB.StopReason);
        Assert.Equal(1, bedrockA.Calls);
        Assert.Equal(0, bedrockB.Calls);
    }

    [Fact]
    public async Task Structured_answers_and_streamed_answers_travel_through_Redis()
    {
        string prefix = "app-" + Guid.NewGuid().ToString("N") + ":";
        var bedrockA = new CountingBedrock { Respond = _ => FakeBedrockClient.Text("""{"number":"R-1","total":99.5,"currency":"USD"}""") };
        var bedrockB = new CountingBedrock();
        using ServiceProvider a = Instance(bedrockA, prefix);
        using ServiceProvider b = Instance(bedrockB, prefix);
        var pipelineA = new PromptPipeline(bedrockA, a.GetRequiredService<PromptClientOptions>());
        var pipelineB = new PromptPipeline(bedrockB, b.GetRequiredService<PromptClientOptions>());

        await PromptRunner.GetValueAsync(pipelineA, Definitions.Structured(), "doc", 0, 0, PromptTestJson.Default.Invoice, default);
        await WaitUntilInRedisAsync(a, ResponseCacheKey.For(Definitions.Structured(), "doc"));
        Invoice invoice = await PromptRunner.GetValueAsync(pipelineB, Definitions.Structured(), "doc", 0, 0, PromptTestJson.Default.Invoice, default);
        await foreach (string _ in PromptRunner.StreamTextAsync(pipelineA, Definitions.Text(), "stream me", 0, 0, default))
        {
        }

        await WaitUntilInRedisAsync(a, ResponseCacheKey.For(Definitions.Text(), "stream me"));
        var replay = new List<string>();
        await foreach (string piece in PromptRunner.StreamTextAsync(pipelineB, Definitions.Text(), "stream me", 0, 0, default))
        {
            replay.Add(piece);
        }

        Assert.Equal(new Invoice("R-1", 99.5m, "USD"), invoice);
        Assert.Equal(["streamed answer 2"], replay);
        Assert.Equal(0, bedrockB.Calls);
    }

    [Fact]
    public async Task PromptResponseCache_Create_over_a_RedisCache_shares_answers_without_dependency_injection()
    {
        string prefix = "app-" + Guid.NewGuid().ToString("N") + ":";
        using var redisA = new RedisCache(new RedisCacheOptions { Configuration = redis.Configuration, InstanceName = prefix });
        using var redisB = new RedisCache(new RedisCacheOptions { Configuration = redis.Configuration, InstanceName = prefix });
        await redisA.GetAsync("connect");
        await redisB.GetAsync("connect");
        var bedrockA = new CountingBedrock();
        var bedrockB = new CountingBedrock();
        HybridCache cacheA = PromptResponseCache.Create(redisA);
        HybridCache cacheB = PromptResponseCache.Create(redisB);

        await PromptRunner.GetTextAsync(new PromptPipeline(bedrockA, new PromptClientOptions { ResponseCache = cacheA }), Definitions.Text(), "x", 0, 0, default);
        for (int i = 0; i < 400 && await redisA.GetAsync(ResponseCacheKey.For(Definitions.Text(), "x")) is null; i++)
        {
            await Task.Delay(50);
        }

        string fromB = await PromptRunner.GetTextAsync(new PromptPipeline(bedrockB, new PromptClientOptions { ResponseCache = cacheB }), Definitions.Text(), "x", 0, 0, default);

        Assert.Equal("answer 1", fromB);
        Assert.Equal(0, bedrockB.Calls);
    }

    [Fact]
    public async Task Instances_with_different_Redis_prefixes_do_not_share()
    {
        var bedrockA = new CountingBedrock();
        var bedrockB = new CountingBedrock();
        using ServiceProvider a = Instance(bedrockA, "app-" + Guid.NewGuid().ToString("N") + ":");
        using ServiceProvider b = Instance(bedrockB, "app-" + Guid.NewGuid().ToString("N") + ":");

        await Result(a, Definitions.Text(), "Summarize");
        await WaitUntilInRedisAsync(a, ResponseCacheKey.For(Definitions.Text(), "Summarize"));
        PromptResult<string> fromB = await Result(b, Definitions.Text(), "Summarize");

        Assert.False(fromB.CacheHit);
        Assert.Equal(1, bedrockB.Calls);
    }
}
