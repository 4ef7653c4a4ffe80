using System.Diagnostics.CodeAnalysis;

namespace PromptGen.EventStreams;

/// <summary>Wire type codes of event-stream header values.</summary>
internal enum EventStreamHeaderType : byte
{
    /// <summary>Boolean true (no value bytes).</summary>
    BoolTrue = 0,

    /// <summary>Boolean false (no value bytes).</summary>
    BoolFalse = 1,

    /// <summary>Signed 8-bit integer.</summary>
    Byte = 2,

    /// <summary>Signed 16-bit big-endian integer.</summary>
    Int16 = 3,

    /// <summary>Signed 32-bit big-endian integer.</summary>
    Int32 = 4,

    /// <summary>Signed 64-bit big-endian integer.</summary>
    Int64 = 5,

    /// <summary>uint16 length followed by raw bytes.</summary>
    ByteArray = 6,

    /// <summary>uint16 length followed by UTF-8 bytes.</summary>
    String = 7,

    /// <summary>Signed 64-bit big-endian milliseconds since the Unix epoch.</summary>
    Timestamp = 8,

    /// <summary>16 raw bytes (RFC 9562 binary layout, big-endian fields).</summary>
    Uuid = 9,
}

/// <summary>
/// One typed event-stream header value. Scalars are stored inline; strings, byte arrays and UUIDs (as their 16 wire
/// bytes) are stored by reference. Accessors throw <see cref="InvalidOperationException"/> when the type differs.
/// </summary>
internal readonly struct EventStreamHeaderValue : IEquatable<EventStreamHeaderValue>
{
    private readonly long _scalar;
    private readonly object? _reference;

    private EventStreamHeaderValue(EventStreamHeaderType type, long scalar, object? reference)
    {
        Type = type;
        _scalar = scalar;
        _reference = reference;
    }

    /// <summary>The wire type of the value.</summary>
    public EventStreamHeaderType Type { get; }

    /// <summary>A string value.</summary>
    public static EventStreamHeaderValue FromString(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return new EventStreamHeaderValue(EventStreamHeaderType.String, 0, value);
    }

    /// <summary>A boolean value (wire type 0 for true, 1 for false).</summary>
    public static EventStreamHeaderValue FromBool(bool value) =>
        new(value ? EventStreamHeaderType.BoolTrue : EventStreamHeaderType.BoolFalse, 0, null);

    /// <summary>A signed byte value.</summary>
    public static EventStreamHeaderValue FromByte(sbyte value) => new(EventStreamHeaderType.Byte, value, null);

    /// <summary>A 16-bit integer value.</summary>
    public static EventStreamHeaderValue FromInt16(short value) => new(EventStreamHeaderType.Int16, value, null);

    /// <summary>A 32-bit integer value.</summary>
    public static EventStreamHeaderValue FromInt32(int value) => new(EventStreamHeaderType.Int32, value, null);

    /// <summary>A 64-bit integer value.</summary>
    public static EventStreamHeaderValue FromInt64(long value) => new(EventStreamHeaderType.Int64, value, null);

    /// <summary>A byte-array value. The array is not copied; do not mutate it afterwards.</summary>
    public static EventStreamHeaderValue FromBytes(byte[] value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return new EventStreamHeaderValue(EventStreamHeaderType.ByteArray, 0, value);
    }

    /// <summary>A timestamp value; the wire keeps whole milliseconds since the Unix epoch (sub-millisecond precision is dropped).</summary>
    public static EventStreamHeaderValue FromTimestamp(DateTimeOffset value) =>
        new(EventStreamHeaderType.Timestamp, value.ToUnixTimeMilliseconds(), null);

    /// <summary>A timestamp value from raw milliseconds since the Unix epoch.</summary>
    public static EventStreamHeaderValue FromUnixTimeMilliseconds(long milliseconds) =>
        new(EventStreamHeaderType.Timestamp, milliseconds, null);

    /// <summary>A UUID value (written in RFC 9562 big-endian byte order).</summary>
    public static EventStreamHeaderValue FromUuid(Guid value)
    {
        byte[] bytes = new byte[16];
        value.TryWriteBytes(bytes, bigEndian: true, out _);
        return new EventStreamHeaderValue(EventStreamHeaderType.Uuid, 0, bytes);
    }

    /// <summary>Wraps 16 UUID wire bytes taken over by the value (decoder use).</summary>
    internal static EventStreamHeaderValue FromUuidBytes(byte[] wireBytes) =>
        new(EventStreamHeaderType.Uuid, 0, wireBytes);

    /// <summary>The string value.</summary>
    public string AsString() => (string)Expect(EventStreamHeaderType.String)._reference!;

    /// <summary>The boolean value (either boolean wire type).</summary>
    public bool AsBool()
    {
        if (Type == EventStreamHeaderType.BoolTrue)
        {
            return true;
        }

        if (Type == EventStreamHeaderType.BoolFalse)
        {
            return false;
        }

        throw WrongType(EventStreamHeaderType.BoolTrue);
    }

    /// <summary>The signed byte value.</summary>
    public sbyte AsByte() => (sbyte)Expect(EventStreamHeaderType.Byte)._scalar;

    /// <summary>The 16-bit integer value.</summary>
    public short AsInt16() => (short)Expect(EventStreamHeaderType.Int16)._scalar;

    /// <summary>The 32-bit integer value.</summary>
    public int AsInt32() => (int)Expect(EventStreamHeaderType.Int32)._scalar;

    /// <summary>The 64-bit integer value.</summary>
    public long AsInt64() => Expect(EventStreamHeaderType.Int64)._scalar;

    /// <summary>The byte-array value (the stored array itself; do not mutate it).</summary>
    public byte[] AsBytes() => (byte[])Expect(EventStreamHeaderType.ByteArray)._reference!;

    /// <summary>The timestamp value.</summary>
    public DateTimeOffset AsTimestamp() =>
        DateTimeOffset.FromUnixTimeMilliseconds(Expect(EventStreamHeaderType.Timestamp)._scalar);

    /// <summary>The timestamp value as the raw wire milliseconds since the Unix epoch.</summary>
    public long AsUnixTimeMilliseconds() => Expect(EventStreamHeaderType.Timestamp)._scalar;

    /// <summary>The UUID value.</summary>
    public Guid AsUuid() => new((byte[])Expect(EventStreamHeaderType.Uuid)._reference!, bigEndian: true);

    /// <summary>The 16 UUID wire bytes (the stored array itself; do not mutate it).</summary>
    public byte[] AsUuidBytes() => (byte[])Expect(EventStreamHeaderType.Uuid)._reference!;

    /// <inheritdoc />
    public bool Equals(EventStreamHeaderValue other)
    {
        if (Type != other.Type || _scalar != other._scalar)
        {
            return false;
        }

        return _reference switch
        {
            null => other._reference is null,
            string s => other._reference is string o && string.Equals(s, o, StringComparison.Ordinal),
            byte[] b => other._reference is byte[] o && b.AsSpan().SequenceEqual(o),
            _ => false,
        };
    }

    /// <inheritdoc />
    public override bool Equals([NotNullWhen(true)] object? obj) => obj is EventStreamHeaderValue other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Type, _scalar, _reference is string s ? s.GetHashCode(StringComparison.Ordinal) : 0);

    /// <inheritdoc />
    public override string ToString() => Type switch
    {
        EventStreamHeaderType.BoolTrue => "true",
        EventStreamHeaderType.BoolFalse => "false",
        EventStreamHeaderType.String => (string)_reference!,
        EventStreamHeaderType.ByteArray => "base64:" + Convert.ToBase64String((byte[])_reference!),
        EventStreamHeaderType.Timestamp => AsTimestamp().ToString("O", System.Globalization.CultureInfo.InvariantCulture),
        EventStreamHeaderType.Uuid => AsUuid().ToString(),
        _ => _scalar.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };

    private EventStreamHeaderValue Expect(EventStreamHeaderType type) =>
        Type == type ? this : throw WrongType(type);

    private InvalidOperationException WrongType(EventStreamHeaderType wanted) =>
        new($"The header value is of type {Type}, not {wanted}.");
}
