using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using PromptGen.EventStreams;
using PromptGen.Tests;
using static PromptGen.Runtime.Tests.EventStreams.EventStreamTestHelpers;

namespace PromptGen.Runtime.Tests.EventStreams;

/// <summary>
/// Real recorded streams: smithy-rs recorded traffic (PROVENANCE 1c) and the Bedrock recordings in
/// bedrock-runtime/derived (3f), each compared frame by frame with botocore's independent decoding (*.decoded.json).
/// </summary>
public class RecordedTrafficTests
{
    /// <summary>Every *.eventstream.bin under the two derived folders, relative to the vectors root.</summary>
    public static TheoryData<string> RecordedStreams() => new(AllRecordedStreams());

    private static string[] AllRecordedStreams()
    {
        string root = TestPaths.Vectors;
        return new[] { TestPaths.Vector("eventstream", "smithy-rs-recorded-traffic", "derived"), TestPaths.Vector("bedrock-runtime", "derived") }
            .SelectMany(d => Directory.GetFiles(d, "*.eventstream.bin", SearchOption.AllDirectories))
            .Select(f => Path.GetRelativePath(root, f).Replace('\\', '/'))
            .Order(StringComparer.Ordinal)
            .ToArray();
    }

    [Fact]
    public void All_recordings_are_found_and_paired()
    {
        string[] streams = AllRecordedStreams();
        Assert.Equal(5, streams.Count(s => s.StartsWith("eventstream/smithy-rs-recorded-traffic/", StringComparison.Ordinal)));
        Assert.Equal(17, streams.Count(s => s.StartsWith("bedrock-runtime/derived/openinference-js/", StringComparison.Ordinal)));
        Assert.Equal(9, streams.Count(s => s.StartsWith("bedrock-runtime/derived/pydantic-ai/", StringComparison.Ordinal)));
        foreach (string s in streams)
        {
            Assert.True(File.Exists(DecodedPath(s)), s);
        }
    }

    [Theory]
    [MemberData(nameof(RecordedStreams))]
    public async Task Recording_decodes_to_the_botocore_frames(string relativePath)
    {
        byte[] wire = File.ReadAllBytes(Path.Combine(TestPaths.Vectors, relativePath));
        using JsonDocument expected = JsonDocument.Parse(File.ReadAllBytes(DecodedPath(relativePath)));
        JsonElement root = expected.RootElement;
        Assert.Equal(root.GetProperty("byte_length").GetInt32(), wire.Length);

        // Synchronous span decoder over the whole buffer.
        List<(EventStreamMessage Message, int Offset)> sync = DecodeAllSync(wire);
        AssertMatches(root, sync);

        // Stream reader, whole body available at once and one byte per read.
        List<EventStreamMessage> whole = await ReadAllAsync(new MemoryStream(wire));
        AssertMatches(root, WithOffsets(whole));
        List<EventStreamMessage> bytewise = await ReadAllAsync(PiecewiseStream.Chunked(wire, 1));
        AssertMatches(root, WithOffsets(bytewise));

        // Odd chunk sizes that straddle every frame differently.
        foreach (int size in new[] { 7, 13, 100, 4096 })
        {
            AssertMatches(root, WithOffsets(await ReadAllAsync(PiecewiseStream.Chunked(wire, size))));
        }
    }

    public static TheoryData<string, string> SmithyRecordings() => new()
    {
        { "s3-select-object-content", "Response" },
        { "transcribestreaming-error", "Response" },
        { "transcribestreaming-error", "Request" },
        { "transcribestreaming-success", "Response" },
        { "transcribestreaming-success", "Request" },
    };

