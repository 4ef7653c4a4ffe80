// TEMPORARY STUB (helper D). Delete this file at merge: helper A owns the real EventStreamHeaderType and
// EventStreamHeaderValue in this folder. Only the members listed in the internal contract are declared here.
using System.Buffers.Binary;
using System.Text;

namespace PromptGen.EventStreams
{
    internal enum EventStreamHeaderType : byte
    {
        BoolTrue = 0, BoolFalse = 1, Byte = 2, Int16 = 3, Int32 = 4, Int64 = 5, ByteArray = 6, String = 7, Timestamp = 8, Uuid = 9,
    }

    internal readonly struct EventStreamHeaderValue
    {
        private readonly object? _value;

        private EventStreamHeaderValue(EventStreamHeaderType type, object? value)
        {
            Type = type;
            _value = value;
        }

        public EventStreamHeaderType Type { get; }

        public static EventStreamHeaderValue FromString(string value) => new(EventStreamHeaderType.String, value);
        public static EventStreamHeaderValue FromBool(bool value) => new(value ? EventStreamHeaderType.BoolTrue : EventStreamHeaderType.BoolFalse, value);
        public static EventStreamHeaderValue FromByte(sbyte value) => new(EventStreamHeaderType.Byte, value);
        public static EventStreamHeaderValue FromInt16(short value) => new(EventStreamHeaderType.Int16, value);
        public static EventStreamHeaderValue FromInt32(int value) => new(EventStreamHeaderType.Int32, value);
        public static EventStreamHeaderValue FromInt64(long value) => new(EventStreamHeaderType.Int64, value);
        public static EventStreamHeaderValue FromBytes(byte[] value) => new(EventStreamHeaderType.ByteArray, value);
        public static EventStreamHeaderValue FromTimestamp(DateTimeOffset value) => new(EventStreamHeaderType.Timestamp, value);
        public static EventStreamHeaderValue FromUuid(Guid value) => new(EventStreamHeaderType.Uuid, value);

        public string AsString() => (string)_value!;
        public bool AsBool() => (bool)_value!;
        public sbyte AsByte() => (sbyte)_value!;
        public short AsInt16() => (short)_value!;
        public int AsInt32() => (int)_value!;
        public long AsInt64() => (long)_value!;
        public byte[] AsBytes() => (byte[])_value!;
        public DateTimeOffset AsTimestamp() => (DateTimeOffset)_value!;
        public Guid AsUuid() => (Guid)_value!;
    }
}
