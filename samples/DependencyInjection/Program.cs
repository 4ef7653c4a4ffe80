// PromptGen with dependency injection: options from appsettings.json (and environment variables), limits from
// configuration, the response cache shared through Redis when ConnectionStrings:Redis is set, and OpenTelemetry
// traces and metrics printed to the console. With no AWS settings it runs against the built-in emulator.
using DependencyInjectionSample;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;
using PromptGen;
using PromptGen.Testing;

const string Ticket = "Our whole team is locked out of the billing portal since this morning and invoices are due today.";

bool useAws = !string.IsNullOrEmpty(Environment.GetEnvironmentVariable("AWS_REGION"));
await using BedrockEmulator? emulator = useAws ? null : await BedrockEmulator.StartAsync(new BedrockEmulatorOptions
{
    ResponseText = request => request.LastUserText.StartsWith("Priority", StringComparison.Ordinal)
        ? "Urgent"
        : "Sorry about the lock-out: we have escalated it to the billing team. You will hear from us within the hour.",
});

var configurationBuilder = new ConfigurationBuilder()
    .SetBasePath(AppContext.BaseDirectory)
    .AddJsonFile("appsettings.json", optional: false)
    .AddEnvironmentVariables();
if (emulator is not null)
{
    // The emulator's endpoint and test credentials override the file, as an environment would in production.
    BedrockClientOptions local = emulator.ClientOptions();
    configurationBuilder.AddInMemoryCollection(new Dictionary<string, string?>
    {
        ["PromptGen:Endpoint"] = local.Endpoint!.ToString(),
        ["PromptGen:Region"] = local.Region,
        ["PromptGen:AccessKeyId"] = local.AccessKeyId,
        ["PromptGen:SecretAccessKey"] = local.SecretAccessKey,
        ["PromptGen:UseEnvironment"] = "false",
    });
}

IConfiguration configuration = configurationBuilder.Build();

var services = new ServiceCollection();
services.AddPromptGen(configuration.GetSection("PromptGen"));
services.AddPromptGenLimits(configuration.GetSection("PromptGen:Limits"));
services.AddPromptGenResponseCache();
string? redis = configuration.GetConnectionString("Redis");
if (!string.IsNullOrEmpty(redis))
{
    // With Redis every instance of the service shares what one of them cached.
    services.AddStackExchangeRedisCache(o => o.Configuration = redis);
}

services.AddPromptClient<ISupportDesk>();

using TracerProvider tracing = Sdk.CreateTracerProviderBuilder().AddSource("PromptGen").AddConsoleExporter().Build();
using MeterProvider metrics = Sdk.CreateMeterProviderBuilder().AddMeter("PromptGen").AddConsoleExporter().Build();
await using ServiceProvider provider = services.BuildServiceProvider();

var desk = provider.GetRequiredService<ISupportDesk>();
Console.WriteLine(emulator is null ? "Talking to Amazon Bedrock." : $"Using the built-in Bedrock emulator at {emulator.Endpoint}.");
Console.WriteLine("Response cache: " + (string.IsNullOrEmpty(redis) ? "in memory" : "in memory + Redis"));
Console.WriteLine("The OpenTelemetry console exporter prints each span as it ends and the metrics at exit.");

PromptResult<Priority> priority = await desk.PrioritizeAsync(Ticket);
PromptResult<Priority> again = await desk.PrioritizeAsync(Ticket);
Console.WriteLine($"Priority: {priority.Value} ({priority.Latency.TotalMilliseconds:F0} ms); asked again: {again.Value}, " +
                  $"cache hit {again.CacheHit} ({again.Latency.TotalMilliseconds:F2} ms)");

Console.Write("Draft reply: ");
await foreach (string piece in desk.DraftReplyAsync(Ticket))
{
    Console.Write(piece);
}

Console.WriteLine();
return 0;
