using System.Buffers;
using System.Buffers.Binary;
using System.IO.Hashing;
using System.Text;

namespace PromptGen.EventStreams
{
    /// <summary>
    /// Encodes AWS event-stream messages (<c>application/vnd.amazon.eventstream</c>): a 12-byte prelude
    /// (total length, headers length, prelude CRC-32), the header block, the payload and a trailing CRC-32 of
    /// everything before it. All integers are big-endian; CRCs are IEEE CRC-32 (<see cref="Crc32"/>).
    /// </summary>
    internal static class EventStreamWriter
    {
        /// <summary>Bytes of framing around headers and payload: prelude (12) plus message CRC (4).</summary>
        public const int Overhead = 16;

        /// <summary>Largest encodable string or byte-array header value (2^15 - 1 bytes).</summary>
        public const int MaxHeaderValueLength = short.MaxValue;

        /// <summary>Encodes one message into a new array.</summary>
        public static byte[] Encode(IReadOnlyList<KeyValuePair<string, EventStreamHeaderValue>> headers, ReadOnlySpan<byte> payload)
        {
            int headersLength = MeasureHeaders(headers);
            byte[] message = new byte[checked(Overhead + headersLength + payload.Length)];
            Write(message, headers, headersLength, payload);
            return message;
        }

        /// <summary>Encodes one message into <paramref name="output"/> and returns the number of bytes written.</summary>
        public static int Encode(IReadOnlyList<KeyValuePair<string, EventStreamHeaderValue>> headers, ReadOnlySpan<byte> payload, IBufferWriter<byte> output)
        {
            ArgumentNullException.ThrowIfNull(output);
            int headersLength = MeasureHeaders(headers);
            int total = checked(Overhead + headersLength + payload.Length);
            Span<byte> destination = output.GetSpan(total).Slice(0, total);
            Write(destination, headers, headersLength, payload);
            output.Advance(total);
            return total;
        }

        private static void Write(Span<byte> message, IReadOnlyList<KeyValuePair<string, EventStreamHeaderValue>> headers, int headersLength, ReadOnlySpan<byte> payload)
        {
            int total = message.Length;
            BinaryPrimitives.WriteUInt32BigEndian(message, (uint)total);
            BinaryPrimitives.WriteUInt32BigEndian(message.Slice(4), (uint)headersLength);
            BinaryPrimitives.WriteUInt32BigEndian(message.Slice(8), Crc32.HashToUInt32(message.Slice(0, 8)));

            int offset = 12;
            for (int i = 0; i < headers.Count; i++)
            {
                offset += WriteHeader(message.Slice(offset), headers[i].Key, headers[i].Value);
            }

            payload.CopyTo(message.Slice(offset));
            offset += payload.Length;
            BinaryPrimitives.WriteUInt32BigEndian(message.Slice(offset), Crc32.HashToUInt32(message.Slice(0, offset)));
        }

        private static int MeasureHeaders(IReadOnlyList<KeyValuePair<string, EventStreamHeaderValue>> headers)
        {
            ArgumentNullException.ThrowIfNull(headers);
            int length = 0;
            var seen = new HashSet<string>(StringComparer.Ordinal);
            for (int i = 0; i < headers.Count; i++)
            {
                string name = headers[i].Key ?? throw new ArgumentException("A header name is null.", nameof(headers));
                int nameLength = Encoding.UTF8.GetByteCount(name);
                if (nameLength is < 1 or > 255)
                {
                    throw new ArgumentException($"Header name '{name}' must be 1 to 255 UTF-8 bytes.", nameof(headers));
                }

                if (!seen.Add(name))
                {
                    throw new ArgumentException($"Header '{name}' appears more than once.", nameof(headers));
                }

                length = checked(length + 1 + nameLength + 1 + MeasureValue(name, headers[i].Value));
            }

            return length;
        }

        private static int MeasureValue(string name, EventStreamHeaderValue value)
        {
            switch (value.Type)
            {
                case EventStreamHeaderType.BoolTrue:
                case EventStreamHeaderType.BoolFalse:
                    return 0;
                case EventStreamHeaderType.Byte:
                    return 1;
                case EventStreamHeaderType.Int16:
                    return 2;
                case EventStreamHeaderType.Int32:
                    return 4;
                case EventStreamHeaderType.Int64:
                case EventStreamHeaderType.Timestamp:
                    return 8;
                case EventStreamHeaderType.Uuid:
                    return 16;
                case EventStreamHeaderType.ByteArray:
                    return 2 + CheckLength(name, value.AsBytes().Length);
                case EventStreamHeaderType.String:
                    return 2 + CheckLength(name, Encoding.UTF8.GetByteCount(value.AsString()));
                default:
                    throw new ArgumentException($"Header '{name}' has unknown type {(byte)value.Type}.");
            }
        }

        private static int CheckLength(string name, int length) =>
            length <= MaxHeaderValueLength
                ? length
                : throw new ArgumentException($"Header '{name}' value is {length} bytes; the most is {MaxHeaderValueLength}.");

        private static int WriteHeader(Span<byte> destination, string name, EventStreamHeaderValue value)
        {
            int nameLength = Encoding.UTF8.GetBytes(name, destination.Slice(1));
            destination[0] = (byte)nameLength;
            int offset = 1 + nameLength;
            destination[offset++] = (byte)value.Type;
            Span<byte> rest = destination.Slice(offset);
            switch (value.Type)
            {
                case EventStreamHeaderType.BoolTrue:
                case EventStreamHeaderType.BoolFalse:
                    return offset;
                case EventStreamHeaderType.Byte:
                    rest[0] = unchecked((byte)value.AsByte());
                    return offset + 1;
                case EventStreamHeaderType.Int16:
                    BinaryPrimitives.WriteInt16BigEndian(rest, value.AsInt16());
                    return offset + 2;
                case EventStreamHeaderType.Int32:
                    BinaryPrimitives.WriteInt32BigEndian(rest, value.AsInt32());
                    return offset + 4;
                case EventStreamHeaderType.Int64:
                    BinaryPrimitives.WriteInt64BigEndian(rest, value.AsInt64());
                    return offset + 8;
                case EventStreamHeaderType.Timestamp:
                    BinaryPrimitives.WriteInt64BigEndian(rest, value.AsTimestamp().ToUnixTimeMilliseconds());
                    return offset + 8;
                case EventStreamHeaderType.Uuid:
                    // RFC 9562 binary layout (network byte order).
                    value.AsUuid().TryWriteBytes(rest, bigEndian: true, out _);
                    return offset + 16;
                case EventStreamHeaderType.ByteArray:
                {
                    byte[] bytes = value.AsBytes();
                    BinaryPrimitives.WriteUInt16BigEndian(rest, (ushort)bytes.Length);
                    bytes.CopyTo(rest.Slice(2));
                    return offset + 2 + bytes.Length;
                }

                default:
                {
                    int length = Encoding.UTF8.GetBytes(value.AsString(), rest.Slice(2));
                    BinaryPrimitives.WriteUInt16BigEndian(rest, (ushort)length);
                    return offset + 2 + length;
                }
            }
        }
    }
}
