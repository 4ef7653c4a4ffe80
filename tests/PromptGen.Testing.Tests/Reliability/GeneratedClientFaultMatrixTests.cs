using System.Text;
using PromptGen.Testing;

namespace PromptGen.Testing.Tests.Reliability;

public sealed record FaultTicket(string Title, string Priority, int Minutes);

/// <summary>One method per call path a generated client has: Converse text, a stream, a streamed PromptResult, a structured value.</summary>
[Prompt(UseCase = UseCase.Chatbot, Model = "us.anthropic.claude-haiku-4-5-20251001-v1:0", MaxTokens = 400)]
[SystemPrompt("You answer briefly.")]
public interface IReliabilityProbe
{
    [UserPrompt("Answer: {{ question }}")]
    Task<string> AnswerAsync(string question, CancellationToken cancellationToken = default);

    [UserPrompt("Stream: {{ question }}")]
    IAsyncEnumerable<string> StreamAsync(string question, CancellationToken cancellationToken = default);

    [UserPrompt("Measure: {{ question }}")]
    Task<PromptResult<string>> MeasureAsync(string question, CancellationToken cancellationToken = default);

    [Prompt(UseCase = UseCase.Extraction)]
    [UserPrompt("Ticket from: {{ text }}")]
    Task<FaultTicket> TicketAsync(string text, CancellationToken cancellationToken = default);
}

/// <summary>
/// The runtime fault matrix: every fault the emulator injects, on every call path of a generated client, through the
/// rate limiter. Each row states what the caller gets (a typed exception, or success after some requests), whether the
/// text streamed so far is kept on the exception, and how many requests reached the emulator; every row then checks that
/// the limiter gave back all its permits and reservations, that the client still works, and that no connection is left
/// open once the client is disposed.
/// </summary>
public class GeneratedClientFaultMatrixTests
{
    /// <summary>Only a guard against a hang: every row finishes far sooner; this is never a speed assertion.</summary>
    private static readonly TimeSpan HangGuard = TimeSpan.FromSeconds(60);

    private static readonly TimeSpan ShortTimeout = TimeSpan.FromMilliseconds(300);

    private static readonly TimeSpan LongStall = TimeSpan.FromSeconds(3);

    /// <summary>The call paths of a generated client.</summary>
    public enum CallPath
    {
        /// <summary><c>Task&lt;string&gt;</c>: Converse.</summary>
        Text,

        /// <summary><c>IAsyncEnumerable&lt;string&gt;</c>: ConverseStream, pieces reach the caller.</summary>
        Stream,

        /// <summary><c>Task&lt;PromptResult&lt;string&gt;&gt;</c>: ConverseStream underneath (for the time to first token), collected.</summary>
        Result,

        /// <summary><c>Task&lt;FaultTicket&gt;</c>: Converse with structured output.</summary>
        Structured,
    }

    /// <summary>What must happen to the text streamed before a failure.</summary>
    public enum Partial
    {
        /// <summary>Nothing to check (no failure, or no text can have streamed).</summary>
        None,

        /// <summary>Text streamed, and the exception keeps it (equal to what the caller saw on the stream path).</summary>
        Kept,

        /// <summary>Text may or may not have streamed; whatever the caller saw equals what the exception keeps.</summary>
        AsSeen,
    }

    /// <summary>One row's expectation: the exception (null for success), the requests Bedrock saw, the partial text.</summary>
    public sealed record Expectation(
        Type? Exception, int Requests, Partial Partial = Partial.None, BedrockStreamFailure[]? Failures = null, string? MessageContains = null)
    {
        public static Expectation Success(int requests) => new(null, requests);
    }

    /// <summary>One fault: how to arm it (given whether the path streams), client settings it needs, and what each path gives.</summary>
    private sealed record Fault(
        string Name,
        Action<BedrockEmulator, bool> Arm,
        Func<CallPath, Expectation?> Expect,
        Action<BedrockClientOptions>? Configure = null,
        TimeSpan? TokenDelay = null,
        bool CancelOnRequest = false);

