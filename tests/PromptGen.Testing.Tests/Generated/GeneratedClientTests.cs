using System.Diagnostics;
using System.Text;
using PromptGen.Testing;

namespace PromptGen.Testing.Tests.Generated;

public enum Sentiment { Positive, Negative, Neutral }

[System.ComponentModel.Description("One line of an invoice.")]
public sealed record InvoiceLine(string Sku, int Quantity, decimal UnitPrice);

public sealed record ExtractedInvoice(string Number, string Customer, IReadOnlyList<InvoiceLine> Lines, decimal Total, string? Notes);

/// <summary>Names no model: the project's &lt;PromptGenDefaultModel&gt; (Nova Micro) applies.</summary>
[Prompt(UseCase = UseCase.Chatbot)]
public interface IDefaultModelChat
{
    [UserPrompt("{{ question }}")]
    Task<string> AskAsync(string question, CancellationToken cancellationToken = default);
}

[Prompt(UseCase = UseCase.Extraction, Model = "us.anthropic.claude-sonnet-4-5-20250929-v1:0")]
public interface IInvoiceExtractor
{
    [UserPrompt("Extract the invoice fields from:\n{{ text }}")]
    Task<ExtractedInvoice> ExtractAsync(string text, CancellationToken cancellationToken = default);

    [Prompt(Model = "us.amazon.nova-pro-v1:0")]
    [UserPrompt("Extract the invoice fields from:\n{{ text }}")]
    Task<PromptResult<ExtractedInvoice>> ExtractWithToolAsync(string text, CancellationToken cancellationToken = default);

    [Prompt(Model = "us.amazon.nova-pro-v1:0")]
    [UserPrompt("How many lines does this invoice have?\n{{ text }}")]
    ValueTask<int> CountLinesAsync(string text, CancellationToken cancellationToken = default);
}

[Prompt(UseCase = UseCase.Classification, Model = "us.anthropic.claude-haiku-4-5-20251001-v1:0")]
[SystemPrompt("You classify customer reviews.")]
public interface IReviewAnalyzer
{
    [UserPrompt("Sentiment of this review, one word:\n{{ review }}")]
    Task<Sentiment> ClassifyAsync(string review, CancellationToken cancellationToken = default);

    [Prompt(UseCase = UseCase.Summarization, MaxTokens = 300)]
    [UserPrompt("Summarize for {{ audience | string.downcase }}:\n{{ for r in reviews }}- {{ r }}\n{{ end }}")]
    IAsyncEnumerable<string> SummarizeAsync(string audience, IReadOnlyList<string> reviews, CancellationToken cancellationToken = default);

    [Prompt(UseCase = UseCase.CreativeWriting, Model = "us.amazon.nova-pro-v1:0", TopK = 50)]
    [UserPrompt("A tagline for {{ product }}")]
    Task<PromptResult<string>> TaglineAsync(string product, CancellationToken cancellationToken = default);

    [Prompt(UseCase = UseCase.Chatbot, TopK = 20, Temperature = 0.4)]
    [UserPrompt("{{ question }}")]
    ValueTask<string> AskAsync(string question, CancellationToken cancellationToken = default);
}

/// <summary>
/// A client generated at build time by PromptGen.Generator (referenced as an analyzer, as a user's project does) against the
/// emulator: the typed result, and the request Bedrock would receive (presets resolved per model, top-k placement, system
/// prompt, model ID).
/// </summary>
public class GeneratedClientTests
{
    private static async Task<(BedrockEmulator Emulator, BedrockClient Bedrock)> StartAsync(Func<EmulatorRequestContext, string>? text = null)
    {
        BedrockEmulator emulator = await BedrockEmulator.StartAsync(new BedrockEmulatorOptions
        {
            ResponseText = text,
            TimeToFirstToken = TimeSpan.FromMilliseconds(40),
            TokenDelay = TimeSpan.FromMilliseconds(1),
        });
        var bedrock = new BedrockClient(emulator.ClientOptions());
        return (emulator, bedrock);
    }

