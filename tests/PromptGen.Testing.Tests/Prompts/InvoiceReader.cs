// The fixture checks where cachePoint blocks go, not whether a short system prompt is worth caching.
#pragma warning disable PG0014

using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using Microsoft.Extensions.DependencyInjection;
using PromptGen.Generated;

namespace PromptGen.Testing.Tests.Prompts;

public sealed record Invoice(string Number, decimal Total, string? Currency);

public enum DocumentKind
{
    Invoice,
    Receipt,
    Other,
}

public enum Sentiment
{
    Positive,
    Negative,
    Neutral,
}

/// <summary>The DESIGN.md sample interface, plus variants that exercise each runtime path.</summary>
[Prompt(UseCase = UseCase.Extraction, Model = HandWrittenInvoiceReaderClient.Sonnet45, CachePrompt = true)]
[SystemPrompt("You extract structured data from business documents.")]
public interface IInvoiceReader
{
    [Prompt(TopK = 50)]
    [UserPrompt("Extract the invoice fields from:\n{{ text }}")]
    Task<Invoice> ExtractAsync(string text, CancellationToken cancellationToken = default);

    [Prompt(Model = HandWrittenInvoiceReaderClient.NovaPro, TopK = 20, CachePrompt = false)]
    [UserPrompt("Extract the invoice fields from:\n{{ text }}")]
    Task<Invoice> ExtractWithToolAsync(string text, CancellationToken cancellationToken = default);

    [Prompt(Model = HandWrittenInvoiceReaderClient.NovaPro, MaxTokens = 12, CachePrompt = false)]
    [UserPrompt("Reply with the invoice as JSON only:\n{{ text }}")]
    Task<Invoice> ExtractPromptedAsync(string text, CancellationToken cancellationToken = default);

    [UserPrompt("Extract the invoice fields from:\n{{ text }}")]
    Task<PromptResult<Invoice>> ExtractWithDetailsAsync(string text, CancellationToken cancellationToken = default);

    [Prompt(UseCase = UseCase.Classification, Model = HandWrittenInvoiceReaderClient.Haiku45, CachePrompt = false)]
    [UserPrompt("Is this document an invoice, a receipt or other?\n{{ text }}")]
    Task<DocumentKind> ClassifyAsync(string text, CancellationToken cancellationToken = default);

    [Prompt(UseCase = UseCase.Summarization, Model = HandWrittenInvoiceReaderClient.NovaPro, MaxTokens = 400, LatencyOptimized = true, CachePrompt = false)]
    [UserPrompt("Summarize:\n{{ text }}")]
    IAsyncEnumerable<string> SummarizeAsync(string text, CancellationToken cancellationToken = default);

    [Prompt(UseCase = UseCase.Summarization, Model = HandWrittenInvoiceReaderClient.NovaPro, MaxTokens = 400, LatencyOptimized = true, CachePrompt = false)]
    [UserPrompt("Summarize:\n{{ text }}")]
    Task<PromptResult<string>> SummarizeWithDetailsAsync(string text, CancellationToken cancellationToken = default);

    [Prompt(UseCase = UseCase.Classification, Model = HandWrittenInvoiceReaderClient.Haiku45, CachePrompt = false)]
    [UserPrompt("Sentiment of: {{ review }}")]
    Task<PromptResult<Sentiment>> SentimentAsync(string review, CancellationToken cancellationToken = default);
}

/// <summary>
/// Written by hand the way the generator will emit it: one static <see cref="PromptDefinition"/> per method holding the
/// resolved settings (preset ⊕ overrides ⊕ catalogue), a compiled template, and one <see cref="PromptRunner"/> call.
/// </summary>
public sealed class HandWrittenInvoiceReaderClient : IInvoiceReader
{
    public const string Sonnet45 = "us.anthropic.claude-sonnet-4-5-20250929-v1:0";
    public const string Haiku45 = "us.anthropic.claude-haiku-4-5-20251001-v1:0";
    public const string NovaPro = "us.amazon.nova-pro-v1:0";

    private const string SystemPrompt = "You extract structured data from business documents.";

    // Long enough (over 1024 tokens) for Claude Sonnet 4.5 to cache it.
    internal static readonly string LongSystemPrompt = SystemPrompt + "\n" + string.Join("\n", Enumerable.Range(1, 90).Select(
        i => $"Rule {i}: copy invoice numbers, totals and currencies exactly as printed; never guess a missing value."));

