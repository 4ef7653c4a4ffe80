using System.Text;
using PromptGen.EventStreams;
using Xunit.Abstractions;
using static PromptGen.Runtime.Tests.EventStreams.EventStreamTestHelpers;

namespace PromptGen.Runtime.Tests.EventStreams;

/// <summary>Header validation, single-message decode rules, the header value type, allocations and speed.</summary>
public class EventStreamDecoderTests
{
    private static readonly byte[] s_delta = Hex(EventStreamReaderTests.WireDeltaHex);
    private readonly ITestOutputHelper _output;

    public EventStreamDecoderTests(ITestOutputHelper output) => _output = output;

    private static byte[] RawHeader(string name, byte type, params byte[] value) =>
        [(byte)Encoding.UTF8.GetByteCount(name), .. Encoding.UTF8.GetBytes(name), type, .. value];

    [Fact]
    public void Duplicate_header_names_are_invalid()
    {
        byte[] wire = TestEncoder.Frame([.. RawHeader("a", 0), .. RawHeader("b", 1), .. RawHeader("a", 1)], "x"u8);
        var ex = AssertRejected(EventStreamErrorKind.InvalidHeader, () => EventStreamMessage.Decode(wire));
        Assert.Contains("'a'", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Duplicate_header_names_among_many_headers_are_invalid()
    {
        var block = new List<byte>();
        for (int i = 0; i < 40; i++)
        {
            block.AddRange(RawHeader("h" + i, 0));
        }

        byte[] ok = TestEncoder.Frame(block.ToArray(), default);
        Assert.Equal(40, EventStreamMessage.Decode(ok).Headers.Count);
        block.AddRange(RawHeader("h17", 1));
        AssertRejected(EventStreamErrorKind.InvalidHeader, () => EventStreamMessage.Decode(TestEncoder.Frame(block.ToArray(), default)));
    }

    [Fact]
    public void Header_names_differing_only_in_case_are_distinct()
    {
        byte[] wire = TestEncoder.Frame([.. RawHeader("Name", 0), .. RawHeader("name", 1)], default);
        EventStreamMessage m = EventStreamMessage.Decode(wire);
        Assert.True(m.Headers[0].Value.AsBool());
        Assert.False(m.Headers[1].Value.AsBool());
    }

    public static TheoryData<string, byte[]> BadHeaderBlocks() => new()
    {
        { "empty name", [0, 0] },
        { "name runs past block", [5, (byte)'a', (byte)'b'] },
        { "name without type byte", [1, (byte)'a'] },
        { "unknown type 10", RawHeader("a", 10) },
        { "unknown type 0x60", RawHeader("a", 0x60) },
        { "byte value cut off", RawHeader("a", 2) },
        { "int16 value cut off", RawHeader("a", 3, 0) },
        { "int32 value cut off", RawHeader("a", 4, 0, 0, 0) },
        { "int64 value cut off", RawHeader("a", 5, 0, 0, 0, 0, 0, 0, 0) },
        { "timestamp value cut off", RawHeader("a", 8, 0, 0, 0, 0) },
        { "uuid value cut off", RawHeader("a", 9, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15) },
        { "string length cut off", RawHeader("a", 7, 0) },
        { "string value cut off", RawHeader("a", 7, 0, 5, (byte)'a', (byte)'b') },
        { "string length 0xffff", RawHeader("a", 7, 0xff, 0xff, (byte)'a') },
        { "bytes value cut off", RawHeader("a", 6, 0, 3, 1) },
        { "name not UTF-8", [2, 0xC3, 0x28, 0] },
        { "string value not UTF-8", RawHeader("a", 7, 0, 2, 0xC3, 0x28) },
        { "lone surrogate in string", RawHeader("a", 7, 0, 3, 0xED, 0xA0, 0x80) },
    };

    [Theory]
    [MemberData(nameof(BadHeaderBlocks))]
    public void Malformed_header_is_invalid(string why, byte[] block)
    {
        byte[] wire = TestEncoder.Frame(block, "payload"u8);
        var ex = AssertRejected(EventStreamErrorKind.InvalidHeader, () => EventStreamMessage.Decode(wire));
        Assert.StartsWith("Invalid header", ex.Message, StringComparison.Ordinal);
        _ = why;
    }

    [Fact]
    public void Header_value_length_limit_is_32767()
    {
        byte[] atLimit = TestEncoder.Encode([new("s", EventStreamHeaderValue.FromString(new string('x', 32767)))], default);
        Assert.Equal(32767, EventStreamMessage.Decode(atLimit).GetString("s")!.Length);
        byte[] bytesAtLimit = TestEncoder.Encode([new("b", EventStreamHeaderValue.FromBytes(new byte[32767]))], default);
        Assert.Equal(32767, EventStreamMessage.Decode(bytesAtLimit).Headers[0].Value.AsBytes().Length);

        byte[] overLimit = TestEncoder.Encode([new("s", EventStreamHeaderValue.FromString(new string('x', 32768)))], default);
        AssertRejected(EventStreamErrorKind.InvalidHeader, () => EventStreamMessage.Decode(overLimit));
    }

    [Fact]
    public void Longest_header_name_and_empty_values_are_valid()
    {
        string name = new('n', 255);
        byte[] wire = TestEncoder.Encode(
            [new(name, EventStreamHeaderValue.FromString("")), new("b", EventStreamHeaderValue.FromBytes([]))], default);
        EventStreamMessage m = EventStreamMessage.Decode(wire);
        Assert.Equal(name, m.Headers[0].Key);
        Assert.Equal("", m.GetString(name));
        Assert.Empty(m.Headers[1].Value.AsBytes());
    }

    [Fact]
    public void Non_ascii_names_and_values_round_trip()
    {
        byte[] wire = TestEncoder.Encode([new("ключ-🔑", EventStreamHeaderValue.FromString("värde ✓ 𝄞"))], "ü"u8);
        EventStreamMessage m = EventStreamMessage.Decode(wire);
        Assert.Equal("värde ✓ 𝄞", m.GetString("ключ-🔑"));
    }

    [Fact]
    public void Decode_requires_exactly_one_message()
    {
        AssertRejected(EventStreamErrorKind.Truncated, () => EventStreamMessage.Decode(s_delta.AsSpan(0, 11)));
        AssertRejected(EventStreamErrorKind.Truncated, () => EventStreamMessage.Decode(s_delta.AsSpan(0, 147)));
        AssertRejected(EventStreamErrorKind.Truncated, () => EventStreamMessage.Decode(default));
        AssertRejected(EventStreamErrorKind.InvalidLength, () => EventStreamMessage.Decode([.. s_delta, 0]));
        AssertRejected(EventStreamErrorKind.InvalidLength, () => EventStreamMessage.Decode([.. s_delta, .. s_delta]));
    }

    [Fact]
    public void TryDecode_reports_need_for_more_bytes_without_consuming()
    {
        for (int length = 0; length < s_delta.Length; length++)
        {
            Assert.False(EventStreamReader.TryDecode(s_delta.AsSpan(0, length), out EventStreamMessage? m, out int consumed));
            Assert.Null(m);
            Assert.Equal(0, consumed);
        }

        Assert.True(EventStreamReader.TryDecode([.. s_delta, 1, 2, 3], out EventStreamMessage? ok, out int used));
        Assert.Equal(148, used);
        Assert.Equal("event", ok!.GetString(":message-type"));
    }

    [Fact]
    public void Every_single_bit_flip_is_detected()
    {
        for (int bit = 0; bit < s_delta.Length * 8; bit++)
        {
            byte[] copy = (byte[])s_delta.Clone();
            copy[bit / 8] ^= (byte)(1 << (bit % 8));
            var ex = Assert.Throws<EventStreamFormatException>(() => EventStreamMessage.Decode(copy));
            EventStreamErrorKind expected = bit < 96 ? EventStreamErrorKind.PreludeChecksumMismatch : EventStreamErrorKind.MessageChecksumMismatch;
            Assert.Equal(expected, ex.Kind);
        }
    }

    [Fact]
    public void Payload_is_an_independent_copy()
    {
        byte[] copy = (byte[])s_delta.Clone();
        EventStreamMessage m = EventStreamMessage.Decode(copy);
        Array.Clear(copy);
        Assert.Equal("{\"contentBlockIndex\":0,\"delta\":{\"text\":\"Hi\"}}", Encoding.UTF8.GetString(m.Payload.Span));
    }

    [Fact]
    public void Constructed_message_keeps_headers_in_order_and_looks_them_up()
    {
        var m = new EventStreamMessage(
            [new(":event-type", EventStreamHeaderValue.FromString("metadata")), new("n", EventStreamHeaderValue.FromInt32(7))],
            "{}"u8.ToArray());
        Assert.Equal("metadata", m.GetString(":event-type"));
        Assert.Null(m.GetString("n"));
        Assert.True(m.TryGetHeader("n", out EventStreamHeaderValue n));
        Assert.Equal(7, n.AsInt32());
        Assert.False(m.TryGetHeader("N", out _));
        Assert.Equal(0, m.TotalLength);
        Assert.Equal(2, m.Payload.Length);
    }

    [Fact]
    public void Header_values_round_trip_through_factories_and_reject_wrong_accessors()
    {
        var guid = Guid.Parse("01020304-0506-0708-090a-0b0c0d0e0f10");
        var when = new DateTimeOffset(2024, 10, 31, 14, 15, 14, 123, TimeSpan.Zero);
        Assert.Equal("s", EventStreamHeaderValue.FromString("s").AsString());
        Assert.Equal(EventStreamHeaderType.BoolTrue, EventStreamHeaderValue.FromBool(true).Type);
        Assert.Equal(EventStreamHeaderType.BoolFalse, EventStreamHeaderValue.FromBool(false).Type);
        Assert.Equal(-128, EventStreamHeaderValue.FromByte(-128).AsByte());
        Assert.Equal(short.MinValue, EventStreamHeaderValue.FromInt16(short.MinValue).AsInt16());
        Assert.Equal(int.MinValue, EventStreamHeaderValue.FromInt32(int.MinValue).AsInt32());
        Assert.Equal(long.MaxValue, EventStreamHeaderValue.FromInt64(long.MaxValue).AsInt64());
        Assert.Equal([1, 2], EventStreamHeaderValue.FromBytes([1, 2]).AsBytes());
        Assert.Equal(when, EventStreamHeaderValue.FromTimestamp(when).AsTimestamp());
        Assert.Equal(1730384114123L, EventStreamHeaderValue.FromTimestamp(when).AsUnixTimeMilliseconds());
        Assert.Equal(guid, EventStreamHeaderValue.FromUuid(guid).AsUuid());
        Assert.Equal(Enumerable.Range(1, 16).Select(i => (byte)i), EventStreamHeaderValue.FromUuid(guid).AsUuidBytes());

        Assert.Throws<InvalidOperationException>(() => EventStreamHeaderValue.FromInt32(1).AsInt64());
        Assert.Throws<InvalidOperationException>(() => EventStreamHeaderValue.FromString("1").AsBytes());
        Assert.Throws<InvalidOperationException>(() => EventStreamHeaderValue.FromInt64(1).AsTimestamp());
        Assert.Throws<InvalidOperationException>(() => EventStreamHeaderValue.FromByte(1).AsBool());
        Assert.Throws<InvalidOperationException>(() => default(EventStreamHeaderValue).AsString());
        Assert.Throws<ArgumentNullException>(() => EventStreamHeaderValue.FromString(null!));

        Assert.Equal(EventStreamHeaderValue.FromBytes([1, 2]), EventStreamHeaderValue.FromBytes([1, 2]));
        Assert.NotEqual(EventStreamHeaderValue.FromInt32(1), EventStreamHeaderValue.FromInt64(1));
        Assert.Equal("true", EventStreamHeaderValue.FromBool(true).ToString());
        Assert.Equal("x", EventStreamHeaderValue.FromString("x").ToString());
    }

    [Fact]
    public void Decoding_allocates_only_the_message_headers_and_payload()
    {
        // Warm up (JIT, static caches).
        for (int i = 0; i < 100; i++)
        {
            EventStreamMessage.Decode(s_delta);
        }

        const int N = 10_000;
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < N; i++)
        {
            EventStreamMessage.Decode(s_delta);
        }

        long perMessage = (GC.GetAllocatedBytesForCurrentThread() - before) / N;
        _output.WriteLine($"bytes allocated per decoded message: {perMessage}");

        // message (~64 B) + one 3-entry header array (~120 B) + 45-byte payload (~72 B); header strings are cached.
        Assert.InRange(perMessage, 1, 280);
    }

    [Fact]
    public async Task Reader_allocates_only_the_messages_in_steady_state()
    {
        byte[] many = new byte[s_delta.Length * 2000];
        for (int i = 0; i < 2000; i++)
        {
            s_delta.CopyTo(many, i * s_delta.Length);
        }

        await ReadAllAsync(new MemoryStream(many)); // warm up
        var stream = new MemoryStream(many);
        await using var reader = new EventStreamReader(stream);
        long before = GC.GetAllocatedBytesForCurrentThread();
        int count = 0;
        while (await reader.ReadAsync() is not null)
        {
            count++;
        }

        long perMessage = (GC.GetAllocatedBytesForCurrentThread() - before) / count;
        _output.WriteLine($"reader bytes allocated per message: {perMessage}");
        Assert.Equal(2000, count);
        Assert.InRange(perMessage, 1, 300);
    }
}
