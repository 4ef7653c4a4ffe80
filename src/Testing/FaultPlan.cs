namespace PromptGen.Testing;

/// <summary>The kinds of fault a <see cref="FaultPlan"/> can inject.</summary>
public enum EmulatorFaultKind
{
    /// <summary>429 <c>ThrottlingException</c>.</summary>
    Throttle,

    /// <summary>500 <c>InternalServerException</c> or 503 <c>ServiceUnavailableException</c>.</summary>
    ServerError,

    /// <summary>429 <c>ModelNotReadyException</c>.</summary>
    ModelNotReady,

    /// <summary>408 <c>ModelTimeoutException</c>.</summary>
    ModelTimeout,

    /// <summary>424 <c>ModelErrorException</c>.</summary>
    ModelError,

    /// <summary>An exception event (<c>:message-type: exception</c>) after some events of a stream; the stream then ends.</summary>
    InStreamException,

    /// <summary>The connection is aborted after some response body bytes (a partial frame for streams).</summary>
    ResetConnection,

    /// <summary>A stream ends cleanly in the middle of a frame after some events.</summary>
    TruncateFrame,

    /// <summary>One stream frame carries a wrong message CRC; the stream continues.</summary>
    CorruptCrc,

    /// <summary>Nothing is sent (not even headers) for a while; then the request proceeds.</summary>
    StallBeforeFirstByte,

    /// <summary>A stream pauses after some events; then continues.</summary>
    StallBetweenEvents,

    /// <summary>A stream carries one <c>contentBlockDelta</c> frame of at least the given size.</summary>
    OversizedEvent,

    /// <summary>HTTP 200 with <c>Content-Type: text/html</c> and an HTML body.</summary>
    WrongContentType,
}

/// <summary>One fault, as enqueued on a <see cref="FaultPlan"/>.</summary>
public sealed class EmulatorFault
{
    internal EmulatorFault(EmulatorFaultKind kind, EmulatorOperation? operation, int repeat)
    {
        if (repeat < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(repeat), repeat, "A fault applies to at least one request.");
        }

        Kind = kind;
        Operation = operation;
        Remaining = repeat;
    }

    /// <summary>The kind of fault.</summary>
    public EmulatorFaultKind Kind { get; }

    /// <summary>The operation the fault waits for; <see langword="null"/> matches any operation the fault can apply to.</summary>
    public EmulatorOperation? Operation { get; }

    /// <summary>How many more requests the fault will apply to.</summary>
    public int Remaining { get; internal set; }

    /// <summary>The HTTP status code of an error-response fault.</summary>
    public int StatusCode { get; internal init; }

    /// <summary>The error type (<c>x-amzn-ErrorType</c> without suffix, or the <c>:exception-type</c> of an in-stream exception).</summary>
    public string? ErrorType { get; internal init; }

    /// <summary>The error message.</summary>
    public string? Message { get; internal init; }

    /// <summary>How many stream events are sent intact before the fault acts.</summary>
    public int AfterEvents { get; internal init; }

    /// <summary>How many response body bytes are sent before a <see cref="EmulatorFaultKind.ResetConnection"/>.</summary>
    public int AfterBytes { get; internal init; }

    /// <summary>The stall of <see cref="EmulatorFaultKind.StallBeforeFirstByte"/> and <see cref="EmulatorFaultKind.StallBetweenEvents"/>.</summary>
    public TimeSpan Delay { get; internal init; }

    /// <summary>The minimum frame size of an <see cref="EmulatorFaultKind.OversizedEvent"/>.</summary>
    public int Bytes { get; internal init; }

    /// <summary>The <c>originalStatusCode</c> of a <see cref="EmulatorFaultKind.ModelError"/>.</summary>
    public int OriginalStatusCode { get; internal init; }

    /// <summary>Whether the fault only makes sense on ConverseStream.</summary>
    internal bool StreamOnly => Kind is EmulatorFaultKind.InStreamException or EmulatorFaultKind.TruncateFrame or EmulatorFaultKind.CorruptCrc
        or EmulatorFaultKind.StallBetweenEvents or EmulatorFaultKind.OversizedEvent;

    internal bool Matches(EmulatorOperation operation) =>
        operation != EmulatorOperation.Unknown
        && (Operation == null ? !StreamOnly || operation == EmulatorOperation.ConverseStream : Operation == operation);

    /// <inheritdoc />
    public override string ToString() => Kind + (Operation is { } op ? " on " + op : string.Empty) + " x" + Remaining;
}

