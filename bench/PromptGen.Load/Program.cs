using System.Globalization;
using System.Runtime;
using System.Text;
using PromptGen;
using PromptGen.Load;
using PromptGen.Testing.Tests.Reliability;

// Full-size load run: rounds of N concurrent streams through the limiter (all held open at once, then finished) and
// M sequential Converse calls, through a generated client against the emulator on loopback. Prints a Markdown report
// (bench/results/load.md is this output).
// Usage: dotnet run -c Release --project bench/PromptGen.Load -- [--in-process] [streams] [sequential] [rounds]
// By default the emulator runs in a child process (this executable with --serve-emulator), so the memory figures are
// the client's alone; --in-process runs it in this process as the CI-size Load test does.
if (args.Contains(EmulatorProcess.ServeArgument))
{
    return await EmulatorProcess.ServeAsync();
}

bool inProcess = args.Contains("--in-process");
string[] numbers = args.Where(a => !a.StartsWith("--", StringComparison.Ordinal)).ToArray();
int streams = numbers.Length > 0 ? int.Parse(numbers[0], CultureInfo.InvariantCulture) : 1000;
int sequential = numbers.Length > 1 ? int.Parse(numbers[1], CultureInfo.InvariantCulture) : 10_000;
int rounds = numbers.Length > 2 ? int.Parse(numbers[2], CultureInfo.InvariantCulture) : 4;

ThreadPool.GetMinThreads(out int workers, out int io);
ThreadPool.SetMinThreads(Math.Max(workers, 64), io);

ILoadEmulator emulator;
if (inProcess)
{
    emulator = await InProcessLoadEmulator.StartAsync();
}
else
{
    EmulatorProcess child = await EmulatorProcess.StartAsync();
    // Belt and braces: the child also exits when its stdin closes, which happens when this process dies.
    AppDomain.CurrentDomain.ProcessExit += (_, _) => child.KillIfRunning();
    Console.Error.WriteLine($"emulator process {child.ProcessId} at {child.ClientOptions().Endpoint}");
    emulator = child;
}

// The scenario owns the emulator from here: disposing it (also on failure) stops the emulator or its process.
await using LoadScenario scenario = await LoadScenario.StartAsync(maxConcurrency: streams, emulator);
var results = new List<LoadRound>();
for (int round = 1; round <= rounds; round++)
{
    LoadRound result = await scenario.RunRoundAsync(round, streams, sequential);
    results.Add(result);
    Console.Error.WriteLine(
        $"round {round}: streams {result.StreamsCompleted}/{streams}, sequential {result.SequentialCompleted}/{sequential}, errors {result.Errors.Count}, " +
        $"heap/stream {result.HeapPerStream / 1024:F1} KB, GC committed/stream {result.CommittedPerStream / 1024:F1} KB, ws/stream {result.WorkingSetPerStream / 1024:F1} KB");
}

int leftOpen = await scenario.OpenConnectionsAfterDisposeAsync();

string KB(double bytes) => (bytes / 1024).ToString("F1", CultureInfo.InvariantCulture);
string MB(long bytes) => (bytes / (1024.0 * 1024)).ToString("F2", CultureInfo.InvariantCulture);
string S(TimeSpan t) => t.TotalSeconds.ToString("F1", CultureInfo.InvariantCulture);

string emulatorPlace = inProcess ? "Emulator in the same process" : "Emulator in a separate process (memory figures are the client process's alone)";
string measured = inProcess
    ? "(client, limiter, generated client and the in-process emulator's side of the connection together)."
    : "(the client process alone: client, limiter, generated client and connection pool; the emulator ran in another process).";
var report = new StringBuilder();
report.AppendLine(CultureInfo.InvariantCulture, $"# Load: {streams} concurrent streams + {sequential} sequential calls per round, {rounds} rounds");
report.AppendLine();
report.AppendLine(CultureInfo.InvariantCulture,
    $"Run {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC; .NET {Environment.Version}, {Environment.ProcessorCount} cores, {(GCSettings.IsServerGC ? "server" : "workstation")} GC, " +
    $"{System.Runtime.InteropServices.RuntimeInformation.OSDescription}. {emulatorPlace} on loopback, no time to first token or token delay.");
report.AppendLine();
report.AppendLine("| Round | Streams ok | Sequential ok | Errors | Requests seen | Peak in flight (limiter) | Peak connections | Heap / open stream | GC committed / open stream | Working set / open stream | Live heap after round | Streams phase | Sequential phase |");
report.AppendLine("|---|---|---|---|---|---|---|---|---|---|---|---|---|");
foreach (LoadRound r in results)
{
    report.AppendLine(CultureInfo.InvariantCulture,
        $"| {r.Round} | {r.StreamsCompleted}/{r.Streams} | {r.SequentialCompleted}/{r.Sequential} | {r.Errors.Count} | {r.RequestsSeen} | {r.PeakInFlight} | {r.PeakConnections} | " +
        $"{KB(r.HeapPerStream)} KB | {KB(r.CommittedPerStream)} KB | {KB(r.WorkingSetPerStream)} KB | {MB(r.AfterHeap)} MB | {S(r.StreamsElapsed)} s | {S(r.SequentialElapsed)} s |");
}

report.AppendLine();
int totalErrors = results.Sum(r => r.Errors.Count);
bool accounted = results.All(r => r.AllAccounted);
report.AppendLine(CultureInfo.InvariantCulture, $"- Calls: {results.Sum(r => r.StreamsCompleted)} streams and {results.Sum(r => r.SequentialCompleted)} sequential calls completed; errors: {totalErrors}; every call accounted for (completed count = calls = requests the emulator recorded): {(accounted ? "yes" : "no")}.");
report.AppendLine(CultureInfo.InvariantCulture, $"- Limiter after the run: concurrency {scenario.Limiter.CurrentConcurrency}, queued {scenario.Limiter.QueuedCount}, pending token reservations {scenario.Limiter.PendingTokenReservations}; emulator connections open after the client was disposed: {leftOpen}.");
if (results.Count >= 2)
{
    LoadRound warm = results[Math.Min(1, results.Count - 1)];
    LoadRound last = results[^1];
    report.AppendLine(CultureInfo.InvariantCulture, $"- Live heap after round {warm.Round} (warm): {MB(warm.AfterHeap)} MB; after round {last.Round}: {MB(last.AfterHeap)} MB; change {KB(last.AfterHeap - warm.AfterHeap)} KB over {(last.Round - warm.Round) * (streams + sequential)} calls.");
}

LoadRound first = results[0];
report.AppendLine(CultureInfo.InvariantCulture,
    $"- Memory per in-flight stream (issue 5 goal <= 32 KB): round 1, after an 8-stream warm-up, every stream on a new connection: " +
    $"{KB(first.HeapPerStream)} KB of live managed heap, {KB(first.CommittedPerStream)} KB of GC-committed memory and {KB(first.WorkingSetPerStream)} KB of working set per open stream " +
    $"{measured} Later rounds reuse the pooled connections " +
    $"already in their baseline: {string.Join(", ", results.Skip(1).Select(r => KB(r.HeapPerStream) + " KB"))}.");
foreach (string error in results.SelectMany(r => r.Errors).Take(20))
{
    report.AppendLine("  - " + error);
}

Console.Write(report.ToString());
return accounted && leftOpen == 0 ? 0 : 1;
