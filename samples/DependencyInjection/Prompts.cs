using PromptGen;

namespace DependencyInjectionSample;

public enum Priority { Low, Normal, Urgent }

/// <summary>A support desk's prompts; PromptGen generates <c>SupportDeskClient</c> and registers it for DI.</summary>
[Prompt(UseCase = UseCase.Classification, Model = "us.anthropic.claude-haiku-4-5-20251001-v1:0")]
[SystemPrompt("You triage customer support tickets.")]
public interface ISupportDesk
{
    [Prompt(CacheResponse = true)]
    [UserPrompt("Priority of this ticket (Low, Normal or Urgent):\n{{ ticket }}")]
    Task<PromptResult<Priority>> PrioritizeAsync(string ticket, CancellationToken cancellationToken = default);

    [Prompt(UseCase = UseCase.Chatbot, MaxTokens = 200)]
    [UserPrompt("Write a two-sentence first reply to this ticket:\n{{ ticket }}")]
    IAsyncEnumerable<string> DraftReplyAsync(string ticket, CancellationToken cancellationToken = default);
}
