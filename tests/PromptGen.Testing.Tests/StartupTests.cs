using System.Diagnostics;
using PromptGen.Testing.Tests.Support;
using Xunit.Abstractions;

namespace PromptGen.Testing.Tests;

public sealed class StartupTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Many_emulators_start_serve_and_stop_one_after_another()
    {
        var starts = new List<double>();
        var stops = new List<double>();
        for (int i = 0; i < 20; i++)
        {
            var clock = Stopwatch.StartNew();
            BedrockEmulator emulator = await BedrockEmulator.StartAsync(new BedrockEmulatorOptions { TimeToFirstToken = TimeSpan.Zero, TokenDelay = TimeSpan.Zero });
            starts.Add(clock.Elapsed.TotalMilliseconds);
            using (var http = new EmulatorHttp(emulator))
            {
                HttpResponseMessage response = await http.SendAsync(EmulatorHttp.Sonnet45, "converse", EmulatorHttp.UserBody("Hi " + i));
                Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
            }

            clock.Restart();
            await emulator.DisposeAsync();
            stops.Add(clock.Elapsed.TotalMilliseconds);
        }

        // Informational only (no wall-clock pass/fail threshold).
        output.WriteLine($"start: first {starts[0]:F1} ms, median of the rest {starts.Skip(1).Order().ElementAt(9):F1} ms; stop median {stops.Order().ElementAt(10):F1} ms");
    }
}
