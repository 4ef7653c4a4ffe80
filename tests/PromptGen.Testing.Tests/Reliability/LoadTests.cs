using Xunit.Abstractions;

namespace PromptGen.Testing.Tests.Reliability;

/// <summary>
/// Load at CI size (the full size runs in bench/PromptGen.Load): concurrent streams through the limiter and sequential
/// calls against the emulator, every call accounted for, the limiter and connections back to idle, and the live heap flat
/// across rounds once warm. Memory is measured, never time.
/// </summary>
[Trait("Category", "Load")]
public class LoadTests(ITestOutputHelper output)
{
    private const int ConcurrentStreams = 200;
    private const int SequentialCalls = 1000;
    private const int Rounds = 6;

    /// <summary>Only a guard against a hang, never a speed assertion.</summary>
    private static readonly TimeSpan HangGuard = TimeSpan.FromMinutes(5);

    [Fact]
    public async Task Concurrent_streams_and_sequential_calls_are_all_accounted_for_and_memory_stays_flat()
    {
        await using LoadScenario scenario = await LoadScenario.StartAsync(maxConcurrency: ConcurrentStreams);
        var rounds = new List<LoadRound>();
        for (int round = 1; round <= Rounds; round++)
        {
            using var guard = new CancellationTokenSource(HangGuard);
            LoadRound result = await scenario.RunRoundAsync(round, ConcurrentStreams, SequentialCalls, guard.Token);
            rounds.Add(result);
            output.WriteLine(
                $"round {round}: streams {result.StreamsCompleted}/{result.Streams}, sequential {result.SequentialCompleted}/{result.Sequential}, " +
                $"requests {result.RequestsSeen}, peak in flight {result.PeakInFlight}, heap/stream {result.HeapPerStream / 1024:F1} KB, " +
                $"heap after {result.AfterHeap / 1024} KB, errors {result.Errors.Count}");

            Assert.Empty(result.Errors);
            Assert.True(result.AllAccounted, $"round {round}: not every call is accounted for");
            // Every stream was open at once, through the limiter, each on its own connection.
            Assert.Equal(ConcurrentStreams, result.PeakInFlight);
            Assert.Equal(0, scenario.Limiter.CurrentConcurrency);
            Assert.Equal(0, scenario.Limiter.QueuedCount);
            Assert.Equal(0, scenario.Limiter.PendingTokenReservations);
        }

        // Warm-up is rounds 1-2 (JIT, pools, connection pool growth); after it the live heap must not grow. The bound is
        // deliberately tolerant (1 MB, or 10%) so the GC's own noise never fails it, while a leak of a kilobyte per call
        // (1,200 calls a round, three rounds apart: 3.6 MB) would.
        long warm = rounds[2].AfterHeap;
        long last = rounds[^1].AfterHeap;
        long allowed = Math.Max(1024 * 1024, warm / 10);
        Assert.True(last - warm <= allowed, $"live heap grew from {warm} to {last} bytes between round 3 and round {Rounds}");

        Assert.Equal(0, await scenario.OpenConnectionsAfterDisposeAsync());
    }
}
