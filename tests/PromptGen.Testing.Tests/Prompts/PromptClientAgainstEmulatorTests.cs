using System.Diagnostics;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace PromptGen.Testing.Tests.Prompts;

/// <summary>
/// A prompt client written as the generator will emit it, end to end against the emulator: the recorded requests carry
/// the resolved settings where each model takes them, and answers come back as typed values, streams and results.
/// </summary>
public sealed class PromptClientAgainstEmulatorTests
{
    private const string InvoiceText = "ACME Corp\nInvoice INV-2024-001\nTotal due: 1,250.00 EUR";

    private static BedrockClient Client(BedrockEmulator emulator) => new(emulator.ClientOptions());

    private static JsonNode LastJson(BedrockEmulator emulator) => emulator.Requests[^1].Json!;

    [Fact]
    public async Task Extraction_on_claude_uses_native_structured_output_and_claude_top_k()
    {
        await using BedrockEmulator emulator = await BedrockEmulator.StartAsync();
        using BedrockClient bedrock = Client(emulator);
        IInvoiceReader reader = new HandWrittenInvoiceReaderClient(bedrock);

        Invoice invoice = await reader.ExtractAsync(InvoiceText);

        Assert.False(string.IsNullOrEmpty(invoice.Number));
        RecordedRequest recorded = Assert.Single(emulator.Requests);
        Assert.Equal(200, recorded.StatusCode);
        Assert.Equal(EmulatorOperation.Converse, recorded.Operation);
        Assert.Equal(HandWrittenInvoiceReaderClient.Sonnet45, recorded.ModelId);
        JsonNode json = recorded.Json!;

        JsonObject inference = json["inferenceConfig"]!.AsObject();
        Assert.Equal(0, inference["temperature"]!.GetValue<double>());
        Assert.Equal(1024, inference["maxTokens"]!.GetValue<int>());
        Assert.False(inference.ContainsKey("topP")); // Claude 4.5 takes temperature or topP, not both
        Assert.Equal("""{"top_k":50}""", json["additionalModelRequestFields"]!.ToJsonString());

        Assert.Equal("json_schema", json["outputConfig"]!["textFormat"]!["type"]!.GetValue<string>());
        Assert.Equal(HandWrittenInvoiceReaderClient.InvoiceSchema, json["outputConfig"]!["textFormat"]!["structure"]!["jsonSchema"]!["schema"]!.GetValue<string>());
        Assert.Null(json["toolConfig"]);
        Assert.Null(json["performanceConfig"]);
    }

    [Fact]
    public async Task Cache_points_follow_the_system_prompt_and_the_static_prefix_of_the_user_message()
    {
        await using BedrockEmulator emulator = await BedrockEmulator.StartAsync();
        using BedrockClient bedrock = Client(emulator);
        IInvoiceReader reader = new HandWrittenInvoiceReaderClient(bedrock);

        await reader.ExtractAsync(InvoiceText);

        JsonNode json = LastJson(emulator);
        Assert.Equal(
            """[{"text":"You extract structured data from business documents."},{"cachePoint":{"type":"default"}}]""",
            json["system"]!.ToJsonString());
        JsonArray content = json["messages"]![0]!["content"]!.AsArray();
        Assert.Equal(3, content.Count);
        Assert.Equal("Extract the invoice fields from:\n", content[0]!["text"]!.GetValue<string>());
        Assert.NotNull(content[1]!["cachePoint"]);
        Assert.Equal(InvoiceText, content[2]!["text"]!.GetValue<string>());
    }

