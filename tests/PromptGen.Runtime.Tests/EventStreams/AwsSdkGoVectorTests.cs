using System.Text.Json;
using PromptGen.EventStreams;
using PromptGen.Tests;
using static PromptGen.Runtime.Tests.EventStreams.EventStreamTestHelpers;

namespace PromptGen.Runtime.Tests.EventStreams;

/// <summary>The cross-SDK aws-c-event-stream vectors (eventstream/aws-sdk-go, PROVENANCE 1a).</summary>
public class AwsSdkGoVectorTests
{
    private static string Dir(params string[] parts) => TestPaths.Vector(["eventstream", "aws-sdk-go", .. parts]);

    public static TheoryData<string> Positives() => Names("positive");

    public static TheoryData<string> Negatives() => Names("negative");

    private static TheoryData<string> Names(string kind) => new(FileNames(kind));

    private static string[] FileNames(string kind) =>
        Directory.GetFiles(Dir("encoded", kind)).Select(f => Path.GetFileName(f)).Order(StringComparer.Ordinal).ToArray();

    [Fact]
    public void Every_vector_file_is_covered()
    {
        Assert.Equal(["all_headers", "empty_message", "int32_header", "payload_no_headers", "payload_one_str_header"], FileNames("positive"));
        Assert.Equal(["corrupted_header_len", "corrupted_headers", "corrupted_length", "corrupted_payload"], FileNames("negative"));

        // Every encoded file has its expectation.
        foreach (string kind in new[] { "positive", "negative" })
        {
            foreach (string file in Directory.GetFiles(Dir("encoded", kind)))
            {
                Assert.True(File.Exists(Dir("decoded", kind, Path.GetFileName(file))), file);
            }
        }
    }