    [Theory]
    [MemberData(nameof(SmithyRecordings))]
    public async Task Smithy_recording_decodes_across_the_recorded_chunk_boundaries(string name, string direction)
    {
        using JsonDocument recording = JsonDocument.Parse(File.ReadAllBytes(TestPaths.Vector("eventstream", "smithy-rs-recorded-traffic", name + ".json")));
        var pieces = new List<int>();
        var body = new List<byte>();
        foreach (JsonElement entry in recording.RootElement.EnumerateArray())
        {
            JsonElement action = entry.GetProperty("action");
            if (action.TryGetProperty("Data", out JsonElement data)
                && data.GetProperty("direction").GetString() == direction
                && data.GetProperty("data").TryGetProperty("Base64", out JsonElement b64))
            {
                byte[] chunk = b64.GetBytesFromBase64();
                pieces.Add(chunk.Length);
                body.AddRange(chunk);
            }
        }

        string binName = $"{name}.{direction.ToLowerInvariant()}.eventstream.bin";
        string rel = "eventstream/smithy-rs-recorded-traffic/derived/" + binName;
        byte[] wire = body.ToArray();
        Assert.Equal(File.ReadAllBytes(Path.Combine(TestPaths.Vectors, rel)), wire);

        using JsonDocument expected = JsonDocument.Parse(File.ReadAllBytes(DecodedPath(rel)));
        var stream = PiecewiseStream.Pieces(wire, pieces);
        AssertMatches(expected.RootElement, WithOffsets(await ReadAllAsync(stream)));

        // One read per recorded piece, plus one for the first message larger than the reader's initial 4 KB buffer: its
        // prelude arrives in a 4 KB read and the grown buffer reads the rest (the reader then rents the grown size).
        List<(EventStreamMessage Message, int Offset)> frames = DecodeAllSync(wire);
        bool anyOver4K = frames.Select((f, i) => (i + 1 < frames.Count ? frames[i + 1].Offset : wire.Length) - f.Offset).Any(length => length > 4096);
        Assert.Equal(pieces.Count + (anyOver4K ? 1 : 0), stream.ReadCount);
    }

    [Fact]
    public void Transcribe_error_response_is_one_exception_message()
    {
        byte[] wire = File.ReadAllBytes(TestPaths.Vector("eventstream", "smithy-rs-recorded-traffic", "derived", "transcribestreaming-error.response.eventstream.bin"));
        EventStreamMessage m = EventStreamMessage.Decode(wire);
        Assert.Equal("exception", m.GetString(":message-type"));
        Assert.Equal("BadRequestException", m.GetString(":exception-type"));
        Assert.Equal("application/json", m.GetString(":content-type"));
        Assert.Equal("{\"Message\":\"A complete signal was sent without the preceding empty frame.\"}", Encoding.UTF8.GetString(m.Payload.Span));
    }

    [Fact]
    public void Basic_converse_stream_recording_has_the_expected_event_sequence()
    {
        byte[] wire = File.ReadAllBytes(TestPaths.Vector("bedrock-runtime", "derived", "openinference-js", "should-handle-basic-converse-stream-responses.0.eventstream.bin"));
        List<(EventStreamMessage Message, int Offset)> frames = DecodeAllSync(wire);
        Assert.Equal(16, frames.Count);
        Assert.Equal("messageStart", frames[0].Message.GetString(":event-type"));
        Assert.Equal("metadata", frames[^1].Message.GetString(":event-type"));
        Assert.Equal("messageStop", frames[^2].Message.GetString(":event-type"));
        Assert.All(frames, f => Assert.Equal("event", f.Message.GetString(":message-type")));
        Assert.All(frames, f => Assert.Equal("application/json", f.Message.GetString(":content-type")));

        // Common header names and values come from the decoder's cache, not fresh strings per message.
        Assert.Same(frames[1].Message.Headers[0].Key, frames[2].Message.Headers[0].Key);
        Assert.Same(frames[1].Message.GetString(":event-type"), frames[2].Message.GetString(":event-type"));
    }

    private static string DecodedPath(string relativeBin) =>
        Path.Combine(TestPaths.Vectors, relativeBin[..^".eventstream.bin".Length] + ".decoded.json");

