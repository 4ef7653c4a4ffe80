using PromptGen;

namespace QuickStart;

public enum DocumentKind { Invoice, Receipt, Other }

/// <summary>The fields extracted from an invoice: the generator derives the JSON schema and the parser from this record.</summary>
public sealed record Invoice(string Number, string Vendor, string Customer, IReadOnlyList<InvoiceLine> Lines, decimal Total, string Currency);

/// <summary>One line of an invoice.</summary>
public sealed record InvoiceLine(string Item, int Quantity, decimal UnitPrice);

/// <summary>What a user writes: an annotated interface. PromptGen generates <c>DocumentReaderClient</c> at build time.</summary>
[Prompt(UseCase = UseCase.Extraction, Model = "us.anthropic.claude-haiku-4-5-20251001-v1:0")]
[SystemPrompt("You read business documents and answer precisely.")]
public interface IDocumentReader
{
    [UserPrompt("Extract the invoice fields from:\n{{ text }}")]
    Task<Invoice> ExtractAsync(string text, CancellationToken cancellationToken = default);

    // Temperature 0 makes the answer predictable, so identical calls are served from the response cache.
    [Prompt(UseCase = UseCase.Classification, CacheResponse = true, CacheResponseTtlSeconds = 600)]
    [UserPrompt("Is this document an invoice, a receipt or other? Answer with one word.\n{{ text }}")]
    Task<PromptResult<DocumentKind>> ClassifyAsync(string text, CancellationToken cancellationToken = default);

    [Prompt(UseCase = UseCase.Summarization, MaxTokens = 400)]
    [UserPrompt(File = "Prompts/summary.sbn")]
    IAsyncEnumerable<string> SummarizeAsync(string text, string audience, CancellationToken cancellationToken = default);

    [Prompt(UseCase = UseCase.CreativeWriting, Model = "us.amazon.nova-pro-v1:0", MaxTokens = 600)]
    [UserPrompt("Write a one-line thank-you note to {{ customer }} for paying invoice {{ number }}.")]
    Task<PromptResult<string>> ThankYouAsync(string customer, string number, CancellationToken cancellationToken = default);

    // Three questions for three models, asked in parallel by the tour's fan-out.
    [Prompt(UseCase = UseCase.Summarization, Model = "us.amazon.nova-micro-v1:0", MaxTokens = 60)]
    [UserPrompt("A headline of at most eight words for this document:\n{{ text }}")]
    Task<PromptResult<string>> HeadlineAsync(string text, CancellationToken cancellationToken = default);

    [Prompt(Model = "us.amazon.nova-lite-v1:0", MaxTokens = 40)]
    [UserPrompt("When is payment due? Answer with the date only.\n{{ text }}")]
    Task<PromptResult<string>> DueDateAsync(string text, CancellationToken cancellationToken = default);

    [Prompt(UseCase = UseCase.Classification)]
    [UserPrompt("Name the one biggest risk in paying this document, in one short sentence.\n{{ text }}")]
    Task<PromptResult<string>> RiskAsync(string text, CancellationToken cancellationToken = default);
}