    [Theory]
    [MemberData(nameof(Positives))]
    public void Positive_vector_decodes_exactly(string name)
    {
        byte[] wire = File.ReadAllBytes(Dir("encoded", "positive", name));
        using JsonDocument expected = JsonDocument.Parse(File.ReadAllBytes(Dir("decoded", "positive", name)));
        JsonElement root = expected.RootElement;

        EventStreamMessage message = EventStreamMessage.Decode(wire);

        Assert.Equal(root.GetProperty("total_length").GetInt32(), message.TotalLength);
        Assert.Equal(wire.Length, message.TotalLength);
        Assert.Equal(root.GetProperty("headers_length").GetInt32(), message.HeadersLength);
        Assert.Equal(root.GetProperty("prelude_crc").GetInt32(), unchecked((int)message.PreludeCrc));
        Assert.Equal(root.GetProperty("message_crc").GetInt32(), unchecked((int)message.MessageCrc));
        Assert.Equal(Convert.FromBase64String(root.GetProperty("payload").GetString()!), message.Payload.ToArray());

        JsonElement[] headers = root.GetProperty("headers").EnumerateArray().ToArray();
        Assert.Equal(headers.Length, message.Headers.Count);
        for (int i = 0; i < headers.Length; i++)
        {
            JsonElement h = headers[i];
            (string actualName, EventStreamHeaderValue v) = message.Headers[i];
            Assert.Equal(h.GetProperty("name").GetString(), actualName);
            var type = (EventStreamHeaderType)h.GetProperty("type").GetInt32();
            Assert.Equal(type, v.Type);
            JsonElement value = h.GetProperty("value");
            switch (type)
            {
                case EventStreamHeaderType.BoolTrue:
                case EventStreamHeaderType.BoolFalse:
                    Assert.Equal(value.GetBoolean(), v.AsBool());
                    break;
                case EventStreamHeaderType.Byte:
                    Assert.Equal(value.GetSByte(), v.AsByte());
                    break;
                case EventStreamHeaderType.Int16:
                    Assert.Equal(value.GetInt16(), v.AsInt16());
                    break;
                case EventStreamHeaderType.Int32:
                    Assert.Equal(value.GetInt32(), v.AsInt32());
                    break;
                case EventStreamHeaderType.Int64:
                    Assert.Equal(value.GetInt64(), v.AsInt64());
                    break;
                case EventStreamHeaderType.Timestamp:
                    Assert.Equal(value.GetInt64(), v.AsUnixTimeMilliseconds());
                    Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(value.GetInt64()), v.AsTimestamp());
                    break;
                case EventStreamHeaderType.ByteArray:
                    Assert.Equal(value.GetBytesFromBase64(), v.AsBytes());
                    break;
                case EventStreamHeaderType.String:
                    Assert.Equal(System.Text.Encoding.UTF8.GetString(value.GetBytesFromBase64()), v.AsString());
                    break;
                case EventStreamHeaderType.Uuid:
                    Assert.Equal(value.GetBytesFromBase64(), v.AsUuidBytes());
                    Assert.Equal(new Guid(value.GetBytesFromBase64(), bigEndian: true), v.AsUuid());
                    break;
                default:
                    Assert.Fail($"unexpected type {type}");
                    break;
            }
        }
    }

    [Fact]
    public void All_headers_vector_values_are_the_documented_ones()
    {
        EventStreamMessage m = EventStreamMessage.Decode(File.ReadAllBytes(Dir("encoded", "positive", "all_headers")));
        Assert.Equal(204, m.TotalLength);
        Assert.Equal(175, m.HeadersLength);
        Assert.Equal(40972, Header(m, "event-type").AsInt32());
        Assert.Equal("application/json", m.GetString("content-type"));
        Assert.False(Header(m, "bool false").AsBool());
        Assert.True(Header(m, "bool true").AsBool());
        Assert.Equal(-49, Header(m, "byte").AsByte());
        Assert.Equal("I'm a little teapot!", System.Text.Encoding.UTF8.GetString(Header(m, "byte buf").AsBytes()));
        Assert.Equal(8675309L, Header(m, "timestamp").AsUnixTimeMilliseconds());
        Assert.Equal(42, Header(m, "int16").AsInt16());
        Assert.Equal(42424242L, Header(m, "int64").AsInt64());
        Assert.Equal(Enumerable.Range(1, 16).Select(i => (byte)i), Header(m, "uuid").AsUuidBytes());
        Assert.Equal(Guid.Parse("01020304-0506-0708-090a-0b0c0d0e0f10"), Header(m, "uuid").AsUuid());
        Assert.Equal("{'foo':'bar'}", System.Text.Encoding.UTF8.GetString(m.Payload.Span));
        Assert.Null(m.GetString("event-type")); // int32, not a string
        Assert.Null(m.GetString("missing"));
    }

    [Fact]
    public void Empty_message_matches_the_wire_md_canonical_bytes()
    {
        byte[] wire = File.ReadAllBytes(Dir("encoded", "positive", "empty_message"));
        Assert.Equal(Hex("000000100000000005c248eb7d98c8ff"), wire);
        EventStreamMessage m = EventStreamMessage.Decode(wire);
        Assert.Empty(m.Headers);
        Assert.True(m.Payload.IsEmpty);
        Assert.Equal(0x05C248EBu, m.PreludeCrc);
        Assert.Equal(0x7D98C8FFu, m.MessageCrc);
    }

    [Theory]
    [MemberData(nameof(Negatives))]
    public async Task Negative_vector_is_rejected_with_the_expected_error(string name)
    {
        byte[] wire = File.ReadAllBytes(Dir("encoded", "negative", name));
        string expectedText = File.ReadAllText(Dir("decoded", "negative", name)).Trim();
        EventStreamErrorKind kind = expectedText switch
        {
            "Prelude checksum mismatch" => EventStreamErrorKind.PreludeChecksumMismatch,
            "Message checksum mismatch" => EventStreamErrorKind.MessageChecksumMismatch,
            _ => throw new InvalidOperationException("unknown expectation " + expectedText),
        };

        EventStreamFormatException ex = AssertRejected(kind, () => EventStreamMessage.Decode(wire));
        Assert.StartsWith(expectedText, ex.Message, StringComparison.Ordinal);
        AssertRejected(kind, () => EventStreamReader.TryDecode(wire, out _, out _));
        await AssertRejectedAsync(kind, () => ReadAllAsync(new MemoryStream(wire)));
        await AssertRejectedAsync(kind, () => ReadAllAsync(PiecewiseStream.Chunked(wire, 1)));
    }

    private static EventStreamHeaderValue Header(EventStreamMessage m, string name)
    {
        Assert.True(m.TryGetHeader(name, out EventStreamHeaderValue value), name);
        return value;
    }
}