    internal const string InvoiceSchema =
        """{"type":"object","properties":{"number":{"type":"string"},"total":{"type":"number"},"currency":{"anyOf":[{"type":"string"},{"type":"null"}]}},"required":["number","total","currency"],"additionalProperties":false}""";

    // Extraction preset on Claude Sonnet 4.5 (temperature XOR topP): temperature 0 kept, topP dropped; top_k override.
    internal static readonly PromptDefinition Extract = new()
    {
        InterfaceName = "IInvoiceReader", MethodName = "ExtractAsync", UseCase = UseCase.Extraction, ModelId = Sonnet45,
        SystemPrompt = SystemPrompt, CachePrompt = true, Temperature = 0f, MaxTokens = 1024, TopK = 50, TopKField = "top_k",
        OutputKind = PromptOutputKind.NativeJson, JsonSchema = InvoiceSchema,
    };

    // Nova Pro has no native structured output: a forced tool. Both sampling parameters are accepted.
    internal static readonly PromptDefinition ExtractWithTool = new()
    {
        InterfaceName = "IInvoiceReader", MethodName = "ExtractWithToolAsync", UseCase = UseCase.Extraction, ModelId = NovaPro,
        SystemPrompt = SystemPrompt, Temperature = 0f, TopP = 0.1f, MaxTokens = 1024, TopK = 20, TopKField = "inferenceConfig.topK",
        OutputKind = PromptOutputKind.ToolJson, JsonSchema = InvoiceSchema,
    };

    // Prompted JSON (no schema on the wire): the only structured path a token limit can cut in the emulator.
    internal static readonly PromptDefinition ExtractPrompted = new()
    {
        InterfaceName = "IInvoiceReader", MethodName = "ExtractPromptedAsync", UseCase = UseCase.Extraction, ModelId = NovaPro,
        SystemPrompt = SystemPrompt, Temperature = 0f, TopP = 0.1f, MaxTokens = 12, OutputKind = PromptOutputKind.Text,
    };

    internal static readonly PromptDefinition ExtractWithDetails = new()
    {
        InterfaceName = "IInvoiceReader", MethodName = "ExtractWithDetailsAsync", UseCase = UseCase.Extraction, ModelId = Sonnet45,
        SystemPrompt = LongSystemPrompt, CachePrompt = true, CacheTtl = "1h", Temperature = 0f, MaxTokens = 1024,
        OutputKind = PromptOutputKind.NativeJson, JsonSchema = InvoiceSchema,
    };

    internal static readonly PromptDefinition Classify = new()
    {
        InterfaceName = "IInvoiceReader", MethodName = "ClassifyAsync", UseCase = UseCase.Classification, ModelId = Haiku45,
        SystemPrompt = SystemPrompt, Temperature = 0f, MaxTokens = 64,
    };

    internal static readonly PromptDefinition Summarize = new()
    {
        InterfaceName = "IInvoiceReader", MethodName = "SummarizeAsync", UseCase = UseCase.Summarization, ModelId = NovaPro,
        SystemPrompt = SystemPrompt, Temperature = 0.3f, TopP = 0.5f, MaxTokens = 400, LatencyOptimized = true,
    };

    internal static readonly PromptDefinition Sentiment = new()
    {
        InterfaceName = "IInvoiceReader", MethodName = "SentimentAsync", UseCase = UseCase.Classification, ModelId = Haiku45,
        SystemPrompt = SystemPrompt, Temperature = 0f, MaxTokens = 64,
    };

    private const string ExtractPrefix = "Extract the invoice fields from:\n";

    private readonly PromptPipeline _bedrock;

    public HandWrittenInvoiceReaderClient(IBedrockClient bedrock)
    {
        _bedrock = new PromptPipeline(bedrock);
    }

    public Task<Invoice> ExtractAsync(string text, CancellationToken cancellationToken = default) =>
        PromptRunner.GetValueAsync(_bedrock, Extract, Render(ExtractPrefix, text, out long started), ExtractPrefix.Length, started, InvoiceJson.TypeInfo, cancellationToken);

    public Task<Invoice> ExtractWithToolAsync(string text, CancellationToken cancellationToken = default) =>
        PromptRunner.GetValueAsync(_bedrock, ExtractWithTool, Render(ExtractPrefix, text, out long started), 0, started, InvoiceJson.TypeInfo, cancellationToken);

