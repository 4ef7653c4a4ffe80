using System.Text.Json;
using System.Text.Json.Nodes;
using PromptGen.Generated;

namespace PromptGen.Runtime.Tests.Prompts;

/// <summary>Reading answers: text, structured values (native JSON and tool input), enums, typed errors, and PromptResult metadata.</summary>
public sealed class PromptRunnerTests
{
    private const string Haiku45 = "us.anthropic.claude-haiku-4-5-20251001-v1:0";
    private const string NovaPro = "us.amazon.nova-pro-v1:0";
    private const string Schema = """{"type":"object","properties":{"number":{"type":"string"}}}""";

    private static readonly PromptDefinition Native = new()
    {
        InterfaceName = "IInvoiceReader", MethodName = "ExtractAsync", ModelId = Haiku45, MaxTokens = 100,
        OutputKind = PromptOutputKind.NativeJson, JsonSchema = Schema,
    };

    private static readonly PromptDefinition ViaTool = new()
    {
        InterfaceName = "IInvoiceReader", MethodName = "ExtractAsync", ModelId = NovaPro, MaxTokens = 100,
        OutputKind = PromptOutputKind.ToolJson, JsonSchema = Schema,
    };

    private static readonly PromptDefinition Text = new() { InterfaceName = "IInvoiceReader", MethodName = "SummarizeAsync", ModelId = Haiku45 };

    [Fact]
    public async Task Text_is_the_joined_text_of_the_answer()
    {
        var fake = new FakeBedrockClient { Respond = _ => FakeBedrockClient.Text("A summary.") };

        string text = await PromptRunner.GetTextAsync(new PromptPipeline(fake), Text, "Summarize", 0, 0, CancellationToken.None);

        Assert.Equal("A summary.", text);
        Assert.Equal(Haiku45, Assert.Single(fake.Calls).ModelId);
    }

    [Fact]
    public async Task Stream_yields_text_deltas_in_order()
    {
        var fake = new FakeBedrockClient { Stream = _ => FakeBedrockClient.TextEvents("", "end_turn", "One ", "two ", "three.") };

        var pieces = new List<string>();
        await foreach (string piece in PromptRunner.StreamTextAsync(new PromptPipeline(fake), Text, "Summarize", 0, 0, CancellationToken.None))
        {
            pieces.Add(piece);
        }

        Assert.Equal(["One ", "two ", "three."], pieces);
        Assert.True(Assert.Single(fake.Calls).Streamed);
    }

    [Theory]
    [InlineData("""{"number":"INV-1","total":12.5,"currency":null}""")]
    [InlineData("""  {"number":"INV-1","total":12.5,"currency":null}  """)]
    [InlineData("```json\n{\"number\":\"INV-1\",\"total\":12.5,\"currency\":null}\n```")]
    [InlineData("Here it is:\n```\n{\"number\":\"INV-1\",\"total\":12.5,\"currency\":null}\n```\n")]
    public async Task Native_json_is_read_tolerating_whitespace_and_code_fences(string answer)
    {
        var fake = new FakeBedrockClient { Respond = _ => FakeBedrockClient.Text(answer) };

        Invoice invoice = await PromptRunner.GetValueAsync(new PromptPipeline(fake), Native, "x", 0, 0, PromptTestJson.Default.Invoice, CancellationToken.None);

        Assert.Equal(new Invoice("INV-1", 12.5m, null), invoice);
    }

    [Fact]
    public async Task Tool_json_is_read_from_the_tool_input()
    {
        var fake = new FakeBedrockClient { Respond = _ => FakeBedrockClient.ToolCall(JsonNode.Parse("""{"number":"N-7","total":3,"currency":"EUR"}""")) };

        Invoice invoice = await PromptRunner.GetValueAsync(new PromptPipeline(fake), ViaTool, "x", 0, 0, PromptTestJson.Default.Invoice, CancellationToken.None);

        Assert.Equal(new Invoice("N-7", 3m, "EUR"), invoice);
    }

    [Fact]
    public async Task Tool_input_sent_as_a_json_string_is_read_too()
    {
        var fake = new FakeBedrockClient { Respond = _ => FakeBedrockClient.ToolCall(JsonValue.Create("""{"number":"N-8","total":1,"currency":null}""")) };

        Invoice invoice = await PromptRunner.GetValueAsync(new PromptPipeline(fake), ViaTool, "x", 0, 0, PromptTestJson.Default.Invoice, CancellationToken.None);

        Assert.Equal("N-8", invoice.Number);
    }

