namespace PromptGen;

/// <summary>The Amazon Bedrock Runtime operations PromptGen uses. Generated prompt clients talk to Bedrock only through this interface.</summary>
public interface IBedrockClient
{
    /// <summary>Sends a Converse request and returns the whole response.</summary>
    /// <param name="modelId">A model ID, inference-profile ID or ARN.</param>
    /// <param name="request">The request body.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    Task<ConverseResponse> ConverseAsync(string modelId, ConverseRequest request, CancellationToken cancellationToken = default);

    /// <summary>
    /// Sends a ConverseStream request and yields its events as they arrive. A failure after the first event ends the
    /// sequence with a <see cref="BedrockException"/> whose <see cref="BedrockException.PartialText"/> holds the text
    /// already yielded; such a call is never retried, since the caller has seen part of the answer.
    /// </summary>
    /// <param name="modelId">A model ID, inference-profile ID or ARN.</param>
    /// <param name="request">The request body.</param>
    /// <param name="cancellationToken">Cancels the call, including a stream in progress.</param>
    IAsyncEnumerable<ConverseStreamEvent> ConverseStreamAsync(string modelId, ConverseRequest request, CancellationToken cancellationToken = default);

    /// <summary>Counts the input tokens a request would use, free of charge.</summary>
    /// <param name="modelId">A model ID (not every model supports CountTokens).</param>
    /// <param name="request">The request body.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    Task<CountTokensResponse> CountTokensAsync(string modelId, CountTokensRequest request, CancellationToken cancellationToken = default);
}
