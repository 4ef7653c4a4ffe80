using Microsoft.Extensions.DependencyInjection;

namespace PromptGen.Testing.Tests.Caching;

/// <summary>
/// The response cache through clients generated at build time, against the emulator: one Bedrock request per distinct
/// call, streaming replay, warming, and the dependency-injection set-up a user writes.
/// </summary>
public sealed class GeneratedResponseCacheTests
{
    private static async Task<(BedrockEmulator Emulator, BedrockClient Bedrock)> StartAsync()
    {
        BedrockEmulator emulator = await BedrockEmulator.StartAsync(new BedrockEmulatorOptions
        {
            ResponseText = context => context.LastUserText.StartsWith("Category", StringComparison.Ordinal) ? "Bug" : null,
            TimeToFirstToken = TimeSpan.FromMilliseconds(5),
            TokenDelay = TimeSpan.Zero,
        });
        return (emulator, new BedrockClient(emulator.ClientOptions()));
    }

    private static PromptClientOptions CacheOptions() => new() { ResponseCache = PromptResponseCache.CreateInMemory() };

    [Fact]
    public async Task The_second_identical_call_is_served_from_the_cache_without_a_request()
    {
        (BedrockEmulator emulator, BedrockClient bedrock) = await StartAsync();
        await using var _ = emulator;
        using var __ = bedrock;
        ITicketTriage triage = new TicketTriageClient(bedrock, CacheOptions());

        PromptResult<TicketKind> first = await triage.ClassifyAsync("The app crashes on start.");
        PromptResult<TicketKind> second = await triage.ClassifyAsync("The app crashes on start.");

        Assert.Equal(TicketKind.Bug, first.Value);
        Assert.Equal(TicketKind.Bug, second.Value);
        Assert.False(first.CacheHit);
        Assert.True(second.CacheHit);
        Assert.True(first.Usage.OutputTokens > 0);
        Assert.Equal(0, second.Usage.TotalTokens);
        Assert.Single(emulator.Requests);
    }

    [Fact]
    public async Task Another_method_sending_the_same_request_shares_the_answer_and_another_input_does_not()
    {
        (BedrockEmulator emulator, BedrockClient bedrock) = await StartAsync();
        await using var _ = emulator;
        using var __ = bedrock;
        ITicketTriage triage = new TicketTriageClient(bedrock, CacheOptions());

        await triage.ClassifyAsync("I was charged twice.");
        TicketKind again = await triage.ClassifyValueAsync("I was charged twice.");
        await triage.ClassifyValueAsync("I was charged three times.");

        Assert.Equal(TicketKind.Bug, again);
        Assert.Equal(2, emulator.Requests.Count);
    }

    [Fact]
    public async Task A_method_without_CacheResponse_sends_every_call()
    {
        (BedrockEmulator emulator, BedrockClient bedrock) = await StartAsync();
        await using var _ = emulator;
        using var __ = bedrock;
        ITicketTriage triage = new TicketTriageClient(bedrock, CacheOptions());

        await triage.ClassifyUncachedAsync("The app crashes on start.");
        PromptResult<TicketKind> second = await triage.ClassifyUncachedAsync("The app crashes on start.");

        Assert.False(second.CacheHit);
        Assert.Equal(2, emulator.Requests.Count);
    }

    [Fact]
    public async Task Without_a_cache_the_generated_client_sends_every_call()
    {
        (BedrockEmulator emulator, BedrockClient bedrock) = await StartAsync();
        await using var _ = emulator;
        using var __ = bedrock;
        ITicketTriage triage = new TicketTriageClient(bedrock);

        await triage.ClassifyAsync("The app crashes on start.");
        await triage.ClassifyAsync("The app crashes on start.");

        Assert.Equal(2, emulator.Requests.Count);
    }

    [Fact]
    public async Task A_completed_stream_is_replayed_from_the_cache()
    {
        (BedrockEmulator emulator, BedrockClient bedrock) = await StartAsync();
        await using var _ = emulator;
        using var __ = bedrock;
        ITicketTriage triage = new TicketTriageClient(bedrock, CacheOptions());

        var streamed = new List<string>();
        await foreach (string delta in triage.SummarizeAsync("The export button does nothing since the update."))
        {
            streamed.Add(delta);
        }

        var replayed = new List<string>();
        await foreach (string delta in triage.SummarizeAsync("The export button does nothing since the update."))
        {
            replayed.Add(delta);
        }

        Assert.True(streamed.Count > 1);
        Assert.Equal(string.Concat(streamed), string.Concat(replayed));
        Assert.Equal(EmulatorOperation.ConverseStream, Assert.Single(emulator.Requests).Operation);
    }

    [Fact]
    public async Task Warming_known_inputs_makes_the_later_calls_hits()
    {
        (BedrockEmulator emulator, BedrockClient bedrock) = await StartAsync();
        await using var _ = emulator;
        using var __ = bedrock;
        ITicketTriage triage = new TicketTriageClient(bedrock, CacheOptions());
        string[] known = ["Password reset link expired.", "Invoice shows the wrong VAT.", "Dark mode flickers."];

        PromptCacheWarmResult<string> warmed = await PromptResponseCache.WarmAsync(known, (ticket, ct) => triage.ClassifyAsync(ticket, ct), maxConcurrency: 2);
        var later = new List<PromptResult<TicketKind>>();
        foreach (string ticket in known)
        {
            later.Add(await triage.ClassifyAsync(ticket));
        }

        Assert.Equal(3, warmed.Warmed);
        Assert.Empty(warmed.Failures);
        Assert.All(later, r => Assert.True(r.CacheHit));
        Assert.Equal(3, emulator.Requests.Count);
    }

    [Fact]
    public async Task With_dependency_injection_AddPromptGenResponseCache_turns_the_cache_on()
    {
        (BedrockEmulator emulator, BedrockClient bedrock) = await StartAsync();
        await using var _ = emulator;
        using var __ = bedrock;
        var services = new ServiceCollection();
        services.AddSingleton<IBedrockClient>(bedrock);
        services.AddPromptGen(o => o.Region = "us-east-1");
        services.AddPromptGenResponseCache(o => o.DefaultDuration = TimeSpan.FromMinutes(30));
        services.AddPromptClient<ITicketTriage>();
        using ServiceProvider provider = services.BuildServiceProvider();
        ITicketTriage triage = provider.GetRequiredService<ITicketTriage>();

        await triage.ClassifyAsync("The app crashes on start.");
        PromptResult<TicketKind> second = await triage.ClassifyAsync("The app crashes on start.");

        Assert.True(second.CacheHit);
        Assert.Single(emulator.Requests);
    }
}
