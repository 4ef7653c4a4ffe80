using System.Text.Json.Nodes;
using PromptGen.Generated;

namespace PromptGen.Testing.Tests.Caching;

/// <summary>
/// Bedrock prompt caching (<c>CachePrompt</c>: checkpoints after the system prompt and the template's static prefix,
/// cache read/write tokens reported) and latency-optimized inference (<c>LatencyOptimized</c>: the served mode reported,
/// a fallback to standard visible), through generated clients against the emulator.
/// </summary>
public sealed class PromptCachingAndLatencyTests
{
    private static async Task<(BedrockEmulator Emulator, BedrockClient Bedrock)> StartAsync(string region = "us-east-1")
    {
        BedrockEmulator emulator = await BedrockEmulator.StartAsync(new BedrockEmulatorOptions
        {
            Region = region,
            TimeToFirstToken = TimeSpan.FromMilliseconds(20),
            TokenDelay = TimeSpan.FromMilliseconds(1),
        });
        return (emulator, new BedrockClient(emulator.ClientOptions()));
    }

    private static int CachePoints(JsonNode request) =>
        ((request["system"] as JsonArray) ?? []).Concat((JsonArray)request["messages"]![0]!["content"]!).Count(b => b?["cachePoint"] is not null);

    [Fact]
    public async Task CachePrompt_marks_the_system_prompt_and_the_templates_static_prefix()
    {
        (BedrockEmulator emulator, BedrockClient bedrock) = await StartAsync();
        await using var _ = emulator;
        using var __ = bedrock;
        IPolicyDesk desk = new PolicyDeskClient(bedrock);

        await desk.AskAsync("Can I get a refund after 20 days?");

        JsonNode request = Assert.Single(emulator.Requests).Json!;
        var system = (JsonArray)request["system"]!;
        Assert.Equal(2, system.Count);
        Assert.StartsWith("You answer support questions", system[0]!["text"]!.GetValue<string>());
        Assert.NotNull(system[1]!["cachePoint"]);
        Assert.Null(system[1]!["cachePoint"]!["ttl"]);
        var content = (JsonArray)request["messages"]![0]!["content"]!;
        Assert.Equal(3, content.Count);
        // The static prefix is all the literal text before the first tag.
        Assert.Equal("Reference copy of the policy:\n" + SupportPolicy.Text + "\nQuestion: ", content[0]!["text"]!.GetValue<string>());
        Assert.NotNull(content[1]!["cachePoint"]);
        Assert.Equal("Can I get a refund after 20 days?", content[2]!["text"]!.GetValue<string>());
        Assert.InRange(CachePoints(request), 1, PromptRunner.MaxCachePoints);
    }

    [Fact]
    public async Task A_template_that_starts_with_a_tag_gets_only_the_system_checkpoint()
    {
        (BedrockEmulator emulator, BedrockClient bedrock) = await StartAsync();
        await using var _ = emulator;
        using var __ = bedrock;
        IPolicyDesk desk = new PolicyDeskClient(bedrock);

        await desk.AskShortAsync("Refund after 20 days?");

        JsonNode request = Assert.Single(emulator.Requests).Json!;
        Assert.Equal(1, CachePoints(request));
        Assert.NotNull(request["system"]![1]!["cachePoint"]);
        Assert.Equal("Refund after 20 days? (answer in one word)", Assert.Single((JsonArray)request["messages"]![0]!["content"]!)!["text"]!.GetValue<string>());
    }

    [Fact]
    public async Task The_first_call_writes_the_prompt_cache_and_the_next_reads_it()
    {
        (BedrockEmulator emulator, BedrockClient bedrock) = await StartAsync();
        await using var _ = emulator;
        using var __ = bedrock;
        IPolicyDesk desk = new PolicyDeskClient(bedrock);

        PromptResult<string> first = await desk.AskAsync("Can I get a refund after 20 days?");
        PromptResult<string> second = await desk.AskAsync("Is shipping free for warranty repairs?");

        Assert.True(first.Usage.CacheWriteInputTokens > 1024, $"wrote {first.Usage.CacheWriteInputTokens}");
        Assert.Equal(0, first.Usage.CacheReadInputTokens);
        Assert.Equal(first.Usage.CacheWriteInputTokens, second.Usage.CacheReadInputTokens);
        Assert.Equal(0, second.Usage.CacheWriteInputTokens);
        // Only the question is read at the full input price.
        Assert.True(second.Usage.InputTokens < 50, $"input {second.Usage.InputTokens}");
        Assert.False(second.CacheHit);
    }