    [Fact]
    public async Task Extraction_on_nova_pro_forces_a_tool_and_puts_top_k_in_nova_inference_config()
    {
        await using BedrockEmulator emulator = await BedrockEmulator.StartAsync();
        using BedrockClient bedrock = Client(emulator);
        IInvoiceReader reader = new HandWrittenInvoiceReaderClient(bedrock);

        Invoice invoice = await reader.ExtractWithToolAsync(InvoiceText);

        Assert.False(string.IsNullOrEmpty(invoice.Number));
        JsonNode json = LastJson(emulator);
        Assert.Equal(HandWrittenInvoiceReaderClient.NovaPro, emulator.Requests[^1].ModelId);
        Assert.Null(json["outputConfig"]);
        Assert.Equal("""{"tool":{"name":"respond"}}""", json["toolConfig"]!["toolChoice"]!.ToJsonString());
        JsonNode spec = Assert.Single(json["toolConfig"]!["tools"]!.AsArray())!["toolSpec"]!;
        Assert.Equal("respond", spec["name"]!.GetValue<string>());
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(HandWrittenInvoiceReaderClient.InvoiceSchema), spec["inputSchema"]!["json"]));
        Assert.Equal("""{"inferenceConfig":{"topK":20}}""", json["additionalModelRequestFields"]!.ToJsonString());
        Assert.Equal(0.1, json["inferenceConfig"]!["topP"]!.GetValue<double>(), 5);
        Assert.Equal(0, json["inferenceConfig"]!["temperature"]!.GetValue<double>());
        Assert.Single(json["system"]!.AsArray()); // no caching asked: no checkpoint
    }

    [Fact]
    public async Task Classification_reads_the_label_into_the_enum()
    {
        await using BedrockEmulator emulator = await BedrockEmulator.StartAsync(new BedrockEmulatorOptions { ResponseText = _ => " receipt.\n" });
        using BedrockClient bedrock = Client(emulator);
        IInvoiceReader reader = new HandWrittenInvoiceReaderClient(bedrock);

        DocumentKind kind = await reader.ClassifyAsync("Paid with card, thank you!");

        Assert.Equal(DocumentKind.Receipt, kind);
        JsonNode json = LastJson(emulator);
        Assert.Equal(64, json["inferenceConfig"]!["maxTokens"]!.GetValue<int>());
        Assert.Null(json["outputConfig"]);
        Assert.Null(json["toolConfig"]);
    }

    [Fact]
    public async Task Classification_answer_that_is_no_label_is_a_typed_error()
    {
        await using BedrockEmulator emulator = await BedrockEmulator.StartAsync(new BedrockEmulatorOptions { ResponseText = _ => "It is hard to say." });
        using BedrockClient bedrock = Client(emulator);
        IInvoiceReader reader = new HandWrittenInvoiceReaderClient(bedrock);

        var e = await Assert.ThrowsAsync<PromptOutputFormatException>(() => reader.ClassifyAsync("?"));

        Assert.Equal(["Invoice", "Receipt", "Other"], e.AllowedValues);
        Assert.Equal("It is hard to say.", e.RawText);
        Assert.Equal(HandWrittenInvoiceReaderClient.Haiku45, e.ModelId);
    }

    [Fact]
    public async Task Streamed_summary_yields_deltas_after_the_time_to_first_token()
    {
        var options = new BedrockEmulatorOptions { TimeToFirstToken = TimeSpan.FromMilliseconds(150), TokenDelay = TimeSpan.FromMilliseconds(3) };
        await using BedrockEmulator emulator = await BedrockEmulator.StartAsync(options);
        using BedrockClient bedrock = Client(emulator);
        IInvoiceReader reader = new HandWrittenInvoiceReaderClient(bedrock);

        var pieces = new List<string>();
        TimeSpan? firstToken = null;
        long start = Stopwatch.GetTimestamp();
        await foreach (string piece in reader.SummarizeAsync(InvoiceText))
        {
            firstToken ??= Stopwatch.GetElapsedTime(start);
            pieces.Add(piece);
        }

        TimeSpan total = Stopwatch.GetElapsedTime(start);
        Assert.True(pieces.Count > 3, $"{pieces.Count} pieces");
        Assert.True(firstToken >= TimeSpan.FromMilliseconds(140), firstToken.ToString());
        Assert.True(total > firstToken);
        RecordedRequest recorded = Assert.Single(emulator.Requests);
        Assert.Equal(EmulatorOperation.ConverseStream, recorded.Operation);
        Assert.Equal("""{"latency":"optimized"}""", recorded.Json!["performanceConfig"]!.ToJsonString());
        Assert.Equal(400, recorded.Json!["inferenceConfig"]!["maxTokens"]!.GetValue<int>());
        Assert.Equal(0.5, recorded.Json!["inferenceConfig"]!["topP"]!.GetValue<double>(), 5);
    }

    [Fact]
    public async Task Prompt_result_reports_usage_latency_time_to_first_token_stop_reason_model_and_latency_mode()
    {
        var options = new BedrockEmulatorOptions { TimeToFirstToken = TimeSpan.FromMilliseconds(120), TokenDelay = TimeSpan.FromMilliseconds(2) };
        await using BedrockEmulator emulator = await BedrockEmulator.StartAsync(options);
        using BedrockClient bedrock = Client(emulator);
        IInvoiceReader reader = new HandWrittenInvoiceReaderClient(bedrock);

        PromptResult<string> result = await reader.SummarizeWithDetailsAsync(InvoiceText);

        Assert.False(string.IsNullOrWhiteSpace(result.Value));
        Assert.Equal(EmulatorOperation.ConverseStream, Assert.Single(emulator.Requests).Operation);
        Assert.True(result.Usage.InputTokens > 0);
        Assert.True(result.Usage.OutputTokens > 0);
        Assert.Equal(result.Usage.InputTokens + result.Usage.OutputTokens, result.Usage.TotalTokens);
        Assert.True(result.TimeToFirstToken >= TimeSpan.FromMilliseconds(110), result.TimeToFirstToken.ToString());
        Assert.True(result.Latency > result.TimeToFirstToken);
        Assert.Equal(StopReason.EndTurn, result.StopReason);
        Assert.Equal(HandWrittenInvoiceReaderClient.NovaPro, result.ModelId);
        Assert.Equal("optimized", result.LatencyMode); // Nova Pro's us. profile offers it in us-east-1
        Assert.False(result.CacheHit);
    }

    [Fact]
    public async Task Structured_prompt_result_reads_the_value_and_prompt_cache_usage()
    {
        await using BedrockEmulator emulator = await BedrockEmulator.StartAsync();
        using BedrockClient bedrock = Client(emulator);
        IInvoiceReader reader = new HandWrittenInvoiceReaderClient(bedrock);
        string longDocument = string.Join("\n", Enumerable.Repeat("Line item: consulting services, 10 hours at 125.00 EUR.", 120));

        PromptResult<Invoice> first = await reader.ExtractWithDetailsAsync(longDocument);
        PromptResult<Invoice> second = await reader.ExtractWithDetailsAsync(longDocument + "\nNote: second copy.");

        Assert.False(string.IsNullOrEmpty(first.Value.Number));
        Assert.Equal(StopReason.EndTurn, first.StopReason);
        Assert.NotNull(first.TimeToFirstToken); // streamed: Sonnet 4.5 streams
        Assert.Equal(0, first.Usage.CacheReadInputTokens);
        Assert.True(first.Usage.CacheWriteInputTokens > 1024, first.Usage.ToString()); // system prompt + static prefix written
        Assert.Equal(first.Usage.CacheWriteInputTokens, second.Usage.CacheReadInputTokens); // and read back by the next call
        Assert.Equal(0, second.Usage.CacheWriteInputTokens);
        Assert.Equal(HandWrittenInvoiceReaderClient.Sonnet45, second.ModelId);
        JsonNode json = LastJson(emulator);
        Assert.Equal("""{"type":"default","ttl":"1h"}""", json["system"]![1]!["cachePoint"]!.ToJsonString());
        Assert.Equal("""{"type":"default","ttl":"1h"}""", json["messages"]![0]!["content"]![1]!["cachePoint"]!.ToJsonString());
        Assert.Null(first.LatencyMode); // no performanceConfig sent, none reported
    }

    [Fact]
    public async Task Invalid_json_from_the_model_is_a_format_error_with_the_raw_text()
    {
        await using BedrockEmulator emulator = await BedrockEmulator.StartAsync(new BedrockEmulatorOptions { ResponseText = _ => "{\"number\": \"INV-1\", \"total\": }" });
        using BedrockClient bedrock = Client(emulator);
        IInvoiceReader reader = new HandWrittenInvoiceReaderClient(bedrock);

        var e = await Assert.ThrowsAsync<PromptOutputFormatException>(() => reader.ExtractAsync(InvoiceText));

        Assert.Equal("{\"number\": \"INV-1\", \"total\": }", e.RawText);
        Assert.NotNull(e.JsonError);
        Assert.Equal(typeof(Invoice), e.TargetType);
        Assert.Equal(HandWrittenInvoiceReaderClient.Sonnet45, e.ModelId);
    }

    [Fact]
    public async Task Json_missing_a_required_member_is_a_format_error()
    {
        await using BedrockEmulator emulator = await BedrockEmulator.StartAsync(new BedrockEmulatorOptions { ResponseText = _ => "```json\n{\"currency\": \"EUR\"}\n```" });
        using BedrockClient bedrock = Client(emulator);
        IInvoiceReader reader = new HandWrittenInvoiceReaderClient(bedrock);

        var e = await Assert.ThrowsAsync<PromptOutputFormatException>(() => reader.ExtractAsync(InvoiceText));

        Assert.Contains("number", e.JsonError!.Message);
    }

    [Fact]
    public async Task Structured_output_cut_at_max_tokens_is_a_truncation_error()
    {
        const string json = """{"number": "INV-2024-001", "total": 1250.00, "currency": "EUR", "notes": "the customer asked for the invoice to be sent by post as well as by email"}""";
        await using BedrockEmulator emulator = await BedrockEmulator.StartAsync(new BedrockEmulatorOptions { ResponseText = _ => json });
        using BedrockClient bedrock = Client(emulator);
        IInvoiceReader reader = new HandWrittenInvoiceReaderClient(bedrock);

        var e = await Assert.ThrowsAsync<PromptOutputTruncatedException>(() => reader.ExtractPromptedAsync(InvoiceText));

        Assert.Equal(12, e.MaxTokens);
        Assert.True(e.RawText.Length > 0 && e.RawText.Length < json.Length, e.RawText);
        Assert.StartsWith(e.RawText, json, StringComparison.Ordinal);
        Assert.Equal(HandWrittenInvoiceReaderClient.NovaPro, e.ModelId);
        Assert.Equal(12, LastJson(emulator)["inferenceConfig"]!["maxTokens"]!.GetValue<int>());
    }

    [Fact]
    public async Task Sentiment_result_carries_the_enum_and_the_metadata()
    {
        await using BedrockEmulator emulator = await BedrockEmulator.StartAsync(new BedrockEmulatorOptions { ResponseText = _ => "Negative" });
        using BedrockClient bedrock = Client(emulator);
        IInvoiceReader reader = new HandWrittenInvoiceReaderClient(bedrock);

        PromptResult<Sentiment> result = await reader.SentimentAsync("The invoice was wrong twice.");

        Assert.Equal(Sentiment.Negative, result.Value);
        Assert.Equal(StopReason.EndTurn, result.StopReason);
        Assert.Equal(HandWrittenInvoiceReaderClient.Haiku45, result.ModelId);
        Assert.True(result.Usage.OutputTokens > 0);
    }

    [Fact]
    public async Task Dependency_injection_binds_options_from_configuration_and_resolves_the_generated_client()
    {
        await using BedrockEmulator emulator = await BedrockEmulator.StartAsync(new BedrockEmulatorOptions { ResponseText = _ => "Invoice" });
        IConfiguration configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["PromptGen:Region"] = "us-east-1",
            ["PromptGen:Endpoint"] = emulator.Endpoint.ToString(),
            ["PromptGen:AccessKeyId"] = emulator.Options.AccessKeyId,
            ["PromptGen:SecretAccessKey"] = emulator.Options.SecretAccessKey,
            ["PromptGen:UseEnvironment"] = "false",
            ["PromptGen:MaxAttempts"] = "2",
        }).Build();

        var services = new ServiceCollection();
        services.AddPromptGen(configuration.GetSection("PromptGen"));
        services.AddPromptClient<IInvoiceReader>();
        await using ServiceProvider provider = services.BuildServiceProvider();

        IInvoiceReader reader = provider.GetRequiredService<IInvoiceReader>();
        // The generator registered its InvoiceReaderClient from a module initializer, without reflection.
        Assert.IsType<InvoiceReaderClient>(reader);
        Assert.Equal(DocumentKind.Invoice, await reader.ClassifyAsync(InvoiceText));
        Assert.Equal(2, provider.GetRequiredService<BedrockClient>().Options.MaxAttempts);
        Assert.Single(emulator.Requests);
    }
}
