using System.Text;
using PromptGen.EventStreams;
using PromptGen.Tests;
using static PromptGen.Runtime.Tests.EventStreams.EventStreamTestHelpers;

namespace PromptGen.Runtime.Tests.EventStreams;

/// <summary>Stream reader behaviour: split points, end of stream, limits and ordering of checks.</summary>
public class EventStreamReaderTests
{
    /// <summary>WIRE.md §5.2: a contentBlockDelta computed with zlib.crc32.</summary>
    internal const string WireDeltaHex =
        "0000009400000057b4ab9aee0b3a6576656e742d74797065070011636f6e74656e74426c6f636b44656c74610d3a636f6e74656e742d747970650700106170706c69636174696f6e2f6a736f6e0d3a6d6573736167652d747970650700056576656e747b22636f6e74656e74426c6f636b496e646578223a302c2264656c7461223a7b2274657874223a224869227d7d1f944657";

    private static readonly byte[] s_delta = Hex(WireDeltaHex);

    [Fact]
    public void Wire_md_delta_vector_decodes_exactly()
    {
        EventStreamMessage m = EventStreamMessage.Decode(s_delta);
        Assert.Equal(148, m.TotalLength);
        Assert.Equal(87, m.HeadersLength);
        Assert.Equal(0xB4AB9AEEu, m.PreludeCrc);
        Assert.Equal(0x1F944657u, m.MessageCrc);
        Assert.Equal(
            [
                new(":event-type", EventStreamHeaderValue.FromString("contentBlockDelta")),
                new(":content-type", EventStreamHeaderValue.FromString("application/json")),
                new(":message-type", EventStreamHeaderValue.FromString("event")),
            ],
            m.Headers);
        Assert.Equal("{\"contentBlockIndex\":0,\"delta\":{\"text\":\"Hi\"}}", Encoding.UTF8.GetString(m.Payload.Span));
    }

    [Fact]
    public void Wire_md_real_bedrock_exception_frame_decodes_exactly()
    {
        // WIRE.md §4.4: a captured modelStreamErrorException frame.
        byte[] wire = Convert.FromBase64String(
            "AAAA3QAAAGfHkZB6DTptZXNzYWdlLXR5cGUHAAlleGNlcHRpb24POmV4Y2VwdGlvbi10eXBlBwAZbW9kZWxTdHJlYW1FcnJvckV4Y2VwdGlvbg06Y29udGVudC10eXBlBwAQYXBwbGljYXRpb24vanNvbnsibWVzc2FnZSI6Ik1vZGVsIFN0cmVhbSBFcnJvciIsIm9yaWdpbmFsU3RhdHVzQ29kZSI6NTAwLCJvcmlnaW5hbE1lc3NhZ2UiOiJUaGUgbW9kZWwgc3RyZWFtIGZhaWxlZC4ifVczQxM=");
        EventStreamMessage m = EventStreamMessage.Decode(wire);
        Assert.Equal(221, m.TotalLength);
        Assert.Equal(103, m.HeadersLength);
        Assert.Equal(0xC791907Au, m.PreludeCrc);
        Assert.Equal(0x57334313u, m.MessageCrc);
        Assert.Equal(
            [
                new(":message-type", EventStreamHeaderValue.FromString("exception")),
                new(":exception-type", EventStreamHeaderValue.FromString("modelStreamErrorException")),
                new(":content-type", EventStreamHeaderValue.FromString("application/json")),
            ],
            m.Headers);
        Assert.Equal(
            "{\"message\":\"Model Stream Error\",\"originalStatusCode\":500,\"originalMessage\":\"The model stream failed.\"}",
            Encoding.UTF8.GetString(m.Payload.Span));
    }

