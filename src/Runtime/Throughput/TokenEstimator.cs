namespace PromptGen;

/// <summary>
/// A cheap, deliberately generous estimate of the tokens a request will use, reserved against a tokens-per-minute limit
/// before sending and corrected to the reported usage afterwards: about four characters per input token (the usual rule
/// of thumb for English text with the models on Bedrock) plus the request's output budget.
/// </summary>
internal static class TokenEstimator
{
    private const int CharsPerToken = 4;
    private const int PerBlockOverhead = 4;

    public static int Estimate(ConverseRequest request, int defaultMaxTokens)
    {
        long chars = 0;
        int blocks = 0;
        if (request.System is { } system)
        {
            foreach (SystemContentBlock block in system)
            {
                chars += block.Text?.Length ?? 0;
                blocks++;
            }
        }

        if (request.Messages is { } messages)
        {
            foreach (Message message in messages)
            {
                foreach (ContentBlock block in message.Content)
                {
                    chars += block.Text?.Length ?? 0;
                    if (block.ToolResult is { } result)
                    {
                        foreach (ToolResultContentBlock part in result.Content)
                        {
                            chars += (part.Text?.Length ?? 0) + (part.Json?.ToJsonString().Length ?? 0);
                        }
                    }

                    if (block.ToolUse is { Input: { } toolInput })
                    {
                        chars += toolInput.ToJsonString().Length;
                    }

                    blocks++;
                }
            }
        }

        long input = (chars + CharsPerToken - 1) / CharsPerToken + (long)blocks * PerBlockOverhead;
        int output = request.InferenceConfig?.MaxTokens is > 0 and int max ? max : defaultMaxTokens;
        return (int)Math.Min(int.MaxValue, input + output);
    }
}
