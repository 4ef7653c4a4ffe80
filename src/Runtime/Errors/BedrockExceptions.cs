namespace PromptGen;

/// <summary>
/// An error returned by Amazon Bedrock Runtime, or a failure talking to it. Errors Bedrock defines have their own
/// subclasses; anything else (for example <c>UnrecognizedClientException</c>) is a plain <see cref="BedrockException"/>
/// whose <see cref="ErrorType"/> is the type Bedrock sent.
/// </summary>
public class BedrockException : Exception
{
    /// <summary>Creates an exception.</summary>
    /// <param name="errorType">The error type, for example <c>ValidationException</c>.</param>
    /// <param name="message">The message.</param>
    /// <param name="statusCode">The HTTP status code, or null when there was none (errors inside an event stream, timeouts).</param>
    /// <param name="requestId">The <c>x-amzn-RequestId</c>, when known.</param>
    /// <param name="isRetryable">Whether retrying the same request may succeed.</param>
    /// <param name="innerException">The underlying exception, if any.</param>
    public BedrockException(string errorType, string message, int? statusCode = null, string? requestId = null, bool isRetryable = false, Exception? innerException = null)
        : base(message, innerException)
    {
        ArgumentNullException.ThrowIfNull(errorType);
        ErrorType = errorType;
        StatusCode = statusCode;
        RequestId = requestId;
        IsRetryable = isRetryable;
    }

    /// <summary>
    /// The error type without namespace or URI, for example <c>ThrottlingException</c>. Errors delivered inside an
    /// event stream use the same upper-camel names (<c>throttlingException</c> becomes <c>ThrottlingException</c>).
    /// </summary>
    public string ErrorType { get; }

    /// <summary>The HTTP status code; null for errors delivered inside an event stream and for client-side failures.</summary>
    public int? StatusCode { get; }

    /// <summary>The Bedrock request ID (<c>x-amzn-RequestId</c>), when known. Quote it to AWS support.</summary>
    public string? RequestId { get; }

    /// <summary>
    /// Whether sending the same request again may succeed. False once part of a streamed response has reached the
    /// caller, because a retry would repeat that output.
    /// </summary>
    public bool IsRetryable { get; internal set; }

    /// <summary>The text already streamed to the caller before the failure, if the failure happened mid-stream.</summary>
    public string? PartialText { get; internal set; }

    /// <inheritdoc />
    public override string ToString()
    {
        string head = $"{GetType().FullName} ({ErrorType}{(StatusCode is int s ? ", HTTP " + s : string.Empty)}{(RequestId is null ? string.Empty : ", request " + RequestId)})";
        string rest = base.ToString();
        int colon = rest.IndexOf(':', StringComparison.Ordinal);
        return colon < 0 ? head : head + rest[colon..];
    }
}

/// <summary>The request was invalid (HTTP 400 <c>ValidationException</c>), for example an unknown model ID or a parameter the model rejects.</summary>
public sealed class BedrockValidationException : BedrockException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">The message.</param>
    /// <param name="statusCode">The HTTP status code.</param>
    /// <param name="requestId">The request ID.</param>
    /// <param name="innerException">The underlying exception, if any.</param>
    public BedrockValidationException(string message, int? statusCode = 400, string? requestId = null, Exception? innerException = null)
        : base("ValidationException", message, statusCode, requestId, false, innerException)
    {
    }
}

/// <summary>The caller may not use this model or operation (HTTP 403 <c>AccessDeniedException</c>).</summary>
public sealed class BedrockAccessDeniedException : BedrockException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">The message.</param>
    /// <param name="statusCode">The HTTP status code.</param>
    /// <param name="requestId">The request ID.</param>
    /// <param name="innerException">The underlying exception, if any.</param>
    public BedrockAccessDeniedException(string message, int? statusCode = 403, string? requestId = null, Exception? innerException = null)
        : base("AccessDeniedException", message, statusCode, requestId, false, innerException)
    {
    }
}

/// <summary>The model or resource was not found (HTTP 404 <c>ResourceNotFoundException</c>).</summary>
public sealed class BedrockResourceNotFoundException : BedrockException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">The message.</param>
    /// <param name="statusCode">The HTTP status code.</param>
    /// <param name="requestId">The request ID.</param>
    /// <param name="innerException">The underlying exception, if any.</param>
    public BedrockResourceNotFoundException(string message, int? statusCode = 404, string? requestId = null, Exception? innerException = null)
        : base("ResourceNotFoundException", message, statusCode, requestId, false, innerException)
    {
    }
}

