using System.Buffers.Binary;
using System.IO.Hashing;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Unicode;

namespace PromptGen.EventStreams;

/// <summary>
/// One decoded <c>application/vnd.amazon.eventstream</c> message: typed headers in wire order and an owned payload copy.
/// </summary>
/// <remarks>
/// Wire layout (all integers big-endian): total_length u32, headers_length u32, prelude_crc u32 (CRC-32 of bytes 0..8),
/// headers, payload, message_crc u32 (CRC-32 of every byte before it). Decoding validates the prelude CRC before
/// trusting any length, then the length limits, then the message CRC, then the headers.
/// </remarks>
internal sealed class EventStreamMessage
{
    /// <summary>Prelude (12 bytes) plus trailing message CRC (4 bytes).</summary>
    public const int Overhead = 16;

    /// <summary>Bytes before the headers: total_length, headers_length and prelude_crc.</summary>
    public const int PreludeLength = 12;

    /// <summary>Largest string or byte-array header value accepted (the aws-c-event-stream limit, INT16_MAX).</summary>
    public const int MaxHeaderValueLength = short.MaxValue;

    private static readonly KeyValuePair<string, EventStreamHeaderValue>[] s_noHeaders = [];

    private readonly KeyValuePair<string, EventStreamHeaderValue>[] _headers;

    /// <summary>Creates a message from headers (kept in the given order) and a payload (not copied).</summary>
    public EventStreamMessage(IReadOnlyList<KeyValuePair<string, EventStreamHeaderValue>> headers, ReadOnlyMemory<byte> payload)
    {
        ArgumentNullException.ThrowIfNull(headers);
        var copy = new KeyValuePair<string, EventStreamHeaderValue>[headers.Count];
        for (int i = 0; i < copy.Length; i++)
        {
            copy[i] = headers[i];
        }

        _headers = copy;
        Payload = payload;
    }

    private EventStreamMessage(
        KeyValuePair<string, EventStreamHeaderValue>[] headers,
        byte[] payload,
        int totalLength,
        int headersLength,
        uint preludeCrc,
        uint messageCrc)
    {
        _headers = headers;
        Payload = payload;
        TotalLength = totalLength;
        HeadersLength = headersLength;
        PreludeCrc = preludeCrc;
        MessageCrc = messageCrc;
    }

    /// <summary>The headers in wire order.</summary>
    public IReadOnlyList<KeyValuePair<string, EventStreamHeaderValue>> Headers => _headers;

    /// <summary>The payload bytes (owned by this message).</summary>
    public ReadOnlyMemory<byte> Payload { get; }

    /// <summary>total_length from the prelude (0 for a message that was not decoded).</summary>
    public int TotalLength { get; }

    /// <summary>headers_length from the prelude (0 for a message that was not decoded).</summary>
    public int HeadersLength { get; }

    /// <summary>The prelude CRC as read from the wire (0 for a message that was not decoded).</summary>
    public uint PreludeCrc { get; }

    /// <summary>The message CRC as read from the wire (0 for a message that was not decoded).</summary>
    public uint MessageCrc { get; }

    /// <summary>The value of the string header <paramref name="headerName"/>; null when absent or not a string.</summary>
    public string? GetString(string headerName)
    {
        KeyValuePair<string, EventStreamHeaderValue>[] headers = _headers;
        for (int i = 0; i < headers.Length; i++)
        {
            if (string.Equals(headers[i].Key, headerName, StringComparison.Ordinal))
            {
                return headers[i].Value.Type == EventStreamHeaderType.String ? headers[i].Value.AsString() : null;
            }
        }

        return null;
    }

    /// <summary>Finds the header <paramref name="headerName"/> (ordinal match).</summary>
    public bool TryGetHeader(string headerName, out EventStreamHeaderValue value)
    {
        KeyValuePair<string, EventStreamHeaderValue>[] headers = _headers;
        for (int i = 0; i < headers.Length; i++)
        {
            if (string.Equals(headers[i].Key, headerName, StringComparison.Ordinal))
            {
                value = headers[i].Value;
                return true;
            }
        }

        value = default;
        return false;
    }

