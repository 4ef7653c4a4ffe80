// Standalone Bedrock emulator: dotnet run --project src/Testing -- --port 5050 [--no-auth] [--ttft-ms 30] [--token-delay-ms 2] [--quota-rps 50]
using System.Globalization;
using PromptGen.Testing;

var options = new BedrockEmulatorOptions();
for (int i = 0; i < args.Length; i++)
{
    switch (args[i])
    {
        case "--port" when i + 1 < args.Length:
            options.Port = int.Parse(args[++i], CultureInfo.InvariantCulture);
            break;
        case "--no-auth":
            options.RequireSignature = false;
            break;
        case "--ttft-ms" when i + 1 < args.Length:
            options.TimeToFirstToken = TimeSpan.FromMilliseconds(double.Parse(args[++i], CultureInfo.InvariantCulture));
            break;
        case "--token-delay-ms" when i + 1 < args.Length:
            options.TokenDelay = TimeSpan.FromMilliseconds(double.Parse(args[++i], CultureInfo.InvariantCulture));
            break;
        case "--quota-rps" when i + 1 < args.Length:
            options.RequestsPerSecondQuota = double.Parse(args[++i], CultureInfo.InvariantCulture);
            break;
        case "--help" or "-h":
            Console.WriteLine("Usage: PromptGen.Testing [--port N] [--no-auth] [--ttft-ms N] [--token-delay-ms N] [--quota-rps N]");
            return 0;
        default:
            Console.Error.WriteLine("Unknown argument: " + args[i]);
            return 2;
    }
}

await using BedrockEmulator emulator = await BedrockEmulator.StartAsync(options);
Console.WriteLine("PromptGen Bedrock emulator listening on " + emulator.Endpoint);
Console.WriteLine("  AWS_ENDPOINT_URL_BEDROCK_RUNTIME=" + emulator.Endpoint.ToString().TrimEnd('/'));
Console.WriteLine("  AWS_ACCESS_KEY_ID=" + options.AccessKeyId);
Console.WriteLine("  AWS_SECRET_ACCESS_KEY=" + options.SecretAccessKey);
Console.WriteLine("  AWS_BEARER_TOKEN_BEDROCK=" + options.BearerToken);
Console.WriteLine("  AWS_REGION=" + options.Region);
Console.WriteLine("Signature required: " + options.RequireSignature + ". Press Ctrl+C to stop.");

var done = new TaskCompletionSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    done.TrySetResult();
};
AppDomain.CurrentDomain.ProcessExit += (_, _) => done.TrySetResult();
await done.Task;
Console.WriteLine("Stopping.");
return 0;
