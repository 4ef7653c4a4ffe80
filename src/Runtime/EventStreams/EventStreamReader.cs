using System.Buffers;

namespace PromptGen.EventStreams;

/// <summary>
/// Pulls whole event-stream messages from a <see cref="Stream"/> through one pooled, growable buffer.
/// Several messages arriving in one read are decoded without touching the stream again, and a message split across
/// any number of reads is reassembled. The buffer is held only while it has bytes in it: once every buffered byte has
/// been returned as messages it goes back to the pool, and the next read first waits for data with a zero-byte read,
/// so a stream waiting on the model (or on its caller) holds no buffer. The reader does not own the stream: disposing
/// it returns the buffer to the pool and leaves the stream open. Not thread-safe; one read at a time.
/// </summary>
internal sealed class EventStreamReader : IAsyncDisposable
{
    /// <summary>Default limit on one message's total_length: 16 MiB.</summary>
    public const int DefaultMaxMessageLength = 16 * 1024 * 1024;

    /// <summary>
    /// The size rented for a read when no message needs more: the size of SocketsHttpHandler's own HTTP/1.1 read buffer,
    /// which one read of the response stream rarely exceeds, and many times a typical Bedrock event (a few hundred bytes).
    /// Larger messages grow the buffer.
    /// </summary>
    private const int InitialBufferSize = 4 * 1024;

    /// <summary>Largest size remembered for later rents; rarer, larger messages grow the buffer for themselves only.</summary>
    private const int MaxRememberedBufferSize = 64 * 1024;

    private readonly Stream _stream;
    private readonly int _maxMessageLength;
    private byte[]? _buffer;
    private int _rentSize = InitialBufferSize;
    private int _start;
    private int _end;

