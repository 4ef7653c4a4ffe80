namespace PromptGen;

/// <summary>The client's settings cannot work: no Region, plain http to a remote host, a malformed endpoint, no credentials.</summary>
public sealed class BedrockConfigurationException : InvalidOperationException
{
    /// <summary>Creates the exception with a message that says what to change.</summary>
    public BedrockConfigurationException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and the underlying cause.</summary>
    public BedrockConfigurationException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
