using System.Diagnostics;
using Microsoft.Extensions.Logging;

namespace PromptGen.Testing.Tests.Telemetry;

/// <summary>
/// Fake credentials go through successful and failing calls with everything on (traces, metrics, Trace-level logs and the
/// content opt-in); no exported attribute, event, metric tag or log line may contain one.
/// </summary>
public class TelemetrySecretsTests
{
    private const string Secret = "FAKE/telemetry+SECRET/never-exported-0123456789";
    private const string SessionToken = "FAKE-TELEMETRY-SESSION-never-exported-abcdef";
    private const string ApiKey = "FAKE-TELEMETRY-API-KEY-never-exported-42";

    [Fact]
    public async Task No_secret_reaches_spans_metrics_or_logs()
    {
        await using BedrockEmulator emulator = await BedrockEmulator.StartAsync(new BedrockEmulatorOptions
        {
            SecretAccessKey = Secret,
            BearerToken = ApiKey,
            TimeToFirstToken = TimeSpan.FromMilliseconds(5),
            TokenDelay = TimeSpan.Zero,
        });
        BedrockClientOptions signedOptions = emulator.ClientOptions();
        signedOptions.SessionToken = SessionToken;
        signedOptions.MaxAttempts = 1;
        using var signed = new BedrockClient(signedOptions);
        using var bearer = new BedrockClient(new BedrockClientOptions { Endpoint = emulator.Endpoint, BearerToken = ApiKey, UseEnvironment = false, MaxAttempts = 1 });
        BedrockClientOptions wrongOptions = emulator.ClientOptions();
        wrongOptions.SecretAccessKey = Secret + "-wrong";
        wrongOptions.MaxAttempts = 1;
        using var wrongSecret = new BedrockClient(wrongOptions);

        var provider = new CapturingLoggerProvider();
        using ILoggerFactory logging = LoggerFactory.Create(b => b.AddProvider(provider).SetMinimumLevel(LogLevel.Trace));
        var options = new PromptClientOptions { LoggerFactory = logging, RecordContent = true };
        using var telemetry = new TelemetryHarness();

        await new TicketDeskClient(signed, options).SummarizeAsync("Toner low.");
        await new TicketDeskClient(bearer, options).SummarizeAsync("Toner low.");
        await foreach (string _ in new TicketDeskClient(bearer, options).StreamSummaryAsync("Toner low."))
        {
        }

        await Assert.ThrowsAnyAsync<BedrockException>(() => new TicketDeskClient(wrongSecret, options).SummarizeAsync("Toner low."));
        emulator.Faults.Throttle();
        await Assert.ThrowsAnyAsync<BedrockException>(() => new TicketDeskClient(signed, options).ExtractAsync("Toner low."));
        emulator.Faults.InStreamException(afterEvents: 3);
        await Assert.ThrowsAnyAsync<BedrockException>(async () =>
        {
            await foreach (string _ in new TicketDeskClient(signed, options).StreamSummaryAsync("Toner low."))
            {
            }
        });

        var exported = new List<string>();
        IReadOnlyList<Activity> spans = telemetry.Spans;
        Assert.Equal(6, telemetry.CallSpans.Count);
        Assert.Equal(3, telemetry.CallSpans.Count(s => s.Status == ActivityStatusCode.Error));
        foreach (Activity span in spans)
        {
            exported.Add(span.DisplayName);
            exported.Add(span.StatusDescription ?? string.Empty);
            exported.AddRange(span.TagObjects.Select(t => t.Key + "=" + Text(t.Value)));
            foreach (ActivityEvent e in span.Events)
            {
                exported.Add(e.Name);
                exported.AddRange(e.Tags.Select(t => t.Key + "=" + Text(t.Value)));
            }
        }

        foreach (string metric in new[] { "gen_ai.client.operation.duration", "gen_ai.client.token.usage", "gen_ai.client.operation.time_to_first_chunk", "gen_ai.client.operation.time_per_output_chunk" })
        {
            foreach (string method in new[] { "SummarizeAsync", "StreamSummaryAsync", "ExtractAsync" })
            {
                exported.AddRange(telemetry.Points(metric, method).SelectMany(p => p.Tags.Select(t => t.Key + "=" + Text(t.Value))));
            }
        }

        foreach (CapturedLog log in provider.Logs)
        {
            exported.Add(log.Message);
            exported.AddRange(log.State.Select(s => s.Key + "=" + Text(s.Value)));
            exported.Add(log.Exception?.ToString() ?? string.Empty);
        }

        // The content opt-in is on, so the data is rich: the prompt did reach the exports, the secrets did not.
        Assert.Contains(exported, e => e.Contains("Toner low.", StringComparison.Ordinal));
        Assert.Contains(exported, e => e.Contains("exception", StringComparison.OrdinalIgnoreCase));
        foreach (string text in exported)
        {
            foreach (string secret in new[] { Secret, SessionToken, ApiKey })
            {
                Assert.DoesNotContain(secret, text, StringComparison.Ordinal);
            }
        }
    }

    private static string Text(object? value) => value switch
    {
        null => string.Empty,
        string[] array => string.Join(",", array),
        _ => Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture) ?? string.Empty,
    };
}
