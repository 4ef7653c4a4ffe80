using BenchmarkDotNet.Attributes;
using PromptGen.Generated;
using PromptGen.Testing;

namespace PromptGen.Benchmarks;

/// <summary>
/// The seed's "perceived latency" claim, measured: for a 500-token answer at the emulator's default timing (30 ms to the
/// first token, then 2 ms a token), the time until a streaming caller has the first text vs the time until a
/// non-streaming caller has anything (the whole answer). Reported as a ratio against the full-response baseline.
/// </summary>
public class TtftBenchmarks
{
    private static readonly PromptDefinition Summary = new()
    {
        InterfaceName = "IReportWriter", MethodName = "SummarizeAsync", ModelId = "us.anthropic.claude-haiku-4-5-20251001-v1:0",
        Temperature = 0.3f, MaxTokens = 1024,
    };

    private const string Prompt = "Summarize the quarterly report.";

    private BedrockEmulator _emulator = null!;
    private BedrockClient _bedrock = null!;
    private PromptPipeline _pipeline = null!;

    [GlobalSetup]
    public async Task Setup()
    {
        var options = new BedrockEmulatorOptions();
        // 500 tokens: the emulator counts a word as a token.
        string answer = string.Concat(Enumerable.Repeat("word ", 500));
        options.ResponseText = _ => answer;
        _emulator = await BedrockEmulator.StartAsync(options);
        _bedrock = new BedrockClient(_emulator.ClientOptions());
        _pipeline = new PromptPipeline(_bedrock);
        PromptResult<string> probe = await PromptRunner.GetResultAsync<string>(_pipeline, Summary, Prompt, 0, 0, null, CancellationToken.None);
        Console.WriteLine($"// answer: {probe.Usage.OutputTokens} output tokens; emulator TTFT {options.TimeToFirstToken.TotalMilliseconds} ms, {options.TokenDelay.TotalMilliseconds} ms/token");
    }

    [GlobalCleanup]
    public async Task Cleanup()
    {
        _bedrock.Dispose();
        await _emulator.DisposeAsync();
    }

    [Benchmark(Baseline = true, Description = "full response (Converse): time until the caller has any text")]
    public Task<string> FullResponse() => PromptRunner.GetTextAsync(_pipeline, Summary, Prompt, 0, 0, CancellationToken.None);

    [Benchmark(Description = "streaming (ConverseStream): time to first token")]
    public async Task<string> FirstToken()
    {
        await using IAsyncEnumerator<string> stream = PromptRunner.StreamTextAsync(_pipeline, Summary, Prompt, 0, 0, CancellationToken.None).GetAsyncEnumerator();
        await stream.MoveNextAsync();
        return stream.Current;
    }
}
