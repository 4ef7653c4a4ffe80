using System.Diagnostics;
using System.Text;
using PromptGen.Testing;

namespace PromptGen.Testing.Tests.Reliability;

/// <summary>The generated client the load runs drive: a Converse call and a stream.</summary>
[Prompt(UseCase = UseCase.Chatbot, Model = "us.anthropic.claude-haiku-4-5-20251001-v1:0", MaxTokens = 200)]
public interface ILoadProbe
{
    [UserPrompt("Answer: {{ question }}")]
    Task<string> AnswerAsync(string question, CancellationToken cancellationToken = default);

    [UserPrompt("Stream: {{ question }}")]
    IAsyncEnumerable<string> StreamAsync(string question, CancellationToken cancellationToken = default);
}

/// <summary>What one round of load gave: counts, failures, and memory at baseline, at peak concurrency and after the round.</summary>
public sealed class LoadRound
{
    public int Round { get; init; }

    public int Streams { get; init; }

    public int StreamsCompleted { get; set; }

    public int Sequential { get; init; }

    public int SequentialCompleted { get; set; }

    /// <summary>Requests the emulator recorded in the round; with no faults, exactly one per call.</summary>
    public int RequestsSeen { get; set; }

    /// <summary>The limiter's <see cref="BedrockLimiter.CurrentConcurrency"/> while every stream was held open.</summary>
    public int PeakInFlight { get; set; }

    /// <summary>Open connections at the emulator while every stream was held open.</summary>
    public int PeakConnections { get; set; }

    public List<string> Errors { get; } = new();

    /// <summary><see cref="GC.GetTotalMemory(bool)"/> after a full collection before the round.</summary>
    public long BaselineHeap { get; set; }

    /// <summary>The same, while every stream was open and had delivered its first piece.</summary>
    public long PeakHeap { get; set; }

    /// <summary>The same, after the round, its streams closed and the emulator's recorded requests cleared.</summary>
    public long AfterHeap { get; set; }

    public long BaselineWorkingSet { get; set; }

    public long PeakWorkingSet { get; set; }

    /// <summary>Memory the GC had committed (<see cref="GCMemoryInfo.TotalCommittedBytes"/>) right after the baseline collection.</summary>
    public long BaselineCommitted { get; set; }

    /// <summary>The same, right after the peak collection.</summary>
    public long PeakCommitted { get; set; }

    public TimeSpan StreamsElapsed { get; set; }

    public TimeSpan SequentialElapsed { get; set; }

    /// <summary>
    /// Live managed heap of the measuring process per open stream at peak over the round's baseline: the client's alone
    /// when the emulator runs in another process, client and emulator together when it runs in this one. In the first
    /// round every stream opens a new connection, so this is the whole cost of an in-flight stream; in later rounds the
    /// baseline already holds the previous round's idle pooled connections, which the streams reuse.
    /// </summary>
    public double HeapPerStream => PeakInFlight == 0 ? 0 : (PeakHeap - BaselineHeap) / (double)PeakInFlight;

    /// <summary>Working set of the measuring process per open stream at peak (with an in-process emulator, its share too).</summary>
    public double WorkingSetPerStream => PeakInFlight == 0 ? 0 : (PeakWorkingSet - BaselineWorkingSet) / (double)PeakInFlight;

    /// <summary>
    /// GC-committed memory per open stream at peak: the live heap plus the room the GC keeps committed for allocation,
    /// the part of the working set the GC decides rather than the streams.
    /// </summary>
    public double CommittedPerStream => PeakInFlight == 0 ? 0 : (PeakCommitted - BaselineCommitted) / (double)PeakInFlight;

    public bool AllAccounted => StreamsCompleted == Streams && SequentialCompleted == Sequential && Errors.Count == 0 && RequestsSeen == Streams + Sequential;
}

/// <summary>
/// The emulator side of a load run, as the scenario sees it. <see cref="InProcessLoadEmulator"/> runs it in the test's
/// own process; bench/PromptGen.Load can run it in a child process so the measuring process holds the client alone.
/// </summary>
public interface ILoadEmulator : IAsyncDisposable
{
    /// <summary>Options for a client that talks to the emulator.</summary>
    BedrockClientOptions ClientOptions();

    /// <summary>Forgets recorded requests (see <see cref="BedrockEmulator.Reset"/>).</summary>
    Task ResetAsync();

