using System.Diagnostics;
using Microsoft.Extensions.Logging;

namespace PromptGen.Testing.Tests.Telemetry;

/// <summary>The log messages of generated clients, captured through an <see cref="ILoggerProvider"/>.</summary>
public class LoggingTests
{
    private const string Ticket = "Grace Hopper found a moth in relay 70.";

    private static async Task<(BedrockEmulator Emulator, BedrockClient Bedrock)> StartAsync()
    {
        BedrockEmulator emulator = await BedrockEmulator.StartAsync(new BedrockEmulatorOptions
        {
            TimeToFirstToken = TimeSpan.FromMilliseconds(5),
            TokenDelay = TimeSpan.Zero,
        });
        BedrockClientOptions options = emulator.ClientOptions();
        options.MaxAttempts = 1;
        return (emulator, new BedrockClient(options));
    }

    private static (ILoggerFactory Factory, CapturingLoggerProvider Provider) Logging()
    {
        var provider = new CapturingLoggerProvider();
        ILoggerFactory factory = LoggerFactory.Create(b => b.AddProvider(provider).SetMinimumLevel(LogLevel.Trace));
        return (factory, provider);
    }

    [Fact]
    public async Task A_call_logs_its_outcome_and_time_breakdown_at_debug_without_content()
    {
        (BedrockEmulator emulator, BedrockClient bedrock) = await StartAsync();
        await using var _ = emulator;
        using var __ = bedrock;
        (ILoggerFactory factory, CapturingLoggerProvider provider) = Logging();
        using var ___ = factory;

        PromptResult<string> result = await new TicketDeskClient(bedrock, new PromptClientOptions { LoggerFactory = factory }).SummarizeAsync(Ticket);

        List<CapturedLog> logs = provider.Logs.ToList();
        CapturedLog completed = Assert.Single(logs, l => l.EventId.Name == "PromptCompleted");
        Assert.Equal("PromptGen", completed.Category);
        Assert.Equal(LogLevel.Debug, completed.Level);
        Assert.Equal("ITicketDesk", completed.State["InterfaceName"]);
        Assert.Equal("SummarizeAsync", completed.State["Method"]);
        Assert.Equal("us.amazon.nova-pro-v1:0", completed.State["ModelId"]);
        Assert.Equal(result.Latency.TotalMilliseconds, completed.State["DurationMs"]);
        Assert.Equal(result.Usage.InputTokens, completed.State["InputTokens"]);
        Assert.Equal(result.Usage.OutputTokens, completed.State["OutputTokens"]);
        Assert.Equal(result.StopReason.Value, completed.State["StopReason"]);
        Assert.Equal(result.TimeToFirstToken!.Value.TotalMilliseconds, completed.State["TimeToFirstChunkMs"]);

        CapturedLog breakdown = Assert.Single(logs, l => l.EventId.Name == "PromptBreakdown");
        Assert.Equal(LogLevel.Debug, breakdown.Level);
        foreach (string phase in new[] { "RenderMs", "TimeToFirstByteMs", "ResponseMs", "ParseMs" })
        {
            Assert.IsType<double>(breakdown.State[phase]);
        }

        Assert.Null(breakdown.State["QueueWaitMs"]);
        Assert.Null(breakdown.State["CacheLookupMs"]);
        Assert.DoesNotContain(logs, l => l.Message.Contains("Grace Hopper", StringComparison.Ordinal)
            || l.State.Values.Any(v => v?.ToString()?.Contains("Grace Hopper", StringComparison.Ordinal) == true));
        Assert.DoesNotContain(logs, l => l.Level == LogLevel.Trace);
    }

    [Fact]
    public async Task With_RecordContent_the_prompt_and_the_response_are_logged_at_trace()
    {
        (BedrockEmulator emulator, BedrockClient bedrock) = await StartAsync();
        await using var _ = emulator;
        using var __ = bedrock;
        (ILoggerFactory factory, CapturingLoggerProvider provider) = Logging();
        using var ___ = factory;

        PromptResult<string> result = await new TicketDeskClient(bedrock, new PromptClientOptions { LoggerFactory = factory, RecordContent = true })
            .SummarizeAsync(Ticket);

        CapturedLog request = Assert.Single(provider.Logs, l => l.EventId.Name == "PromptRequestContent");
        Assert.Equal(LogLevel.Trace, request.Level);
        Assert.Equal("You summarize support tickets.", request.State["SystemPrompt"]);
        Assert.Equal("Summarize ticket:\n" + Ticket, request.State["UserPrompt"]);
        CapturedLog response = Assert.Single(provider.Logs, l => l.EventId.Name == "PromptResponseContent");
        Assert.Equal(result.Value, response.State["Response"]);
    }

    [Fact]
    public async Task A_failure_is_a_warning_with_the_error_type_and_the_exception_only_with_RecordContent()
    {
        (BedrockEmulator emulator, BedrockClient bedrock) = await StartAsync();
        await using var _ = emulator;
        using var __ = bedrock;
        (ILoggerFactory factory, CapturingLoggerProvider provider) = Logging();
        using var ___ = factory;
        // Only warnings enabled: failures are still logged, successes cost nothing.
        using ILoggerFactory warnings = LoggerFactory.Create(b => b.AddProvider(provider).SetMinimumLevel(LogLevel.Warning));

        emulator.Faults.Throttle();
        var plain = await Assert.ThrowsAsync<BedrockThrottlingException>(
            () => new TicketDeskClient(bedrock, new PromptClientOptions { LoggerFactory = warnings }).SummarizeAsync(Ticket));
        emulator.Faults.Throttle();
        await Assert.ThrowsAsync<BedrockThrottlingException>(
            () => new TicketDeskClient(bedrock, new PromptClientOptions { LoggerFactory = factory, RecordContent = true }).SummarizeAsync(Ticket));
        await new TicketDeskClient(bedrock, new PromptClientOptions { LoggerFactory = warnings }).SummarizeAsync(Ticket);

        List<CapturedLog> failures = provider.Logs.Where(l => l.EventId.Name == "PromptFailed").ToList();
        Assert.Equal(2, failures.Count);
        Assert.All(failures, f => Assert.Equal(LogLevel.Warning, f.Level));
        Assert.All(failures, f => Assert.Equal("ThrottlingException", f.State["ErrorType"]));
        Assert.Equal(plain.RequestId, failures[0].State["RequestId"]);
        Assert.Null(failures[0].Exception);
        Assert.IsType<BedrockThrottlingException>(failures[1].Exception);
        // The success went to the warnings-only factory: nothing below Warning was written for it.
        Assert.DoesNotContain(provider.Logs, l => l.EventId.Name == "PromptCompleted");
    }

    [Fact]
    public async Task A_cancelled_call_is_logged_as_cancelled_not_failed()
    {
        (BedrockEmulator emulator, BedrockClient bedrock) = await StartAsync();
        await using var _ = emulator;
        using var __ = bedrock;
        (ILoggerFactory factory, CapturingLoggerProvider provider) = Logging();
        using var ___ = factory;
        using var cancel = new CancellationTokenSource();
        cancel.Cancel();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(
            () => new TicketDeskClient(bedrock, new PromptClientOptions { LoggerFactory = factory }).SummarizeAsync(Ticket, cancel.Token));

        Assert.Single(provider.Logs, l => l.EventId.Name == "PromptCancelled");
        Assert.DoesNotContain(provider.Logs, l => l.EventId.Name == "PromptFailed");
    }
}
