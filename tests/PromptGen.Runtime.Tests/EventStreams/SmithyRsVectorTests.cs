using System.Text;
using System.Text.Json;
using PromptGen.EventStreams;
using PromptGen.Tests;
using static PromptGen.Runtime.Tests.EventStreams.EventStreamTestHelpers;

namespace PromptGen.Runtime.Tests.EventStreams;

/// <summary>smithy-rs aws-smithy-eventstream test_data (PROVENANCE 1b) against EXPECTED.transcribed.json.</summary>
public class SmithyRsVectorTests
{
    private static string Vector(string name) => TestPaths.Vector("eventstream", "smithy-rs", name);

    private static byte[] Bytes(string name) => File.ReadAllBytes(Vector(name));

    /// <summary>
    /// What our decoder reports for each invalid file as shipped. The header corruptions were made without fixing the
    /// message CRC, and we check the message CRC before parsing headers (like botocore), so those report
    /// MessageChecksumMismatch; the CRC-repaired variants below reach the header parser.
    /// </summary>
    public static TheoryData<string, string> InvalidFiles() => new()
    {
        { "invalid_header_string_value_length", nameof(EventStreamErrorKind.MessageChecksumMismatch) },
        { "invalid_header_string_length_cut_off", nameof(EventStreamErrorKind.MessageChecksumMismatch) },
        { "invalid_header_value_type", nameof(EventStreamErrorKind.MessageChecksumMismatch) },
        { "invalid_header_name_length", nameof(EventStreamErrorKind.MessageChecksumMismatch) },
        { "invalid_headers_length", nameof(EventStreamErrorKind.InvalidLength) },
        { "invalid_prelude_checksum", nameof(EventStreamErrorKind.PreludeChecksumMismatch) },
        { "invalid_message_checksum", nameof(EventStreamErrorKind.MessageChecksumMismatch) },
        { "invalid_header_name_length_too_long", nameof(EventStreamErrorKind.MessageChecksumMismatch) },
    };

    /// <summary>The same files with both CRCs recomputed (over their announced total_length), so only the smithy-rs fault remains.</summary>
    public static TheoryData<string, string> InvalidFilesWithRepairedCrcs() => new()
    {
        { "invalid_header_string_value_length", nameof(EventStreamErrorKind.InvalidHeader) },    // smithy-rs InvalidHeaderValue
        { "invalid_header_string_length_cut_off", nameof(EventStreamErrorKind.InvalidHeader) },  // smithy-rs InvalidHeaderValue
        { "invalid_header_value_type", nameof(EventStreamErrorKind.InvalidHeader) },             // smithy-rs InvalidHeaderValueType(0x60)
        { "invalid_header_name_length", nameof(EventStreamErrorKind.InvalidHeader) },            // smithy-rs InvalidHeaderNameLength
        { "invalid_headers_length", nameof(EventStreamErrorKind.InvalidLength) },                // smithy-rs InvalidHeadersLength
        { "invalid_header_name_length_too_long", nameof(EventStreamErrorKind.InvalidHeader) },   // smithy-rs InvalidUtf8String
    };

    [Fact]
    public void Every_file_and_expectation_is_covered()
    {
        string[] files = Directory.GetFiles(TestPaths.Vector("eventstream", "smithy-rs")).Select(f => Path.GetFileName(f)!)
            .Where(f => f != "EXPECTED.transcribed.json").Order(StringComparer.Ordinal).ToArray();
        string[] covered = InvalidFiles().Select(r => (string)r[0])
            .Concat(["valid_with_all_headers_and_payload", "valid_empty_payload", "valid_no_headers"]).Order(StringComparer.Ordinal).ToArray();
        Assert.Equal(files, covered);

        using JsonDocument expected = JsonDocument.Parse(File.ReadAllBytes(Vector("EXPECTED.transcribed.json")));
        foreach (JsonProperty p in expected.RootElement.EnumerateObject())
        {
            if (p.Name == "_note")
            {
                continue;
            }

            Assert.Contains(p.Name, files);
            Assert.Equal(p.Name.StartsWith("valid_", StringComparison.Ordinal) ? "success" : "error", p.Value.GetProperty("expect").GetString());
        }
    }