    [Fact]
    public async Task Classification_returns_the_enum_and_sends_the_resolved_preset()
    {
        (BedrockEmulator emulator, BedrockClient bedrock) = await StartAsync(_ => "  negative.\n");
        await using var _ = emulator;
        using var __ = bedrock;
        IReviewAnalyzer analyzer = new ReviewAnalyzerClient(bedrock);

        Sentiment sentiment = await analyzer.ClassifyAsync("The {{ box }} arrived broken.");

        Assert.Equal(Sentiment.Negative, sentiment);
        RecordedRequest request = Assert.Single(emulator.Requests);
        Assert.Equal("us.anthropic.claude-haiku-4-5-20251001-v1:0", request.ModelId);
        Assert.Equal("You classify customer reviews.", request.Json!["system"]![0]!["text"]!.GetValue<string>());
        // Values are data: the {{ box }} inside the argument is sent literally.
        Assert.Equal("Sentiment of this review, one word:\nThe {{ box }} arrived broken.",
            request.Json["messages"]![0]!["content"]![0]!["text"]!.GetValue<string>());
        // Haiku 4.5 takes temperature XOR topP: the classification preset sends temperature 0 only, and 64 tokens.
        var inference = request.Json["inferenceConfig"]!.AsObject();
        Assert.Equal(0, inference["temperature"]!.GetValue<double>());
        Assert.False(inference.ContainsKey("topP"));
        Assert.Equal(64, inference["maxTokens"]!.GetValue<int>());
    }

    [Fact]
    public async Task Streamed_summary_arrives_as_deltas_after_the_time_to_first_token()
    {
        (BedrockEmulator emulator, BedrockClient bedrock) = await StartAsync();
        await using var _ = emulator;
        using var __ = bedrock;
        IReviewAnalyzer analyzer = new ReviewAnalyzerClient(bedrock);

        var stopwatch = Stopwatch.StartNew();
        TimeSpan? first = null;
        var text = new StringBuilder();
        int deltas = 0;
        await foreach (string delta in analyzer.SummarizeAsync("Managers", ["Fast delivery", "Broken box"]))
        {
            first ??= stopwatch.Elapsed;
            text.Append(delta);
            deltas++;
        }

        Assert.True(deltas > 1);
        Assert.True(first >= TimeSpan.FromMilliseconds(30), $"first delta after {first}");
        RecordedRequest request = Assert.Single(emulator.Requests);
        Assert.Equal(EmulatorOperation.ConverseStream, request.Operation);
        Assert.Equal("Summarize for managers:\n- Fast delivery\n- Broken box\n",
            request.Json!["messages"]![0]!["content"]![0]!["text"]!.GetValue<string>());
        Assert.Equal(300, request.Json["inferenceConfig"]!["maxTokens"]!.GetValue<int>());
        Assert.Equal(0.3, request.Json["inferenceConfig"]!["temperature"]!.GetValue<double>(), 5);
    }

    [Fact]
    public async Task Prompt_result_carries_usage_latency_and_model_and_nova_top_k_is_nested()
    {
        (BedrockEmulator emulator, BedrockClient bedrock) = await StartAsync();
        await using var _ = emulator;
        using var __ = bedrock;
        IReviewAnalyzer analyzer = new ReviewAnalyzerClient(bedrock);

        PromptResult<string> result = await analyzer.TaglineAsync("PromptGen");

        Assert.False(string.IsNullOrWhiteSpace(result.Value));
        Assert.True(result.Usage.InputTokens > 0);
        Assert.True(result.Usage.OutputTokens > 0);
        Assert.Equal(StopReason.EndTurn, result.StopReason);
        Assert.Equal("us.amazon.nova-pro-v1:0", result.ModelId);
        Assert.True(result.Latency > TimeSpan.Zero);
        RecordedRequest request = Assert.Single(emulator.Requests);
        Assert.Equal(50, request.Json!["additionalModelRequestFields"]!["inferenceConfig"]!["topK"]!.GetValue<int>());
        Assert.Equal(0.8, request.Json["inferenceConfig"]!["temperature"]!.GetValue<double>(), 5);
        Assert.Equal(0.9, request.Json["inferenceConfig"]!["topP"]!.GetValue<double>(), 5);
        Assert.Equal(4096, request.Json["inferenceConfig"]!["maxTokens"]!.GetValue<int>());
    }

