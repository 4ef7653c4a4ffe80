using System.Buffers;
using PromptGen.EventStreams;
using PromptGen.Testing.Tests.Support;

namespace PromptGen.Testing.Tests;

public sealed class EventStreamWriterTests
{
    [Fact]
    public void Encoder_reproduces_the_recorded_model_stream_error_frame_byte_for_byte()
    {
        // WIRE.md 4.4: a real Bedrock exception frame (CRCs verified there).
        byte[] expected = Convert.FromBase64String("AAAA3QAAAGfHkZB6DTptZXNzYWdlLXR5cGUHAAlleGNlcHRpb24POmV4Y2VwdGlvbi10eXBlBwAZbW9kZWxTdHJlYW1FcnJvckV4Y2VwdGlvbg06Y29udGVudC10eXBlBwAQYXBwbGljYXRpb24vanNvbnsibWVzc2FnZSI6Ik1vZGVsIFN0cmVhbSBFcnJvciIsIm9yaWdpbmFsU3RhdHVzQ29kZSI6NTAwLCJvcmlnaW5hbE1lc3NhZ2UiOiJUaGUgbW9kZWwgc3RyZWFtIGZhaWxlZC4ifVczQxM=");
        var headers = new List<KeyValuePair<string, EventStreamHeaderValue>>
        {
            new(":message-type", EventStreamHeaderValue.FromString("exception")),
            new(":exception-type", EventStreamHeaderValue.FromString("modelStreamErrorException")),
            new(":content-type", EventStreamHeaderValue.FromString("application/json")),
        };
        byte[] payload = System.Text.Encoding.UTF8.GetBytes("{\"message\":\"Model Stream Error\",\"originalStatusCode\":500,\"originalMessage\":\"The model stream failed.\"}");

        Assert.Equal(expected, EventStreamWriter.Encode(headers, payload));
        var writer = new ArrayBufferWriter<byte>();
        Assert.Equal(expected.Length, EventStreamWriter.Encode(headers, payload, writer));
        Assert.Equal(expected, writer.WrittenSpan.ToArray());
    }

    [Fact]
    public void Encoder_writes_every_header_type_and_the_test_decoder_reads_them_back()
    {
        var guid = Guid.Parse("00112233-4455-6677-8899-aabbccddeeff");
        var when = DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_000_123);
        var headers = new List<KeyValuePair<string, EventStreamHeaderValue>>
        {
            new("t", EventStreamHeaderValue.FromBool(true)),
            new("f", EventStreamHeaderValue.FromBool(false)),
            new("b", EventStreamHeaderValue.FromByte(-5)),
            new("s", EventStreamHeaderValue.FromInt16(-300)),
            new("i", EventStreamHeaderValue.FromInt32(123456789)),
            new("l", EventStreamHeaderValue.FromInt64(-9_000_000_000)),
            new("ba", EventStreamHeaderValue.FromBytes(new byte[] { 1, 2, 3 })),
            new("str", EventStreamHeaderValue.FromString("h\u00e9llo")),
            new("ts", EventStreamHeaderValue.FromTimestamp(when)),
            new("u", EventStreamHeaderValue.FromUuid(guid)),
        };
        byte[] frame = EventStreamWriter.Encode(headers, new byte[] { 9, 8, 7 });
        TestFrame decoded = TestFrameDecoder.TryDecode(frame, out int consumed)!;

        Assert.Equal(frame.Length, consumed);
        Assert.Equal(true, decoded.Headers["t"]);
        Assert.Equal(false, decoded.Headers["f"]);
        Assert.Equal((sbyte)-5, decoded.Headers["b"]);
        Assert.Equal((short)-300, decoded.Headers["s"]);
        Assert.Equal(123456789, decoded.Headers["i"]);
        Assert.Equal(-9_000_000_000L, decoded.Headers["l"]);
        Assert.Equal(new byte[] { 1, 2, 3 }, decoded.Headers["ba"]);
        Assert.Equal("h\u00e9llo", decoded.Headers["str"]);
        Assert.Equal(when, decoded.Headers["ts"]);
        Assert.Equal(guid, decoded.Headers["u"]);
        Assert.Equal(new byte[] { 9, 8, 7 }, decoded.Payload);
        // RFC 9562 byte order on the wire.
        Assert.Equal(new byte[] { 0x00, 0x11, 0x22, 0x33 }, frame.AsSpan(frame.Length - 4 - 3 - 16, 4).ToArray());
    }

    [Fact]
    public void Empty_message_is_sixteen_bytes_with_valid_crcs()
    {
        byte[] frame = EventStreamWriter.Encode(Array.Empty<KeyValuePair<string, EventStreamHeaderValue>>(), ReadOnlySpan<byte>.Empty);
        Assert.Equal(16, frame.Length);
        Assert.NotNull(TestFrameDecoder.TryDecode(frame, out _));
    }

    [Fact]
    public void Encoder_rejects_duplicate_names_and_oversized_values()
    {
        var duplicate = new List<KeyValuePair<string, EventStreamHeaderValue>>
        {
            new("a", EventStreamHeaderValue.FromString("1")),
            new("a", EventStreamHeaderValue.FromString("2")),
        };
        Assert.Throws<ArgumentException>(() => EventStreamWriter.Encode(duplicate, ReadOnlySpan<byte>.Empty));
        var huge = new List<KeyValuePair<string, EventStreamHeaderValue>> { new("a", EventStreamHeaderValue.FromString(new string('x', 40000))) };
        Assert.Throws<ArgumentException>(() => EventStreamWriter.Encode(huge, ReadOnlySpan<byte>.Empty));
        var longName = new List<KeyValuePair<string, EventStreamHeaderValue>> { new(new string('n', 256), EventStreamHeaderValue.FromBool(true)) };
        Assert.Throws<ArgumentException>(() => EventStreamWriter.Encode(longName, ReadOnlySpan<byte>.Empty));
    }
}
