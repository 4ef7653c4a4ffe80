using System.Buffers.Binary;
using System.IO.Hashing;
using System.Text;
using PromptGen.EventStreams;

namespace PromptGen.Runtime.Tests.EventStreams;

/// <summary>Test-only event-stream encoder (independent of src; the production encoder belongs to EventStreamWriter).</summary>
internal static class TestEncoder
{
    public static byte[] Encode(IEnumerable<KeyValuePair<string, EventStreamHeaderValue>> headers, ReadOnlySpan<byte> payload)
    {
        var headerBytes = new List<byte>();
        foreach (KeyValuePair<string, EventStreamHeaderValue> header in headers)
        {
            byte[] name = Encoding.UTF8.GetBytes(header.Key);
            headerBytes.Add((byte)name.Length);
            headerBytes.AddRange(name);
            headerBytes.Add((byte)header.Value.Type);
            EventStreamHeaderValue v = header.Value;
            switch (v.Type)
            {
                case EventStreamHeaderType.BoolTrue:
                case EventStreamHeaderType.BoolFalse:
                    break;
                case EventStreamHeaderType.Byte:
                    headerBytes.Add((byte)v.AsByte());
                    break;
                case EventStreamHeaderType.Int16:
                    AddBigEndian(headerBytes, v.AsInt16(), 2);
                    break;
                case EventStreamHeaderType.Int32:
                    AddBigEndian(headerBytes, v.AsInt32(), 4);
                    break;
                case EventStreamHeaderType.Int64:
                    AddBigEndian(headerBytes, v.AsInt64(), 8);
                    break;
                case EventStreamHeaderType.Timestamp:
                    AddBigEndian(headerBytes, v.AsTimestamp().ToUnixTimeMilliseconds(), 8);
                    break;
                case EventStreamHeaderType.Uuid:
                    headerBytes.AddRange(v.AsUuid().ToByteArray(bigEndian: true));
                    break;
                case EventStreamHeaderType.ByteArray:
                    AddBigEndian(headerBytes, v.AsBytes().Length, 2);
                    headerBytes.AddRange(v.AsBytes());
                    break;
                case EventStreamHeaderType.String:
                    byte[] s = Encoding.UTF8.GetBytes(v.AsString());
                    AddBigEndian(headerBytes, s.Length, 2);
                    headerBytes.AddRange(s);
                    break;
            }
        }

        return Frame(headerBytes.ToArray(), payload);
    }

    /// <summary>Wraps a raw header block and payload with a prelude and both CRCs.</summary>
    public static byte[] Frame(ReadOnlySpan<byte> rawHeaderBlock, ReadOnlySpan<byte> payload)
    {
        int total = 16 + rawHeaderBlock.Length + payload.Length;
        byte[] message = new byte[total];
        BinaryPrimitives.WriteInt32BigEndian(message, total);
        BinaryPrimitives.WriteInt32BigEndian(message.AsSpan(4), rawHeaderBlock.Length);
        rawHeaderBlock.CopyTo(message.AsSpan(12));
        payload.CopyTo(message.AsSpan(12 + rawHeaderBlock.Length));
        FixCrcs(message);
        return message;
    }

    /// <summary>Recomputes the prelude and message CRCs in place (from the lengths already written).</summary>
    public static void FixCrcs(byte[] message)
    {
        BinaryPrimitives.WriteUInt32BigEndian(message.AsSpan(8), Crc32.HashToUInt32(message.AsSpan(0, 8)));
        BinaryPrimitives.WriteUInt32BigEndian(message.AsSpan(message.Length - 4), Crc32.HashToUInt32(message.AsSpan(0, message.Length - 4)));
    }

    /// <summary>A 12-byte prelude with a valid CRC announcing the given lengths.</summary>
    public static byte[] Prelude(uint total, uint headers)
    {
        byte[] prelude = new byte[12];
        BinaryPrimitives.WriteUInt32BigEndian(prelude, total);
        BinaryPrimitives.WriteUInt32BigEndian(prelude.AsSpan(4), headers);
        BinaryPrimitives.WriteUInt32BigEndian(prelude.AsSpan(8), Crc32.HashToUInt32(prelude.AsSpan(0, 8)));
        return prelude;
    }

