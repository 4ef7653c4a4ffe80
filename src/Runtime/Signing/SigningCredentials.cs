namespace PromptGen.Signing;

/// <summary>
/// An AWS access key pair (and optional session token) used to SigV4-sign requests.
/// <see cref="ToString"/> never reveals the secret access key or the session token.
/// </summary>
internal sealed class SigningCredentials
{
    /// <summary>Creates credentials; <paramref name="sessionToken"/> is only set for temporary (STS) credentials.</summary>
    /// <exception cref="ArgumentException">The access key id or the secret is null, empty or whitespace (the message never contains a value).</exception>
    public SigningCredentials(string accessKeyId, string secretAccessKey, string? sessionToken = null)
    {
        if (string.IsNullOrWhiteSpace(accessKeyId))
        {
            throw new ArgumentException("The access key id must not be empty.", nameof(accessKeyId));
        }

        if (string.IsNullOrWhiteSpace(secretAccessKey))
        {
            throw new ArgumentException("The secret access key must not be empty.", nameof(secretAccessKey));
        }

        AccessKeyId = accessKeyId;
        SecretAccessKey = secretAccessKey;
        SessionToken = string.IsNullOrEmpty(sessionToken) ? null : sessionToken;
    }

    /// <summary>The access key id (AKIA…/ASIA…).</summary>
    public string AccessKeyId { get; }

    /// <summary>The secret access key. Never logged.</summary>
    public string SecretAccessKey { get; }

    /// <summary>The session token of temporary credentials, or null. Never logged.</summary>
    public string? SessionToken { get; }

    /// <summary>
    /// A diagnostic description: the access key id masked except for its last four characters (as the AWS CLI shows it),
    /// and whether a session token is present. The secret and the token are never included.
    /// </summary>
    public override string ToString()
    {
        string id = AccessKeyId.Length <= 4 ? "****" : string.Concat("****", AccessKeyId.AsSpan(AccessKeyId.Length - 4));
        return "SigningCredentials { AccessKeyId = " + id + ", SecretAccessKey = ***, SessionToken = " +
               (SessionToken is null ? "(none)" : "***") + " }";
    }

    /// <summary>True when both credentials hold the same key id, secret and token (ordinal comparison).</summary>
    internal bool SameAs(string accessKeyId, string secretAccessKey, string? sessionToken) =>
        string.Equals(AccessKeyId, accessKeyId, StringComparison.Ordinal) &&
        string.Equals(SecretAccessKey, secretAccessKey, StringComparison.Ordinal) &&
        string.Equals(SessionToken, string.IsNullOrEmpty(sessionToken) ? null : sessionToken, StringComparison.Ordinal);
}