    [Fact]
    public async Task Wrapped_values_are_unwrapped_and_a_bare_value_is_forgiven()
    {
        var definition = new PromptDefinition
        {
            ModelId = Haiku45, OutputKind = PromptOutputKind.NativeJson, JsonSchemaIsWrapped = true,
            JsonSchema = """{"type":"object","properties":{"value":{"type":"array","items":{"type":"string"}}},"required":["value"]}""",
        };
        var fake = new FakeBedrockClient { Respond = _ => FakeBedrockClient.Text("""{"value":["a","b"]}""") };
        Assert.Equal(["a", "b"], await PromptRunner.GetValueAsync(new PromptPipeline(fake), definition, "x", 0, 0, PromptTestJson.Default.ListString, CancellationToken.None));

        fake.Respond = _ => FakeBedrockClient.Text("""["c"]""");
        Assert.Equal(["c"], await PromptRunner.GetValueAsync(new PromptPipeline(fake), definition, "x", 0, 0, PromptTestJson.Default.ListString, CancellationToken.None));

        var viaTool = new PromptDefinition { ModelId = NovaPro, OutputKind = PromptOutputKind.ToolJson, JsonSchemaIsWrapped = true, JsonSchema = definition.JsonSchema };
        fake.Respond = _ => FakeBedrockClient.ToolCall(JsonNode.Parse("""{"value":42}"""));
        Assert.Equal(42, await PromptRunner.GetValueAsync(new PromptPipeline(fake), viaTool, "x", 0, 0, PromptTestJson.Default.Int32, CancellationToken.None));
    }

    [Fact]
    public async Task Invalid_json_is_a_format_error_carrying_the_raw_text_and_the_json_error()
    {
        var fake = new FakeBedrockClient { Respond = _ => FakeBedrockClient.Text("{\"number\": \"INV-1\", total: }") };

        var e = await Assert.ThrowsAsync<PromptOutputFormatException>(
            () => PromptRunner.GetValueAsync(new PromptPipeline(fake), Native, "x", 0, 0, PromptTestJson.Default.Invoice, CancellationToken.None));

        Assert.Equal("{\"number\": \"INV-1\", total: }", e.RawText);
        Assert.IsAssignableFrom<JsonException>(e.JsonError);
        Assert.Same(e.JsonError, e.InnerException);
        Assert.Equal(typeof(Invoice), e.TargetType);
        Assert.Equal(Haiku45, e.ModelId);
        Assert.Contains("IInvoiceReader.ExtractAsync", e.Message);
    }

    [Fact]
    public async Task Json_of_the_wrong_shape_or_null_is_a_format_error()
    {
        var fake = new FakeBedrockClient { Respond = _ => FakeBedrockClient.Text("""{"number": 5, "total": "x"}""") };
        var shape = await Assert.ThrowsAsync<PromptOutputFormatException>(
            () => PromptRunner.GetValueAsync(new PromptPipeline(fake), Native, "x", 0, 0, PromptTestJson.Default.Invoice, CancellationToken.None));
        Assert.NotNull(shape.JsonError);

        fake.Respond = _ => FakeBedrockClient.Text("null");
        var nothing = await Assert.ThrowsAsync<PromptOutputFormatException>(
            () => PromptRunner.GetValueAsync(new PromptPipeline(fake), Native, "x", 0, 0, PromptTestJson.Default.Invoice, CancellationToken.None));
        Assert.Contains("null", nothing.Message);
    }

    [Fact]
    public async Task Max_tokens_on_structured_output_is_a_truncation_error_with_the_partial_text_and_the_limit()
    {
        var fake = new FakeBedrockClient { Respond = _ => FakeBedrockClient.Text("""{"number":"INV""", "max_tokens") };

        var e = await Assert.ThrowsAsync<PromptOutputTruncatedException>(
            () => PromptRunner.GetValueAsync(new PromptPipeline(fake), Native, "x", 0, 0, PromptTestJson.Default.Invoice, CancellationToken.None));

        Assert.Equal("""{"number":"INV""", e.RawText);
        Assert.Equal(100, e.MaxTokens);
        Assert.Contains("100", e.Message);
        Assert.IsAssignableFrom<PromptException>(e);

        fake.Respond = _ => FakeBedrockClient.ToolCall(new JsonObject(), stopReason: "max_tokens");
        await Assert.ThrowsAsync<PromptOutputTruncatedException>(
            () => PromptRunner.GetValueAsync(new PromptPipeline(fake), ViaTool, "x", 0, 0, PromptTestJson.Default.Invoice, CancellationToken.None));
    }

