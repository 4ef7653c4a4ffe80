namespace PromptGen.EventStreams;

/// <summary>What was wrong with an event-stream message that could not be decoded.</summary>
internal enum EventStreamErrorKind
{
    /// <summary>The CRC-32 of the first 8 bytes does not match the prelude CRC field.</summary>
    PreludeChecksumMismatch,

    /// <summary>The CRC-32 of the whole message (minus the trailer) does not match the message CRC field.</summary>
    MessageChecksumMismatch,

    /// <summary>A header is malformed: bad name or value length, unknown type, invalid UTF-8, or a duplicate name.</summary>
    InvalidHeader,

    /// <summary>The prelude announces a message longer than the configured maximum.</summary>
    MessageTooLarge,

    /// <summary>The input (or stream) ended inside a message.</summary>
    Truncated,

    /// <summary>The prelude lengths are inconsistent (total below 16, headers longer than the message allows),
    /// or a single-message decode was given bytes beyond the message.</summary>
    InvalidLength,
}

/// <summary>An event-stream message could not be decoded; the stream must be terminated.</summary>
internal sealed class EventStreamFormatException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="kind">What was wrong.</param>
    /// <param name="message">A human-readable description.</param>
    public EventStreamFormatException(EventStreamErrorKind kind, string message)
        : base(message)
    {
        Kind = kind;
    }

    /// <summary>What was wrong with the message.</summary>
    public EventStreamErrorKind Kind { get; }
}
