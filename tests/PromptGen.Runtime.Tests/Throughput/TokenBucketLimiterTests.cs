using System.Threading.RateLimiting;
using Microsoft.Extensions.Time.Testing;

namespace PromptGen.Runtime.Tests.Throughput;

public sealed class TokenBucketLimiterTests
{
    [Fact]
    public async Task Waiters_are_served_in_order_as_tokens_accrue()
    {
        var time = new FakeTimeProvider();
        using var bucket = new TokenBucketLimiter(ratePerSecond: 1, capacity: 2, initialBalance: 0, queueLimit: 10, time);
        Task<RateLimitLease> two = bucket.AcquireAsync(2).AsTask();
        Task<RateLimitLease> one = bucket.AcquireAsync(1).AsTask();

        time.Advance(TimeSpan.FromSeconds(1));
        Assert.False(two.IsCompleted);
        Assert.False(one.IsCompleted);
        time.Advance(TimeSpan.FromSeconds(1));
        Assert.True((await two.WaitAsync(TimeSpan.FromSeconds(5))).IsAcquired);
        Assert.False(one.IsCompleted);
        time.Advance(TimeSpan.FromSeconds(1));
        Assert.True((await one.WaitAsync(TimeSpan.FromSeconds(5))).IsAcquired);
        Assert.Equal(0, bucket.GetStatistics()!.CurrentQueuedCount);
    }

    [Fact]
    public async Task Cancelling_a_waiter_takes_no_tokens_and_lets_the_next_one_through()
    {
        var time = new FakeTimeProvider();
        using var bucket = new TokenBucketLimiter(1, 5, 0, 10, time);
        using var cts = new CancellationTokenSource();
        Task<RateLimitLease> big = bucket.AcquireAsync(5, cts.Token).AsTask();
        Task<RateLimitLease> small = bucket.AcquireAsync(1).AsTask();

        time.Advance(TimeSpan.FromSeconds(1));
        cts.Cancel();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => big);
        Assert.True((await small.WaitAsync(TimeSpan.FromSeconds(5))).IsAcquired);
        Assert.Equal(0, bucket.Balance, 9);
    }

    [Fact]
    public async Task A_full_queue_rejects()
    {
        var time = new FakeTimeProvider();
        using var bucket = new TokenBucketLimiter(1, 1, 0, queueLimit: 1, time);
        _ = bucket.AcquireAsync(1);

        // The rejection is immediate: nothing waits for a full queue.
        ValueTask<RateLimitLease> pending = bucket.AcquireAsync(1);
        Assert.True(pending.IsCompletedSuccessfully);
        RateLimitLease rejected = await pending;

        Assert.False(rejected.IsAcquired);
        Assert.Equal(1, bucket.GetStatistics()!.TotalFailedLeases);
    }

    [Fact]
    public async Task A_refund_serves_a_waiter_at_once_and_a_lower_rate_delays_it()
    {
        var time = new FakeTimeProvider();
        using var bucket = new TokenBucketLimiter(1, 10, 0, 10, time);
        Task<RateLimitLease> refunded = bucket.AcquireAsync(4).AsTask();
        bucket.Adjust(4);
        Assert.True((await refunded).IsAcquired);

        Task<RateLimitLease> slowed = bucket.AcquireAsync(2).AsTask();
        bucket.SetRate(0.5, 10);
        time.Advance(TimeSpan.FromSeconds(3));
        Assert.False(slowed.IsCompleted);
        time.Advance(TimeSpan.FromSeconds(1));
        Assert.True((await slowed).IsAcquired);
    }
}