/// <summary>The model took too long (HTTP 408 <c>ModelTimeoutException</c>). Not marked retryable; retrying may work.</summary>
public sealed class BedrockModelTimeoutException : BedrockException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">The message.</param>
    /// <param name="statusCode">The HTTP status code.</param>
    /// <param name="requestId">The request ID.</param>
    /// <param name="innerException">The underlying exception, if any.</param>
    public BedrockModelTimeoutException(string message, int? statusCode = 408, string? requestId = null, Exception? innerException = null)
        : base("ModelTimeoutException", message, statusCode, requestId, false, innerException)
    {
    }
}

/// <summary>Too many requests or tokens (HTTP 429 <c>ThrottlingException</c>); retryable after a back-off.</summary>
public sealed class BedrockThrottlingException : BedrockException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">The message.</param>
    /// <param name="statusCode">The HTTP status code.</param>
    /// <param name="requestId">The request ID.</param>
    /// <param name="innerException">The underlying exception, if any.</param>
    public BedrockThrottlingException(string message, int? statusCode = 429, string? requestId = null, Exception? innerException = null)
        : base("ThrottlingException", message, statusCode, requestId, true, innerException)
    {
    }
}

/// <summary>The model is not ready to serve (HTTP 429 <c>ModelNotReadyException</c>); retryable.</summary>
public sealed class BedrockModelNotReadyException : BedrockException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">The message.</param>
    /// <param name="statusCode">The HTTP status code.</param>
    /// <param name="requestId">The request ID.</param>
    /// <param name="innerException">The underlying exception, if any.</param>
    public BedrockModelNotReadyException(string message, int? statusCode = 429, string? requestId = null, Exception? innerException = null)
        : base("ModelNotReadyException", message, statusCode, requestId, true, innerException)
    {
    }
}

/// <summary>The model failed while processing the request (HTTP 424 <c>ModelErrorException</c>).</summary>
public sealed class BedrockModelErrorException : BedrockException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">The message.</param>
    /// <param name="originalStatusCode">The status code the model returned.</param>
    /// <param name="resourceName">The resource name Bedrock reported.</param>
    /// <param name="statusCode">The HTTP status code.</param>
    /// <param name="requestId">The request ID.</param>
    /// <param name="innerException">The underlying exception, if any.</param>
    public BedrockModelErrorException(string message, int? originalStatusCode = null, string? resourceName = null, int? statusCode = 424, string? requestId = null, Exception? innerException = null)
        : base("ModelErrorException", message, statusCode, requestId, false, innerException)
    {
        OriginalStatusCode = originalStatusCode;
        ResourceName = resourceName;
    }

    /// <summary>The status code the model returned.</summary>
    public int? OriginalStatusCode { get; }

    /// <summary>The resource name Bedrock reported.</summary>
    public string? ResourceName { get; }
}

/// <summary>
/// The model's stream failed (<c>ModelStreamErrorException</c>, HTTP 424 or inside an event stream). Retryable only
/// while nothing has been streamed to the caller.
/// </summary>
public sealed class BedrockModelStreamErrorException : BedrockException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">The message.</param>
    /// <param name="originalStatusCode">The status code the model returned.</param>
    /// <param name="originalMessage">The message the model returned.</param>
    /// <param name="statusCode">The HTTP status code, or null inside an event stream.</param>
    /// <param name="requestId">The request ID.</param>
    /// <param name="innerException">The underlying exception, if any.</param>
    public BedrockModelStreamErrorException(string message, int? originalStatusCode = null, string? originalMessage = null, int? statusCode = 424, string? requestId = null, Exception? innerException = null)
        : base("ModelStreamErrorException", message, statusCode, requestId, true, innerException)
    {
        OriginalStatusCode = originalStatusCode;
        OriginalMessage = originalMessage;
    }

    /// <summary>The status code the model returned.</summary>
    public int? OriginalStatusCode { get; }

    /// <summary>The message the model returned.</summary>
    public string? OriginalMessage { get; }
}

/// <summary>Bedrock failed internally (HTTP 500 <c>InternalServerException</c>); retryable.</summary>
public sealed class BedrockInternalServerException : BedrockException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">The message.</param>
    /// <param name="statusCode">The HTTP status code.</param>
    /// <param name="requestId">The request ID.</param>
    /// <param name="innerException">The underlying exception, if any.</param>
    public BedrockInternalServerException(string message, int? statusCode = 500, string? requestId = null, Exception? innerException = null)
        : base("InternalServerException", message, statusCode, requestId, true, innerException)
    {
    }
}

