using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;

namespace PromptGen.Testing.Tests.Support;

/// <summary>Raw HttpClient helpers for talking to an emulator.</summary>
internal sealed class EmulatorHttp : IDisposable
{
    public const string Sonnet45 = "us.anthropic.claude-sonnet-4-5-20250929-v1:0";
    public const string Opus47 = "us.anthropic.claude-opus-4-7";

    private readonly BedrockEmulator _emulator;

    public EmulatorHttp(BedrockEmulator emulator)
    {
        _emulator = emulator;
        Client = new HttpClient { Timeout = TimeSpan.FromSeconds(60) };
    }

    public HttpClient Client { get; }

    public static JsonObject UserBody(string text) =>
        new() { ["messages"] = new JsonArray { new JsonObject { ["role"] = "user", ["content"] = new JsonArray { new JsonObject { ["text"] = text } } } } };

    public HttpRequestMessage Build(string modelId, string operation, JsonNode? body, string auth = "sigv4", string? secret = null, bool encodeModelId = true)
    {
        string id = encodeModelId ? Uri.EscapeDataString(modelId) : modelId;
        byte[] bytes = Encoding.UTF8.GetBytes(body?.ToJsonString() ?? "{}");
        var request = new HttpRequestMessage(HttpMethod.Post, new Uri(_emulator.Endpoint, "/model/" + id + "/" + operation))
        {
            Content = new ByteArrayContent(bytes),
        };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        switch (auth)
        {
            case "sigv4":
                TestSigner.Sign(request, bytes, _emulator.Options.AccessKeyId, secret ?? _emulator.Options.SecretAccessKey);
                break;
            case "bearer":
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _emulator.Options.BearerToken);
                break;
        }

        return request;
    }

    public Task<HttpResponseMessage> SendAsync(string modelId, string operation, JsonNode? body, string auth = "sigv4", HttpCompletionOption completion = HttpCompletionOption.ResponseContentRead) =>
        Client.SendAsync(Build(modelId, operation, body, auth), completion);

    public async Task<(HttpResponseMessage Response, JsonNode? Json)> SendJsonAsync(string modelId, string operation, JsonNode? body, string auth = "sigv4")
    {
        HttpResponseMessage response = await SendAsync(modelId, operation, body, auth);
        string text = await response.Content.ReadAsStringAsync();
        return (response, text.Length == 0 ? null : JsonNode.Parse(text));
    }

    public static string ErrorType(HttpResponseMessage response) =>
        response.Headers.TryGetValues("x-amzn-ErrorType", out var values) ? values.First().Split(':')[0] : "";

    public void Dispose() => Client.Dispose();
}
