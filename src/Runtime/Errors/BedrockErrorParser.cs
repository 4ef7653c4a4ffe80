using System.Text;
using System.Text.Json;

namespace PromptGen;

/// <summary>Turns restJson1 error responses and event-stream error messages into <see cref="BedrockException"/>s.</summary>
internal static class BedrockErrorParser
{
    private const int MaxMessageLength = 1024;

    private static readonly JsonReaderOptions s_readerOptions = new() { MaxDepth = BedrockJson.MaxDepth };

    /// <summary>
    /// The error type by the restJson1 rules: the <c>x-amzn-ErrorType</c> header, else the body's top-level
    /// <c>code</c>/<c>Code</c>, else its top-level <c>__type</c>; sanitised to the text before the first ':' and then
    /// after the last '#'. Null when none is present (or the body is not a JSON object).
    /// </summary>
    public static string? ParseErrorType(string? headerValue, ReadOnlySpan<byte> body)
    {
        string? fromHeader = Sanitize(headerValue);
        if (fromHeader is not null)
        {
            return fromHeader;
        }

        ErrorBody parsed = ReadBody(body);
        return Sanitize(parsed.Code) ?? Sanitize(parsed.DunderType);
    }

    /// <summary>
    /// Builds the exception for a non-2xx response. The message comes from the body's <c>message</c>/<c>Message</c>
    /// (or the body text when it is not JSON). With no error type anywhere, the status code decides the class.
    /// </summary>
    public static BedrockException FromResponse(int statusCode, string? errorTypeHeader, string? requestId, ReadOnlySpan<byte> body)
    {
        ErrorBody parsed = ReadBody(body);
        string? errorType = Sanitize(errorTypeHeader) ?? Sanitize(parsed.Code) ?? Sanitize(parsed.DunderType) ?? TypeForStatus(statusCode);
        string message = parsed.Message
            ?? (parsed.IsJson ? null : BodyText(body))
            ?? $"{errorType ?? "HTTP " + statusCode} (HTTP {statusCode})";
        return Create(errorType ?? statusCode.ToString(System.Globalization.CultureInfo.InvariantCulture), message, statusCode, requestId, parsed);
    }

    /// <summary>
    /// Detects the HTTP 200 body Bedrock's front end returns for a path it does not route
    /// (<c>{"Output":{"__type":"com.amazon.coral.service#UnknownOperationException"},"Version":"1.0"}</c>), which happens
    /// when a model ID's '/' is not percent-encoded or the host is not bedrock-runtime. Returns null for any other body.
    /// </summary>
    public static BedrockException? FromSuccessBody(ReadOnlySpan<byte> body, string? requestId)
    {
        string? type = ReadOutputDunderType(body);
        if (type is null)
        {
            return null;
        }

        string sanitized = Sanitize(type) ?? type;
        return new BedrockException(
            sanitized,
            $"Bedrock did not recognise the operation ({sanitized}). The model ID in the path was probably not fully percent-encoded (a '/' must be sent as %2F), or the endpoint is not bedrock-runtime.",
            200,
            requestId,
            isRetryable: false);
    }

    /// <summary>
    /// Builds the exception for an event-stream message with <c>:message-type=exception</c>.
    /// <paramref name="exceptionType"/> is the <c>:exception-type</c> header (lower camel, e.g. <c>throttlingException</c>).
    /// </summary>
    public static BedrockException FromStreamException(string exceptionType, ReadOnlySpan<byte> payload, string? requestId)
    {
        ArgumentNullException.ThrowIfNull(exceptionType);
        string errorType = ToUpperCamel(Sanitize(exceptionType) ?? exceptionType);
        ErrorBody parsed = ReadBody(payload);
        string message = parsed.Message ?? (parsed.IsJson ? null : BodyText(payload)) ?? errorType;
        return Create(errorType, message, null, requestId, parsed);
    }

    /// <summary>Builds the exception for an event-stream message with <c>:message-type=error</c> (<c>:error-code</c>, <c>:error-message</c>).</summary>
    public static BedrockException FromStreamError(string errorCode, string? errorMessage, string? requestId)
    {
        ArgumentNullException.ThrowIfNull(errorCode);
        string errorType = ToUpperCamel(Sanitize(errorCode) ?? errorCode);
        return Create(errorType, string.IsNullOrEmpty(errorMessage) ? errorType : errorMessage, null, requestId, default);
    }

    /// <summary>Text before the first ':' then after the last '#', trimmed; null when nothing is left.</summary>
    internal static string? Sanitize(string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        ReadOnlySpan<char> span = value.AsSpan();
        int colon = span.IndexOf(':');
        if (colon >= 0)
        {
            span = span[..colon];
        }

        int hash = span.LastIndexOf('#');
        if (hash >= 0)
        {
            span = span[(hash + 1)..];
        }

        span = span.Trim();
        return span.IsEmpty ? null : (span.Length == value.Length ? value : span.ToString());
    }

