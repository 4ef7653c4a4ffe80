using System.Net;
using System.Net.Sockets;
using PromptGen.Testing.Tests.Support;

namespace PromptGen.Testing.Tests;

public sealed class LifecycleTests
{
    private static async Task WaitForAsync(Func<bool> condition)
    {
        // Generous bound only to keep a broken build from hanging; the assertion is about reaching the state.
        for (int i = 0; i < 600 && !condition(); i++)
        {
            await Task.Delay(50);
        }
    }

    [Fact]
    public async Task Emulator_listens_on_loopback_with_a_random_port()
    {
        await using BedrockEmulator first = await BedrockEmulator.StartAsync();
        await using BedrockEmulator second = await BedrockEmulator.StartAsync();
        Assert.Equal("127.0.0.1", first.Endpoint.Host);
        Assert.NotEqual(0, first.Endpoint.Port);
        Assert.NotEqual(first.Endpoint.Port, second.Endpoint.Port);
    }

    [Fact]
    public async Task Open_connections_return_to_zero_after_clients_are_disposed()
    {
        await using BedrockEmulator emulator = await BedrockEmulator.StartAsync(new BedrockEmulatorOptions { TokenDelay = TimeSpan.Zero });
        using (var http = new EmulatorHttp(emulator))
        {
            await http.SendAsync(EmulatorHttp.Sonnet45, "converse", EmulatorHttp.UserBody("Hi"));
            HttpResponseMessage stream = await http.SendAsync(EmulatorHttp.Sonnet45, "converse-stream", EmulatorHttp.UserBody("Hi"));
            await stream.Content.ReadAsByteArrayAsync();
            Assert.True(emulator.OpenConnections >= 1);
        }

        await WaitForAsync(() => emulator.OpenConnections == 0);
        Assert.Equal(0, emulator.OpenConnections);
    }

    [Fact]
    public async Task Parallel_streams_all_complete_and_connections_drain_to_zero()
    {
        await using BedrockEmulator emulator = await BedrockEmulator.StartAsync(new BedrockEmulatorOptions { TokenDelay = TimeSpan.FromMilliseconds(1) });
        using (var http = new EmulatorHttp(emulator))
        {
            var tasks = Enumerable.Range(0, 24).Select(async i =>
            {
                HttpResponseMessage response = await http.SendAsync(EmulatorHttp.Sonnet45, "converse-stream", EmulatorHttp.UserBody("Parallel " + i));
                List<TestFrame> frames = TestFrameDecoder.DecodeAll(await response.Content.ReadAsByteArrayAsync(), out int trailing);
                Assert.Equal(0, trailing);
                return frames[^1].EventType;
            }).ToList();
            Assert.All(await Task.WhenAll(tasks), t => Assert.Equal("metadata", t));
            Assert.True(emulator.OpenConnections > 1);
        }

        Assert.Equal(24, emulator.Requests.Count);
        await WaitForAsync(() => emulator.OpenConnections == 0);
        Assert.Equal(0, emulator.OpenConnections);
    }

    [Fact]
    public async Task Open_connections_return_to_zero_after_a_reset_connection_fault()
    {
        await using BedrockEmulator emulator = await BedrockEmulator.StartAsync();
        emulator.Faults.ResetConnection(afterBytes: 40);
        using (var http = new EmulatorHttp(emulator))
        {
            HttpResponseMessage response = await http.SendAsync(EmulatorHttp.Sonnet45, "converse-stream", EmulatorHttp.UserBody("Hi"), completion: HttpCompletionOption.ResponseHeadersRead);
            await Assert.ThrowsAnyAsync<Exception>(() => response.Content.ReadAsByteArrayAsync());
        }

        await WaitForAsync(() => emulator.OpenConnections == 0);
        Assert.Equal(0, emulator.OpenConnections);
    }

    [Fact]
    public async Task Dispose_stops_the_listener_even_with_a_stalled_stream_in_flight()
    {
        BedrockEmulator emulator = await BedrockEmulator.StartAsync();
        emulator.Faults.StallBetweenEvents(afterEvents: 1, TimeSpan.FromMinutes(5));
        using var http = new EmulatorHttp(emulator);
        HttpResponseMessage response = await http.SendAsync(EmulatorHttp.Sonnet45, "converse-stream", EmulatorHttp.UserBody("Hi"), completion: HttpCompletionOption.ResponseHeadersRead);
        Task<byte[]> body = response.Content.ReadAsByteArrayAsync();

        await emulator.DisposeAsync();

        await Assert.ThrowsAnyAsync<Exception>(() => body);
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await Assert.ThrowsAnyAsync<SocketException>(() => socket.ConnectAsync(IPAddress.Loopback, emulator.Endpoint.Port));
    }

    [Fact]
    public async Task Fixed_port_is_honoured()
    {
        int port;
        using (var probe = new TcpListener(IPAddress.Loopback, 0))
        {
            probe.Start();
            port = ((IPEndPoint)probe.LocalEndpoint).Port;
        }

        await using BedrockEmulator emulator = await BedrockEmulator.StartAsync(new BedrockEmulatorOptions { Port = port });
        Assert.Equal(port, emulator.Endpoint.Port);
    }
}
