using Microsoft.Extensions.Time.Testing;

namespace PromptGen.Runtime.Tests.Throughput;

public sealed class BatchAndFanOutTests
{
    [Fact]
    public async Task Batch_keeps_input_order_and_every_failure_while_bounding_concurrency()
    {
        int active = 0, maxActive = 0;
        PromptBatchResult<int, string> result = await PromptBatch.RunAsync(Enumerable.Range(0, 40), async (i, ct) =>
        {
            int now = Interlocked.Increment(ref active);
            InterlockedMax(ref maxActive, now);
            try
            {
                // Later inputs finish first, so completion order differs from input order.
                await Task.Delay(40 - i, ct);
                return i % 7 == 3 ? throw new InvalidOperationException("item " + i) : "v" + i;
            }
            finally
            {
                Interlocked.Decrement(ref active);
            }
        }, new PromptBatchOptions { MaxConcurrency = 5 });

        Assert.Equal(40, result.Count);
        Assert.Equal(Enumerable.Range(0, 40), result.Select(r => r.Index));
        Assert.Equal(Enumerable.Range(0, 40), result.Select(r => r.Input));
        Assert.Equal([3, 10, 17, 24, 31, 38], result.Failures.Select(f => f.Input));
        Assert.Equal(6, result.FailedCount);
        Assert.Equal("v4", result[4].Value);
        Assert.Equal("item 3", Assert.Throws<InvalidOperationException>(() => result[3].Value).Message);
        Assert.Equal("fallback", result[3].GetValueOrDefault("fallback"));
        Assert.Throws<AggregateException>(() => result.Values());
        Assert.InRange(maxActive, 1, 5);
    }

    [Fact]
    public async Task Batch_stream_yields_each_item_once_as_it_completes()
    {
        var gates = Enumerable.Range(0, 3).Select(_ => new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously)).ToArray();
        var seen = new List<int>();
        Task consume = Task.Run(async () =>
        {
            await foreach (BatchItem<int, int> item in PromptBatch.StreamAsync([0, 1, 2], (i, ct) => gates[i].Task, new PromptBatchOptions { MaxConcurrency = 3 }))
            {
                lock (seen)
                {
                    seen.Add(item.Index);
                }
            }
        });