/// <summary>
/// Faults for upcoming requests. Each fault is consumed, in order, by the next request that matches it (its operation,
/// or any operation when none was given; stream-only faults wait for a ConverseStream request), and applies to
/// <c>repeat</c> requests in total. Faults act after authentication and routing and before validation. Thread-safe.
/// </summary>
public sealed class FaultPlan
{
    private readonly object _gate = new();
    private readonly List<EmulatorFault> _faults = new();

    internal FaultPlan()
    {
    }

    /// <summary>The faults still waiting, in order.</summary>
    public IReadOnlyList<EmulatorFault> Pending
    {
        get
        {
            lock (_gate)
            {
                return _faults.ToArray();
            }
        }
    }

    /// <summary>Removes every pending fault.</summary>
    public void Clear()
    {
        lock (_gate)
        {
            _faults.Clear();
        }
    }

    /// <summary>429 <c>ThrottlingException</c> "Too many requests, please wait before trying again."</summary>
    public FaultPlan Throttle(EmulatorOperation? operation = null, int repeat = 1) =>
        Add(new EmulatorFault(EmulatorFaultKind.Throttle, operation, repeat)
        {
            StatusCode = 429, ErrorType = "ThrottlingException", Message = "Too many requests, please wait before trying again.",
        });

    /// <summary>500 <c>InternalServerException</c>, or 503 <c>ServiceUnavailableException</c> when <paramref name="statusCode"/> is 503.</summary>
    public FaultPlan ServerError(int statusCode = 500, EmulatorOperation? operation = null, int repeat = 1) =>
        Add(new EmulatorFault(EmulatorFaultKind.ServerError, operation, repeat)
        {
            StatusCode = statusCode,
            ErrorType = statusCode == 503 ? "ServiceUnavailableException" : "InternalServerException",
            Message = statusCode == 503 ? "Bedrock is unable to process your request." : "The server encountered an internal error while processing the request.",
        });

    /// <summary>429 <c>ModelNotReadyException</c>.</summary>
    public FaultPlan ModelNotReady(EmulatorOperation? operation = null, int repeat = 1) =>
        Add(new EmulatorFault(EmulatorFaultKind.ModelNotReady, operation, repeat)
        {
            StatusCode = 429, ErrorType = "ModelNotReadyException",
            Message = "Model is not ready to serve inference requests. The AWS SDK will automatically retry the operation up to 5 times. For information about configuring automatic retries, see Retry behavior in the AWS SDKs and Tools reference guide.",
        });

    /// <summary>408 <c>ModelTimeoutException</c>.</summary>
    public FaultPlan ModelTimeout(EmulatorOperation? operation = null, int repeat = 1) =>
        Add(new EmulatorFault(EmulatorFaultKind.ModelTimeout, operation, repeat)
        {
            StatusCode = 408, ErrorType = "ModelTimeoutException", Message = "Model has timed out in processing the request. Try your request again.",
        });

    /// <summary>424 <c>ModelErrorException</c> with <c>originalStatusCode</c> and <c>resourceName</c>.</summary>
    public FaultPlan ModelError(int originalStatusCode = 500, EmulatorOperation? operation = null, int repeat = 1) =>
        Add(new EmulatorFault(EmulatorFaultKind.ModelError, operation, repeat)
        {
            StatusCode = 424, ErrorType = "ModelErrorException", Message = "The model encountered an error processing the request.", OriginalStatusCode = originalStatusCode,
        });

    /// <summary>
    /// After <paramref name="afterEvents"/> events, an exception frame (<c>:message-type: exception</c>,
    /// <c>:exception-type: <paramref name="exceptionType"/></c>); the stream then ends. <c>modelStreamErrorException</c>
    /// also carries <c>originalStatusCode</c> 500 and <c>originalMessage</c>.
    /// </summary>
    public FaultPlan InStreamException(int afterEvents, string exceptionType = "modelStreamErrorException", string? message = null, int repeat = 1) =>
        Add(new EmulatorFault(EmulatorFaultKind.InStreamException, EmulatorOperation.ConverseStream, repeat)
        {
            AfterEvents = NonNegative(afterEvents, nameof(afterEvents)),
            ErrorType = exceptionType ?? throw new ArgumentNullException(nameof(exceptionType)),
            Message = message ?? DefaultStreamMessage(exceptionType),
        });