    [Fact]
    public async Task Text_instead_of_the_forced_tool_call_is_a_format_error()
    {
        var fake = new FakeBedrockClient { Respond = _ => FakeBedrockClient.Text("I cannot do that.") };

        var e = await Assert.ThrowsAsync<PromptOutputFormatException>(
            () => PromptRunner.GetValueAsync(new PromptPipeline(fake), ViaTool, "x", 0, 0, PromptTestJson.Default.Invoice, CancellationToken.None));

        Assert.Equal("I cannot do that.", e.RawText);
        Assert.Contains("respond", e.Message);
    }

    [Fact]
    public async Task The_named_tool_is_preferred_over_other_tool_calls()
    {
        var fake = new FakeBedrockClient
        {
            Respond = _ => new ConverseResponse
            {
                Output = new ConverseOutput
                {
                    Message = Message.Assistant(
                        new ContentBlock { ToolUse = new ToolUseBlock { Name = "other", Input = JsonNode.Parse("""{"number":"wrong","total":0,"currency":null}""") } },
                        new ContentBlock { ToolUse = new ToolUseBlock { Name = "respond", Input = JsonNode.Parse("""{"number":"right","total":0,"currency":null}""") } }),
                },
                StopReason = StopReason.ToolUse,
            },
        };

        Invoice invoice = await PromptRunner.GetValueAsync(new PromptPipeline(fake), ViaTool, "x", 0, 0, PromptTestJson.Default.Invoice, CancellationToken.None);

        Assert.Equal("right", invoice.Number);
    }

    [Theory]
    [InlineData("Invoice", DocumentKind.Invoice)]
    [InlineData("  receipt \n", DocumentKind.Receipt)]
    [InlineData("Receipt.", DocumentKind.Receipt)]
    [InlineData("\"other\"", DocumentKind.Other)]
    [InlineData("**Invoice**", DocumentKind.Invoice)]
    [InlineData("`CreditNote`", DocumentKind.CreditNote)]
    [InlineData("credit note", DocumentKind.CreditNote)]
    [InlineData("credit_note", DocumentKind.CreditNote)]
    [InlineData("Invoice\nThe document lists items and a total due.", DocumentKind.Invoice)]
    [InlineData("Receipt - it shows a payment.", DocumentKind.Receipt)]
    [InlineData("“Other”", DocumentKind.Other)]
    public void ParseEnum_is_tolerant(string text, DocumentKind expected)
    {
        Assert.Equal(expected, PromptRunner.ParseEnum<DocumentKind>(text));
    }

    [Theory]
    [InlineData("1")]
    [InlineData("-1")]
    [InlineData("Invoice, Receipt")]
    [InlineData("banana")]
    [InlineData("")]
    [InlineData("   ")]
    public void ParseEnum_rejects_anything_else_listing_the_labels(string text)
    {
        var e = Assert.Throws<PromptOutputFormatException>(() => PromptRunner.ParseEnum<DocumentKind>(text));

        Assert.Equal(["Invoice", "Receipt", "CreditNote", "Other"], e.AllowedValues);
        Assert.Contains("Invoice, Receipt, CreditNote, Other", e.Message);
        Assert.Equal(typeof(DocumentKind), e.TargetType);
        Assert.Equal(text, e.RawText);
        Assert.Null(e.JsonError);
    }

    [Fact]
    public async Task Parsed_values_get_the_model_id_on_their_errors()
    {
        var fake = new FakeBedrockClient { Respond = _ => FakeBedrockClient.Text("banana") };

        var e = await Assert.ThrowsAsync<PromptOutputFormatException>(
            () => PromptRunner.GetParsedValueAsync(new PromptPipeline(fake), Text, "x", 0, 0, PromptRunner.ParseEnum<DocumentKind>, CancellationToken.None));

        Assert.Equal(Haiku45, e.ModelId);
        Assert.NotNull(e.AllowedValues);
    }

