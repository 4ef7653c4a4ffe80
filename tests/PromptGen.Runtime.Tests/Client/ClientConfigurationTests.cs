namespace PromptGen.Runtime.Tests.Client;

public class ClientConfigurationTests
{
    private static Func<string, string?> Env(params (string Name, string Value)[] values) =>
        name => values.FirstOrDefault(v => v.Name == name).Value;

    [Fact]
    public void Default_endpoint_comes_from_the_region()
    {
        var settings = ResolvedClientSettings.Resolve(new BedrockClientOptions { BearerToken = "k" }, Env(("AWS_REGION", "eu-west-1")));

        Assert.Equal("https://bedrock-runtime.eu-west-1.amazonaws.com/", settings.Endpoint.AbsoluteUri);
        Assert.Equal("eu-west-1", settings.SigningRegion);
    }

    [Fact]
    public void China_regions_use_the_cn_partition()
    {
        var settings = ResolvedClientSettings.Resolve(new BedrockClientOptions { Region = "cn-north-1", BearerToken = "k" }, Env());

        Assert.Equal("bedrock-runtime.cn-north-1.amazonaws.com.cn", settings.Endpoint.Host);
    }

    [Fact]
    public void Missing_region_is_a_clear_configuration_error()
    {
        var error = Assert.Throws<BedrockConfigurationException>(() =>
            ResolvedClientSettings.Resolve(new BedrockClientOptions { BearerToken = "k" }, Env()));

        Assert.Contains("Missing Region", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Endpoint_override_and_bearer_token_come_from_the_environment()
    {
        var settings = ResolvedClientSettings.Resolve(new BedrockClientOptions(), Env(
            ("AWS_ENDPOINT_URL_BEDROCK_RUNTIME", "http://127.0.0.1:5050"),
            ("AWS_BEARER_TOKEN_BEDROCK", "api-key")));

        Assert.Equal("http://127.0.0.1:5050/", settings.Endpoint.AbsoluteUri);
        Assert.Equal("api-key", settings.BearerToken);
        Assert.Null(settings.Credentials);
    }

    [Fact]
    public void Explicit_access_keys_win_over_an_environment_bearer_token()
    {
        var settings = ResolvedClientSettings.Resolve(
            new BedrockClientOptions { Region = "us-east-1", AccessKeyId = "AKID", SecretAccessKey = "secret" },
            Env(("AWS_BEARER_TOKEN_BEDROCK", "api-key")));

        Assert.Null(settings.BearerToken);
        Assert.NotNull(settings.Credentials);
    }

    [Theory]
    [InlineData("http://127.0.0.1:8080")]
    [InlineData("http://localhost:8080")]
    [InlineData("http://[::1]:8080")]
    [InlineData("http://127.10.0.3")]
    public void Plain_http_is_accepted_for_loopback(string endpoint)
    {
        var settings = ResolvedClientSettings.Resolve(new BedrockClientOptions { Endpoint = new Uri(endpoint), BearerToken = "k" }, Env());

        Assert.Equal(Uri.UriSchemeHttp, settings.Endpoint.Scheme);
    }

    [Theory]
    [InlineData("http://bedrock.example.com")]
    [InlineData("http://10.0.0.5:8080")]
    [InlineData("http://192.168.1.10")]
    public void Plain_http_to_a_remote_host_is_refused(string endpoint)
    {
        var error = Assert.Throws<BedrockConfigurationException>(() =>
            new BedrockClient(new BedrockClientOptions { Endpoint = new Uri(endpoint), BearerToken = "k", UseEnvironment = false }));

        Assert.Contains("plain http", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Options_ToString_never_shows_secrets()
    {
        var options = new BedrockClientOptions
        {
            AccessKeyId = "AKIAFAKEACCESSKEY1234",
            SecretAccessKey = "fake/secret+access/KEY",
            SessionToken = "FAKE-SESSION-TOKEN",
            BearerToken = "FAKE-BEDROCK-API-KEY",
        };

        string text = options.ToString();

        Assert.DoesNotContain("fake/secret+access/KEY", text, StringComparison.Ordinal);
        Assert.DoesNotContain("FAKE-SESSION-TOKEN", text, StringComparison.Ordinal);
        Assert.DoesNotContain("FAKE-BEDROCK-API-KEY", text, StringComparison.Ordinal);
        Assert.DoesNotContain("AKIAFAKEACCESSKEY1234", text, StringComparison.Ordinal);
        Assert.Contains("***1234", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Access_key_without_secret_is_refused()
    {
        Assert.Throws<BedrockConfigurationException>(() =>
            ResolvedClientSettings.Resolve(new BedrockClientOptions { Region = "us-east-1", AccessKeyId = "AKID" }, Env()));
    }
}