    [Fact]
    public async Task A_checkpoint_time_to_live_is_sent_when_the_definition_sets_one()
    {
        (BedrockEmulator emulator, BedrockClient bedrock) = await StartAsync();
        await using var _ = emulator;
        using var __ = bedrock;
        var definition = new PromptDefinition
        {
            InterfaceName = "IPolicyDesk", MethodName = "AskAsync", ModelId = "us.anthropic.claude-sonnet-4-5-20250929-v1:0",
            SystemPrompt = SupportPolicy.Text, CachePrompt = true, CacheTtl = "1h", Temperature = 0, MaxTokens = 64,
        };
        string prompt = "Policy:\n" + SupportPolicy.Text + "\nQuestion: refunds?";

        PromptResult<string> result = await PromptRunner.GetResultAsync<string>(
            new PromptPipeline(bedrock), definition, prompt, prompt.Length - "Question: refunds?".Length, 0, null, default);

        JsonNode request = Assert.Single(emulator.Requests).Json!;
        Assert.Equal("1h", request["system"]![1]!["cachePoint"]!["ttl"]!.GetValue<string>());
        Assert.Equal("1h", request["messages"]![0]!["content"]![1]!["cachePoint"]!["ttl"]!.GetValue<string>());
        Assert.True(result.Usage.CacheWriteInputTokens > 0);
    }

    [Fact]
    public async Task LatencyOptimized_sends_performanceConfig_and_reports_the_optimized_mode()
    {
        (BedrockEmulator emulator, BedrockClient bedrock) = await StartAsync("us-east-1");
        await using var _ = emulator;
        using var __ = bedrock;
        IFastSummarizer summarizer = new FastSummarizerClient(bedrock);

        PromptResult<string> result = await summarizer.SummarizeAsync("Quarterly revenue rose 12% on strong cloud demand.");

        Assert.Equal("optimized", Assert.Single(emulator.Requests).Json!["performanceConfig"]!["latency"]!.GetValue<string>());
        Assert.Equal("optimized", result.LatencyMode);
    }

    [Fact]
    public async Task A_silent_fallback_to_standard_latency_is_visible_in_the_result()
    {
        // Nova Pro offers optimized latency in us-east-1 and us-east-2 only: in us-west-2 Bedrock serves standard.
        (BedrockEmulator emulator, BedrockClient bedrock) = await StartAsync("us-west-2");
        await using var _ = emulator;
        using var __ = bedrock;
        IFastSummarizer summarizer = new FastSummarizerClient(bedrock);

        PromptResult<string> result = await summarizer.SummarizeAsync("Quarterly revenue rose 12% on strong cloud demand.");

        Assert.Equal("optimized", Assert.Single(emulator.Requests).Json!["performanceConfig"]!["latency"]!.GetValue<string>());
        Assert.Equal("standard", result.LatencyMode);
    }

    [Fact]
    public async Task A_streamed_result_reports_time_to_first_token_before_the_end()
    {
        (BedrockEmulator emulator, BedrockClient bedrock) = await StartAsync();
        await using var _ = emulator;
        using var __ = bedrock;
        IFastSummarizer summarizer = new FastSummarizerClient(bedrock);

        PromptResult<string> result = await summarizer.SummarizeAsync("Quarterly revenue rose 12% on strong cloud demand.");

        Assert.Equal(EmulatorOperation.ConverseStream, Assert.Single(emulator.Requests).Operation);
        Assert.NotNull(result.TimeToFirstToken);
        Assert.True(result.TimeToFirstToken < result.Latency, $"first token {result.TimeToFirstToken}, whole call {result.Latency}");
    }
}