    /// <summary>
    /// Decodes exactly one whole message. Validates the prelude CRC, then the lengths, then the message CRC, then the
    /// headers. No maximum length is applied beyond what <paramref name="message"/> holds.
    /// </summary>
    /// <exception cref="EventStreamFormatException">The bytes are not exactly one valid message.</exception>
    public static EventStreamMessage Decode(ReadOnlySpan<byte> message)
    {
        if (!TryDecode(message, int.MaxValue, out EventStreamMessage? decoded, out int consumed))
        {
            throw new EventStreamFormatException(
                EventStreamErrorKind.Truncated,
                $"The input ({message.Length} bytes) ends before the end of the message.");
        }

        if (consumed != message.Length)
        {
            throw new EventStreamFormatException(
                EventStreamErrorKind.InvalidLength,
                $"The message is {consumed} bytes but the input has {message.Length} bytes.");
        }

        return decoded!;
    }

    /// <summary>
    /// Decodes the message at the start of <paramref name="buffer"/> if it is complete.
    /// Returns false (consumed 0) when more bytes are needed; throws when the bytes are invalid.
    /// </summary>
    /// <param name="buffer">Bytes that start at a message boundary; may hold several messages or a partial one.</param>
    /// <param name="maxMessageLength">Largest total_length accepted (checked after the prelude CRC).</param>
    /// <param name="message">The decoded message, or null when more bytes are needed.</param>
    /// <param name="consumed">Bytes of <paramref name="buffer"/> the message occupied, or 0.</param>
    /// <exception cref="EventStreamFormatException">The message is invalid.</exception>
    public static bool TryDecode(ReadOnlySpan<byte> buffer, int maxMessageLength, out EventStreamMessage? message, out int consumed)
    {
        message = null;
        consumed = 0;
        if (!TryReadPrelude(buffer, maxMessageLength, out int totalLength, out int headersLength))
        {
            return false;
        }

        if (buffer.Length < totalLength)
        {
            return false;
        }

        message = DecodeValidatedPrelude(buffer[..totalLength], headersLength);
        consumed = totalLength;
        return true;
    }

    /// <summary>
    /// Reads and validates the 12-byte prelude at the start of <paramref name="buffer"/>: prelude CRC first, then
    /// total_length &gt;= 16, total_length &lt;= <paramref name="maxMessageLength"/>, headers_length &lt;= total_length - 16.
    /// Returns false when fewer than 12 bytes are available.
    /// </summary>
    /// <exception cref="EventStreamFormatException">The prelude is invalid.</exception>
    public static bool TryReadPrelude(ReadOnlySpan<byte> buffer, int maxMessageLength, out int totalLength, out int headersLength)
    {
        if (buffer.Length < PreludeLength)
        {
            totalLength = 0;
            headersLength = 0;
            return false;
        }

        uint total = BinaryPrimitives.ReadUInt32BigEndian(buffer);
        uint headers = BinaryPrimitives.ReadUInt32BigEndian(buffer[4..]);
        uint preludeCrc = BinaryPrimitives.ReadUInt32BigEndian(buffer[8..]);
        uint computed = Crc32.HashToUInt32(buffer[..8]);
        if (computed != preludeCrc)
        {
            throw new EventStreamFormatException(
                EventStreamErrorKind.PreludeChecksumMismatch,
                $"Prelude checksum mismatch: the message says 0x{preludeCrc:X8}, the bytes give 0x{computed:X8}.");
        }

        if (total < Overhead)
        {
            throw new EventStreamFormatException(
                EventStreamErrorKind.InvalidLength,
                $"The message total length {total} is below the 16-byte minimum.");
        }

        if (total > (uint)Math.Max(maxMessageLength, 0))
        {
            throw new EventStreamFormatException(
                EventStreamErrorKind.MessageTooLarge,
                $"The message total length {total} exceeds the limit of {maxMessageLength} bytes.");
        }

        if (headers > total - Overhead)
        {
            throw new EventStreamFormatException(
                EventStreamErrorKind.InvalidLength,
                $"The headers length {headers} does not fit in a message of {total} bytes.");
        }

        totalLength = (int)total;
        headersLength = (int)headers;
        return true;
    }

