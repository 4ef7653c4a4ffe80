using System.Text;

namespace PromptGen;

/// <summary>
/// Settings of a <see cref="BedrockClient"/>. Every property left unset falls back to the standard AWS settings
/// (<c>AWS_REGION</c>, the default credential chain, <c>AWS_BEARER_TOKEN_BEDROCK</c>,
/// <c>AWS_ENDPOINT_URL_BEDROCK_RUNTIME</c>). The type binds from configuration (e.g. a <c>PromptGen:Bedrock</c> section).
/// </summary>
public sealed class BedrockClientOptions
{
    /// <summary>The AWS Region, e.g. <c>us-east-1</c>. Defaults to <c>AWS_REGION</c>, <c>AWS_DEFAULT_REGION</c>, then the profile's region.</summary>
    public string? Region { get; set; }

    /// <summary>
    /// A custom endpoint, used verbatim (e.g. the PromptGen emulator). Defaults to <c>AWS_ENDPOINT_URL_BEDROCK_RUNTIME</c>,
    /// then <c>https://bedrock-runtime.{region}.amazonaws.com</c>. Plain <c>http</c> is accepted only for loopback addresses.
    /// </summary>
    public Uri? Endpoint { get; set; }

    /// <summary>An access key ID for SigV4 signing; with <see cref="SecretAccessKey"/> it replaces the default credential chain.</summary>
    public string? AccessKeyId { get; set; }

    /// <summary>The secret access key that goes with <see cref="AccessKeyId"/>. Never logged or shown by <see cref="ToString"/>.</summary>
    public string? SecretAccessKey { get; set; }

    /// <summary>A session token for temporary credentials. Never logged or shown by <see cref="ToString"/>.</summary>
    public string? SessionToken { get; set; }

    /// <summary>
    /// An Amazon Bedrock API key sent as <c>Authorization: Bearer</c> instead of SigV4. Defaults to
    /// <c>AWS_BEARER_TOKEN_BEDROCK</c> when no explicit access key is set. Never logged or shown by <see cref="ToString"/>.
    /// </summary>
    public string? BearerToken { get; set; }

    /// <summary>Whether to read unset settings from the process environment and AWS profile files. Default <see langword="true"/>.</summary>
    public bool UseEnvironment { get; set; } = true;

    /// <summary>Attempts per call, including the first (AWS standard retry mode; default 3). 1 disables retries.</summary>
    public int MaxAttempts { get; set; } = 3;

    /// <summary>Base of the exponential backoff for throttling errors (default 1 s; full jitter).</summary>
    public TimeSpan ThrottlingBackoffBase { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Base of the exponential backoff for transient errors such as 5xx and broken connections (default 50 ms; full jitter).</summary>
    public TimeSpan TransientBackoffBase { get; set; } = TimeSpan.FromMilliseconds(50);

    /// <summary>The longest single backoff delay (default 20 s).</summary>
    public TimeSpan MaxBackoff { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>Capacity of the retry quota shared by all calls of one client (AWS standard mode: 500; a retry costs 5, a timeout retry 10).</summary>
    public int RetryQuota { get; set; } = 500;

    /// <summary>How long to wait for a TCP/TLS connection (default 10 s).</summary>
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// How long to wait for the response headers of a call — the model's first byte (default 5 min; Bedrock notes some
    /// models take minutes before answering).
    /// </summary>
    public TimeSpan FirstByteTimeout { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How long a stream may stay silent between two events before the call fails (default 2 min).</summary>
    public TimeSpan BetweenEventsTimeout { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>The largest event-stream message accepted (default 16 MiB); a larger one fails the stream instead of exhausting memory.</summary>
    public int MaxEventSize { get; set; } = 16 * 1024 * 1024;

    /// <summary>The largest non-streaming response body accepted (default 32 MiB).</summary>
    public int MaxResponseBodySize { get; set; } = 32 * 1024 * 1024;

    /// <summary>Copies these options.</summary>
    public BedrockClientOptions Clone() => (BedrockClientOptions)MemberwiseClone();

    /// <summary>Describes the options with every secret redacted.</summary>
    public override string ToString()
    {
        var builder = new StringBuilder("BedrockClientOptions { ");
        builder.Append("Region = ").Append(Region ?? "(default)");
        builder.Append(", Endpoint = ").Append(Endpoint?.ToString() ?? "(default)");
        builder.Append(", AccessKeyId = ").Append(AccessKeyId is null ? "(default chain)" : Redact(AccessKeyId));
        builder.Append(", SecretAccessKey = ").Append(SecretAccessKey is null ? "(unset)" : "***");
        builder.Append(", SessionToken = ").Append(SessionToken is null ? "(unset)" : "***");
        builder.Append(", BearerToken = ").Append(BearerToken is null ? "(unset)" : "***");
        builder.Append(", MaxAttempts = ").Append(MaxAttempts);
        builder.Append(" }");
        return builder.ToString();
    }

    // An access key ID is not secret, but its tail is all an operator needs to tell keys apart.
    private static string Redact(string accessKeyId) =>
        accessKeyId.Length <= 4 ? "***" : "***" + accessKeyId[^4..];
}
