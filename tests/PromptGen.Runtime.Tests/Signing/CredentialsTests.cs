using Amazon.Runtime;
using PromptGen.Signing;

namespace PromptGen.Runtime.Tests.Signing;

public sealed class CredentialsTests
{
    private const string Secret = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
    private const string Token = "IQoJb3JpZ2luX2VjEXAMPLETOKENVALUE";

    [Fact]
    public void ToString_HidesSecretAndToken()
    {
        var credentials = new SigningCredentials("AKIDEXAMPLE1234", Secret, Token);
        string text = credentials.ToString();
        Assert.DoesNotContain(Secret, text, StringComparison.Ordinal);
        Assert.DoesNotContain(Token, text, StringComparison.Ordinal);
        Assert.DoesNotContain("AKIDEXAMPLE1234", text, StringComparison.Ordinal);
        Assert.Contains("1234", text, StringComparison.Ordinal);
        Assert.DoesNotContain(Secret, new StaticCredentialsSource(credentials).ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(Token, new StaticCredentialsSource(credentials).ToString(), StringComparison.Ordinal);
        Assert.Contains("(none)", new SigningCredentials("AKID", Secret).ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Constructor_Rejects_Empty_WithoutEchoingValues()
    {
        ArgumentException a = Assert.Throws<ArgumentException>(() => new SigningCredentials("AKID", " "));
        Assert.Equal("secretAccessKey", a.ParamName);
        ArgumentException b = Assert.Throws<ArgumentException>(() => new SigningCredentials("", Secret));
        Assert.DoesNotContain(Secret, b.ToString(), StringComparison.Ordinal);
        Assert.Null(new SigningCredentials("AKID", Secret, "").SessionToken);
    }

    [Fact]
    public void Signing_Failure_DoesNotLeakSecrets()
    {
        var credentials = new SigningCredentials("AKID", Secret, Token);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/relative");
        ArgumentException ex = Assert.Throws<ArgumentException>(() =>
            SigV4Signer.Sign(request, default, credentials, "us-east-1", "bedrock", DateTimeOffset.UtcNow));
        Assert.DoesNotContain(Secret, ex.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(Token, ex.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task StaticSource_ReturnsSameInstance()
    {
        var credentials = new SigningCredentials("AKID", Secret);
        var source = new StaticCredentialsSource(credentials);
        Assert.Same(credentials, await source.GetCredentialsAsync(CancellationToken.None));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(
            async () => await source.GetCredentialsAsync(new CancellationToken(canceled: true)));
    }

    [Fact]
    public async Task AwsSdkSource_ConvertsAndReusesCredentials()
    {
        int created = 0;
        var source = new AwsSdkCredentialsSource(() =>
        {
            created++;
            return new SessionAWSCredentials("AKIDSDK", Secret, Token);
        }, "test");

        SigningCredentials first = await source.GetCredentialsAsync(CancellationToken.None);
        SigningCredentials second = await source.GetCredentialsAsync(CancellationToken.None);
        Assert.Equal("AKIDSDK", first.AccessKeyId);
        Assert.Equal(Secret, first.SecretAccessKey);
        Assert.Equal(Token, first.SessionToken);
        Assert.Same(first, second);
        Assert.Equal(1, created);
        Assert.DoesNotContain(Secret, source.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AwsSdkSource_FactoryFailure_IsWrapped_WithoutSecrets()
    {
        var source = new AwsSdkCredentialsSource(() => throw new AmazonClientException("no credentials here"), "test");
        InvalidOperationException ex = await Assert.ThrowsAsync<InvalidOperationException>(
            async () => await source.GetCredentialsAsync(CancellationToken.None));
        Assert.IsType<AmazonClientException>(ex.InnerException);
    }

    [Fact]
    public void AwsSdkSource_DefaultChain_IsLazy()
    {
        // Constructing must not resolve anything (no IMDS calls, no file reads).
        var source = new AwsSdkCredentialsSource();
        Assert.Contains("default chain", source.ToString(), StringComparison.Ordinal);
    }
}
