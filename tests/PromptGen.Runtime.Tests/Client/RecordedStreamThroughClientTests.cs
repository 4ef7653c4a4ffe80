using System.Text;
using System.Text.Json.Nodes;
using PromptGen.Tests;

namespace PromptGen.Runtime.Tests.Client;

/// <summary>
/// Every recorded ConverseStream body (real Bedrock traffic, decoded independently by botocore in derived/) replayed
/// through BedrockClient: the text the client yields, the stop reason, usage and metrics equal the recording.
/// </summary>
public class RecordedStreamThroughClientTests
{
    public static IEnumerable<object[]> ConverseStreamRecordings() =>
        Directory.EnumerateFiles(TestPaths.Vector("bedrock-runtime", "derived"), "*.decoded.json", SearchOption.AllDirectories)
            .Where(path => File.ReadAllText(path).Contains("\"messageStart\"", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .Select(path => new object[] { Path.GetRelativePath(TestPaths.Vector("bedrock-runtime", "derived"), path) });

    [Theory]
    [MemberData(nameof(ConverseStreamRecordings))]
    public async Task Recorded_stream_reassembles_to_the_recorded_text_usage_and_metrics(string decodedPath)
    {
        string full = TestPaths.Vector("bedrock-runtime", "derived", decodedPath);
        JsonObject decoded = JsonNode.Parse(File.ReadAllText(full))!.AsObject();
        byte[] wire = File.ReadAllBytes(full.Replace(".decoded.json", ".eventstream.bin", StringComparison.Ordinal));

        var expectedText = new StringBuilder();
        string? expectedStop = null;
        JsonObject? expectedUsage = null;
        long? expectedLatency = null;
        int expectedEvents = 0;
        foreach (JsonNode? message in decoded["messages"]!.AsArray())
        {
            string type = message!["headers"]![":event-type"]!.GetValue<string>();
            JsonNode payload = message["payload"]!["json"]!;
            expectedEvents++;
            switch (type)
            {
                case "contentBlockDelta" when payload["delta"] is JsonNode delta && delta["text"] is JsonNode deltaText:
                    expectedText.Append(deltaText.GetValue<string>());
                    break;
                case "messageStop":
                    expectedStop = payload["stopReason"]!.GetValue<string>();
                    break;
                case "metadata":
                    expectedUsage = payload["usage"]!.AsObject();
                    expectedLatency = payload["metrics"]!["latencyMs"]!.GetValue<long>();
                    break;
            }
        }

        var handler = new FakeBedrockHandler().EnqueueStream(wire);
        using BedrockClient client = TestClients.Create(handler);

        var text = new StringBuilder();
        StopReason? stop = null;
        MetadataEvent? metadata = null;
        int events = 0;
        await foreach (ConverseStreamEvent streamEvent in client.ConverseStreamAsync("us.amazon.nova-micro-v1:0", TestClients.Hello()))
        {
            events++;
            switch (streamEvent)
            {
                case ContentBlockDeltaEvent { Delta.Text: { } delta }:
                    text.Append(delta);
                    break;
                case MessageStopEvent stopEvent:
                    stop = stopEvent.StopReason;
                    break;
                case MetadataEvent meta:
                    metadata = meta;
                    break;
            }
        }

        Assert.Equal(expectedEvents, events);
        Assert.Equal(expectedText.ToString(), text.ToString());
        Assert.Equal(expectedStop, stop?.Value);
        Assert.NotNull(metadata);
        Assert.Equal(expectedUsage!["inputTokens"]!.GetValue<int>(), metadata!.Usage!.InputTokens);
        Assert.Equal(expectedUsage["outputTokens"]!.GetValue<int>(), metadata.Usage.OutputTokens);
        Assert.Equal(expectedUsage["totalTokens"]!.GetValue<int>(), metadata.Usage.TotalTokens);
        Assert.Equal(expectedLatency, metadata.Metrics!.LatencyMs);
    }
}