    /// <summary>Aborts the TCP connection after <paramref name="afterBytes"/> bytes of response body (headers are sent first).</summary>
    public FaultPlan ResetConnection(int afterBytes = 0, EmulatorOperation? operation = null, int repeat = 1) =>
        Add(new EmulatorFault(EmulatorFaultKind.ResetConnection, operation, repeat) { AfterBytes = NonNegative(afterBytes, nameof(afterBytes)) });

    /// <summary>After <paramref name="afterEvents"/> whole events, sends the first half of the next frame and ends the response cleanly.</summary>
    public FaultPlan TruncateFrame(int afterEvents, int repeat = 1) =>
        Add(new EmulatorFault(EmulatorFaultKind.TruncateFrame, EmulatorOperation.ConverseStream, repeat) { AfterEvents = NonNegative(afterEvents, nameof(afterEvents)) });

    /// <summary>The frame after <paramref name="afterEvents"/> events carries a wrong message CRC.</summary>
    public FaultPlan CorruptCrc(int afterEvents, int repeat = 1) =>
        Add(new EmulatorFault(EmulatorFaultKind.CorruptCrc, EmulatorOperation.ConverseStream, repeat) { AfterEvents = NonNegative(afterEvents, nameof(afterEvents)) });

    /// <summary>Sends nothing for <paramref name="delay"/>, then answers normally.</summary>
    public FaultPlan StallBeforeFirstByte(TimeSpan delay, EmulatorOperation? operation = null, int repeat = 1) =>
        Add(new EmulatorFault(EmulatorFaultKind.StallBeforeFirstByte, operation, repeat) { Delay = delay });

    /// <summary>Pauses a stream for <paramref name="delay"/> after <paramref name="afterEvents"/> events, then continues.</summary>
    public FaultPlan StallBetweenEvents(int afterEvents, TimeSpan delay, int repeat = 1) =>
        Add(new EmulatorFault(EmulatorFaultKind.StallBetweenEvents, EmulatorOperation.ConverseStream, repeat)
        {
            AfterEvents = NonNegative(afterEvents, nameof(afterEvents)), Delay = delay,
        });

    /// <summary>After <paramref name="afterEvents"/> events (default: after messageStart), a <c>contentBlockDelta</c> frame of at least <paramref name="bytes"/> bytes.</summary>
    public FaultPlan OversizedEvent(int bytes, int afterEvents = 1, int repeat = 1) =>
        Add(new EmulatorFault(EmulatorFaultKind.OversizedEvent, EmulatorOperation.ConverseStream, repeat)
        {
            Bytes = NonNegative(bytes, nameof(bytes)), AfterEvents = NonNegative(afterEvents, nameof(afterEvents)),
        });

    /// <summary>HTTP 200 with <c>Content-Type: text/html</c> and an HTML body (as from a misconfigured proxy).</summary>
    public FaultPlan WrongContentType(EmulatorOperation? operation = null, int repeat = 1) =>
        Add(new EmulatorFault(EmulatorFaultKind.WrongContentType, operation, repeat));

    internal EmulatorFault? TryTake(EmulatorOperation operation)
    {
        lock (_gate)
        {
            for (int i = 0; i < _faults.Count; i++)
            {
                EmulatorFault fault = _faults[i];
                if (fault.Matches(operation))
                {
                    if (--fault.Remaining == 0)
                    {
                        _faults.RemoveAt(i);
                    }

                    return fault;
                }
            }

            return null;
        }
    }

    private FaultPlan Add(EmulatorFault fault)
    {
        lock (_gate)
        {
            _faults.Add(fault);
        }

        return this;
    }

    private static int NonNegative(int value, string name) =>
        value >= 0 ? value : throw new ArgumentOutOfRangeException(name, value, "Must not be negative.");

    private static string DefaultStreamMessage(string exceptionType) => exceptionType switch
    {
        "modelStreamErrorException" => "Model Stream Error",
        "throttlingException" => "Too many requests, please wait before trying again.",
        "serviceUnavailableException" => "Bedrock is unable to process your request.",
        "validationException" => "The model returned the following errors: Input is too long for requested model.",
        _ => "The server encountered an internal error while processing the request.",
    };
}
