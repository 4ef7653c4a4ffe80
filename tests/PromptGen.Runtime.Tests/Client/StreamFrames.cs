using System.Text;
using PromptGen.EventStreams;
using PromptGen.Runtime.Tests.EventStreams;

namespace PromptGen.Runtime.Tests.Client;

/// <summary>Builds ConverseStream bodies frame by frame for client tests.</summary>
internal static class StreamFrames
{
    public static byte[] Event(string eventType, string json) => TestEncoder.Encode(
        [
            new(":event-type", EventStreamHeaderValue.FromString(eventType)),
            new(":content-type", EventStreamHeaderValue.FromString("application/json")),
            new(":message-type", EventStreamHeaderValue.FromString("event")),
        ],
        Encoding.UTF8.GetBytes(json));

    public static byte[] Exception(string exceptionType, string json) => TestEncoder.Encode(
        [
            new(":exception-type", EventStreamHeaderValue.FromString(exceptionType)),
            new(":content-type", EventStreamHeaderValue.FromString("application/json")),
            new(":message-type", EventStreamHeaderValue.FromString("exception")),
        ],
        Encoding.UTF8.GetBytes(json));

    public static byte[] Start => Event("messageStart", """{"role":"assistant"}""");

    public static byte[] Delta(string text) =>
        Event("contentBlockDelta", "{\"contentBlockIndex\":0,\"delta\":{\"text\":" + System.Text.Json.JsonSerializer.Serialize(text) + "}}");

    public static byte[] BlockStop => Event("contentBlockStop", """{"contentBlockIndex":0}""");

    public static byte[] Stop => Event("messageStop", """{"stopReason":"end_turn"}""");

    public static byte[] Metadata => Event("metadata", """{"usage":{"inputTokens":3,"outputTokens":2,"totalTokens":5},"metrics":{"latencyMs":12}}""");

    public static byte[] Concat(params byte[][] frames) => frames.SelectMany(f => f).ToArray();

    public static byte[] Complete(params string[] texts) =>
        Concat([Start, .. texts.Select(Delta), BlockStop, Stop, Metadata]);
}
