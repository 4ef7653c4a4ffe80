using Microsoft.Extensions.Time.Testing;

namespace PromptGen.Runtime.Tests.Throughput;

public sealed class AdaptiveRateTests
{
    [Fact]
    public void Off_until_the_first_throttle_then_beta_times_the_measured_rate()
    {
        var time = new FakeTimeProvider();
        using var adaptive = new AdaptiveRateController(100, time);
        time.Advance(TimeSpan.FromMilliseconds(100));
        for (int i = 0; i < 10; i++)
        {
            adaptive.OnResponse(throttled: false);
        }

        Assert.Null(adaptive.CurrentRate);

        // At 0.5 s the first half-second bucket closes: 11 responses in 0.5 s = 22/s, smoothed 0.8 × 22 = 17.6/s.
        time.Advance(TimeSpan.FromMilliseconds(400));
        adaptive.OnResponse(throttled: true);

        Assert.Equal(17.6, adaptive.MeasuredRate, 9);
        Assert.Equal(17.6 * 0.7, adaptive.CurrentRate!.Value, 9);
    }

    [Fact]
    public void Recovers_along_the_cubic_curve_back_to_the_rate_it_was_throttled_at_and_beyond()
    {
        var time = new FakeTimeProvider();
        using var adaptive = new AdaptiveRateController(100, time);
        SteadyResponses(adaptive, time, TimeSpan.FromSeconds(3));
        double measured = adaptive.MeasuredRate;
        adaptive.OnResponse(throttled: true);
        double lowered = adaptive.CurrentRate!.Value;
        Assert.Equal(measured * 0.7, lowered, 9);

        // K: the time the cubic takes to climb back to Wmax (the rate at the throttle).
        double k = Math.Cbrt(measured * (1 - 0.7) / 0.4);
        var rates = new List<double>();
        for (double t = 0.05; t < k - 0.05; t += 0.05)
        {
            time.Advance(TimeSpan.FromMilliseconds(50));
            adaptive.OnResponse(throttled: false);
            rates.Add(adaptive.CurrentRate!.Value);
        }

        Assert.All(rates, r => Assert.True(r < measured, $"{r} should stay below {measured} before K"));
        Assert.Equal(rates.Order(), rates);

        // Keep answering at the same pace past K: the rate climbs above Wmax along 0.4 × (t − K)³ + Wmax.
        int steps = rates.Count;
        while (steps * 0.05 < k + 2)
        {
            time.Advance(TimeSpan.FromMilliseconds(50));
            adaptive.OnResponse(throttled: false);
            steps++;
        }

        double elapsed = steps * 0.05;
        Assert.Equal(0.4 * Math.Pow(elapsed - k, 3) + measured, adaptive.CurrentRate!.Value, 6);
        Assert.True(adaptive.CurrentRate!.Value > measured);
    }

    [Fact]
    public void A_second_throttle_lowers_from_the_already_lowered_rate()
    {
        var time = new FakeTimeProvider();
        using var adaptive = new AdaptiveRateController(100, time);
        SteadyResponses(adaptive, time, TimeSpan.FromSeconds(3));
        adaptive.OnResponse(throttled: true);
        double first = adaptive.CurrentRate!.Value;

        adaptive.OnResponse(throttled: true);

        Assert.Equal(first * 0.7, adaptive.CurrentRate!.Value, 6);
    }

    [Fact]
    public void The_rate_never_drops_below_the_minimum()
    {
        var time = new FakeTimeProvider();
        using var adaptive = new AdaptiveRateController(100, time);
        for (int i = 0; i < 20; i++)
        {
            adaptive.OnResponse(throttled: true);
        }

        Assert.Equal(AdaptiveRateController.MinRate, adaptive.CurrentRate!.Value);
    }

    [Fact]
    public async Task Once_enabled_sends_are_paced_at_the_lowered_rate()
    {
        var time = new FakeTimeProvider();
        using var adaptive = new AdaptiveRateController(100, time);
        SteadyResponses(adaptive, time, TimeSpan.FromSeconds(3));
        adaptive.OnResponse(throttled: true);
        double rate = adaptive.CurrentRate!.Value;

        // The bucket holds at most one token before the first throttle, so one send goes at once and the next waits
        // one interval of the lowered rate.
        Assert.True(await adaptive.AcquireAsync(CancellationToken.None));
        Task<bool> send = adaptive.AcquireAsync(CancellationToken.None).AsTask();
        Assert.False(send.IsCompleted);
        time.Advance(TimeSpan.FromSeconds(1 / rate) + TimeSpan.FromMilliseconds(1));
        Assert.True(await send);
    }

    /// <summary>20 responses per second for <paramref name="duration"/>.</summary>
    private static void SteadyResponses(AdaptiveRateController adaptive, FakeTimeProvider time, TimeSpan duration)
    {
        for (TimeSpan t = TimeSpan.Zero; t < duration; t += TimeSpan.FromMilliseconds(50))
        {
            time.Advance(TimeSpan.FromMilliseconds(50));
            adaptive.OnResponse(throttled: false);
        }
    }
}
