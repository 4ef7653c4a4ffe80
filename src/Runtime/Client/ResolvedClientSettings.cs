using System.Net;
using PromptGen.Signing;

namespace PromptGen;

/// <summary>
/// Where a client sends requests and how it authenticates, resolved once from <see cref="BedrockClientOptions"/> and the
/// standard AWS settings (WIRE.md §1): explicit options first, then environment variables and profile files.
/// </summary>
internal sealed class ResolvedClientSettings
{
    private ResolvedClientSettings(Uri endpoint, string signingRegion, string? bearerToken, ICredentialsSource? credentials)
    {
        Endpoint = endpoint;
        SigningRegion = signingRegion;
        BearerToken = bearerToken;
        Credentials = credentials;
    }

    /// <summary>The base URI, without a trailing slash in its path.</summary>
    public Uri Endpoint { get; }

    /// <summary>The Region used in SigV4 credential scopes.</summary>
    public string SigningRegion { get; }

    /// <summary>A Bedrock API key; when set, requests carry <c>Authorization: Bearer</c> and are not signed.</summary>
    public string? BearerToken { get; }

    /// <summary>The SigV4 credentials source, when not using a bearer token.</summary>
    public ICredentialsSource? Credentials { get; }

    public static ResolvedClientSettings Resolve(BedrockClientOptions options, Func<string, string?> environment)
    {
        Func<string, string?> env = options.UseEnvironment ? environment : static _ => null;

        string? region = Blank(options.Region) ?? (options.UseEnvironment ? AwsEnvironment.ResolveRegion(env) : null);
        Uri? endpoint = options.Endpoint ?? (options.UseEnvironment ? AwsEnvironment.EndpointOverride(env) : null);
        if (endpoint is null)
        {
            if (region is null)
            {
                throw new BedrockConfigurationException(
                    "Invalid Configuration: Missing Region. Set BedrockClientOptions.Region, the AWS_REGION environment variable, " +
                    "or a region in your AWS profile.");
            }

            string suffix = region.StartsWith("cn-", StringComparison.Ordinal) ? "amazonaws.com.cn" : "amazonaws.com";
            endpoint = new Uri("https://bedrock-runtime." + region + "." + suffix);
        }

        ValidateEndpoint(endpoint);

        string? accessKey = Blank(options.AccessKeyId);
        string? secret = Blank(options.SecretAccessKey);
        if ((accessKey is null) != (secret is null))
        {
            throw new BedrockConfigurationException(
                "BedrockClientOptions.AccessKeyId and SecretAccessKey must be set together.");
        }

        string? bearer = Blank(options.BearerToken);
        ICredentialsSource? credentials = null;
        if (accessKey is not null)
        {
            credentials = new StaticCredentialsSource(new SigningCredentials(accessKey, secret!, Blank(options.SessionToken)));
            bearer = null;
        }
        else
        {
            bearer ??= options.UseEnvironment ? Blank(AwsEnvironment.BearerToken(env)) : null;
            if (bearer is null)
            {
                credentials = new AwsSdkCredentialsSource();
            }
        }

        // A custom endpoint without a Region (the emulator, a proxy) still needs a credential scope to sign with.
        return new ResolvedClientSettings(TrimTrailingSlash(endpoint), region ?? "us-east-1", bearer, credentials);
    }

    private static void ValidateEndpoint(Uri endpoint)
    {
        if (!endpoint.IsAbsoluteUri)
        {
            throw new BedrockConfigurationException($"The Bedrock endpoint '{endpoint}' must be an absolute URI.");
        }

        if (endpoint.Scheme == Uri.UriSchemeHttps)
        {
            return;
        }

        if (endpoint.Scheme != Uri.UriSchemeHttp)
        {
            throw new BedrockConfigurationException($"The Bedrock endpoint '{endpoint}' must use https.");
        }

        if (!IsLoopback(endpoint))
        {
            throw new BedrockConfigurationException(
                $"The Bedrock endpoint '{endpoint.GetLeftPart(UriPartial.Authority)}' uses plain http to a non-loopback host; " +
                "credentials and prompts would cross the network unencrypted. Use https, or http only to 127.0.0.1, [::1] or localhost.");
        }
    }

    internal static bool IsLoopback(Uri endpoint)
    {
        if (endpoint.IsLoopback)
        {
            return true;
        }

        return IPAddress.TryParse(endpoint.DnsSafeHost, out IPAddress? address) && IPAddress.IsLoopback(address);
    }

    private static Uri TrimTrailingSlash(Uri endpoint)
    {
        string text = endpoint.GetLeftPart(UriPartial.Path).TrimEnd('/');
        return new Uri(text);
    }

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;
}
