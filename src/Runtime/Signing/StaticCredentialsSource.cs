namespace PromptGen.Signing;

/// <summary>Always returns the same credentials (explicit keys, tests, the emulator).</summary>
internal sealed class StaticCredentialsSource : ICredentialsSource
{
    private readonly SigningCredentials _credentials;

    /// <summary>Wraps fixed credentials.</summary>
    public StaticCredentialsSource(SigningCredentials credentials)
    {
        ArgumentNullException.ThrowIfNull(credentials);
        _credentials = credentials;
    }

    /// <summary>Wraps fixed credentials built from their parts.</summary>
    public StaticCredentialsSource(string accessKeyId, string secretAccessKey, string? sessionToken = null)
        : this(new SigningCredentials(accessKeyId, secretAccessKey, sessionToken))
    {
    }

    /// <inheritdoc />
    public ValueTask<SigningCredentials> GetCredentialsAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return new ValueTask<SigningCredentials>(_credentials);
    }

    /// <inheritdoc />
    public override string ToString() => "StaticCredentialsSource { " + _credentials + " }";
}