    [Fact]
    public void Valid_with_all_headers_and_payload_matches_the_transcribed_expectation()
    {
        EventStreamMessage m = EventStreamMessage.Decode(Bytes("valid_with_all_headers_and_payload"));
        using JsonDocument doc = JsonDocument.Parse(File.ReadAllBytes(Vector("EXPECTED.transcribed.json")));
        JsonElement expected = doc.RootElement.GetProperty("valid_with_all_headers_and_payload");
        JsonElement[] headers = expected.GetProperty("headers").EnumerateArray().ToArray();

        Assert.Equal(headers.Length, m.Headers.Count);
        for (int i = 0; i < headers.Length; i++)
        {
            JsonElement h = headers[i];
            (string name, EventStreamHeaderValue v) = m.Headers[i];
            Assert.Equal(h.GetProperty("name").GetString(), name);
            switch (h.GetProperty("type").GetString())
            {
                case "bool_true":
                    Assert.Equal(EventStreamHeaderType.BoolTrue, v.Type);
                    Assert.True(v.AsBool());
                    break;
                case "bool_false":
                    Assert.Equal(EventStreamHeaderType.BoolFalse, v.Type);
                    Assert.False(v.AsBool());
                    break;
                case "byte":
                    Assert.Equal(h.GetProperty("value").GetSByte(), v.AsByte());
                    break;
                case "int16":
                    Assert.Equal(h.GetProperty("value").GetInt16(), v.AsInt16());
                    break;
                case "int32":
                    Assert.Equal(h.GetProperty("value").GetInt32(), v.AsInt32());
                    break;
                case "int64":
                    Assert.Equal(h.GetProperty("value").GetInt64(), v.AsInt64());
                    break;
                case "byte_array":
                    Assert.Equal(h.GetProperty("value_utf8").GetString(), Encoding.UTF8.GetString(v.AsBytes()));
                    break;
                case "string":
                    Assert.Equal(h.GetProperty("value").GetString(), v.AsString());
                    break;
                case "timestamp":
                    Assert.Equal(h.GetProperty("wire_int64_millis").GetInt64(), v.AsUnixTimeMilliseconds());
                    Assert.Equal(h.GetProperty("value_epoch_seconds").GetInt64(), v.AsTimestamp().ToUnixTimeSeconds());
                    break;
                case "uuid":
                    Assert.Equal(Convert.FromHexString(h.GetProperty("value_hex").GetString()!), v.AsUuidBytes());
                    Assert.Equal(Guid.Parse("b79bc914-de21-4e13-b8b2-bc47e85b7f0b"), v.AsUuid());
                    break;
                default:
                    Assert.Fail("unknown type " + h.GetProperty("type").GetString());
                    break;
            }
        }

        Assert.Equal(expected.GetProperty("payload_utf8").GetString(), Encoding.UTF8.GetString(m.Payload.Span));
        Assert.Equal(0x8BB495FBu, m.PreludeCrc);
        Assert.Equal(0x01A05860u, m.MessageCrc);
    }

    [Fact]
    public void Test_encoder_round_trips_the_all_headers_file_byte_for_byte()
    {
        // "round_trip_all_headers_payload": encoding these headers in this order plus the payload gives exactly the file.
        byte[] wire = Bytes("valid_with_all_headers_and_payload");
        EventStreamMessage m = EventStreamMessage.Decode(wire);
        Assert.Equal(wire, TestEncoder.Encode(m.Headers, m.Payload.Span));

        var built = new List<KeyValuePair<string, EventStreamHeaderValue>>
        {
            new("true", EventStreamHeaderValue.FromBool(true)),
            new("false", EventStreamHeaderValue.FromBool(false)),
            new("byte", EventStreamHeaderValue.FromByte(50)),
            new("short", EventStreamHeaderValue.FromInt16(20000)),
            new("int", EventStreamHeaderValue.FromInt32(500000)),
            new("long", EventStreamHeaderValue.FromInt64(50_000_000_000)),
            new("bytes", EventStreamHeaderValue.FromBytes(Encoding.UTF8.GetBytes("some bytes"))),
            new("str", EventStreamHeaderValue.FromString("some str")),
            new("time", EventStreamHeaderValue.FromTimestamp(DateTimeOffset.FromUnixTimeSeconds(5_000_000))),
            new("uuid", EventStreamHeaderValue.FromUuid(Guid.Parse("b79bc914-de21-4e13-b8b2-bc47e85b7f0b"))),
        };
        Assert.Equal(wire, TestEncoder.Encode(built, "some payload"u8));
        Assert.Equal(built, m.Headers);
    }