    /// <summary>Creates a reader over <paramref name="stream"/>.</summary>
    /// <param name="stream">The response body, positioned at a message boundary.</param>
    /// <param name="maxMessageLength">Largest total_length accepted; larger messages fail with
    /// <see cref="EventStreamErrorKind.MessageTooLarge"/> before any buffer is grown for them.</param>
    public EventStreamReader(Stream stream, int maxMessageLength = DefaultMaxMessageLength)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxMessageLength, EventStreamMessage.Overhead);
        _stream = stream;
        _maxMessageLength = maxMessageLength;
    }

    /// <summary>Bytes already read from the stream but not yet returned as messages.</summary>
    public int BufferedByteCount => _end - _start;

    /// <summary>
    /// Decodes the message at the start of <paramref name="buffer"/> when it is complete (no length limit beyond
    /// <see cref="int.MaxValue"/>); see <see cref="TryDecode(ReadOnlySpan{byte}, int, out EventStreamMessage?, out int)"/>.
    /// </summary>
    public static bool TryDecode(ReadOnlySpan<byte> buffer, out EventStreamMessage? message, out int consumed) =>
        EventStreamMessage.TryDecode(buffer, int.MaxValue, out message, out consumed);

    /// <summary>
    /// Synchronous span decoder: decodes the message at the start of <paramref name="buffer"/> if all its bytes are
    /// there. Returns false with <paramref name="consumed"/> 0 when more bytes are needed.
    /// </summary>
    /// <exception cref="EventStreamFormatException">The bytes are not a valid message.</exception>
    public static bool TryDecode(ReadOnlySpan<byte> buffer, int maxMessageLength, out EventStreamMessage? message, out int consumed) =>
        EventStreamMessage.TryDecode(buffer, maxMessageLength, out message, out consumed);

    /// <summary>
    /// Reads the next message. Returns null at a clean end of stream (between messages).
    /// </summary>
    /// <exception cref="EventStreamFormatException">Truncated when the stream ends inside a message; the checksum,
    /// length and header kinds when the bytes are invalid.</exception>
    public ValueTask<EventStreamMessage?> ReadAsync(CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_end < 0, this);

        // Fast path: the whole next message is already buffered (no async state machine).
        if (_end - _start >= EventStreamMessage.PreludeLength
            && EventStreamMessage.TryDecode(_buffer.AsSpan(_start, _end - _start), _maxMessageLength, out EventStreamMessage? message, out int consumed))
        {
            Advance(consumed);
            return new ValueTask<EventStreamMessage?>(message);
        }

        return ReadSlowAsync(cancellationToken);
    }

    /// <summary>Returns the buffer to the pool. The stream is left open.</summary>
    public ValueTask DisposeAsync()
    {
        byte[]? buffer = _buffer;
        _buffer = null;
        _start = 0;
        _end = -1;
        if (buffer is not null)
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }

        return ValueTask.CompletedTask;
    }

    private async ValueTask<EventStreamMessage?> ReadSlowAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            int available = _end - _start;
            int needed = EventStreamMessage.PreludeLength;
            if (available >= EventStreamMessage.PreludeLength)
            {
                // Validates the prelude CRC before trusting total_length, then the limit, before any growth.
                EventStreamMessage.TryReadPrelude(_buffer.AsSpan(_start, available), _maxMessageLength, out needed, out _);
                if (EventStreamMessage.TryDecode(_buffer.AsSpan(_start, available), _maxMessageLength, out EventStreamMessage? message, out int consumed))
                {
                    Advance(consumed);
                    return message;
                }
            }

            if (_buffer is null)
            {
                // Nothing buffered: wait until the stream has data without holding a buffer (streams that do not support
                // zero-byte reads return 0 at once, and the read below waits instead).
                await _stream.ReadAsync(Memory<byte>.Empty, cancellationToken).ConfigureAwait(false);
            }

            EnsureRoom(needed);
            int read = await _stream.ReadAsync(_buffer.AsMemory(_end), cancellationToken).ConfigureAwait(false);
            if (read <= 0)
            {
                if (_end - _start == 0)
                {
                    ReturnEmptyBuffer();
                    return null;
                }

                throw new EventStreamFormatException(
                    EventStreamErrorKind.Truncated,
                    $"The stream ended {_end - _start} bytes into a message of at least {needed} bytes.");
            }

            _end += read;
        }
    }

    /// <summary>Consumes a decoded message; a buffer left empty goes back to the pool (messages own copies of their bytes).</summary>
    private void Advance(int consumed)
    {
        _start += consumed;
        if (_start == _end)
        {
            ReturnEmptyBuffer();
        }
    }

    private void ReturnEmptyBuffer()
    {
        byte[]? buffer = _buffer;
        _buffer = null;
        _start = 0;
        _end = 0;
        if (buffer is not null)
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Makes the buffer able to hold <paramref name="messageLength"/> bytes from <see cref="_start"/> with room to read more.</summary>
    private void EnsureRoom(int messageLength)
    {
        byte[]? buffer = _buffer;
        if (buffer is null)
        {
            _buffer = ArrayPool<byte>.Shared.Rent(Math.Max(_rentSize, messageLength));
            return;
        }

        int available = _end - _start;
        if (buffer.Length - _start >= messageLength && _end < buffer.Length)
        {
            return;
        }

        if (buffer.Length >= messageLength && available < buffer.Length)
        {
            // Compact: move the partial message to the front.
            buffer.AsSpan(_start, available).CopyTo(buffer);
        }
        else
        {
            byte[] larger = ArrayPool<byte>.Shared.Rent(Math.Max(messageLength, buffer.Length * 2));
            buffer.AsSpan(_start, available).CopyTo(larger);
            ArrayPool<byte>.Shared.Return(buffer);
            _buffer = larger;

            // A stream whose messages outgrew the initial size rents the grown size after a drain, so its next
            // message does not take an extra read to grow again.
            _rentSize = Math.Max(_rentSize, Math.Min(larger.Length, MaxRememberedBufferSize));
        }

        _start = 0;
        _end = available;
    }
}