    [Fact]
    public async Task Every_split_point_of_one_message_decodes_the_same()
    {
        for (int split = 0; split <= s_delta.Length; split++)
        {
            var stream = PiecewiseStream.SplitAt(s_delta, split);
            EventStreamMessage m = Assert.Single(await ReadAllAsync(stream));
            Assert.Equal("contentBlockDelta", m.GetString(":event-type"));
            Assert.Equal(s_delta.AsSpan(12 + 87, 148 - 87 - 16).ToArray(), m.Payload.ToArray());
            Assert.Equal(0x1F944657u, m.MessageCrc);
        }
    }

    [Fact]
    public async Task Every_pair_of_split_points_of_one_message_decodes_the_same()
    {
        for (int a = 1; a < s_delta.Length; a++)
        {
            for (int b = a + 1; b < s_delta.Length; b++)
            {
                EventStreamMessage m = Assert.Single(await ReadAllAsync(PiecewiseStream.SplitAt(s_delta, a, b)));
                Assert.Equal(0x1F944657u, m.MessageCrc);
                Assert.Equal(45, m.Payload.Length);
            }
        }
    }

    [Fact]
    public async Task Every_split_point_of_a_real_bedrock_stream_decodes_the_same()
    {
        byte[] wire = File.ReadAllBytes(TestPaths.Vector("bedrock-runtime", "derived", "openinference-js", "should-handle-basic-converse-stream-responses.0.eventstream.bin"));
        List<(EventStreamMessage Message, int Offset)> reference = DecodeAllSync(wire);
        Assert.Equal(16, reference.Count);
        for (int split = 0; split <= wire.Length; split++)
        {
            List<EventStreamMessage> messages = await ReadAllAsync(PiecewiseStream.SplitAt(wire, split));
            Assert.Equal(reference.Count, messages.Count);
            for (int i = 0; i < messages.Count; i++)
            {
                Assert.Equal(reference[i].Message.MessageCrc, messages[i].MessageCrc);
                Assert.True(reference[i].Message.Payload.Span.SequenceEqual(messages[i].Payload.Span));
                Assert.Equal(reference[i].Message.Headers, messages[i].Headers);
            }
        }
    }

    [Fact]
    public async Task Every_split_point_of_the_all_types_vector_decodes_the_same()
    {
        byte[] wire = File.ReadAllBytes(TestPaths.Vector("eventstream", "smithy-rs", "valid_with_all_headers_and_payload"));
        EventStreamMessage reference = EventStreamMessage.Decode(wire);
        for (int split = 0; split <= wire.Length; split++)
        {
            EventStreamMessage m = Assert.Single(await ReadAllAsync(PiecewiseStream.SplitAt(wire, split)));
            Assert.Equal(reference.Headers, m.Headers);
            Assert.Equal("some payload", Encoding.UTF8.GetString(m.Payload.Span));
        }
    }

    [Fact]
    public async Task Clean_end_of_stream_returns_null_and_keeps_returning_null()
    {
        await using var reader = new EventStreamReader(new MemoryStream([.. s_delta, .. s_delta]));
        Assert.NotNull(await reader.ReadAsync());
        Assert.NotNull(await reader.ReadAsync());
        Assert.Null(await reader.ReadAsync());
        Assert.Null(await reader.ReadAsync());
        Assert.Equal(0, reader.BufferedByteCount);
    }

    [Fact]
    public async Task Empty_stream_returns_null()
    {
        await using var reader = new EventStreamReader(new MemoryStream());
        Assert.Null(await reader.ReadAsync());
    }

    [Fact]
    public async Task Several_messages_in_one_read_are_served_from_the_buffer()
    {
        byte[] three = [.. s_delta, .. s_delta, .. s_delta];
        var stream = PiecewiseStream.Chunked(three, int.MaxValue);
        await using var reader = new EventStreamReader(stream);
        for (int i = 0; i < 3; i++)
        {
            Assert.NotNull(await reader.ReadAsync());
            Assert.Equal(1, stream.ReadCount);
        }

        Assert.Null(await reader.ReadAsync());
    }