    private static bool Streams(CallPath path) => path is CallPath.Stream or CallPath.Result;

    /// <summary>Stream-only faults: on a Converse path the fault would never fire, so those rows do not exist.</summary>
    private static Func<CallPath, Expectation?> StreamOnly(Expectation expectation) => path => Streams(path) ? expectation : null;

    private static Func<CallPath, Expectation?> Always(Expectation expectation) => _ => expectation;

    private static readonly Fault[] Faults =
    [
        // The client's own retries (AWS standard mode, 3 attempts) absorb a short burst.
        new("throttle-burst", (e, _) => e.Faults.Throttle(repeat: 2), Always(Expectation.Success(3))),
        // A longer burst outlasts the client's attempts; the limiter lowers the rate and sends again (nothing was streamed).
        new("throttle-burst-past-client-retries", (e, _) => e.Faults.Throttle(repeat: 4), Always(Expectation.Success(5))),
        new("500", (e, _) => e.Faults.ServerError(500), Always(Expectation.Success(2))),
        new("503", (e, _) => e.Faults.ServerError(503), Always(Expectation.Success(2))),
        new("model-not-ready", (e, _) => e.Faults.ModelNotReady(), Always(Expectation.Success(2))),
        // Bedrock ran the model and gave up: sending again would run it again, so it is not retried.
        new("model-timeout", (e, _) => e.Faults.ModelTimeout(), Always(new Expectation(typeof(BedrockModelTimeoutException), 1))),
        new("in-stream-modelStreamErrorException", (e, _) => e.Faults.InStreamException(afterEvents: 4, "modelStreamErrorException"),
            StreamOnly(new Expectation(typeof(BedrockModelStreamErrorException), 1, Partial.Kept))),
        // Text already streamed: neither the client nor the limiter may send again.
        new("in-stream-throttlingException", (e, _) => e.Faults.InStreamException(afterEvents: 4, "throttlingException"),
            StreamOnly(new Expectation(typeof(BedrockThrottlingException), 1, Partial.Kept))),
        new("in-stream-throttlingException-before-any-event", (e, _) => e.Faults.InStreamException(afterEvents: 0, "throttlingException"),
            StreamOnly(Expectation.Success(2))),
        new("reset-before-response", (e, s) => e.Faults.ResetConnection(afterBytes: 0, Operation(s)), Always(Expectation.Success(2))),
        // Mid-stream the text has reached the caller, so it fails; a Converse body is read whole before anything is
        // returned, so a reset part-way through it is still safe to send again.
        new("reset-mid-response", (e, s) => e.Faults.ResetConnection(afterBytes: s ? 900 : 40, Operation(s)),
            path => Streams(path)
                ? new Expectation(typeof(BedrockStreamException), 1, Partial.AsSeen, [BedrockStreamFailure.ConnectionFailed, BedrockStreamFailure.Truncated])
                : Expectation.Success(2)),
        new("truncated-frame", (e, _) => e.Faults.TruncateFrame(afterEvents: 4),
            StreamOnly(new Expectation(typeof(BedrockStreamException), 1, Partial.Kept, [BedrockStreamFailure.Truncated]))),
        new("bad-crc", (e, _) => e.Faults.CorruptCrc(afterEvents: 4),
            StreamOnly(new Expectation(typeof(BedrockStreamException), 1, Partial.Kept, [BedrockStreamFailure.ChecksumMismatch]))),
        new("stall-before-first-byte", (e, s) => e.Faults.StallBeforeFirstByte(LongStall, Operation(s)), Always(Expectation.Success(2)),
            Configure: o => o.FirstByteTimeout = ShortTimeout),
        new("stall-between-events", (e, _) => e.Faults.StallBetweenEvents(afterEvents: 4, LongStall),
            StreamOnly(new Expectation(typeof(BedrockTimeoutException), 1, Partial.Kept)),
            Configure: o => o.BetweenEventsTimeout = ShortTimeout),
        // The stream path cancels from the caller's loop after its first piece; the others cancel while Bedrock works.
        new("client-cancellation", (_, _) => { }, Always(new Expectation(typeof(OperationCanceledException), 1)),
            TokenDelay: TimeSpan.FromMilliseconds(20), CancelOnRequest: true),
        new("oversized-event", (e, _) => e.Faults.OversizedEvent(bytes: 256 * 1024),
            StreamOnly(new Expectation(typeof(BedrockStreamException), 1, Partial.None, [BedrockStreamFailure.EventTooLarge])),
            Configure: o => o.MaxEventSize = 64 * 1024),
        // An HTML page (a proxy's) on either operation: named as the wrong content type, not as malformed JSON.
        new("wrong-content-type", (e, s) => e.Faults.WrongContentType(Operation(s)),
            Always(new Expectation(typeof(BedrockStreamException), 1, Partial.None, [BedrockStreamFailure.UnexpectedContentType], "text/html"))),
    ];

