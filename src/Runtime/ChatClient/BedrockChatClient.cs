using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;

namespace PromptGen;

/// <summary>
/// A Microsoft.Extensions.AI <see cref="IChatClient"/> over an <see cref="IBedrockClient"/>: chat messages and
/// <see cref="ChatOptions"/> become Converse / ConverseStream requests, and Bedrock's answers become
/// <see cref="ChatResponse"/>s and <see cref="ChatResponseUpdate"/>s. Bedrock's failures surface unchanged as
/// <see cref="BedrockException"/>s. Create one with <see cref="BedrockChatClientExtensions.AsIChatClient"/>; see
/// docs/chat-client.md for what maps to what.
/// </summary>
public sealed class BedrockChatClient : IChatClient
{
    /// <summary>The provider name in <see cref="ChatClientMetadata"/> (OpenTelemetry's <c>gen_ai.provider.name</c> for Bedrock).</summary>
    public const string ProviderName = "aws.bedrock";

    private readonly IBedrockClient _bedrock;
    private readonly string? _defaultModelId;

    /// <summary>Creates a chat client that sends through <paramref name="bedrock"/>, which it does not own.</summary>
    /// <param name="bedrock">The Bedrock client.</param>
    /// <param name="defaultModelId">The model used when <see cref="ChatOptions.ModelId"/> is not set.</param>
    /// <exception cref="ArgumentNullException"><paramref name="bedrock"/> is <see langword="null"/>.</exception>
    public BedrockChatClient(IBedrockClient bedrock, string? defaultModelId = null)
    {
        ArgumentNullException.ThrowIfNull(bedrock);
        _bedrock = bedrock;
        _defaultModelId = string.IsNullOrEmpty(defaultModelId) ? null : defaultModelId;
        Metadata = new ChatClientMetadata(ProviderName, (bedrock as BedrockClient)?.Endpoint, _defaultModelId);
    }

    /// <summary>The provider name (<c>aws.bedrock</c>), the endpoint (when the client is a <see cref="BedrockClient"/>) and the default model.</summary>
    public ChatClientMetadata Metadata { get; }

    /// <inheritdoc />
    /// <exception cref="InvalidOperationException">No model: neither <see cref="ChatOptions.ModelId"/> nor a default model is set.</exception>
    /// <exception cref="NotSupportedException">Content or an option Bedrock cannot take (see docs/chat-client.md).</exception>
    /// <exception cref="BedrockException">Bedrock refused the request or failed.</exception>
    public async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messages);
        (string modelId, ConverseRequest request) = Prepare(messages, options);
        ConverseResponse response = await _bedrock.ConverseAsync(modelId, request, cancellationToken).ConfigureAwait(false);
        return ChatResponseMapper.ToChatResponse(response, modelId);
    }

    /// <inheritdoc />
    /// <exception cref="InvalidOperationException">No model: neither <see cref="ChatOptions.ModelId"/> nor a default model is set.</exception>
    /// <exception cref="NotSupportedException">Content or an option Bedrock cannot take (see docs/chat-client.md).</exception>
    /// <exception cref="BedrockException">
    /// Bedrock refused the request or failed; a failure mid-stream carries the text already streamed in
    /// <see cref="BedrockException.PartialText"/>.
    /// </exception>
    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<ChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messages);
        (string modelId, ConverseRequest request) = Prepare(messages, options);
        var mapper = new ChatStreamMapper(modelId);
        await foreach (ConverseStreamEvent streamEvent in _bedrock.ConverseStreamAsync(modelId, request, cancellationToken).ConfigureAwait(false))
        {
            if (mapper.Map(streamEvent) is { } update)
            {
                yield return update;
            }
        }
    }

    /// <summary>
    /// Returns <see cref="Metadata"/> for <see cref="ChatClientMetadata"/>, the underlying Bedrock client for
    /// <see cref="IBedrockClient"/> (or its concrete type), and this instance for its own types; otherwise null.
    /// </summary>
    /// <param name="serviceType">The type asked for.</param>
    /// <param name="serviceKey">A key; any non-null key finds nothing.</param>
    public object? GetService(Type serviceType, object? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(serviceType);
        return serviceKey is not null ? null
            : serviceType == typeof(ChatClientMetadata) ? Metadata
            : serviceType.IsInstanceOfType(this) ? this
            : serviceType.IsInstanceOfType(_bedrock) ? _bedrock
            : null;
    }

    /// <summary>Does nothing: the Bedrock client belongs to whoever created it.</summary>
    public void Dispose()
    {
    }

    private (string ModelId, ConverseRequest Request) Prepare(IEnumerable<ChatMessage> messages, ChatOptions? options)
    {
        string modelId = (string.IsNullOrEmpty(options?.ModelId) ? null : options.ModelId) ?? _defaultModelId
            ?? throw new InvalidOperationException("No model: set ChatOptions.ModelId, or give a default model to AsIChatClient.");
        ConverseRequest? start = options?.RawRepresentationFactory?.Invoke(this) as ConverseRequest;
        return (modelId, ChatRequestMapper.Build(start, messages, options, modelId));
    }
}