    /// <summary>Decodes a message whose prelude was already validated; <paramref name="message"/> is exactly total_length bytes.</summary>
    private static EventStreamMessage DecodeValidatedPrelude(ReadOnlySpan<byte> message, int headersLength)
    {
        int crcOffset = message.Length - 4;
        uint messageCrc = BinaryPrimitives.ReadUInt32BigEndian(message[crcOffset..]);
        uint computed = Crc32.HashToUInt32(message[..crcOffset]);
        if (computed != messageCrc)
        {
            throw new EventStreamFormatException(
                EventStreamErrorKind.MessageChecksumMismatch,
                $"Message checksum mismatch: the message says 0x{messageCrc:X8}, the bytes give 0x{computed:X8}.");
        }

        ReadOnlySpan<byte> headerBlock = message.Slice(PreludeLength, headersLength);
        KeyValuePair<string, EventStreamHeaderValue>[] headers = headersLength == 0 ? s_noHeaders : ParseHeaders(headerBlock);
        ReadOnlySpan<byte> payload = message[(PreludeLength + headersLength)..crcOffset];
        return new EventStreamMessage(
            headers,
            payload.ToArray(),
            message.Length,
            headersLength,
            BinaryPrimitives.ReadUInt32BigEndian(message[8..]),
            messageCrc);
    }

    private static KeyValuePair<string, EventStreamHeaderValue>[] ParseHeaders(ReadOnlySpan<byte> block)
    {
        // Pass 1: validate the structure and count, so pass 2 allocates one exact-size array.
        int count = 0;
        int pos = 0;
        while (pos < block.Length)
        {
            pos = SkipHeader(block, pos);
            count++;
        }

        var headers = new KeyValuePair<string, EventStreamHeaderValue>[count];
        pos = 0;
        for (int i = 0; i < count; i++)
        {
            int headerOffset = pos;
            int nameLength = block[pos];
            string name = DecodeString(block.Slice(pos + 1, nameLength), headerOffset);
            pos += 1 + nameLength;
            var type = (EventStreamHeaderType)block[pos++];
            EventStreamHeaderValue value;
            switch (type)
            {
                case EventStreamHeaderType.BoolTrue:
                    value = EventStreamHeaderValue.FromBool(true);
                    break;
                case EventStreamHeaderType.BoolFalse:
                    value = EventStreamHeaderValue.FromBool(false);
                    break;
                case EventStreamHeaderType.Byte:
                    value = EventStreamHeaderValue.FromByte((sbyte)block[pos]);
                    pos += 1;
                    break;
                case EventStreamHeaderType.Int16:
                    value = EventStreamHeaderValue.FromInt16(BinaryPrimitives.ReadInt16BigEndian(block[pos..]));
                    pos += 2;
                    break;
                case EventStreamHeaderType.Int32:
                    value = EventStreamHeaderValue.FromInt32(BinaryPrimitives.ReadInt32BigEndian(block[pos..]));
                    pos += 4;
                    break;
                case EventStreamHeaderType.Int64:
                    value = EventStreamHeaderValue.FromInt64(BinaryPrimitives.ReadInt64BigEndian(block[pos..]));
                    pos += 8;
                    break;
                case EventStreamHeaderType.Timestamp:
                    value = EventStreamHeaderValue.FromUnixTimeMilliseconds(BinaryPrimitives.ReadInt64BigEndian(block[pos..]));
                    pos += 8;
                    break;
                case EventStreamHeaderType.Uuid:
                    value = EventStreamHeaderValue.FromUuidBytes(block.Slice(pos, 16).ToArray());
                    pos += 16;
                    break;
                case EventStreamHeaderType.ByteArray:
                {
                    int length = BinaryPrimitives.ReadUInt16BigEndian(block[pos..]);
                    value = EventStreamHeaderValue.FromBytes(block.Slice(pos + 2, length).ToArray());
                    pos += 2 + length;
                    break;
                }

                default: // String; pass 1 rejected every other type.
                {
                    int length = BinaryPrimitives.ReadUInt16BigEndian(block[pos..]);
                    value = EventStreamHeaderValue.FromString(DecodeString(block.Slice(pos + 2, length), headerOffset));
                    pos += 2 + length;
                    break;
                }
            }

            headers[i] = new KeyValuePair<string, EventStreamHeaderValue>(name, value);
        }

        RejectDuplicateNames(headers);
        return headers;
    }

