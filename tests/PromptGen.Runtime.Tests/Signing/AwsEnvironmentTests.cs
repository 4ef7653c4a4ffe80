using PromptGen.Signing;

namespace PromptGen.Runtime.Tests.Signing;

public sealed class AwsEnvironmentTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("promptgen-awsenv-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static Func<string, string?> Env(params (string Name, string? Value)[] values)
    {
        var map = values.ToDictionary(v => v.Name, v => v.Value, StringComparer.Ordinal);
        return name => map.TryGetValue(name, out string? v) ? v : null;
    }

    private string Write(string name, string text)
    {
        string path = Path.Combine(_dir, name);
        File.WriteAllText(path, text);
        return path;
    }

    private const string Config = """
        # comment
        [default]
        region = eu-west-1
        [profile dev]
        output = json
        s3 =
          region = ignored-nested
        region=ap-southeast-2
        [profile empty]
        output = text
        """;

    [Fact]
    public void Region_AwsRegion_BeatsEverything()
    {
        string config = Write("config", Config);
        Assert.Equal("us-west-2", AwsEnvironment.ResolveRegion(Env(("AWS_REGION", " us-west-2 "), ("AWS_DEFAULT_REGION", "us-east-2"), ("AWS_CONFIG_FILE", config))));
    }

    [Fact]
    public void Region_DefaultRegion_Next_EmptyValuesIgnored()
    {
        string config = Write("config", Config);
        Assert.Equal("us-east-2", AwsEnvironment.ResolveRegion(Env(("AWS_REGION", ""), ("AWS_DEFAULT_REGION", "us-east-2"), ("AWS_CONFIG_FILE", config))));
    }

    [Fact]
    public void Region_FromProfileFile()
    {
        string config = Write("config", Config);
        Assert.Equal("eu-west-1", AwsEnvironment.ResolveRegion(Env(("AWS_CONFIG_FILE", config))));
        Assert.Equal("ap-southeast-2", AwsEnvironment.ResolveRegion(Env(("AWS_CONFIG_FILE", config), ("AWS_PROFILE", "dev"))));
        Assert.Equal("ap-southeast-2", AwsEnvironment.ResolveRegion(Env(("AWS_CONFIG_FILE", config), ("AWS_DEFAULT_PROFILE", "dev"))));
        Assert.Null(AwsEnvironment.ResolveRegion(Env(("AWS_CONFIG_FILE", config), ("AWS_PROFILE", "empty"))));
        Assert.Null(AwsEnvironment.ResolveRegion(Env(("AWS_CONFIG_FILE", config), ("AWS_PROFILE", "missing"))));
    }

    [Fact]
    public void Region_FallsBackToCredentialsFile_AndHomeDefaults()
    {
        string credentials = Write("credentials", "[dev]\naws_access_key_id = AKID\nregion = ca-central-1\n");
        Assert.Equal("ca-central-1", AwsEnvironment.ResolveRegion(Env(
            ("AWS_CONFIG_FILE", Path.Combine(_dir, "nope")), ("AWS_SHARED_CREDENTIALS_FILE", credentials), ("AWS_PROFILE", "dev"))));

        Directory.CreateDirectory(Path.Combine(_dir, ".aws"));
        File.WriteAllText(Path.Combine(_dir, ".aws", "config"), "[profile work]\nregion = sa-east-1\n");
        Assert.Equal("sa-east-1", AwsEnvironment.ResolveRegion(Env(("HOME", _dir), ("AWS_PROFILE", "work"))));
        Assert.Null(AwsEnvironment.ResolveRegion(Env()));
    }

    [Fact]
    public void BearerToken_FromEnv()
    {
        Assert.Equal("bedrock-api-key-abc", AwsEnvironment.BearerToken(Env(("AWS_BEARER_TOKEN_BEDROCK", " bedrock-api-key-abc\n"))));
        Assert.Null(AwsEnvironment.BearerToken(Env(("AWS_BEARER_TOKEN_BEDROCK", "  "))));
    }

    [Fact]
    public void EndpointOverride_Precedence()
    {
        Assert.Equal(new Uri("http://127.0.0.1:5050"), AwsEnvironment.EndpointOverride(Env(
            ("AWS_ENDPOINT_URL_BEDROCK_RUNTIME", "http://127.0.0.1:5050"), ("AWS_ENDPOINT_URL", "https://global.example"))));
        Assert.Equal(new Uri("https://global.example"), AwsEnvironment.EndpointOverride(Env(("AWS_ENDPOINT_URL", "https://global.example"))));
        Assert.Null(AwsEnvironment.EndpointOverride(Env()));
        Assert.Null(AwsEnvironment.EndpointOverride(Env(("AWS_ENDPOINT_URL", "https://global.example"), ("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", "true"))));
        InvalidOperationException ex = Assert.Throws<InvalidOperationException>(() =>
            AwsEnvironment.EndpointOverride(Env(("AWS_ENDPOINT_URL_BEDROCK_RUNTIME", "not a url"))));
        Assert.Contains("AWS_ENDPOINT_URL_BEDROCK_RUNTIME", ex.Message, StringComparison.Ordinal);
    }
}