    [Fact]
    public void Valid_empty_payload_has_one_int16_header()
    {
        EventStreamMessage m = EventStreamMessage.Decode(Bytes("valid_empty_payload"));
        (string name, EventStreamHeaderValue value) = Assert.Single(m.Headers);
        Assert.Equal("some-header", name);
        Assert.Equal(EventStreamHeaderType.Int16, value.Type);
        Assert.Equal(500, value.AsInt16());
        Assert.True(m.Payload.IsEmpty);
        Assert.Equal(31, m.TotalLength);
    }

    [Fact]
    public void Valid_no_headers_has_only_a_payload()
    {
        EventStreamMessage m = EventStreamMessage.Decode(Bytes("valid_no_headers"));
        Assert.Empty(m.Headers);
        Assert.Equal("another test payload", Encoding.UTF8.GetString(m.Payload.Span));
        Assert.Equal(0, m.HeadersLength);
    }

    [Theory]
    [MemberData(nameof(InvalidFiles))]
    public async Task Invalid_file_is_rejected(string name, string kindName)
    {
        EventStreamErrorKind kind = Enum.Parse<EventStreamErrorKind>(kindName);
        byte[] wire = Bytes(name);
        AssertRejected(kind, () => EventStreamMessage.Decode(wire));
        AssertRejected(kind, () => EventStreamReader.TryDecode(wire, out _, out _));
        await AssertRejectedAsync(kind, () => ReadAllAsync(new MemoryStream(wire)));
        await AssertRejectedAsync(kind, () => ReadAllAsync(PiecewiseStream.Chunked(wire, 3)));
    }

    [Fact]
    public void Prelude_and_message_checksum_errors_name_both_crcs()
    {
        var ex = AssertRejected(EventStreamErrorKind.PreludeChecksumMismatch, () => EventStreamMessage.Decode(Bytes("invalid_prelude_checksum")));
        Assert.Contains("0xDEADBEEF", ex.Message, StringComparison.Ordinal);
        Assert.Contains("0x8BB495FB", ex.Message, StringComparison.Ordinal);
        ex = AssertRejected(EventStreamErrorKind.MessageChecksumMismatch, () => EventStreamMessage.Decode(Bytes("invalid_message_checksum")));
        Assert.Contains("0xDEADBEEF", ex.Message, StringComparison.Ordinal);
        Assert.Contains("0x01A05860", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(InvalidFilesWithRepairedCrcs))]
    public void Invalid_file_with_repaired_crcs_is_rejected_for_the_smithy_rs_reason(string name, string kindName)
    {
        EventStreamErrorKind kind = Enum.Parse<EventStreamErrorKind>(kindName);
        byte[] wire = Bytes(name);
        int total = (int)System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(wire);
        byte[] repaired = new byte[total];
        wire.AsSpan(0, Math.Min(total, wire.Length)).CopyTo(repaired);
        TestEncoder.FixCrcs(repaired);
        AssertRejected(kind, () => EventStreamMessage.Decode(repaired));
    }

    [Fact]
    public async Task Concatenated_valid_messages_decode_when_fed_in_chunks_of_1_to_11_bytes()
    {
        byte[] all = [.. Bytes("valid_with_all_headers_and_payload"), .. Bytes("valid_empty_payload"), .. Bytes("valid_no_headers")];
        for (int chunk = 1; chunk <= 11; chunk++)
        {
            var stream = PiecewiseStream.Chunked(all, chunk);
            List<EventStreamMessage> messages = await ReadAllAsync(stream);
            Assert.Equal(3, messages.Count);
            Assert.Equal(10, messages[0].Headers.Count);
            Assert.Equal("some payload", Encoding.UTF8.GetString(messages[0].Payload.Span));
            Assert.Equal(500, Assert.Single(messages[1].Headers).Value.AsInt16());
            Assert.True(messages[1].Payload.IsEmpty);
            Assert.Empty(messages[2].Headers);
            Assert.Equal("another test payload", Encoding.UTF8.GetString(messages[2].Payload.Span));
            Assert.Equal((all.Length + chunk - 1) / chunk, stream.ReadCount);
        }
    }
}
