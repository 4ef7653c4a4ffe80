using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using PromptGen.Tests;

namespace PromptGen.Runtime.Tests.Caching;

/// <summary>
/// A real <c>redis-server</c> process of the tests' own on a free loopback port, with persistence off, killed when the
/// tests end; nothing depends on a system service. When redis-server is not installed the fixture runs
/// eng/install-redis.sh (the script .ci/run uses); when that fails too, the tests fail with the reason.
/// </summary>
public sealed class RedisServerFixture : IAsyncLifetime
{
    private Process? _process;

    /// <summary>The StackExchange.Redis configuration string of the server.</summary>
    public string Configuration { get; private set; } = string.Empty;

    public async Task InitializeAsync()
    {
        string server = FindRedisServer() ?? Install();
        int port = FreePort();
        var start = new ProcessStartInfo(server)
        {
            ArgumentList = { "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no" },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        _process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {server}.");
        _process.OutputDataReceived += static (_, _) => { };
        _process.ErrorDataReceived += static (_, _) => { };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();

        // Ready when it answers PING; bounded so a broken install fails instead of hanging.
        for (int attempt = 0; attempt < 200; attempt++)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"redis-server exited with code {_process.ExitCode} before accepting connections on port {port}.");
            }

            if (await PingsAsync(port))
            {
                // Generous timeouts: the machine may be busy, and HybridCache turns a Redis timeout into a silent miss.
                Configuration = $"127.0.0.1:{port},abortConnect=false,connectTimeout=20000,syncTimeout=20000,asyncTimeout=20000";
                return;
            }

            await Task.Delay(50);
        }

        throw new InvalidOperationException($"redis-server did not answer PING on 127.0.0.1:{port} within 10 s.");
    }

    public Task DisposeAsync()
    {
        if (_process is { HasExited: false })
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(5000);
        }

        _process?.Dispose();
        return Task.CompletedTask;
    }

    private static string? FindRedisServer()
    {
        foreach (string dir in (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator).Append("/usr/bin").Append("/usr/local/bin"))
        {
            string candidate = Path.Combine(dir, "redis-server");
            if (dir.Length > 0 && File.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }

    private static string Install()
    {
        string script = Path.Combine(TestPaths.RepoRoot, "eng", "install-redis.sh");
        var install = new ProcessStartInfo("bash") { ArgumentList = { script }, RedirectStandardOutput = true, RedirectStandardError = true };
        string output;
        int exitCode;
        try
        {
            using Process process = Process.Start(install)!;
            Task<string> stdout = process.StandardOutput.ReadToEndAsync();
            Task<string> stderr = process.StandardError.ReadToEndAsync();
            process.WaitForExit();
            output = stdout.Result + stderr.Result;
            exitCode = process.ExitCode;
        }
        catch (Exception e)
        {
            throw new InvalidOperationException($"redis-server is not installed and running {script} failed: {e.Message}", e);
        }

        return exitCode == 0 && FindRedisServer() is { } server
            ? server
            : throw new InvalidOperationException(
                $"redis-server is not installed and {script} could not install it (exit code {exitCode}). Install the Debian package redis-server. Output:\n{output}");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static async Task<bool> PingsAsync(int port)
    {
        try
        {
            using var client = new TcpClient();
            await client.ConnectAsync(IPAddress.Loopback, port);
            NetworkStream stream = client.GetStream();
            await stream.WriteAsync("PING\r\n"u8.ToArray());
            byte[] buffer = new byte[16];
            int read = await stream.ReadAsync(buffer);
            return read > 0 && System.Text.Encoding.ASCII.GetString(buffer, 0, read).StartsWith("+PONG", StringComparison.Ordinal);
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
