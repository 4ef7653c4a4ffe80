using PromptGen.EventStreams;

namespace PromptGen;

/// <summary>The client's own failures (timeouts, broken streams, oversized bodies) as typed exceptions, and their retry class.</summary>
internal static class Errors
{
    public static BedrockTimeoutException FirstByteTimeout(TimeSpan timeout, string? requestId) =>
        new(BedrockTimeoutKind.FirstByte, timeout, requestId);

    public static BedrockTimeoutException BetweenEventsTimeout(TimeSpan timeout, string? partialText, string? requestId) =>
        new(BedrockTimeoutKind.BetweenEvents, timeout, requestId) { PartialText = partialText };

    public static BedrockException ConnectionFailed(Exception exception, string? partialText)
    {
        if (exception is HttpRequestException { InnerException: TimeoutException or OperationCanceledException } connect &&
            connect.HttpRequestError == HttpRequestError.ConnectionError)
        {
            return new BedrockTimeoutException(BedrockTimeoutKind.Connect, TimeSpan.Zero, null, exception) { PartialText = partialText };
        }

        return new BedrockStreamException(
            BedrockStreamFailure.ConnectionFailed,
            "The connection to Bedrock failed: " + exception.Message,
            null,
            exception) { PartialText = partialText };
    }

    public static BedrockStreamException UnexpectedContentType(
        string? mediaType, string? requestId, string operation = "ConverseStream", string expected = "application/vnd.amazon.eventstream", Exception? inner = null) =>
        new(BedrockStreamFailure.UnexpectedContentType,
            $"Bedrock answered {operation} with content type '{mediaType ?? "(none)"}' instead of {expected}.",
            requestId, inner) { IsRetryable = false };

    public static BedrockStreamException Truncated(string? partialText, string? requestId) =>
        new(BedrockStreamFailure.Truncated,
            "The Bedrock stream ended before its messageStop event; the answer is incomplete.",
            requestId) { PartialText = partialText };

    public static BedrockStreamException Malformed(EventStreamFormatException exception, string? partialText, string? requestId) =>
        new(exception.Kind switch
            {
                EventStreamErrorKind.PreludeChecksumMismatch or EventStreamErrorKind.MessageChecksumMismatch => BedrockStreamFailure.ChecksumMismatch,
                EventStreamErrorKind.MessageTooLarge => BedrockStreamFailure.EventTooLarge,
                EventStreamErrorKind.Truncated => BedrockStreamFailure.Truncated,
                _ => BedrockStreamFailure.MalformedEvent,
            },
            "The Bedrock stream is corrupt: " + exception.Message,
            requestId,
            exception)
        {
            PartialText = partialText,
            IsRetryable = exception.Kind != EventStreamErrorKind.MessageTooLarge,
        };

    public static BedrockStreamException MalformedPayload(Exception exception, string what, string? partialText, string? requestId) =>
        new(BedrockStreamFailure.MalformedEvent, $"Bedrock sent {what} that is not valid JSON: {exception.Message}", requestId, exception)
        {
            PartialText = partialText,
            IsRetryable = false,
        };

    public static BedrockStreamException Protocol(string problem, string? partialText, string? requestId) =>
        new(BedrockStreamFailure.MalformedEvent, "The Bedrock stream broke the event-stream protocol: " + problem + ".", requestId)
        {
            PartialText = partialText,
            IsRetryable = false,
        };

    public static BedrockStreamException TooLarge(long? declared, int maxLength, string? requestId) =>
        new(BedrockStreamFailure.EventTooLarge,
            declared is { } size
                ? $"The Bedrock response body is {size} bytes, more than BedrockClientOptions.MaxResponseBodySize ({maxLength})."
                : $"The Bedrock response body exceeds BedrockClientOptions.MaxResponseBodySize ({maxLength} bytes).",
            requestId) { IsRetryable = false };

    /// <summary>Which retry class a failure belongs to (AWS standard mode: throttling, transient, timeout).</summary>
    public static RetryKind Classify(BedrockException failure) => failure switch
    {
        { IsRetryable: false } => RetryKind.None,
        BedrockThrottlingException or BedrockModelNotReadyException => RetryKind.Throttling,
        BedrockTimeoutException => RetryKind.Timeout,
        _ => RetryKind.Transient,
    };
}
