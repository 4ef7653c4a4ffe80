using Amazon.Runtime;
using Amazon.Runtime.CredentialManagement;
using Amazon.Runtime.Credentials;

namespace PromptGen.Signing;

/// <summary>
/// Credentials from AWSSDK.Core 4.x's default chain (<see cref="DefaultAWSCredentialsIdentityResolver"/>: environment
/// variables, shared profile (AWS_PROFILE / default; static keys, assume-role, SSO, credential_process, login),
/// web identity, ECS/EKS container credentials, EC2 instance metadata), or from one named profile.
/// The AWSSDK <see cref="AWSCredentials"/> object is created lazily on first use and kept; it does its own caching and
/// refreshing of temporary credentials, so each call here is cheap after the first.
/// </summary>
internal sealed class AwsSdkCredentialsSource : ICredentialsSource
{
    private readonly Func<AWSCredentials> _factory;
    private readonly string _description;
    private AWSCredentials? _credentials;
    private SigningCredentials? _last;

    /// <summary>Uses the AWSSDK default credential chain.</summary>
    public AwsSdkCredentialsSource()
        : this(static () => DefaultAWSCredentialsIdentityResolver.GetCredentials(null), "default chain")
    {
    }

    /// <summary>Uses one named profile from the shared config/credentials files (and the SDK store).</summary>
    public AwsSdkCredentialsSource(string profileName)
        : this(() => FromProfile(profileName), "profile " + profileName)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(profileName);
    }

    /// <summary>Wraps a factory producing AWSSDK credentials (tests, custom AWSSDK providers).</summary>
    internal AwsSdkCredentialsSource(Func<AWSCredentials> factory, string description)
    {
        ArgumentNullException.ThrowIfNull(factory);
        _factory = factory;
        _description = description;
    }

    /// <inheritdoc />
    /// <exception cref="InvalidOperationException">No credentials could be resolved; the AWSSDK error is the inner exception.</exception>
    public async ValueTask<SigningCredentials> GetCredentialsAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        AWSCredentials credentials = Volatile.Read(ref _credentials) ?? Resolve();

        ImmutableCredentials immutable;
        try
        {
            immutable = await credentials.GetCredentialsAsync().WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            throw new InvalidOperationException(
                "AWS credentials (" + _description + ") could not be obtained: " + ex.Message, ex);
        }

        if (immutable is null || string.IsNullOrEmpty(immutable.AccessKey) || string.IsNullOrEmpty(immutable.SecretKey))
        {
            throw new InvalidOperationException("AWS credentials (" + _description + ") are empty.");
        }

        // Reuse the previous instance while AWSSDK hands back the same values (it may allocate a copy per call).
        SigningCredentials? last = Volatile.Read(ref _last);
        if (last is not null && last.SameAs(immutable.AccessKey, immutable.SecretKey, immutable.Token))
        {
            return last;
        }

        var converted = new SigningCredentials(immutable.AccessKey, immutable.SecretKey, immutable.Token);
        Volatile.Write(ref _last, converted);
        return converted;
    }

    /// <inheritdoc />
    public override string ToString() => "AwsSdkCredentialsSource { " + _description + " }";

    private AWSCredentials Resolve()
    {
        AWSCredentials created;
        try
        {
            created = _factory() ?? throw new InvalidOperationException("The credentials factory returned null.");
        }
        catch (Exception ex) when (ex is not InvalidOperationException)
        {
            throw new InvalidOperationException(
                "AWS credentials (" + _description + ") could not be resolved: " + ex.Message, ex);
        }

        // Keep the first one published so every caller shares AWSSDK's refresh state.
        return Interlocked.CompareExchange(ref _credentials, created, null) ?? created;
    }

    private static AWSCredentials FromProfile(string profileName)
    {
        var chain = new CredentialProfileStoreChain();
        if (chain.TryGetAWSCredentials(profileName, out AWSCredentials credentials) && credentials is not null)
        {
            return credentials;
        }

        throw new InvalidOperationException("The AWS profile '" + profileName + "' was not found or has no usable credentials.");
    }
}