    private static void AddBigEndian(List<byte> list, long value, int size)
    {
        for (int shift = (size - 1) * 8; shift >= 0; shift -= 8)
        {
            list.Add((byte)(value >> shift));
        }
    }
}

/// <summary>A read-only stream that hands out its data in pieces chosen by the test.</summary>
internal sealed class PiecewiseStream : Stream
{
    private readonly byte[] _data;
    private readonly Func<int, int, int> _nextPieceLength; // (readIndex, position) -> max bytes for this read
    private int _position;
    private int _reads;

    public PiecewiseStream(byte[] data, Func<int, int, int> nextPieceLength)
    {
        _data = data;
        _nextPieceLength = nextPieceLength;
    }

    /// <summary>Every read returns at most <paramref name="size"/> bytes.</summary>
    public static PiecewiseStream Chunked(byte[] data, int size) => new(data, (_, _) => size);

    /// <summary>Reads never cross the given absolute offsets.</summary>
    public static PiecewiseStream SplitAt(byte[] data, params int[] splits)
    {
        int[] sorted = splits.Where(s => s > 0 && s < data.Length).Distinct().Order().ToArray();
        return new PiecewiseStream(data, (_, pos) =>
        {
            foreach (int s in sorted)
            {
                if (s > pos)
                {
                    return s - pos;
                }
            }

            return int.MaxValue;
        });
    }

    /// <summary>Reads replay the given piece lengths in order.</summary>
    public static PiecewiseStream Pieces(byte[] data, IReadOnlyList<int> pieces) =>
        new(data, (i, _) => i < pieces.Count ? pieces[i] : int.MaxValue);

    public int ReadCount => _reads;

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => _position; set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        if (_position >= _data.Length || buffer.Length == 0)
        {
            return 0;
        }

        int n = Math.Min(Math.Min(buffer.Length, _data.Length - _position), Math.Max(1, _nextPieceLength(_reads, _position)));
        _reads++;
        _data.AsSpan(_position, n).CopyTo(buffer);
        _position += n;
        return n;
    }

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return new ValueTask<int>(Read(buffer.Span));
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}

internal static class EventStreamTestHelpers
{
    public static async Task<List<EventStreamMessage>> ReadAllAsync(Stream stream, int maxMessageLength = EventStreamReader.DefaultMaxMessageLength)
    {
        var messages = new List<EventStreamMessage>();
        await using var reader = new EventStreamReader(stream, maxMessageLength);
        while (await reader.ReadAsync() is { } message)
        {
            messages.Add(message);
        }

        return messages;
    }

    /// <summary>Decodes a buffer of back-to-back messages with the synchronous span API.</summary>
    public static List<(EventStreamMessage Message, int Offset)> DecodeAllSync(ReadOnlySpan<byte> data)
    {
        var messages = new List<(EventStreamMessage, int)>();
        int offset = 0;
        while (offset < data.Length)
        {
            Assert.True(EventStreamReader.TryDecode(data[offset..], out EventStreamMessage? message, out int consumed), $"incomplete message at {offset}");
            messages.Add((message!, offset));
            offset += consumed;
        }

        return messages;
    }

    public static byte[] Hex(string hex) => Convert.FromHexString(hex);

    public static EventStreamFormatException AssertRejected(EventStreamErrorKind kind, Action action)
    {
        EventStreamFormatException ex = Assert.Throws<EventStreamFormatException>(action);
        Assert.Equal(kind, ex.Kind);
        return ex;
    }

    public static async Task<EventStreamFormatException> AssertRejectedAsync(EventStreamErrorKind kind, Func<Task> action)
    {
        EventStreamFormatException ex = await Assert.ThrowsAsync<EventStreamFormatException>(action);
        Assert.Equal(kind, ex.Kind);
        return ex;
    }
}
