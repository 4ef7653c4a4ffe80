namespace PromptGen.Testing;

/// <summary>Settings of a <see cref="BedrockEmulator"/>.</summary>
public sealed class BedrockEmulatorOptions
{
    /// <summary>The loopback TCP port to listen on; 0 (the default) picks a free port.</summary>
    public int Port { get; set; }

    /// <summary>The access key ID requests must be signed with (SigV4).</summary>
    public string AccessKeyId { get; set; } = "AKIDPROMPTGENTEST";

    /// <summary>The secret access key requests must be signed with (SigV4).</summary>
    public string SecretAccessKey { get; set; } = "promptgen-emulator-secret";

    /// <summary>The Bedrock API key accepted as <c>Authorization: Bearer &lt;token&gt;</c>; <see langword="null"/> refuses bearer auth.</summary>
    public string? BearerToken { get; set; } = "promptgen-emulator-api-key";

    /// <summary>
    /// Whether requests must be authenticated: a valid SigV4 signature for <see cref="AccessKeyId"/> (any region,
    /// service <c>bedrock</c>) or the bearer token. Unauthenticated requests get 403 <c>InvalidSignatureException</c>.
    /// </summary>
    public bool RequireSignature { get; set; } = true;

    /// <summary>The region assumed for bearer-authenticated or unsigned requests (SigV4 requests use their credential scope's region).</summary>
    public string Region { get; set; } = "us-east-1";

    /// <summary>Delay before the first token: before the first stream event, and part of a Converse response's latency.</summary>
    public TimeSpan TimeToFirstToken { get; set; } = TimeSpan.FromMilliseconds(30);

    /// <summary>Delay between two tokens (stream deltas); also added per token to a Converse response's latency.</summary>
    public TimeSpan TokenDelay { get; set; } = TimeSpan.FromMilliseconds(2);

    /// <summary>Whether requests are validated against the model catalogue the way Bedrock validates them.</summary>
    public bool ValidateAgainstCatalogue { get; set; } = true;

    /// <summary>Whether stream events carry Bedrock's <c>"p"</c> padding member (as real traffic does), so clients prove they ignore unknown members.</summary>
    public bool PadStreamEvents { get; set; } = true;

    /// <summary>Overrides the deterministic reply text of plain-text and structured-output responses; returning <see langword="null"/> keeps the default reply.</summary>
    public Func<EmulatorRequestContext, string?>? ResponseText { get; set; }

    /// <summary>
    /// An account quota in requests per second across all models, as Bedrock enforces one: a request beyond it gets 429
    /// <c>ThrottlingException</c>, and the quota refills with time, not with the client's retries. The burst is one
    /// second's worth. <see langword="null"/> (the default) means no quota. Can be changed while the emulator runs.
    /// </summary>
    public double? RequestsPerSecondQuota { get; set; }
}
