using System.Text;
using PromptGen.Signing;

namespace PromptGen.Runtime.Tests.Signing;

/// <summary>Bedrock-shaped requests: model ids percent-encoded once in the path, twice in the canonical URI (WIRE.md §1.4).</summary>
public sealed class BedrockSigningTests
{
    private const string Secret = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
    private static readonly DateTimeOffset Time = new(2026, 8, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly byte[] Body = Encoding.UTF8.GetBytes("{\"messages\":[{\"role\":\"user\",\"content\":[{\"text\":\"Hello\"}]}]}");
    private const string BodyHash = "7421da8d1a0949a481724fee62d5886aacde03836bf58248adb73e8b61ac0d54";

    private static HttpRequestMessage Converse(string encodedModelId)
    {
        var request = new HttpRequestMessage(HttpMethod.Post,
            new Uri("https://bedrock-runtime.us-east-1.amazonaws.com/model/" + encodedModelId + "/converse"));
        request.Content = new ByteArrayContent(Body);
        request.Content.Headers.TryAddWithoutValidation("Content-Type", "application/json");
        request.Headers.TryAddWithoutValidation("User-Agent", "promptgen-test/1.0");
        return request;
    }

    [Fact]
    public void CanonicalUri_DoubleEncodesModelIdColon()
    {
        Assert.Equal("/model/us.anthropic.claude-sonnet-4-5-20250929-v1%253A0/converse",
            SigV4Signer.CanonicalUri("/model/us.anthropic.claude-sonnet-4-5-20250929-v1%3A0/converse", doubleEncode: true, normalize: true));
    }

    [Fact]
    public void CanonicalUri_DoubleEncodesArnSlash()
    {
        Assert.Equal(
            "/model/arn%253Aaws%253Abedrock%253Aus-east-1%253A123456789012%253Aapplication-inference-profile%252Fabc123/converse",
            SigV4Signer.CanonicalUri(
                "/model/arn%3Aaws%3Abedrock%3Aus-east-1%3A123456789012%3Aapplication-inference-profile%2Fabc123/converse",
                doubleEncode: true, normalize: true));
    }

    [Fact]
    public void CanonicalUri_SingleMode_KeepsEscapes_AndSkipsNormalisation()
    {
        Assert.Equal("/b//k%3A1/./x%20y%24", SigV4Signer.CanonicalUri("/b//k%3a1/./x y$", doubleEncode: false, normalize: false));
    }

    [Fact]
    public void Sign_ConverseModelId_MatchesIndependentSignature()
    {
        // Expected signature computed independently (Python hashlib/hmac, the script first checked against botocore
        // post-vanilla) from the canonical request with %253A.
        using HttpRequestMessage request = Converse("us.anthropic.claude-sonnet-4-5-20250929-v1%3A0");
        SigV4Signer.Sign(request, Body, new SigningCredentials("AKIDEXAMPLE", Secret), "us-east-1", "bedrock", Time, signBody: true);

        Assert.Equal(
            "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20260801/us-east-1/bedrock/aws4_request, " +
            "SignedHeaders=content-type;host;x-amz-content-sha256;x-amz-date, " +
            "Signature=7eadda769798f493249f02358f50e5ced30a25c51c24673d0a17ba9632c4c863",
            Assert.Single(request.Headers.GetValues("Authorization")));
        Assert.Equal("20260801T120000Z", Assert.Single(request.Headers.GetValues("X-Amz-Date")));
        Assert.Equal(BodyHash, Assert.Single(request.Headers.GetValues("X-Amz-Content-SHA256")));
        Assert.False(request.Headers.Contains("X-Amz-Security-Token"));
        // The wire path keeps the single encoding.
        Assert.Equal("/model/us.anthropic.claude-sonnet-4-5-20250929-v1%3A0/converse", request.RequestUri!.AbsolutePath);
    }

    [Fact]
    public void Sign_ArnWithSessionToken_SignsTokenHeader()
    {
        using HttpRequestMessage request = Converse(
            "arn%3Aaws%3Abedrock%3Aus-east-1%3A123456789012%3Aapplication-inference-profile%2Fabc123");
        SigV4Signer.Sign(request, Body, new SigningCredentials("AKIDEXAMPLE", Secret, "SESSIONTOKEN"), "us-east-1", "bedrock", Time,
            signBody: true);

        Assert.Equal(
            "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20260801/us-east-1/bedrock/aws4_request, " +
            "SignedHeaders=content-type;host;x-amz-content-sha256;x-amz-date;x-amz-security-token, " +
            "Signature=1c0b58b7551403e1525aa7ad71e831bca2e18641f512c3d3ddca8e10b90aee3c",
            Assert.Single(request.Headers.GetValues("Authorization")));
        Assert.Equal("SESSIONTOKEN", Assert.Single(request.Headers.GetValues("X-Amz-Security-Token")));
    }

    [Fact]
    public void Sign_WithoutSignBody_OmitsContentSha256_ButHashesThePayload()
    {
        using HttpRequestMessage request = Converse("us.anthropic.claude-sonnet-4-5-20250929-v1%3A0");
        var credentials = new SigningCredentials("AKIDEXAMPLE", Secret);
        SigV4Signer.Sign(request, Body, credentials, "us-east-1", "bedrock", Time);
        Assert.False(request.Headers.Contains("X-Amz-Content-SHA256"));

        string canonical = SigV4Signer.CanonicalRequest("POST", "/model/us.anthropic.claude-sonnet-4-5-20250929-v1%253A0/converse", "",
            [new("Content-Type", "application/json"), new("Host", "bedrock-runtime.us-east-1.amazonaws.com"), new("X-Amz-Date", "20260801T120000Z")],
            BodyHash, out string signedHeaders);
        string signature = SigV4Signer.Signature(Secret, Time, "us-east-1", "bedrock", SigV4Signer.StringToSign(Time, "us-east-1", "bedrock", canonical));
        Assert.Equal(SigV4Signer.AuthorizationHeader("AKIDEXAMPLE", Time, "us-east-1", "bedrock", signedHeaders, signature),
            Assert.Single(request.Headers.GetValues("Authorization")));
    }

    [Fact]
    public void Sign_Twice_ReplacesEarlierSignatureHeaders()
    {
        using HttpRequestMessage request = Converse("m%3A0");
        SigV4Signer.Sign(request, Body, new SigningCredentials("AKIDEXAMPLE", Secret, "T1"), "us-east-1", "bedrock", Time, signBody: true);
        SigV4Signer.Sign(request, Body, new SigningCredentials("AKIDEXAMPLE", Secret), "us-east-1", "bedrock", Time.AddSeconds(5));
        Assert.Single(request.Headers.GetValues("Authorization"));
        Assert.Equal("20260801T120005Z", Assert.Single(request.Headers.GetValues("X-Amz-Date")));
        Assert.False(request.Headers.Contains("X-Amz-Security-Token"));
        Assert.False(request.Headers.Contains("X-Amz-Content-SHA256"));
        Assert.DoesNotContain("user-agent", Assert.Single(request.Headers.GetValues("Authorization")), StringComparison.Ordinal);
    }

    [Fact]
    public void Sign_NonDefaultPort_IsInHost()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri("http://127.0.0.1:5050/model/m%3A0/converse"));
        var credentials = new SigningCredentials("AKIDEXAMPLE", Secret);
        SigV4Signer.Sign(request, ReadOnlySpan<byte>.Empty, credentials, "us-east-1", "bedrock", Time);
        string canonical = SigV4Signer.CanonicalRequest("POST", "/model/m%253A0/converse", "",
            [new("host", "127.0.0.1:5050"), new("x-amz-date", "20260801T120000Z")], SigV4Signer.EmptyPayloadHash, out string signed);
        string signature = SigV4Signer.Signature(Secret, Time, "us-east-1", "bedrock", SigV4Signer.StringToSign(Time, "us-east-1", "bedrock", canonical));
        Assert.EndsWith("Signature=" + signature, Assert.Single(request.Headers.GetValues("Authorization")), StringComparison.Ordinal);
        Assert.Equal("host;x-amz-date", signed);
    }

    [Fact]
    public void Signature_KeyCache_GivesSameResultAcrossDatesRegionsAndSecrets()
    {
        // Exercise more distinct keys than the cache holds, then come back: results must not depend on cache state.
        string first = SigV4Signer.Signature(Secret, Time, "us-east-1", "bedrock", "sts");
        for (int i = 0; i < 10; i++)
        {
            Assert.NotEqual(first, SigV4Signer.Signature(Secret + i, Time, "us-east-1", "bedrock", "sts"));
            Assert.NotEqual(first, SigV4Signer.Signature(Secret, Time.AddDays(i + 1), "us-east-1", "bedrock", "sts"));
            Assert.NotEqual(first, SigV4Signer.Signature(Secret, Time, "eu-west-" + i, "bedrock", "sts"));
        }

        Assert.Equal(first, SigV4Signer.Signature(Secret, Time, "us-east-1", "bedrock", "sts"));
        Assert.Equal(first, SigV4Signer.Signature(Secret, Time.AddHours(11), "us-east-1", "bedrock", "sts"));
    }

    [Fact]
    public void CanonicalQuery_SortsAndReencodes()
    {
        Assert.Equal("", SigV4Signer.CanonicalQuery("?"));
        Assert.Equal("a=&b=%2F%20%2B&c=1", SigV4Signer.CanonicalQuery("?c=1&b=%2F%20+&a"));
    }
}
