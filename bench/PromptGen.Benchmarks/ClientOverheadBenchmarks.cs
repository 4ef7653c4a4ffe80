using System.Net.Http.Headers;
using System.Text;
using BenchmarkDotNet.Attributes;

namespace PromptGen.Benchmarks;

/// <summary>
/// Issue 2 goal: BedrockClient.ConverseAsync costs at most 5% more than a raw HttpClient POST of the same pre-built JSON to
/// the same loopback server (median ratio), and allocates at most 4 KB per call beyond the response body.
/// </summary>
[MemoryDiagnoser]
public class ClientOverheadBenchmarks
{
    private const string ResponseJson = """
        {"output":{"message":{"role":"assistant","content":[{"text":"Streaming shows the first words sooner."}]}},"stopReason":"end_turn","usage":{"inputTokens":21,"outputTokens":9,"totalTokens":30},"metrics":{"latencyMs":120}}
        """;

    private LoopbackServer _server = null!;
    private HttpClient _raw = null!;
    private BedrockClient _signed = null!;
    private BedrockClient _apiKey = null!;
    private ConverseRequest _request = null!;
    private byte[] _requestJson = null!;
    private Uri _uri = null!;

    [GlobalSetup]
    public async Task Setup()
    {
        _server = await LoopbackServer.StartAsync(Encoding.UTF8.GetBytes(ResponseJson), "application/json");
        _request = new ConverseRequest
        {
            System = [SystemContentBlock.FromText("You answer in one sentence.")],
            Messages = [Message.User("Why does streaming feel faster?")],
            InferenceConfig = new InferenceConfiguration { MaxTokens = 200, Temperature = 0.3f },
        };
        _requestJson = BedrockJson.SerializeToUtf8Bytes(_request);
        _uri = new Uri(_server.Endpoint, "/model/us.anthropic.claude-haiku-4-5-20251001-v1%3A0/converse");
        _raw = new HttpClient(new SocketsHttpHandler());
        _signed = new BedrockClient(new BedrockClientOptions
        {
            Endpoint = _server.Endpoint, Region = "us-east-1", AccessKeyId = "AKIDBENCH", SecretAccessKey = "bench-secret", UseEnvironment = false,
        });
        _apiKey = new BedrockClient(new BedrockClientOptions { Endpoint = _server.Endpoint, BearerToken = "bench-key", UseEnvironment = false });
    }

    [GlobalCleanup]
    public async Task Cleanup()
    {
        _raw.Dispose();
        _signed.Dispose();
        _apiKey.Dispose();
        await _server.DisposeAsync();
    }

    [Benchmark(Baseline = true, Description = "raw HttpClient POST (pre-built JSON)")]
    public async Task<int> RawHttpClient()
    {
        using var content = new ByteArrayContent(_requestJson);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        using HttpResponseMessage response = await _raw.PostAsync(_uri, content);
        byte[] body = await response.Content.ReadAsByteArrayAsync();
        return body.Length;
    }

    [Benchmark(Description = "BedrockClient.ConverseAsync (SigV4)")]
    public async Task<int> ConverseSigV4()
    {
        ConverseResponse response = await _signed.ConverseAsync("us.anthropic.claude-haiku-4-5-20251001-v1:0", _request);
        return response.Usage!.TotalTokens;
    }

    [Benchmark(Description = "BedrockClient.ConverseAsync (API key)")]
    public async Task<int> ConverseApiKey()
    {
        ConverseResponse response = await _apiKey.ConverseAsync("us.anthropic.claude-haiku-4-5-20251001-v1:0", _request);
        return response.Usage!.TotalTokens;
    }
}