    [Fact]
    public async Task Stream_ending_inside_a_message_is_truncated_at_every_cut()
    {
        for (int cut = 1; cut < s_delta.Length; cut++)
        {
            byte[] data = [.. s_delta, .. s_delta.AsSpan(0, cut)];
            await using var reader = new EventStreamReader(new MemoryStream(data));
            Assert.NotNull(await reader.ReadAsync());
            var ex = await Assert.ThrowsAsync<EventStreamFormatException>(async () => await reader.ReadAsync());
            Assert.Equal(EventStreamErrorKind.Truncated, ex.Kind);
        }
    }

    [Fact]
    public async Task Oversized_message_is_rejected_from_the_prelude_without_reading_the_body()
    {
        // A valid prelude announcing 1 GiB: must fail after 12 bytes, before any large buffer is rented.
        byte[] prelude = TestEncoder.Prelude(1u << 30, 0);
        byte[] data = [.. prelude, .. new byte[4096]];
        var stream = PiecewiseStream.Chunked(data, 12);
        await using var reader = new EventStreamReader(stream);
        var ex = await Assert.ThrowsAsync<EventStreamFormatException>(async () => await reader.ReadAsync());
        Assert.Equal(EventStreamErrorKind.MessageTooLarge, ex.Kind);
        Assert.Equal(1, stream.ReadCount);
        Assert.Contains("1073741824", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Message_length_limit_is_inclusive()
    {
        await using (var reader = new EventStreamReader(new MemoryStream(s_delta), maxMessageLength: 148))
        {
            Assert.NotNull(await reader.ReadAsync());
        }

        await AssertRejectedAsync(EventStreamErrorKind.MessageTooLarge, () => ReadAllAsync(new MemoryStream(s_delta), maxMessageLength: 147));
        AssertRejected(EventStreamErrorKind.MessageTooLarge, () => EventStreamReader.TryDecode(s_delta, 147, out _, out _));
        Assert.True(EventStreamReader.TryDecode(s_delta, 148, out _, out _));
    }

    [Fact]
    public async Task Prelude_checksum_is_checked_before_the_length_limit()
    {
        // A corrupt prelude that claims 4 GiB must report the CRC, not the size, and must not trigger buffering.
        byte[] prelude = TestEncoder.Prelude(0xFFFF_FFF0, 0);
        prelude[11] ^= 0x01;
        var stream = PiecewiseStream.Chunked([.. prelude, .. new byte[64]], 12);
        await AssertRejectedAsync(EventStreamErrorKind.PreludeChecksumMismatch, () => ReadAllAsync(stream));
        Assert.Equal(1, stream.ReadCount);
    }

    [Theory]
    [InlineData(0u, 0u)]
    [InlineData(15u, 0u)]
    [InlineData(16u, 1u)]
    [InlineData(100u, 85u)]
    [InlineData(100u, 0xFFFF_FFFFu)]
    public async Task Inconsistent_prelude_lengths_are_invalid(uint total, uint headers)
    {
        byte[] data = [.. TestEncoder.Prelude(total, headers), .. new byte[128]];
        AssertRejected(EventStreamErrorKind.InvalidLength, () => EventStreamReader.TryDecode(data, out _, out _));
        await AssertRejectedAsync(EventStreamErrorKind.InvalidLength, () => ReadAllAsync(new MemoryStream(data)));
    }

    [Fact]
    public void Headers_filling_the_whole_message_are_valid()
    {
        // headers_length == total - 16 (empty payload) is the boundary that must be accepted.
        byte[] wire = File.ReadAllBytes(TestPaths.Vector("eventstream", "smithy-rs", "valid_empty_payload"));
        EventStreamMessage m = EventStreamMessage.Decode(wire);
        Assert.Equal(m.TotalLength - 16, m.HeadersLength);
    }

    [Fact]
    public async Task Large_message_grows_the_buffer_and_following_messages_still_decode()
    {
        byte[] bigPayload = new byte[200_000];
        new Random(42).NextBytes(bigPayload);
        byte[] big = TestEncoder.Encode([new(":event-type", EventStreamHeaderValue.FromString("chunk"))], bigPayload);
        byte[] data = [.. s_delta, .. big, .. s_delta];
        foreach (int chunk in new[] { 1000, 65536, int.MaxValue })
        {
            List<EventStreamMessage> messages = await ReadAllAsync(PiecewiseStream.Chunked(data, chunk));
            Assert.Equal(3, messages.Count);
            Assert.Equal(bigPayload, messages[1].Payload.ToArray());
            Assert.Equal("contentBlockDelta", messages[2].GetString(":event-type"));
        }
    }

    [Fact]
    public async Task Read_after_dispose_throws_and_dispose_leaves_the_stream_open()
    {
        var stream = new MemoryStream(s_delta);
        var reader = new EventStreamReader(stream);
        Assert.NotNull(await reader.ReadAsync());
        await reader.DisposeAsync();
        await reader.DisposeAsync();
        await Assert.ThrowsAsync<ObjectDisposedException>(async () => await reader.ReadAsync());
        Assert.True(stream.CanRead);
    }

    [Fact]
    public async Task Cancellation_is_passed_to_the_stream()
    {
        await using var reader = new EventStreamReader(PiecewiseStream.Chunked(s_delta, 10));
        using var cts = new CancellationTokenSource();
        cts.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await reader.ReadAsync(cts.Token));
    }

    [Fact]
    public void Constructor_validates_arguments()
    {
        Assert.Throws<ArgumentNullException>(() => new EventStreamReader(null!));
        Assert.Throws<ArgumentOutOfRangeException>(() => new EventStreamReader(new MemoryStream(), 15));
        Assert.Equal(16 * 1024 * 1024, EventStreamReader.DefaultMaxMessageLength);
    }

    [Fact]
    public async Task Buffered_message_is_returned_synchronously()
    {
        byte[] two = [.. s_delta, .. s_delta];
        await using var reader = new EventStreamReader(new MemoryStream(two));
        Assert.NotNull(await reader.ReadAsync());
        ValueTask<EventStreamMessage?> second = reader.ReadAsync();
        Assert.True(second.IsCompletedSuccessfully);
        Assert.NotNull(await second);
    }

    [Fact]
    public async Task A_drained_reader_waits_for_data_with_a_zero_byte_read_before_renting_a_buffer()
    {
        // Two messages in two pieces: each message is read as a zero-byte read (waiting without a buffer) then a real read.
        var stream = new ReadSizeRecordingStream(PiecewiseStream.Pieces([.. s_delta, .. s_delta], [s_delta.Length, s_delta.Length]));
        await using var reader = new EventStreamReader(stream);
        Assert.NotNull(await reader.ReadAsync());
        Assert.Equal(0, reader.BufferedByteCount);
        Assert.NotNull(await reader.ReadAsync());
        Assert.Null(await reader.ReadAsync());
        Assert.Equal([0, 4096, 0, 4096, 0, 4096], stream.ReadSizes);
    }

    [Fact]
    public async Task After_a_large_message_the_reader_rents_the_grown_size_so_the_next_one_takes_one_read()
    {
        byte[] big = TestEncoder.Encode([new(":event-type", EventStreamHeaderValue.FromString("chunk"))], new byte[10_000]);
        var stream = PiecewiseStream.SplitAt([.. big, .. big], big.Length);
        List<EventStreamMessage> messages = await ReadAllAsync(stream);
        Assert.Equal(2, messages.Count);

        // The first: a 4 KB read for the prelude, then the rest into the grown buffer; the second: one read.
        Assert.Equal(3, stream.ReadCount);
    }

    /// <summary>Records the length of every buffer a read was asked to fill.</summary>
    private sealed class ReadSizeRecordingStream(Stream inner) : Stream
    {
        public List<int> ReadSizes { get; } = new();

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            ReadSizes.Add(buffer.Length);
            return inner.Read(buffer);
        }

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            new(Read(buffer.Span));

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