    [Fact]
    public async Task Claude_top_k_goes_in_additional_model_request_fields_and_the_written_temperature_wins()
    {
        (BedrockEmulator emulator, BedrockClient bedrock) = await StartAsync();
        await using var _ = emulator;
        using var __ = bedrock;
        IReviewAnalyzer analyzer = new ReviewAnalyzerClient(bedrock);

        string answer = await analyzer.AskAsync("What is PromptGen?");

        Assert.False(string.IsNullOrWhiteSpace(answer));
        RecordedRequest request = Assert.Single(emulator.Requests);
        Assert.Equal(20, request.Json!["additionalModelRequestFields"]!["top_k"]!.GetValue<int>());
        Assert.Equal(0.4, request.Json["inferenceConfig"]!["temperature"]!.GetValue<double>(), 5);
        Assert.False(request.Json["inferenceConfig"]!.AsObject().ContainsKey("topP"));
    }

    [Fact]
    public async Task Structured_output_uses_native_json_schema_where_the_model_supports_it()
    {
        (BedrockEmulator emulator, BedrockClient bedrock) = await StartAsync();
        await using var _ = emulator;
        using var __ = bedrock;
        IInvoiceExtractor extractor = new InvoiceExtractorClient(bedrock);

        ExtractedInvoice invoice = await extractor.ExtractAsync("INVOICE 7 for Fabrikam: 2 x W-1 at 3.50");

        Assert.NotNull(invoice.Number);
        Assert.NotNull(invoice.Customer);
        Assert.NotNull(invoice.Lines);
        RecordedRequest request = Assert.Single(emulator.Requests);
        var format = request.Json!["outputConfig"]!["textFormat"]!;
        Assert.Equal("json_schema", format["type"]!.GetValue<string>());
        string schema = format["structure"]!["jsonSchema"]!["schema"]!.GetValue<string>();
        Assert.Contains("\"Total\"", schema, StringComparison.Ordinal);
        Assert.Contains("\"One line of an invoice.\"", schema, StringComparison.Ordinal);
        Assert.Null(request.Json["toolConfig"]);
    }

    [Fact]
    public async Task Structured_output_forces_a_tool_where_the_model_has_no_native_json_schema()
    {
        (BedrockEmulator emulator, BedrockClient bedrock) = await StartAsync();
        await using var _ = emulator;
        using var __ = bedrock;
        IInvoiceExtractor extractor = new InvoiceExtractorClient(bedrock);

        PromptResult<ExtractedInvoice> result = await extractor.ExtractWithToolAsync("INVOICE 8 for Contoso");
        await extractor.CountLinesAsync("INVOICE 8 for Contoso");

        Assert.NotNull(result.Value.Lines);
        Assert.Equal(StopReason.ToolUse, result.StopReason);
        RecordedRequest request = emulator.Requests[0];
        Assert.Null(request.Json!["outputConfig"]);
        string tool = request.Json["toolConfig"]!["tools"]![0]!["toolSpec"]!["name"]!.GetValue<string>();
        Assert.Equal(tool, request.Json["toolConfig"]!["toolChoice"]!["tool"]!["name"]!.GetValue<string>());
        // A primitive result travels wrapped in {"value": ...}, since tool inputs must be objects.
        Assert.Contains("\"value\"", emulator.Requests[1].Json!["toolConfig"]!["tools"]![0]!["toolSpec"]!["inputSchema"]!["json"]!.ToJsonString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_msbuild_default_model_applies_to_interfaces_that_name_none()
    {
        (BedrockEmulator emulator, BedrockClient bedrock) = await StartAsync();
        await using var _ = emulator;
        using var __ = bedrock;

        string answer = await new DefaultModelChatClient(bedrock).AskAsync("Hello?");

        Assert.False(string.IsNullOrWhiteSpace(answer));
        Assert.Equal("us.amazon.nova-micro-v1:0", Assert.Single(emulator.Requests).ModelId);
    }
}