    private static BedrockException Create(string errorType, string message, int? statusCode, string? requestId, ErrorBody body)
    {
        // Each subclass carries its own default status; pass the real one through (null inside an event stream).
        return errorType switch
        {
            "ValidationException" => new BedrockValidationException(message, statusCode, requestId),
            "AccessDeniedException" => new BedrockAccessDeniedException(message, statusCode, requestId),
            "ResourceNotFoundException" => new BedrockResourceNotFoundException(message, statusCode, requestId),
            "ModelTimeoutException" => new BedrockModelTimeoutException(message, statusCode, requestId),
            "ThrottlingException" => new BedrockThrottlingException(message, statusCode, requestId),
            "ModelNotReadyException" => new BedrockModelNotReadyException(message, statusCode, requestId),
            "ModelErrorException" => new BedrockModelErrorException(message, body.OriginalStatusCode, body.ResourceName, statusCode, requestId),
            "ModelStreamErrorException" => new BedrockModelStreamErrorException(message, body.OriginalStatusCode, body.OriginalMessage, statusCode, requestId),
            "InternalServerException" => new BedrockInternalServerException(message, statusCode, requestId),
            "ServiceUnavailableException" => new BedrockServiceUnavailableException(message, statusCode, requestId),
            "ServiceQuotaExceededException" => new BedrockServiceQuotaExceededException(message, statusCode, requestId),
            _ => new BedrockException(errorType, message, statusCode, requestId, IsTransient(statusCode, errorType)),
        };
    }

    private static bool IsTransient(int? statusCode, string errorType) =>
        statusCode is 500 or 502 or 503 or 504
        || (statusCode is null && errorType is "InternalError" or "InternalFailure" or "ServiceUnavailable");

    private static string? TypeForStatus(int statusCode) => statusCode switch
    {
        400 => "ValidationException",
        403 => "AccessDeniedException",
        404 => "ResourceNotFoundException",
        408 => "ModelTimeoutException",
        424 => "ModelErrorException",
        429 => "ThrottlingException",
        500 => "InternalServerException",
        503 => "ServiceUnavailableException",
        _ => null,
    };

    private static string ToUpperCamel(string value) =>
        value.Length > 0 && char.IsLower(value[0]) ? string.Concat(char.ToUpperInvariant(value[0]).ToString(), value.AsSpan(1)) : value;

    private static string? BodyText(ReadOnlySpan<byte> body)
    {
        if (body.IsEmpty)
        {
            return null;
        }

        string text;
        try
        {
            text = Encoding.UTF8.GetString(body.Length > MaxMessageLength * 4 ? body[..(MaxMessageLength * 4)] : body).Trim();
        }
        catch (ArgumentException)
        {
            return null;
        }

        if (text.Length == 0)
        {
            return null;
        }

        return text.Length > MaxMessageLength ? text[..MaxMessageLength] + "…" : text;
    }

    private struct ErrorBody
    {
        public bool IsJson;
        public string? Code;
        public string? DunderType;
        public string? Message;
        public int? OriginalStatusCode;
        public string? ResourceName;
        public string? OriginalMessage;
    }

    /// <summary>Reads the top-level members of an error body; nested members (e.g. a nested <c>__type</c>) are skipped.</summary>
    private static ErrorBody ReadBody(ReadOnlySpan<byte> body)
    {
        var result = default(ErrorBody);
        if (body.IsEmpty)
        {
            return result;
        }

        try
        {
            var reader = new Utf8JsonReader(body, s_readerOptions);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return result;
            }

            result.IsJson = true;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("code"u8) || reader.ValueTextEquals("Code"u8))
                {
                    result.Code = ReadString(ref reader) ?? result.Code;
                }
                else if (reader.ValueTextEquals("__type"u8))
                {
                    result.DunderType = ReadString(ref reader);
                }
                else if (reader.ValueTextEquals("message"u8) || reader.ValueTextEquals("Message"u8))
                {
                    result.Message = ReadString(ref reader) ?? result.Message;
                }
                else if (reader.ValueTextEquals("originalStatusCode"u8))
                {
                    reader.Read();
                    if (reader.TokenType == JsonTokenType.Number && reader.TryGetInt32(out int code))
                    {
                        result.OriginalStatusCode = code;
                    }
                    else
                    {
                        reader.Skip();
                    }
                }
                else if (reader.ValueTextEquals("resourceName"u8))
                {
                    result.ResourceName = ReadString(ref reader);
                }
                else if (reader.ValueTextEquals("originalMessage"u8))
                {
                    result.OriginalMessage = ReadString(ref reader);
                }
                else
                {
                    reader.Read();
                    reader.Skip();
                }
            }
        }
        catch (JsonException)
        {
            // A truncated or invalid JSON error body still yields what was read before the fault.
        }

        return result;
    }

    private static string? ReadString(ref Utf8JsonReader reader)
    {
        reader.Read();
        if (reader.TokenType == JsonTokenType.String)
        {
            return reader.GetString();
        }

        reader.Skip();
        return null;
    }

    /// <summary>The top-level <c>Output.__type</c> string of a body, or null.</summary>
    private static string? ReadOutputDunderType(ReadOnlySpan<byte> body)
    {
        if (body.IsEmpty || body.IndexOf("\"Output\""u8) < 0)
        {
            return null;
        }

        try
        {
            var reader = new Utf8JsonReader(body, s_readerOptions);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return null;
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (!reader.ValueTextEquals("Output"u8))
                {
                    reader.Read();
                    reader.Skip();
                    continue;
                }

                reader.Read();
                if (reader.TokenType != JsonTokenType.StartObject)
                {
                    reader.Skip();
                    continue;
                }

                while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                {
                    if (reader.ValueTextEquals("__type"u8))
                    {
                        return ReadString(ref reader);
                    }

                    reader.Read();
                    reader.Skip();
                }
            }
        }
        catch (JsonException)
        {
        }

        return null;
    }
}