    private static EmulatorOperation Operation(bool stream) => stream ? EmulatorOperation.ConverseStream : EmulatorOperation.Converse;

    /// <summary>The rows: every fault on every path it can fire on.</summary>
    public static TheoryData<string, CallPath> Rows()
    {
        var rows = new TheoryData<string, CallPath>();
        foreach (Fault fault in Faults)
        {
            foreach (CallPath path in Enum.GetValues<CallPath>())
            {
                if (fault.Expect(path) is not null)
                {
                    rows.Add(fault.Name, path);
                }
            }
        }

        return rows;
    }

    [Fact]
    public void The_matrix_covers_every_fault_on_the_stream_path_and_both_kinds_of_path()
    {
        TheoryData<string, CallPath> rows = Rows();
        var names = new HashSet<string>();
        var paths = new HashSet<CallPath>();
        foreach (object[] row in rows)
        {
            names.Add((string)row[0]);
            paths.Add((CallPath)row[1]);
        }

        Assert.Equal(Faults.Length, names.Count);
        Assert.Equal(Enum.GetValues<CallPath>().Length, paths.Count);
        Assert.All(Faults, f => Assert.NotNull(f.Expect(CallPath.Stream)));
    }

    [Theory]
    [MemberData(nameof(Rows))]
    public async Task Fault_on_a_generated_client_through_the_limiter(string faultName, CallPath path)
    {
        Fault fault = Array.Find(Faults, f => f.Name == faultName)!;
        Expectation expected = fault.Expect(path)!;
        using var cancellation = new CancellationTokenSource();
        await using BedrockEmulator emulator = await BedrockEmulator.StartAsync(new BedrockEmulatorOptions
        {
            TokenDelay = fault.TokenDelay ?? TimeSpan.Zero,
            // Cancelling from inside the emulator's handler puts the cancellation exactly while the call is in flight.
            ResponseText = fault.CancelOnRequest && path != CallPath.Stream ? _ => { cancellation.Cancel(); return null; } : null,
        });
        BedrockClientOptions clientOptions = emulator.ClientOptions();
        clientOptions.ThrottlingBackoffBase = TimeSpan.FromMilliseconds(1);
        clientOptions.TransientBackoffBase = TimeSpan.FromMilliseconds(1);
        fault.Configure?.Invoke(clientOptions);
        var bedrock = new BedrockClient(clientOptions);
        using RateLimitedBedrockClient limited = bedrock.WithLimits(o =>
        {
            o.Default.MaxConcurrency = 4;
            o.Default.RequestsPerMinute = 100_000;
            o.Default.TokensPerMinute = 10_000_000;
        });
        IReliabilityProbe probe = new ReliabilityProbeClient(limited);
        fault.Arm(emulator, Streams(path));

        var seen = new StringBuilder();
        Exception? error = null;
        try
        {
            await CallAsync(probe, path, seen, fault.CancelOnRequest ? cancellation : null, cancellation.Token).WaitAsync(HangGuard);
        }
        catch (TimeoutException)
        {
            throw;
        }
        catch (Exception ex)
        {
            error = ex;
        }

        if (expected.Exception is null)
        {
            Assert.Null(error);
        }
        else
        {
            Assert.NotNull(error);
            Assert.True(expected.Exception.IsInstanceOfType(error), $"expected {expected.Exception.Name}, got {error}");
            Assert.False(string.IsNullOrWhiteSpace(error.Message));
            if (expected.MessageContains is { } fragment)
            {
                Assert.Contains(fragment, error.Message, StringComparison.Ordinal);
            }

            if (error is BedrockStreamException stream && expected.Failures is { } failures)
            {
                Assert.Contains(stream.Failure, failures);
            }

            if (error is BedrockException bedrockError)
            {
                // A failure after streamed text must never invite a retry.
                if (!string.IsNullOrEmpty(bedrockError.PartialText))
                {
                    Assert.False(bedrockError.IsRetryable);
                }

                AssertPartialText(expected.Partial, path, seen.ToString(), bedrockError.PartialText);
            }
        }

        Assert.Equal(expected.Requests, emulator.Requests.Count);
        await AssertCleanAfterAsync(emulator, bedrock, limited, probe);
    }

