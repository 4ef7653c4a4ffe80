using System.Text.Json.Nodes;

namespace PromptGen;

/// <summary>The body of a CountTokens request. The model ID goes in the path, not here.</summary>
public sealed class CountTokensRequest
{
    /// <summary>What to count (a union: a Converse-shaped or an InvokeModel-shaped input).</summary>
    public CountTokensInput Input { get; set; } = new();

    /// <summary>Counts the tokens of a Converse-shaped input.</summary>
    /// <param name="request">The request whose messages, system prompt, tools and extra fields are counted.</param>
    public static CountTokensRequest ForConverse(ConverseRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return new CountTokensRequest
        {
            Input = new CountTokensInput
            {
                Converse = new ConverseTokensRequest
                {
                    Messages = request.Messages,
                    System = request.System,
                    ToolConfig = request.ToolConfig,
                    AdditionalModelRequestFields = request.AdditionalModelRequestFields,
                },
            },
        };
    }

    /// <summary>Counts the tokens of an InvokeModel body.</summary>
    /// <param name="body">The model-native request body bytes.</param>
    public static CountTokensRequest ForInvokeModel(byte[] body) =>
        new() { Input = new CountTokensInput { InvokeModel = new InvokeModelTokensRequest { Body = body } } };
}

/// <summary>The input of a CountTokens request (a union).</summary>
public sealed class CountTokensInput
{
    /// <summary>An InvokeModel-shaped input.</summary>
    public InvokeModelTokensRequest? InvokeModel { get; set; }

    /// <summary>A Converse-shaped input.</summary>
    public ConverseTokensRequest? Converse { get; set; }
}

/// <summary>A Converse-shaped input to count.</summary>
public sealed class ConverseTokensRequest
{
    /// <summary>The messages.</summary>
    public IList<Message>? Messages { get; set; }

    /// <summary>The system prompt.</summary>
    public IList<SystemContentBlock>? System { get; set; }

    /// <summary>The tools.</summary>
    public ToolConfiguration? ToolConfig { get; set; }

    /// <summary>Model-native parameters.</summary>
    public JsonObject? AdditionalModelRequestFields { get; set; }
}

/// <summary>An InvokeModel-shaped input to count.</summary>
public sealed class InvokeModelTokensRequest
{
    /// <summary>The model-native body (base64 on the wire).</summary>
    public byte[] Body { get; set; } = [];
}

/// <summary>The body of a CountTokens response.</summary>
public sealed class CountTokensResponse
{
    /// <summary>The number of input tokens the input would use.</summary>
    public int InputTokens { get; set; }
}
