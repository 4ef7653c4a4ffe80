using System.Diagnostics;

namespace PromptGen.Telemetry;

/// <summary>
/// Where the layers under a prompt call (a rate limiter decorating <see cref="IBedrockClient"/>, <see cref="BedrockClient"/>)
/// report the moments only they see, so that the call's span can show where its time went. Each method is a no-op (one
/// <see cref="AsyncLocal{T}"/> read) when no prompt call is being observed on the current flow, so callers need no checks.
/// </summary>
/// <remarks>
/// The current call flows with the <see cref="ExecutionContext"/> from <see cref="PromptGen.Generated.PromptPipeline"/>
/// into <see cref="IBedrockClient.ConverseAsync"/>, and into the first <c>MoveNextAsync</c> of
/// <see cref="IBedrockClient.ConverseStreamAsync"/>, which is where queueing, retries and response headers happen.
/// Timestamps are <see cref="Stopwatch.GetTimestamp"/> values.
/// </remarks>
internal static class PromptTiming
{
    private static readonly AsyncLocal<PromptCall?> s_current = new();

    /// <summary>The prompt call observed on the current flow, or <see langword="null"/>.</summary>
    internal static PromptCall? Current => s_current.Value;

    /// <summary>
    /// Records that the current call waited for a slot (a concurrency or rate limit) from <paramref name="startTimestamp"/>
    /// to <paramref name="endTimestamp"/>. Call it once the slot is granted; several waits of one call add up.
    /// </summary>
    /// <param name="startTimestamp">When the wait began (<see cref="Stopwatch.GetTimestamp"/>).</param>
    /// <param name="endTimestamp">When the slot was granted (<see cref="Stopwatch.GetTimestamp"/>).</param>
    public static void RecordQueueWait(long startTimestamp, long endTimestamp) => s_current.Value?.OnQueueWait(startTimestamp, endTimestamp);

    /// <summary>Records that an HTTP attempt of the current call starts (before credentials and signing).</summary>
    public static void RecordAttemptStarted() => s_current.Value?.OnAttemptStarted(Stopwatch.GetTimestamp());

    /// <summary>Records that the response headers of the current call's latest attempt arrived.</summary>
    /// <param name="requestId">Bedrock's <c>x-amzn-RequestId</c>, when the response had one.</param>
    public static void RecordResponseHeaders(string? requestId) => s_current.Value?.OnResponseHeaders(Stopwatch.GetTimestamp(), requestId);

    /// <summary>Whether a prompt call is observed on the current flow (to skip work a hook would do only for it).</summary>
    public static bool IsObserving => s_current.Value is not null;

    /// <summary>Makes <paramref name="call"/> the current flow's call (reverted when the calling async method returns).</summary>
    internal static void Enter(PromptCall call) => s_current.Value = call;
}
