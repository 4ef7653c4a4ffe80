using System.Net;
using System.Text.Json.Nodes;
using PromptGen.Testing.Tests.Support;

namespace PromptGen.Testing.Tests;

public sealed class AuthAndRoutingTests
{
    [Fact]
    public async Task Unsigned_request_gets_403_InvalidSignatureException()
    {
        await using BedrockEmulator emulator = await BedrockEmulator.StartAsync();
        using var http = new EmulatorHttp(emulator);
        var (response, json) = await http.SendJsonAsync(EmulatorHttp.Sonnet45, "converse", EmulatorHttp.UserBody("Hi"), auth: "none");
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("InvalidSignatureException", EmulatorHttp.ErrorType(response));
        Assert.NotNull(json!["message"]);
    }

    [Fact]
    public async Task Request_signed_with_the_wrong_secret_gets_403_InvalidSignatureException()
    {
        await using BedrockEmulator emulator = await BedrockEmulator.StartAsync();
        using var http = new EmulatorHttp(emulator);
        HttpResponseMessage response = await http.Client.SendAsync(http.Build(EmulatorHttp.Sonnet45, "converse", EmulatorHttp.UserBody("Hi"), secret: "not-the-secret"));
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("InvalidSignatureException", EmulatorHttp.ErrorType(response));
        JsonNode json = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.StartsWith("The request signature we calculated does not match", json["message"]!.GetValue<string>());
    }

    [Fact]
    public async Task Body_tampered_after_signing_gets_rejected()
    {
        await using BedrockEmulator emulator = await BedrockEmulator.StartAsync();
        using var http = new EmulatorHttp(emulator);
        HttpRequestMessage request = http.Build(EmulatorHttp.Sonnet45, "converse", EmulatorHttp.UserBody("Hi"));
        request.Headers.Remove("X-Amz-Content-SHA256");
        request.Content = new StringContent(EmulatorHttp.UserBody("Tampered").ToJsonString(), System.Text.Encoding.UTF8, "application/json");
        request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        HttpResponseMessage response = await http.Client.SendAsync(request);
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("InvalidSignatureException", EmulatorHttp.ErrorType(response));
    }

    [Fact]
    public async Task Wrong_bearer_token_is_refused_with_403()
    {
        await using BedrockEmulator emulator = await BedrockEmulator.StartAsync(new BedrockEmulatorOptions { BearerToken = "other" });
        using var http = new EmulatorHttp(emulator);
        HttpRequestMessage request = http.Build(EmulatorHttp.Sonnet45, "converse", EmulatorHttp.UserBody("Hi"), auth: "none");
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", "wrong");
        HttpResponseMessage response = await http.Client.SendAsync(request);
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    public async Task Unsigned_requests_pass_when_signatures_are_not_required()
    {
        await using BedrockEmulator emulator = await BedrockEmulator.StartAsync(new BedrockEmulatorOptions { RequireSignature = false });
        using var http = new EmulatorHttp(emulator);
        HttpResponseMessage response = await http.SendAsync(EmulatorHttp.Sonnet45, "converse", EmulatorHttp.UserBody("Hi"), auth: "none");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Unencoded_slash_in_the_model_id_gives_200_with_the_UnknownOperationException_body()
    {
        await using BedrockEmulator emulator = await BedrockEmulator.StartAsync();
        using var http = new EmulatorHttp(emulator);
        string arn = "arn:aws:bedrock:us-east-1:123456789012:application-inference-profile/abc123";
        HttpRequestMessage request = http.Build(arn.Replace(":", "%3A"), "converse", EmulatorHttp.UserBody("Hi"), encodeModelId: false);
        Assert.Contains("application-inference-profile/abc123/converse", request.RequestUri!.AbsolutePath);
        HttpResponseMessage response = await http.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("{\"Output\":{\"__type\":\"com.amazon.coral.service#UnknownOperationException\"},\"Version\":\"1.0\"}", await response.Content.ReadAsStringAsync());
        Assert.Equal(EmulatorOperation.Unknown, emulator.Requests.Single().Operation);
    }

    [Fact]
    public async Task Encoded_slash_routes_and_arns_skip_catalogue_checks()
    {
        await using BedrockEmulator emulator = await BedrockEmulator.StartAsync();
        using var http = new EmulatorHttp(emulator);
        string arn = "arn:aws:bedrock:us-east-1:123456789012:application-inference-profile/abc123";
        HttpResponseMessage response = await http.SendAsync(arn, "converse", EmulatorHttp.UserBody("Hi"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(arn, emulator.Requests.Single().ModelId);
        Assert.Contains("%2F", emulator.Requests.Single().RawPath);
    }
}
