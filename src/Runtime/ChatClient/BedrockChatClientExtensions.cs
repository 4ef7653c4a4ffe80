using PromptGen;

// Microsoft's own M.E.AI providers (Microsoft.Extensions.AI.OpenAI's AsIChatClient) put their adapter extensions in this
// namespace, as PromptGen already does for AddPromptGen in Microsoft.Extensions.DependencyInjection: code that uses
// IChatClient has this using already.
namespace Microsoft.Extensions.AI;

/// <summary>Exposes PromptGen's Bedrock transport as a Microsoft.Extensions.AI <see cref="IChatClient"/>.</summary>
public static class BedrockChatClientExtensions
{
    /// <summary>
    /// Wraps <paramref name="bedrock"/> in an <see cref="IChatClient"/> that sends Converse / ConverseStream requests
    /// through it, so Microsoft.Extensions.AI middleware (function invocation, caching, telemetry, …) runs over
    /// PromptGen's transport. The chat client does not own <paramref name="bedrock"/>: disposing it leaves the Bedrock
    /// client open.
    /// </summary>
    /// <param name="bedrock">The Bedrock client to send through.</param>
    /// <param name="defaultModelId">
    /// The model ID, inference-profile ID or ARN used when <see cref="ChatOptions.ModelId"/> is not set; without one,
    /// every call must name its model.
    /// </param>
    /// <returns>A <see cref="BedrockChatClient"/>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="bedrock"/> is <see langword="null"/>.</exception>
    public static IChatClient AsIChatClient(this IBedrockClient bedrock, string? defaultModelId = null) =>
        new BedrockChatClient(bedrock, defaultModelId);
}