/// <summary>Bedrock is temporarily unavailable (HTTP 503 <c>ServiceUnavailableException</c>); retryable.</summary>
public sealed class BedrockServiceUnavailableException : BedrockException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">The message.</param>
    /// <param name="statusCode">The HTTP status code.</param>
    /// <param name="requestId">The request ID.</param>
    /// <param name="innerException">The underlying exception, if any.</param>
    public BedrockServiceUnavailableException(string message, int? statusCode = 503, string? requestId = null, Exception? innerException = null)
        : base("ServiceUnavailableException", message, statusCode, requestId, true, innerException)
    {
    }
}

/// <summary>A service quota was exceeded (HTTP 400 <c>ServiceQuotaExceededException</c>); not retryable.</summary>
public sealed class BedrockServiceQuotaExceededException : BedrockException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">The message.</param>
    /// <param name="statusCode">The HTTP status code.</param>
    /// <param name="requestId">The request ID.</param>
    /// <param name="innerException">The underlying exception, if any.</param>
    public BedrockServiceQuotaExceededException(string message, int? statusCode = 400, string? requestId = null, Exception? innerException = null)
        : base("ServiceQuotaExceededException", message, statusCode, requestId, false, innerException)
    {
    }
}

/// <summary>How a response stream broke.</summary>
public enum BedrockStreamFailure
{
    /// <summary>The connection ended before the stream was complete (inside a message, or before messageStop/metadata).</summary>
    Truncated,

    /// <summary>A message's prelude or message checksum did not match.</summary>
    ChecksumMismatch,

    /// <summary>A message was larger than the configured limit.</summary>
    EventTooLarge,

    /// <summary>The response was not <c>application/vnd.amazon.eventstream</c>.</summary>
    UnexpectedContentType,

    /// <summary>A message or its payload could not be understood.</summary>
    MalformedEvent,

    /// <summary>The connection was reset or failed while reading.</summary>
    ConnectionFailed,
}

/// <summary>A ConverseStream response broke part-way; <see cref="BedrockException.PartialText"/> holds what was already delivered.</summary>
public sealed class BedrockStreamException : BedrockException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="failure">How the stream broke.</param>
    /// <param name="message">The message.</param>
    /// <param name="requestId">The request ID.</param>
    /// <param name="innerException">The underlying exception, if any.</param>
    public BedrockStreamException(BedrockStreamFailure failure, string message, string? requestId = null, Exception? innerException = null)
        : base("StreamError", message, null, requestId, true, innerException)
    {
        Failure = failure;
    }

    /// <summary>How the stream broke.</summary>
    public BedrockStreamFailure Failure { get; }
}

/// <summary>Which wait timed out.</summary>
public enum BedrockTimeoutKind
{
    /// <summary>Connecting (TCP and TLS).</summary>
    Connect,

    /// <summary>Waiting for the first byte of the response (or the first event of a stream).</summary>
    FirstByte,

    /// <summary>Waiting for the next event of a stream.</summary>
    BetweenEvents,

    /// <summary>The whole call took longer than allowed.</summary>
    Overall,
}

/// <summary>A client-side timeout; <see cref="Kind"/> says which wait ran out.</summary>
public sealed class BedrockTimeoutException : BedrockException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="kind">Which wait timed out.</param>
    /// <param name="timeout">The limit that was exceeded.</param>
    /// <param name="requestId">The request ID, when a response had started.</param>
    /// <param name="innerException">The underlying exception, if any.</param>
    public BedrockTimeoutException(BedrockTimeoutKind kind, TimeSpan timeout, string? requestId = null, Exception? innerException = null)
        : base("Timeout", DescribeTimeout(kind, timeout), null, requestId, true, innerException)
    {
        Kind = kind;
        Timeout = timeout;
    }

    /// <summary>Which wait timed out.</summary>
    public BedrockTimeoutKind Kind { get; }

    /// <summary>The limit that was exceeded.</summary>
    public TimeSpan Timeout { get; }

    private static string DescribeTimeout(BedrockTimeoutKind kind, TimeSpan timeout)
    {
        string what = kind switch
        {
            BedrockTimeoutKind.Connect => "Connecting to Bedrock",
            BedrockTimeoutKind.FirstByte => "Waiting for the first byte of the Bedrock response",
            BedrockTimeoutKind.BetweenEvents => "Waiting for the next event of the Bedrock stream",
            _ => "The Bedrock call",
        };
        return $"{what} took longer than {timeout.TotalSeconds:0.###} s.";
    }
}
