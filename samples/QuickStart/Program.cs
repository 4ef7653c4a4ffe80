// PromptGen QuickStart: a Converse call and a streamed ConverseStream call through BedrockClient.
// With no AWS settings it starts the built-in Bedrock emulator on 127.0.0.1; with AWS_REGION plus credentials
// (or AWS_BEARER_TOKEN_BEDROCK) it talks to real Amazon Bedrock.
using System.Diagnostics;
using PromptGen;
using PromptGen.Testing;

string modelId = Environment.GetEnvironmentVariable("PROMPTGEN_MODEL") ?? "us.anthropic.claude-haiku-4-5-20251001-v1:0";

await using BedrockEmulator? emulator = HasAwsSettings() ? null : await BedrockEmulator.StartAsync();
using var bedrock = emulator is null
    ? new BedrockClient()
    : new BedrockClient(new BedrockClientOptions
    {
        Endpoint = emulator.Endpoint,
        Region = "us-east-1",
        AccessKeyId = emulator.Options.AccessKeyId,
        SecretAccessKey = emulator.Options.SecretAccessKey,
        UseEnvironment = false,
    });

Console.WriteLine("PromptGen QuickStart");
Console.WriteLine(emulator is null
    ? $"  Talking to Amazon Bedrock at {bedrock.Endpoint}"
    : $"  No AWS settings found: using the built-in Bedrock emulator at {bedrock.Endpoint}");
Console.WriteLine($"  Model: {modelId}");
Console.WriteLine();

// 1. Converse: one request, the whole answer at once.
var request = new ConverseRequest
{
    System = [SystemContentBlock.FromText("You answer in two short sentences.")],
    Messages = [Message.User("Why does streaming make a chat assistant feel faster?")],
    InferenceConfig = new InferenceConfiguration { MaxTokens = 200, Temperature = 0.3f },
};

Console.WriteLine("1. Converse");
var stopwatch = Stopwatch.StartNew();
ConverseResponse response = await bedrock.ConverseAsync(modelId, request);
stopwatch.Stop();
Console.WriteLine($"   {response.OutputText}");
Console.WriteLine($"   stop reason {response.StopReason}, tokens in/out {response.Usage?.InputTokens}/{response.Usage?.OutputTokens}, " +
                  $"total {stopwatch.Elapsed.TotalMilliseconds:F0} ms");
Console.WriteLine();

// 2. ConverseStream: the same question, printed as it arrives.
Console.WriteLine("2. ConverseStream");
Console.Write("   ");
stopwatch.Restart();
TimeSpan? timeToFirstToken = null;
TokenUsage? usage = null;
await foreach (ConverseStreamEvent streamEvent in bedrock.ConverseStreamAsync(modelId, request))
{
    switch (streamEvent)
    {
        case ContentBlockDeltaEvent { Delta.Text: { } text }:
            timeToFirstToken ??= stopwatch.Elapsed;
            Console.Write(text);
            break;
        case MetadataEvent metadata:
            usage = metadata.Usage;
            break;
    }
}

stopwatch.Stop();
Console.WriteLine();
Console.WriteLine($"   time to first token {timeToFirstToken?.TotalMilliseconds:F0} ms, total {stopwatch.Elapsed.TotalMilliseconds:F0} ms, " +
                  $"tokens in/out {usage?.InputTokens}/{usage?.OutputTokens}");
Console.WriteLine();
Console.WriteLine("Streaming shows the first words after the time to first token instead of after the whole answer.");
return 0;

static bool HasAwsSettings()
{
    static bool Set(string name) => !string.IsNullOrEmpty(Environment.GetEnvironmentVariable(name));
    return Set("AWS_REGION") && (Set("AWS_ACCESS_KEY_ID") || Set("AWS_PROFILE") || Set("AWS_BEARER_TOKEN_BEDROCK"));
}