    private static async Task CallAsync(IReliabilityProbe probe, CallPath path, StringBuilder seen, CancellationTokenSource? cancelInLoop, CancellationToken token)
    {
        switch (path)
        {
            case CallPath.Text:
                Assert.False(string.IsNullOrWhiteSpace(await probe.AnswerAsync("why do streams break?", token)));
                break;
            case CallPath.Stream:
                await foreach (string piece in probe.StreamAsync("why do streams break?", token))
                {
                    seen.Append(piece);
                    cancelInLoop?.Cancel();
                }

                Assert.NotEmpty(seen.ToString());
                break;
            case CallPath.Result:
                PromptResult<string> result = await probe.MeasureAsync("why do streams break?", token);
                Assert.False(string.IsNullOrWhiteSpace(result.Value));
                Assert.NotNull(result.TimeToFirstToken);
                break;
            case CallPath.Structured:
                FaultTicket ticket = await probe.TicketAsync("The stream broke at 10:02 and took 5 minutes to recover.", token);
                Assert.NotNull(ticket.Title);
                break;
        }
    }

    private static void AssertPartialText(Partial partial, CallPath path, string seen, string? kept)
    {
        switch (partial)
        {
            case Partial.Kept:
                Assert.False(string.IsNullOrEmpty(kept), "the text streamed before the failure is kept on the exception");
                if (path == CallPath.Stream)
                {
                    Assert.Equal(seen, kept);
                }

                break;
            case Partial.AsSeen when path == CallPath.Stream:
                Assert.Equal(seen, kept ?? string.Empty);
                break;
        }
    }

    /// <summary>
    /// After the row: the limiter holds nothing, the same generated client still answers on every path, and disposing the
    /// Bedrock client leaves no connection open at the emulator.
    /// </summary>
    private static async Task AssertCleanAfterAsync(BedrockEmulator emulator, BedrockClient bedrock, RateLimitedBedrockClient limited, IReliabilityProbe probe)
    {
        AssertLimiterIdle(limited.Limiter);
        emulator.Faults.Clear();
        foreach (CallPath path in Enum.GetValues<CallPath>())
        {
            await CallAsync(probe, path, new StringBuilder(), null, CancellationToken.None).WaitAsync(HangGuard);
        }

        AssertLimiterIdle(limited.Limiter);
        bedrock.Dispose();
        for (int i = 0; i < 500 && emulator.OpenConnections != 0; i++)
        {
            await Task.Delay(20);
        }

        Assert.Equal(0, emulator.OpenConnections);
    }

    private static void AssertLimiterIdle(BedrockLimiter limiter)
    {
        Assert.Equal(0, limiter.CurrentConcurrency);
        Assert.Equal(0, limiter.QueuedCount);
        Assert.Equal(0, limiter.PendingTokenReservations);
    }
}
