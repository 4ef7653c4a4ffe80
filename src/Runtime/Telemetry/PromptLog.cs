using Microsoft.Extensions.Logging;

namespace PromptGen.Telemetry;

/// <summary>
/// PromptGen's log messages (category <c>PromptGen</c>), source-generated so that a disabled level costs one check and
/// no formatting. None carries credentials; prompt and response text appear only in the Trace-level content messages,
/// which are written only with <see cref="PromptClientOptions.RecordContent"/>.
/// </summary>
internal static partial class PromptLog
{
    /// <summary>The logger category.</summary>
    public const string Category = "PromptGen";

    /// <summary>The logger of a client's pipeline, or <see langword="null"/> when the options have no logger factory.</summary>
    public static ILogger? CreateLogger(ILoggerFactory? factory) => factory?.CreateLogger(Category);

    [LoggerMessage(EventId = 1, EventName = "PromptCompleted", Level = LogLevel.Debug,
        Message = "{InterfaceName}.{Method} on {ModelId} completed in {DurationMs} ms: {InputTokens} input / {OutputTokens} output tokens, stop reason {StopReason}, cache hit {CacheHit}, time to first chunk {TimeToFirstChunkMs} ms")]
    public static partial void Completed(ILogger logger, string interfaceName, string method, string modelId, double durationMs,
        int inputTokens, int outputTokens, string stopReason, bool cacheHit, double? timeToFirstChunkMs);

    [LoggerMessage(EventId = 2, EventName = "PromptBreakdown", Level = LogLevel.Debug,
        Message = "{InterfaceName}.{Method} time breakdown (ms): render {RenderMs}, cache lookup {CacheLookupMs}, queue wait {QueueWaitMs}, retries {RetriesMs}, time to first byte {TimeToFirstByteMs}, response {ResponseMs}, parse {ParseMs}")]
    public static partial void Breakdown(ILogger logger, string interfaceName, string method, double? renderMs, double? cacheLookupMs,
        double? queueWaitMs, double? retriesMs, double? timeToFirstByteMs, double? responseMs, double? parseMs);

    /// <summary>Logged without the exception unless content is recorded: an exception's message can quote the model's answer.</summary>
    [LoggerMessage(EventId = 3, EventName = "PromptFailed", Level = LogLevel.Warning,
        Message = "{InterfaceName}.{Method} on {ModelId} failed after {DurationMs} ms: {ErrorType} (request {RequestId})")]
    public static partial void Failed(ILogger logger, string interfaceName, string method, string modelId, double durationMs,
        string errorType, string? requestId, Exception? exception);

    [LoggerMessage(EventId = 4, EventName = "PromptCancelled", Level = LogLevel.Debug,
        Message = "{InterfaceName}.{Method} on {ModelId} was cancelled after {DurationMs} ms")]
    public static partial void Cancelled(ILogger logger, string interfaceName, string method, string modelId, double durationMs);

    [LoggerMessage(EventId = 5, EventName = "PromptRequestContent", Level = LogLevel.Trace,
        Message = "{InterfaceName}.{Method} request: system {SystemPrompt}; user {UserPrompt}")]
    public static partial void Request(ILogger logger, string interfaceName, string method, string? systemPrompt, string userPrompt);

    [LoggerMessage(EventId = 6, EventName = "PromptResponseContent", Level = LogLevel.Trace,
        Message = "{InterfaceName}.{Method} response: {Response}")]
    public static partial void Response(ILogger logger, string interfaceName, string method, string response);
}