    private static List<(EventStreamMessage, int)> WithOffsets(List<EventStreamMessage> messages)
    {
        var result = new List<(EventStreamMessage, int)>(messages.Count);
        int offset = 0;
        foreach (EventStreamMessage m in messages)
        {
            result.Add((m, offset));
            offset += m.TotalLength;
        }

        return result;
    }

    private static void AssertMatches(JsonElement root, List<(EventStreamMessage Message, int Offset)> actual)
    {
        JsonElement[] frames = root.GetProperty("messages").EnumerateArray().ToArray();
        Assert.Equal(root.GetProperty("message_count").GetInt32(), actual.Count);
        Assert.Equal(frames.Length, actual.Count);
        for (int i = 0; i < frames.Length; i++)
        {
            JsonElement f = frames[i];
            (EventStreamMessage m, int offset) = actual[i];
            Assert.Equal(f.GetProperty("offset").GetInt32(), offset);
            Assert.Equal(f.GetProperty("total_length").GetInt32(), m.TotalLength);
            Assert.Equal(f.GetProperty("headers_length").GetInt32(), m.HeadersLength);
            Assert.Equal(f.GetProperty("prelude_crc").GetUInt32(), m.PreludeCrc);
            Assert.Equal(f.GetProperty("message_crc").GetUInt32(), m.MessageCrc);
            Assert.Equal(m.TotalLength - m.HeadersLength - 16, m.Payload.Length);

            JsonProperty[] headers = f.GetProperty("headers").EnumerateObject().ToArray();
            Assert.Equal(headers.Length, m.Headers.Count);
            for (int h = 0; h < headers.Length; h++)
            {
                (string name, EventStreamHeaderValue v) = m.Headers[h];
                Assert.Equal(headers[h].Name, name); // botocore keeps wire order
                JsonElement value = headers[h].Value;
                switch (value.ValueKind)
                {
                    case JsonValueKind.String:
                        Assert.Equal(EventStreamHeaderType.String, v.Type);
                        Assert.Equal(value.GetString(), v.AsString());
                        break;
                    case JsonValueKind.True:
                    case JsonValueKind.False:
                        Assert.Equal(value.GetBoolean(), v.AsBool());
                        break;
                    case JsonValueKind.Number:
                        long n = value.GetInt64();
                        long got = v.Type switch
                        {
                            EventStreamHeaderType.Byte => v.AsByte(),
                            EventStreamHeaderType.Int16 => v.AsInt16(),
                            EventStreamHeaderType.Int32 => v.AsInt32(),
                            EventStreamHeaderType.Int64 => v.AsInt64(),
                            EventStreamHeaderType.Timestamp => v.AsUnixTimeMilliseconds(),
                            _ => throw new InvalidOperationException($"{name}: numeric expectation but type {v.Type}"),
                        };
                        Assert.Equal(n, got);
                        break;
                    case JsonValueKind.Object:
                        Assert.Equal(EventStreamHeaderType.ByteArray, v.Type);
                        Assert.Equal(value.GetProperty("bytes_b64").GetBytesFromBase64(), v.AsBytes());
                        break;
                    default:
                        Assert.Fail($"unexpected expectation for header {name}: {value}");
                        break;
                }
            }

            JsonElement payload = f.GetProperty("payload");
            if (payload.TryGetProperty("b64", out JsonElement b64))
            {
                Assert.Equal(b64.GetBytesFromBase64(), m.Payload.ToArray());
                Assert.Equal(payload.GetProperty("length").GetInt32(), m.Payload.Length);
            }
            else
            {
                JsonNode? expectedJson = JsonNode.Parse(payload.GetProperty("json").GetRawText());
                JsonNode? actualJson = JsonNode.Parse(m.Payload.Span);
                Assert.True(JsonNode.DeepEquals(expectedJson, actualJson), $"frame {i} payload differs: {Encoding.UTF8.GetString(m.Payload.Span)}");
            }
        }
    }
}