    [Fact]
    public async Task Streamed_result_measures_time_to_first_token_and_reads_metadata()
    {
        var fake = new FakeBedrockClient
        {
            FirstEventDelay = TimeSpan.FromMilliseconds(60),
            Stream = _ => FakeBedrockClient.TextEvents("", "end_turn", "Short ", "summary."),
        };

        PromptResult<string> result = await PromptRunner.GetResultAsync<string>(new PromptPipeline(fake), Text, "x", 0, 0, null, CancellationToken.None);

        Assert.True(Assert.Single(fake.Calls).Streamed);
        Assert.Equal("Short summary.", result.Value);
        Assert.NotNull(result.TimeToFirstToken);
        Assert.True(result.TimeToFirstToken >= TimeSpan.FromMilliseconds(50), result.TimeToFirstToken.ToString());
        Assert.True(result.Latency >= result.TimeToFirstToken);
        Assert.Equal(StopReason.EndTurn, result.StopReason);
        Assert.Equal(Haiku45, result.ModelId);
        Assert.Equal("optimized", result.LatencyMode);
        Assert.Equal(new PromptUsage { InputTokens = 5, OutputTokens = 4, TotalTokens = 9, CacheWriteInputTokens = 2 }, result.Usage);
        Assert.False(result.CacheHit);
        Assert.Null(result.Variant);
        // Haiku 4.5's list prices: 5 input × $1 + 4 output × $5 + 2 cache-write × $1.25 per million.
        Assert.Equal(0.0000275m, result.EstimatedCost);
    }

    [Fact]
    public async Task Streamed_structured_result_collects_tool_input_pieces()
    {
        var fake = new FakeBedrockClient { Stream = _ => FakeBedrockClient.ToolEvents("respond", "tool_use", "{\"num", "ber\":\"S-1\",\"total\":2", ",\"currency\":null}") };

        PromptResult<Invoice> result = await PromptRunner.GetResultAsync(new PromptPipeline(fake), ViaTool, "x", 0, 0, PromptTestJson.Default.Invoice, CancellationToken.None);

        Assert.Equal(new Invoice("S-1", 2m, null), result.Value);
        Assert.Equal(StopReason.ToolUse, result.StopReason);
        Assert.Equal(42, result.Usage.TotalTokens);
        Assert.NotNull(result.TimeToFirstToken);
    }

    [Fact]
    public async Task Streamed_structured_result_stopping_at_max_tokens_is_a_truncation_error()
    {
        var fake = new FakeBedrockClient { Stream = _ => FakeBedrockClient.TextEvents("", "max_tokens", "{\"number\":", "\"IN") };

        var e = await Assert.ThrowsAsync<PromptOutputTruncatedException>(
            () => PromptRunner.GetResultAsync(new PromptPipeline(fake), Native, "x", 0, 0, PromptTestJson.Default.Invoice, CancellationToken.None));

        Assert.Equal("{\"number\":\"IN", e.RawText);
    }

    [Fact]
    public async Task Unstreamed_result_for_an_arn_or_when_asked_uses_converse()
    {
        var fake = new FakeBedrockClient { Respond = _ => FakeBedrockClient.Text("Receipt", latency: "standard") };
        var arn = new PromptDefinition { ModelId = "arn:aws:bedrock:us-east-1:123456789012:application-inference-profile/abc" };

        PromptResult<DocumentKind> result = await PromptRunner.GetParsedResultAsync(new PromptPipeline(fake), arn, "x", 0, 0, PromptRunner.ParseEnum<DocumentKind>, CancellationToken.None);

        Assert.False(Assert.Single(fake.Calls).Streamed);
        Assert.Equal(DocumentKind.Receipt, result.Value);
        Assert.Null(result.TimeToFirstToken);
        Assert.Equal("standard", result.LatencyMode);
        Assert.Equal(3, result.Usage.CacheReadInputTokens);
        Assert.True(result.Latency > TimeSpan.Zero);

        await PromptRunner.GetResultAsync<string>(new PromptPipeline(fake), new PromptDefinition { ModelId = Haiku45, StreamResult = false }, "x", 0, 0, null, CancellationToken.None);
        Assert.False(fake.Calls[^1].Streamed);
    }

    [Fact]
    public async Task Result_of_a_non_string_type_needs_type_info()
    {
        var fake = new FakeBedrockClient();
        await Assert.ThrowsAsync<ArgumentNullException>(() => PromptRunner.GetResultAsync<Invoice>(new PromptPipeline(fake), Native, "x", 0, 0, null, CancellationToken.None));
        Assert.Empty(fake.Calls);
    }
}
