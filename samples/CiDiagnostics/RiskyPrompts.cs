using PromptGen;

namespace CiDiagnostics;

public enum Sentiment { Positive, Negative, Neutral }

[Prompt(UseCase = UseCase.Classification, Model = "us.anthropic.claude-haiku-4-5-20251001-v1:0")]
public interface IReviewTriage
{
    // PG0001: a classification should be deterministic; 0.9 makes the label vary from call to call.
    [Prompt(Temperature = 0.9)]
    [UserPrompt("Sentiment of this review, one word:\n{{ review }}")]
    Task<Sentiment> SentimentAsync(string review, CancellationToken cancellationToken = default);

    // PG0003: a one-word label needs a few tokens, not 2,000.
    [Prompt(MaxTokens = 2000)]
    [UserPrompt("Is this review about shipping? Answer yes or no.\n{{ review }}")]
    Task<string> AboutShippingAsync(string review, CancellationToken cancellationToken = default);
}
