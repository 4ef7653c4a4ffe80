using Consumer;
using PromptGen;
using PromptGen.Testing;

// Answers with the prompt it was given, so the output shows what the generated client rendered and sent.
await using BedrockEmulator emulator = await BedrockEmulator.StartAsync(new BedrockEmulatorOptions
{
    ResponseText = request => "echo: " + request.LastUserText,
});
using var bedrock = new BedrockClient(emulator.ClientOptions());
IGreeter greeter = new GreeterClient(bedrock);

Console.WriteLine("greet: " + (await greeter.GreetAsync("Ada")).Trim());
Console.WriteLine("greet model: " + emulator.Requests[^1].ModelId);
Console.WriteLine("sentiment: " + await greeter.SentimentAsync("great product"));
Console.WriteLine("sentiment model: " + emulator.Requests[^1].ModelId);
Console.WriteLine("sentiment temperature: " + emulator.Requests[^1].Json?["inferenceConfig"]?["temperature"]);
