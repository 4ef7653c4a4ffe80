using System.Buffers.Binary;
using System.IO.Hashing;
using System.Text;
using System.Text.Json.Nodes;

namespace PromptGen.Testing.Tests.Support;

/// <summary>A decoded event-stream frame (test-only decoder; string and the other fixed header types).</summary>
internal sealed record TestFrame(Dictionary<string, object?> Headers, byte[] Payload)
{
    public string? Header(string name) => Headers.TryGetValue(name, out object? v) ? v as string : null;
    public string? EventType => Header(":event-type");
    public string? MessageType => Header(":message-type");
    public JsonNode? Json => Payload.Length == 0 ? null : JsonNode.Parse(Payload);
}

internal static class TestFrameDecoder
{
    /// <summary>Decodes one frame at the start of <paramref name="data"/>; returns null when incomplete. Throws on bad CRCs.</summary>
    public static TestFrame? TryDecode(ReadOnlySpan<byte> data, out int consumed)
    {
        consumed = 0;
        if (data.Length < 12)
        {
            return null;
        }

        int total = (int)BinaryPrimitives.ReadUInt32BigEndian(data);
        int headersLength = (int)BinaryPrimitives.ReadUInt32BigEndian(data.Slice(4));
        if (BinaryPrimitives.ReadUInt32BigEndian(data.Slice(8)) != Crc32.HashToUInt32(data.Slice(0, 8)))
        {
            throw new InvalidDataException("prelude CRC mismatch");
        }

        if (data.Length < total)
        {
            return null;
        }

        if (BinaryPrimitives.ReadUInt32BigEndian(data.Slice(total - 4)) != Crc32.HashToUInt32(data.Slice(0, total - 4)))
        {
            throw new InvalidDataException("message CRC mismatch");
        }

        var headers = new Dictionary<string, object?>();
        ReadOnlySpan<byte> h = data.Slice(12, headersLength);
        while (h.Length > 0)
        {
            int nameLength = h[0];
            string name = Encoding.UTF8.GetString(h.Slice(1, nameLength));
            byte type = h[1 + nameLength];
            h = h.Slice(2 + nameLength);
            switch (type)
            {
                case 0: headers[name] = true; break;
                case 1: headers[name] = false; break;
                case 2: headers[name] = (sbyte)h[0]; h = h.Slice(1); break;
                case 3: headers[name] = BinaryPrimitives.ReadInt16BigEndian(h); h = h.Slice(2); break;
                case 4: headers[name] = BinaryPrimitives.ReadInt32BigEndian(h); h = h.Slice(4); break;
                case 5: headers[name] = BinaryPrimitives.ReadInt64BigEndian(h); h = h.Slice(8); break;
                case 8: headers[name] = DateTimeOffset.FromUnixTimeMilliseconds(BinaryPrimitives.ReadInt64BigEndian(h)); h = h.Slice(8); break;
                case 9: headers[name] = new Guid(h.Slice(0, 16), bigEndian: true); h = h.Slice(16); break;
                case 6:
                case 7:
                {
                    int length = BinaryPrimitives.ReadUInt16BigEndian(h);
                    byte[] value = h.Slice(2, length).ToArray();
                    headers[name] = type == 7 ? Encoding.UTF8.GetString(value) : value;
                    h = h.Slice(2 + length);
                    break;
                }

                default:
                    throw new InvalidDataException("bad header type " + type);
            }
        }

        consumed = total;
        return new TestFrame(headers, data.Slice(12 + headersLength, total - headersLength - 16).ToArray());
    }

    /// <summary>Decodes a whole stream; <paramref name="trailing"/> gets the bytes of an incomplete final frame.</summary>
    public static List<TestFrame> DecodeAll(byte[] data, out int trailing)
    {
        var frames = new List<TestFrame>();
        int offset = 0;
        while (offset < data.Length)
        {
            TestFrame? frame = TryDecode(data.AsSpan(offset), out int consumed);
            if (frame == null)
            {
                break;
            }

            frames.Add(frame);
            offset += consumed;
        }

        trailing = data.Length - offset;
        return frames;
    }
}