    /// <summary>Requests recorded since the last reset.</summary>
    Task<int> RequestCountAsync();

    /// <summary>TCP connections open at the emulator now.</summary>
    Task<int> OpenConnectionsAsync();
}

/// <summary>The emulator in this process (what the CI-size Load tests use).</summary>
public sealed class InProcessLoadEmulator : ILoadEmulator
{
    private readonly BedrockEmulator _emulator;

    private InProcessLoadEmulator(BedrockEmulator emulator) => _emulator = emulator;

    public static async Task<InProcessLoadEmulator> StartAsync() =>
        new(await BedrockEmulator.StartAsync(LoadScenario.EmulatorOptions()).ConfigureAwait(false));

    public BedrockClientOptions ClientOptions() => _emulator.ClientOptions();

    public Task ResetAsync()
    {
        _emulator.Reset();
        return Task.CompletedTask;
    }

    public Task<int> RequestCountAsync() => Task.FromResult(_emulator.Requests.Count);

    public Task<int> OpenConnectionsAsync() => Task.FromResult(_emulator.OpenConnections);

    public ValueTask DisposeAsync() => _emulator.DisposeAsync();
}

/// <summary>
/// A load run against the emulator on loopback through a generated client and the limiter: rounds of N concurrent
/// streams (all held open at once, then finished) followed by M sequential Converse calls. Shared by the CI-size tests
/// and the full-size runner in bench/PromptGen.Load.
/// </summary>
public sealed class LoadScenario : IAsyncDisposable
{
    private readonly ILoadEmulator _emulator;
    private readonly BedrockClient _bedrock;
    private readonly RateLimitedBedrockClient _limited;
    private readonly ILoadProbe _probe;

    private LoadScenario(ILoadEmulator emulator, BedrockClient bedrock, RateLimitedBedrockClient limited)
    {
        _emulator = emulator;
        _bedrock = bedrock;
        _limited = limited;
        _probe = new LoadProbeClient(limited);
    }

    public BedrockLimiter Limiter => _limited.Limiter;

    /// <summary>The emulator settings of a load run: no time to first token, no delay between tokens.</summary>
    public static BedrockEmulatorOptions EmulatorOptions() => new()
    {
        TimeToFirstToken = TimeSpan.Zero,
        TokenDelay = TimeSpan.Zero,
    };

    /// <summary>Starts an emulator in this process and a limited client that admits <paramref name="maxConcurrency"/> calls at once.</summary>
    public static async Task<LoadScenario> StartAsync(int maxConcurrency) =>
        await StartAsync(maxConcurrency, await InProcessLoadEmulator.StartAsync().ConfigureAwait(false)).ConfigureAwait(false);

