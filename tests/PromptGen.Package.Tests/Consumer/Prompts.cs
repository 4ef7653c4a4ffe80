using PromptGen;

namespace Consumer;

/// <summary>No model on the interface: GreetAsync takes the project's PromptGenDefaultModel.</summary>
[Prompt(UseCase = UseCase.Chatbot)]
public interface IGreeter
{
    [UserPrompt(File = "Prompts/greeting.sbn")]
    Task<string> GreetAsync(string name, CancellationToken cancellationToken = default);

    // A risky setting: the analyzer reports PG0001 (a warning by default); the build still succeeds.
    [Prompt(UseCase = UseCase.Classification, Model = "us.anthropic.claude-haiku-4-5-20251001-v1:0", Temperature = 0.9)]
    [UserPrompt("Sentiment of: {{ review }}")]
    Task<string> SentimentAsync(string review, CancellationToken cancellationToken = default);
}