    public Task<Invoice> ExtractPromptedAsync(string text, CancellationToken cancellationToken = default) =>
        PromptRunner.GetValueAsync(_bedrock, ExtractPrompted, Render("Reply with the invoice as JSON only:\n", text, out long started), 0, started, InvoiceJson.TypeInfo, cancellationToken);

    public Task<PromptResult<Invoice>> ExtractWithDetailsAsync(string text, CancellationToken cancellationToken = default) =>
        PromptRunner.GetResultAsync(_bedrock, ExtractWithDetails, Render(ExtractPrefix, text, out long started), ExtractPrefix.Length, started, InvoiceJson.TypeInfo, cancellationToken);

    public Task<DocumentKind> ClassifyAsync(string text, CancellationToken cancellationToken = default) =>
        PromptRunner.GetParsedValueAsync(
            _bedrock, Classify, Render("Is this document an invoice, a receipt or other?\n", text, out long started), 0, started, PromptRunner.ParseEnum<DocumentKind>, cancellationToken);

    public IAsyncEnumerable<string> SummarizeAsync(string text, CancellationToken cancellationToken = default) =>
        PromptRunner.StreamTextAsync(_bedrock, Summarize, Render("Summarize:\n", text, out long started), 0, started, cancellationToken);

    public Task<PromptResult<string>> SummarizeWithDetailsAsync(string text, CancellationToken cancellationToken = default) =>
        PromptRunner.GetResultAsync<string>(_bedrock, Summarize, Render("Summarize:\n", text, out long started), 0, started, null, cancellationToken);

    public Task<PromptResult<Sentiment>> SentimentAsync(string review, CancellationToken cancellationToken = default) =>
        PromptRunner.GetParsedResultAsync(_bedrock, Sentiment, Render("Sentiment of: ", review, out long started), 0, started, PromptRunner.ParseEnum<Sentiment>, cancellationToken);

    // What a compiled template looks like: literal text and values appended, nothing evaluated.
    private static string Render(string literal, string value, out long started)
    {
        started = System.Diagnostics.Stopwatch.GetTimestamp();
        return new StringBuilder(literal.Length + value.Length).Append(literal).Append(value).ToString();
    }
}

/// <summary>The JSON metadata the generator will emit for <see cref="Invoice"/>: a converter, no reflection.</summary>
internal static class InvoiceJson
{
    public static readonly JsonTypeInfo<Invoice> TypeInfo = JsonMetadataServices.CreateValueInfo<Invoice>(
        new JsonSerializerOptions { TypeInfoResolver = JsonTypeInfoResolver.Combine() }, new InvoiceConverter());

    private sealed class InvoiceConverter : JsonConverter<Invoice>
    {
        public override Invoice Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            if (reader.TokenType != JsonTokenType.StartObject)
            {
                throw new JsonException("Expected an object for Invoice.");
            }

            string? number = null;
            decimal? total = null;
            string? currency = null;
            while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
            {
                if (reader.TokenType != JsonTokenType.PropertyName)
                {
                    throw new JsonException("Expected a property name.");
                }

                if (reader.ValueTextEquals("number"u8))
                {
                    reader.Read();
                    number = reader.TokenType == JsonTokenType.String ? reader.GetString() : throw new JsonException("Invoice.number must be a string.");
                }
                else if (reader.ValueTextEquals("total"u8))
                {
                    reader.Read();
                    total = reader.GetDecimal();
                }
                else if (reader.ValueTextEquals("currency"u8))
                {
                    reader.Read();
                    currency = reader.TokenType == JsonTokenType.Null ? null : reader.GetString();
                }
                else
                {
                    reader.Read();
                    reader.Skip();
                }
            }

            return new Invoice(
                number ?? throw new JsonException("Invoice.number is required."),
                total ?? throw new JsonException("Invoice.total is required."),
                currency);
        }

        public override void Write(Utf8JsonWriter writer, Invoice value, JsonSerializerOptions options)
        {
            writer.WriteStartObject();
            writer.WriteString("number"u8, value.Number);
            writer.WriteNumber("total"u8, value.Total);
            writer.WriteString("currency"u8, value.Currency);
            writer.WriteEndObject();
        }
    }
}