    /// <summary>
    /// Validates the structure of the header at <paramref name="pos"/> (lengths and type) and returns the offset after
    /// it. UTF-8 validity is checked when the strings are materialised (known strings need no check).
    /// </summary>
    private static int SkipHeader(ReadOnlySpan<byte> block, int pos)
    {
        int nameLength = block[pos];
        if (nameLength == 0)
        {
            throw InvalidHeader(pos, "the header name is empty");
        }

        int typeOffset = pos + 1 + nameLength;
        if (typeOffset >= block.Length)
        {
            throw InvalidHeader(pos, $"the header name length {nameLength} runs past the header block");
        }

        int valueOffset = typeOffset + 1;
        byte type = block[typeOffset];
        int valueLength;
        switch ((EventStreamHeaderType)type)
        {
            case EventStreamHeaderType.BoolTrue:
            case EventStreamHeaderType.BoolFalse:
                valueLength = 0;
                break;
            case EventStreamHeaderType.Byte:
                valueLength = 1;
                break;
            case EventStreamHeaderType.Int16:
                valueLength = 2;
                break;
            case EventStreamHeaderType.Int32:
                valueLength = 4;
                break;
            case EventStreamHeaderType.Int64:
            case EventStreamHeaderType.Timestamp:
                valueLength = 8;
                break;
            case EventStreamHeaderType.Uuid:
                valueLength = 16;
                break;
            case EventStreamHeaderType.ByteArray:
            case EventStreamHeaderType.String:
            {
                if (valueOffset + 2 > block.Length)
                {
                    throw InvalidHeader(pos, "the header value length is cut off");
                }

                int length = BinaryPrimitives.ReadUInt16BigEndian(block[valueOffset..]);
                if (length > MaxHeaderValueLength)
                {
                    throw InvalidHeader(pos, $"the header value length {length} exceeds {MaxHeaderValueLength}");
                }

                valueOffset += 2;
                valueLength = length;
                break;
            }

            default:
                throw InvalidHeader(pos, $"unknown header value type 0x{type:X2}");
        }

        int end = valueOffset + valueLength;
        if (end > block.Length)
        {
            throw InvalidHeader(pos, "the header value runs past the header block");
        }

        return end;
    }

    private static void RejectDuplicateNames(KeyValuePair<string, EventStreamHeaderValue>[] headers)
    {
        if (headers.Length <= 16)
        {
            for (int i = 1; i < headers.Length; i++)
            {
                string name = headers[i].Key;
                for (int j = 0; j < i; j++)
                {
                    if (string.Equals(name, headers[j].Key, StringComparison.Ordinal))
                    {
                        throw DuplicateHeader(name);
                    }
                }
            }

            return;
        }

        var seen = new HashSet<string>(headers.Length, StringComparer.Ordinal);
        foreach (KeyValuePair<string, EventStreamHeaderValue> header in headers)
        {
            if (!seen.Add(header.Key))
            {
                throw DuplicateHeader(header.Key);
            }
        }
    }

    private static EventStreamFormatException DuplicateHeader(string name) =>
        new(EventStreamErrorKind.InvalidHeader, $"Invalid header: the header name '{name}' appears more than once.");

    private static EventStreamFormatException InvalidHeader(int offset, string reason) =>
        new(EventStreamErrorKind.InvalidHeader, $"Invalid header at offset {offset} of the header block: {reason}.");

    /// <summary>UTF-8 to string, returning a cached instance for the header names and values Bedrock sends on every event.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static string DecodeString(ReadOnlySpan<byte> utf8, int headerOffset)
    {
        return KnownStrings.TryGet(utf8) ?? DecodeStrict(utf8, headerOffset);
    }

    private static string DecodeStrict(ReadOnlySpan<byte> utf8, int headerOffset)
    {
        if (!Utf8.IsValid(utf8))
        {
            throw InvalidHeader(headerOffset, "a header name or string value is not valid UTF-8");
        }

        return Encoding.UTF8.GetString(utf8);
    }

    private static class KnownStrings
    {
        private static readonly string[] s_values =
        [
            ":event-type", ":content-type", ":message-type", ":exception-type", ":error-code", ":error-message",
            "event", "exception", "error", "application/json", "chunk",
            "messageStart", "contentBlockStart", "contentBlockDelta", "contentBlockStop", "messageStop", "metadata",
            "internalServerException", "modelStreamErrorException", "validationException", "throttlingException",
            "serviceUnavailableException", "modelTimeoutException",
        ];

        private static readonly byte[][] s_utf8 = CreateUtf8();

        public static string? TryGet(ReadOnlySpan<byte> utf8)
        {
            byte[][] table = s_utf8;
            for (int i = 0; i < table.Length; i++)
            {
                byte[] candidate = table[i];
                if (candidate.Length == utf8.Length && utf8.SequenceEqual(candidate))
                {
                    return s_values[i];
                }
            }

            return null;
        }

        private static byte[][] CreateUtf8()
        {
            var result = new byte[s_values.Length][];
            for (int i = 0; i < result.Length; i++)
            {
                result[i] = Encoding.UTF8.GetBytes(s_values[i]);
            }

            return result;
        }
    }
}