        gates[2].SetResult(2);
        await LimiterTests.WaitUntil(() => { lock (seen) { return seen.Count == 1; } });
        gates[0].SetResult(0);
        gates[1].SetResult(1);
        await consume;
        Assert.Equal(2, seen[0]);
        Assert.Equal([0, 1, 2], seen.Order());
    }

    [Fact]
    public async Task Cancelling_a_batch_throws_and_reaches_the_calls_in_progress()
    {
        using var cts = new CancellationTokenSource();
        int cancelledCalls = 0;
        Task<PromptBatchResult<int, int>> batch = PromptBatch.RunAsync(Enumerable.Range(0, 100), async (i, ct) =>
        {
            try
            {
                await Task.Delay(Timeout.Infinite, ct);
                return i;
            }
            catch (OperationCanceledException)
            {
                Interlocked.Increment(ref cancelledCalls);
                throw;
            }
        }, new PromptBatchOptions { MaxConcurrency = 4 }, cts.Token);

        cts.Cancel();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => batch);
        Assert.InRange(cancelledCalls, 0, 4);
    }

    [Fact]
    public async Task Fan_out_reports_each_branch_and_a_total_close_to_the_slowest()
    {
        var time = new FakeTimeProvider();
        var fanOut = new PromptFanOut { TimeProvider = time };
        FanOutBranch<string> a = fanOut.Add("a", async ct => { await Task.Delay(TimeSpan.FromMilliseconds(100), time, ct); return "A"; });
        FanOutBranch<int> b = fanOut.Add("b", async ct => { await Task.Delay(TimeSpan.FromMilliseconds(300), time, ct); return 2; });
        FanOutBranch<string> c = fanOut.Add("c", async ct => { await Task.Delay(TimeSpan.FromMilliseconds(200), time, ct); return "C"; });

        Task<FanOutResult<string>> run = fanOut.RunAsync(r => r.Get(a) + r.Get(b) + r.Get(c));
        await LimiterTests.WaitUntil(() => { time.Advance(TimeSpan.Zero); return true; });
        await AdvanceUntil(run, time, TimeSpan.FromMilliseconds(100));
        FanOutResult<string> result = await run;

        Assert.Equal("A2C", result.Value);
        Assert.Equal(TimeSpan.FromMilliseconds(100), result["a"].Elapsed);
        Assert.Equal(TimeSpan.FromMilliseconds(300), result["b"].Elapsed);
        Assert.Equal(TimeSpan.FromMilliseconds(300), result.Slowest);
        Assert.Equal(TimeSpan.FromMilliseconds(300), result.Total);
        Assert.True(result.AllSucceeded);
        Assert.Equal(["a", "b", "c"], result.Branches.Select(x => x.Name));
    }

    [Fact]
    public async Task CancelRemainingOnFailure_cancels_running_branches_and_skips_waiting_ones()
    {
        var fanOut = new PromptFanOut { CancelRemainingOnFailure = true, MaxConcurrency = 2 };
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        FanOutBranch<int> slow = fanOut.Add("slow", async ct => { started.SetResult(); await Task.Delay(Timeout.Infinite, ct); return 1; });
        fanOut.Add<int>("bad", async ct => { await started.Task; throw new InvalidOperationException("boom"); });
        FanOutBranch<int> waiting = fanOut.Add("waiting", ct => Task.FromResult(3));

        FanOutResult result = await fanOut.RunAsync();

        Assert.Equal(FanOutBranchStatus.Canceled, result["slow"].Status);
        Assert.Equal(FanOutBranchStatus.Failed, result["bad"].Status);
        Assert.Equal(FanOutBranchStatus.NotStarted, result["waiting"].Status);
        Assert.False(result.TryGet(waiting, out _));
        Assert.Throws<TaskCanceledException>(() => result.Get(slow));
        var all = Assert.Throws<AggregateException>(result.ThrowIfAnyFailed);
        Assert.Contains(all.InnerExceptions, e => e.Message == "boom");
    }

    [Fact]
    public async Task A_waiting_branch_never_starts_after_a_failure_even_when_a_cancelled_branch_frees_its_slot_inside_Cancel()
    {
        // The slow branch finishes synchronously inside Cancel() (no RunContinuationsAsynchronously), so it releases
        // its slot before the waiting branch's own cancellation callback has run: the race CI once lost.
        for (int attempt = 0; attempt < 50; attempt++)
        {
            var fanOut = new PromptFanOut { CancelRemainingOnFailure = true, MaxConcurrency = 2 };
            var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            int waitingRuns = 0;
            fanOut.Add("slow", async ct =>
            {
                var cancelled = new TaskCompletionSource();
                using CancellationTokenRegistration registration = ct.Register(() => cancelled.TrySetCanceled(ct));
                started.SetResult();
                await cancelled.Task.ConfigureAwait(false);
                return 1;
            });
            fanOut.Add<int>("bad", async ct => { await started.Task; throw new InvalidOperationException("boom"); });
            fanOut.Add("waiting", ct => { Interlocked.Increment(ref waitingRuns); return Task.FromResult(3); });

            FanOutResult result = await fanOut.RunAsync();

            Assert.Equal(FanOutBranchStatus.Canceled, result["slow"].Status);
            Assert.Equal(FanOutBranchStatus.Failed, result["bad"].Status);
            Assert.Equal(FanOutBranchStatus.NotStarted, result["waiting"].Status);
            Assert.IsAssignableFrom<OperationCanceledException>(result["waiting"].Exception);
            Assert.Equal(0, waitingRuns);
        }
    }

    [Fact]
    public async Task Without_CancelRemainingOnFailure_every_branch_runs_to_its_end()
    {
        var fanOut = new PromptFanOut();
        fanOut.Add<int>("bad", _ => throw new InvalidOperationException("boom"));
        FanOutBranch<int> good = fanOut.Add("good", async ct => { await Task.Delay(20, ct); return 7; });

        FanOutResult<int> result = await fanOut.RunAsync(async (r, ct) => { await Task.Yield(); return r.TryGet(good, out int v) ? v : -1; });

        Assert.Equal(7, result.Value);
        Assert.Equal(FanOutBranchStatus.Failed, result["bad"].Status);
        Assert.Throws<ArgumentException>(() => fanOut.Add("good", _ => Task.FromResult(1)));
    }

    private static async Task AdvanceUntil(Task task, FakeTimeProvider time, TimeSpan step)
    {
        for (int i = 0; i < 1000 && !task.IsCompleted; i++)
        {
            // Let every branch reach its delay before the clock moves, so elapsed times are exact.
            await Task.Delay(20);
            time.Advance(step);
        }
    }

    private static void InterlockedMax(ref int target, int value)
    {
        int current;
        while ((current = Volatile.Read(ref target)) < value && Interlocked.CompareExchange(ref target, value, current) != current)
        {
        }
    }
}
