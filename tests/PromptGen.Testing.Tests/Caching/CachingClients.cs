namespace PromptGen.Testing.Tests.Caching;

public enum TicketKind { Billing, Bug, Other }

/// <summary>Response-cached prompts, as a user writes them.</summary>
[Prompt(UseCase = UseCase.Classification, Model = "us.anthropic.claude-haiku-4-5-20251001-v1:0", CacheResponse = true)]
[SystemPrompt("You triage support tickets.")]
public interface ITicketTriage
{
    [UserPrompt("Category of this ticket (Billing, Bug or Other):\n{{ ticket }}")]
    Task<PromptResult<TicketKind>> ClassifyAsync(string ticket, CancellationToken cancellationToken = default);

    [UserPrompt("Category of this ticket (Billing, Bug or Other):\n{{ ticket }}")]
    ValueTask<TicketKind> ClassifyValueAsync(string ticket, CancellationToken cancellationToken = default);

    [Prompt(CacheResponse = false)]
    [UserPrompt("Category of this ticket (Billing, Bug or Other):\n{{ ticket }}")]
    Task<PromptResult<TicketKind>> ClassifyUncachedAsync(string ticket, CancellationToken cancellationToken = default);

    [Prompt(UseCase = UseCase.Summarization, Temperature = 0, MaxTokens = 300)]
    [UserPrompt("Summarize this ticket:\n{{ ticket }}")]
    IAsyncEnumerable<string> SummarizeAsync(string ticket, CancellationToken cancellationToken = default);
}

/// <summary>A long, fixed support policy: long enough (over 1,024 tokens) to be worth a prompt-cache checkpoint.</summary>
internal static class SupportPolicy
{
    private const string Paragraph =
        "Refunds are granted within thirty days of purchase when the customer provides the order number and the reason. " +
        "Hardware faults reported within the warranty period are repaired or replaced at no cost, shipping included. " +
        "Accounts suspended for unpaid invoices are restored within one business day after payment is confirmed. ";

    private const string Section = Paragraph + Paragraph + Paragraph + Paragraph;

    /// <summary>About 5,200 characters, well over 1,024 tokens at four characters a token.</summary>
    public const string Text = Section + Section + Section + Section;
}

/// <summary>Prompt caching and latency-optimized inference, as a user writes them.</summary>
[Prompt(UseCase = UseCase.Classification, Model = "us.anthropic.claude-sonnet-4-5-20250929-v1:0", CachePrompt = true)]
[SystemPrompt("You answer support questions using this policy.\n" + SupportPolicy.Text)]
public interface IPolicyDesk
{
    // The template's literal prefix (the policy again, as reference) is the same on every call: a second checkpoint.
    [UserPrompt("Reference copy of the policy:\n" + SupportPolicy.Text + "\nQuestion: {{ question }}")]
    Task<PromptResult<string>> AskAsync(string question, CancellationToken cancellationToken = default);

    [UserPrompt("{{ question }} (answer in one word)")]
    Task<PromptResult<string>> AskShortAsync(string question, CancellationToken cancellationToken = default);
}

[Prompt(UseCase = UseCase.Summarization, Model = "us.amazon.nova-pro-v1:0", LatencyOptimized = true)]
public interface IFastSummarizer
{
    [UserPrompt("Summarize in one line: {{ text }}")]
    Task<PromptResult<string>> SummarizeAsync(string text, CancellationToken cancellationToken = default);
}
