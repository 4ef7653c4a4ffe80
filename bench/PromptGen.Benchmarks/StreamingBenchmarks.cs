using BenchmarkDotNet.Attributes;
using PromptGen.EventStreams;

namespace PromptGen.Benchmarks;

/// <summary>
/// Issue 2 goals: from the first event's bytes being readable to the first text delta yielded ≤ 20 µs (median), and
/// decode throughput of our span-based decoder vs AWSSDK.Core's decoder on the same recorded Bedrock bytes.
/// </summary>
[MemoryDiagnoser]
public class StreamingBenchmarks
{
    private byte[] _recorded = null!;
    private byte[] _firstDelta = null!;

    [GlobalSetup]
    public void Setup()
    {
        _recorded = File.ReadAllBytes(Vectors.Path("bedrock-runtime", "derived", "openinference-js",
            "should-handle-ai21-jamba-models-with-streaming.0.eventstream.bin"));

        // The opening of a real Bedrock stream up to and including its first text delta.
        int offset = 0;
        while (EventStreamMessage.TryDecode(_recorded.AsSpan(offset), EventStreamReader.DefaultMaxMessageLength, out EventStreamMessage? message, out int consumed))
        {
            offset += consumed;
            if (message!.GetString(":event-type") == "contentBlockDelta")
            {
                break;
            }
        }

        _firstDelta = _recorded[..offset];
    }

    [Benchmark(Description = "first text delta: bytes readable -> delta parsed")]
    public async Task<string?> FirstDelta()
    {
        await using var reader = new EventStreamReader(new MemoryStream(_firstDelta, writable: false));
        while (await reader.ReadAsync() is { } message)
        {
            if (ConverseStreamEventParser.Parse(message.GetString(":event-type")!, message.Payload.Span) is ContentBlockDeltaEvent { Delta.Text: { } text })
            {
                return text;
            }
        }

        return null;
    }

    [Benchmark(Baseline = true, Description = "decode recorded stream: AWSSDK.Core EventStreamDecoder")]
    public int DecodeAwsSdk()
    {
        int count = 0;
        using var decoder = new Amazon.Runtime.EventStreams.Internal.EventStreamDecoder();
        decoder.MessageReceived += (_, _) => count++;
        decoder.ProcessData(_recorded, 0, _recorded.Length);
        return count;
    }

    [Benchmark(Description = "decode recorded stream: PromptGen EventStreamMessage.TryDecode")]
    public int DecodePromptGen()
    {
        int count = 0;
        int offset = 0;
        while (EventStreamMessage.TryDecode(_recorded.AsSpan(offset), EventStreamReader.DefaultMaxMessageLength, out _, out int consumed))
        {
            offset += consumed;
            count++;
        }

        return count;
    }
}
