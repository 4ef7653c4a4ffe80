using System.Text.Json;

namespace PromptGen;

/// <summary>
/// The model answered, but not with what the prompt method promised. The base of the errors PromptGen raises about a
/// model's output, as opposed to <see cref="BedrockException"/>, which reports a failed call. Retrying may help (the
/// model may answer differently), but the same request usually gives the same kind of answer.
/// </summary>
public abstract class PromptException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">The message.</param>
    /// <param name="modelId">The model the request went to.</param>
    /// <param name="rawText">The model's output as received.</param>
    /// <param name="innerException">The underlying exception, if any.</param>
    protected PromptException(string message, string? modelId, string rawText, Exception? innerException = null)
        : base(message, innerException)
    {
        ModelId = modelId;
        RawText = rawText ?? string.Empty;
    }

    /// <summary>The model ID, inference-profile ID or ARN the request was sent to, when known.</summary>
    public string? ModelId { get; }

    /// <summary>The model's output exactly as received (text, or the tool input as JSON text).</summary>
    public string RawText { get; }
}

/// <summary>
/// Structured output stopped at the token limit (<c>stopReason</c> <c>max_tokens</c>), so the JSON is incomplete.
/// Raise the method's <c>MaxTokens</c>, or ask for less.
/// </summary>
public sealed class PromptOutputTruncatedException : PromptException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="modelId">The model the request went to.</param>
    /// <param name="rawText">The partial output.</param>
    /// <param name="maxTokens">The token limit that was sent (0 when none was sent).</param>
    public PromptOutputTruncatedException(string? modelId, string rawText, int maxTokens)
        : base(
            maxTokens > 0
                ? $"The model's structured output was cut off at the limit of {maxTokens} output tokens, so it is not complete JSON. Raise MaxTokens on the [Prompt] attribute."
                : "The model's structured output was cut off at its output-token limit, so it is not complete JSON.",
            modelId,
            rawText)
    {
        MaxTokens = maxTokens;
    }

    /// <summary>The <c>maxTokens</c> limit the request carried (0 when none was sent).</summary>
    public int MaxTokens { get; }
}

/// <summary>
/// The model's output could not be read as the method's return type: invalid JSON, JSON that does not match the type, no
/// tool call where one was forced, or a label that is none of an enum's names.
/// </summary>
public sealed class PromptOutputFormatException : PromptException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">What was wrong.</param>
    /// <param name="modelId">The model the request went to.</param>
    /// <param name="rawText">The output as received.</param>
    /// <param name="targetType">The type the output had to become.</param>
    /// <param name="jsonError">The JSON error, when the output was JSON that failed to read.</param>
    /// <param name="allowedValues">The accepted labels, when the output had to be one of an enum's names.</param>
    public PromptOutputFormatException(
        string message, string? modelId, string rawText, Type targetType, JsonException? jsonError = null, IReadOnlyList<string>? allowedValues = null)
        : base(message, modelId, rawText, jsonError)
    {
        ArgumentNullException.ThrowIfNull(targetType);
        TargetType = targetType;
        JsonError = jsonError;
        AllowedValues = allowedValues;
    }

    /// <summary>The type the output had to become.</summary>
    public Type TargetType { get; }

    /// <summary>The JSON error (also <see cref="Exception.InnerException"/>), when the output was JSON that failed to read.</summary>
    public JsonException? JsonError { get; }

    /// <summary>The accepted labels, when the output had to be one of an enum's names; otherwise <see langword="null"/>.</summary>
    public IReadOnlyList<string>? AllowedValues { get; }
}