    /// <summary>
    /// Starts a limited client that admits <paramref name="maxConcurrency"/> calls at once against <paramref name="emulator"/>,
    /// which the scenario then owns (disposes).
    /// </summary>
    public static async Task<LoadScenario> StartAsync(int maxConcurrency, ILoadEmulator emulator)
    {
        LoadScenario? scenario = null;
        try
        {
            var bedrock = new BedrockClient(emulator.ClientOptions());
            RateLimitedBedrockClient limited = bedrock.WithLimits(o =>
            {
                o.Default.MaxConcurrency = maxConcurrency;
                o.Default.QueueLimit = Math.Max(1000, maxConcurrency);
                o.Default.RequestsPerMinute = 100_000_000;
                o.Default.TokensPerMinute = 1_000_000_000;
            });
            scenario = new LoadScenario(emulator, bedrock, limited);

            // Warm-up: JIT, static caches and pools are paid here, so round 1 measures streams and connections only.
            await scenario.RunRoundAsync(0, streams: 8, sequential: 8).ConfigureAwait(false);
            return scenario;
        }
        catch
        {
            // The emulator is stopped on failure too (for a child process: killed).
            await (scenario is not null ? scenario.DisposeAsync() : emulator.DisposeAsync()).ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>One round: <paramref name="streams"/> concurrent streams held open together, then <paramref name="sequential"/> calls one after another.</summary>
    public async Task<LoadRound> RunRoundAsync(int round, int streams, int sequential, CancellationToken cancellationToken = default)
    {
        var result = new LoadRound { Round = round, Streams = streams, Sequential = sequential };
        await _emulator.ResetAsync().ConfigureAwait(false);
        result.BaselineHeap = SettledHeap();
        result.BaselineCommitted = GC.GetGCMemoryInfo().TotalCommittedBytes;
        result.BaselineWorkingSet = WorkingSet();

        // Every stream waits after its first piece until all have one, so the peak measurement sees them all open.
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var peak = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        int arrived = 0;
        var stopwatch = Stopwatch.StartNew();
        var tasks = new Task<string?>[streams];
        for (int i = 0; i < streams; i++)
        {
            tasks[i] = StreamOneAsync(i);
        }

        await Task.WhenAny(peak.Task, Task.WhenAll(tasks)).WaitAsync(cancellationToken).ConfigureAwait(false);
        if (peak.Task.IsCompleted)
        {
            result.PeakInFlight = _limited.Limiter.CurrentConcurrency;
            result.PeakConnections = await _emulator.OpenConnectionsAsync().ConfigureAwait(false);
            result.PeakHeap = SettledHeap();
            result.PeakCommitted = GC.GetGCMemoryInfo().TotalCommittedBytes;
            result.PeakWorkingSet = WorkingSet();
        }

        release.TrySetResult();
        string?[] texts = await Task.WhenAll(tasks).WaitAsync(cancellationToken).ConfigureAwait(false);
        result.StreamsElapsed = stopwatch.Elapsed;
        foreach (string? text in texts)
        {
            if (text is not null)
            {
                result.StreamsCompleted++;
            }
        }

        stopwatch.Restart();
        for (int i = 0; i < sequential; i++)
        {
            try
            {
                string answer = await _probe.AnswerAsync("sequential question " + i, cancellationToken).ConfigureAwait(false);
                if (answer.Length > 0)
                {
                    result.SequentialCompleted++;
                }
                else
                {
                    result.Errors.Add($"sequential {i}: empty answer");
                }
            }
            catch (Exception ex) when (ex is BedrockException or PromptOutputFormatException)
            {
                result.Errors.Add($"sequential {i}: {ex.GetType().Name}: {ex.Message}");
            }
        }

        result.SequentialElapsed = stopwatch.Elapsed;
        result.RequestsSeen = await _emulator.RequestCountAsync().ConfigureAwait(false);
        await _emulator.ResetAsync().ConfigureAwait(false);
        result.AfterHeap = SettledHeap();
        return result;

        async Task<string?> StreamOneAsync(int index)
        {
            await Task.Yield();
            var text = new StringBuilder();
            bool first = true;
            try
            {
                await foreach (string piece in _probe.StreamAsync("concurrent question " + index, cancellationToken).ConfigureAwait(false))
                {
                    text.Append(piece);
                    if (first)
                    {
                        first = false;
                        if (Interlocked.Increment(ref arrived) == streams)
                        {
                            peak.TrySetResult();
                        }

                        await release.Task.ConfigureAwait(false);
                    }
                }
            }
            catch (BedrockException ex)
            {
                lock (result.Errors)
                {
                    result.Errors.Add($"stream {index}: {ex.GetType().Name}: {ex.Message}");
                }

                return null;
            }

            if (text.Length == 0)
            {
                lock (result.Errors)
                {
                    result.Errors.Add($"stream {index}: no text");
                }

                return null;
            }

            return text.ToString();
        }
    }

    /// <summary>Open connections at the emulator once the client is disposed (waits for the server to see the closes).</summary>
    public async Task<int> OpenConnectionsAfterDisposeAsync()
    {
        _bedrock.Dispose();
        int open = await _emulator.OpenConnectionsAsync().ConfigureAwait(false);
        for (int i = 0; i < 500 && open != 0; i++)
        {
            await Task.Delay(20).ConfigureAwait(false);
            open = await _emulator.OpenConnectionsAsync().ConfigureAwait(false);
        }

        return open;
    }

    public async ValueTask DisposeAsync()
    {
        _limited.Dispose();
        _bedrock.Dispose();
        await _emulator.DisposeAsync().ConfigureAwait(false);
    }

    private static long SettledHeap()
    {
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        return GC.GetTotalMemory(forceFullCollection: true);
    }

    private static long WorkingSet()
    {
        using Process self = Process.GetCurrentProcess();
        return self.WorkingSet64;
    }
}
