using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using PromptGen.Testing;
using PromptGen.Testing.Tests.Reliability;

namespace PromptGen.Load;

/// <summary>
/// The emulator in a child process (this executable started with <c>--serve-emulator</c>), so the measuring process
/// holds only the client. The control protocol is one line each way over the child's stdin and stdout:
/// <c>reset</c> → <c>ok</c>, <c>requests</c> → the count recorded since the last reset, <c>connections</c> → the TCP
/// connections open now. The child first prints <c>listening http://127.0.0.1:PORT</c>, and exits when its stdin closes.
/// </summary>
internal sealed class EmulatorProcess : ILoadEmulator
{
    public const string ServeArgument = "--serve-emulator";
    private const string ListeningPrefix = "listening ";

    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan ExitTimeout = TimeSpan.FromSeconds(10);

    private readonly Process _process;
    private readonly BedrockClientOptions _clientOptions;
    private readonly SemaphoreSlim _oneCommand = new(1, 1);
    private int _disposed;

    private EmulatorProcess(Process process, Uri endpoint)
    {
        _process = process;
        BedrockEmulatorOptions options = LoadScenario.EmulatorOptions();
        _clientOptions = new BedrockClientOptions
        {
            Endpoint = endpoint,
            Region = options.Region,
            AccessKeyId = options.AccessKeyId,
            SecretAccessKey = options.SecretAccessKey,
            UseEnvironment = false,
        };
    }

    public int ProcessId => _process.Id;

    /// <summary>Starts the child and waits until it listens; the child is killed if that fails.</summary>
    public static async Task<EmulatorProcess> StartAsync()
    {
        var start = new ProcessStartInfo
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };

        // Run as an apphost (dotnet run, bin/.../PromptGen.Load) or as `dotnet PromptGen.Load.dll`: start the child the same way.
        string host = Environment.ProcessPath ?? throw new InvalidOperationException("The process path is unknown.");
        start.FileName = host;
        if (Path.GetFileNameWithoutExtension(host).Equals("dotnet", StringComparison.OrdinalIgnoreCase))
        {
            start.ArgumentList.Add(Assembly.GetEntryAssembly()!.Location);
        }

        start.ArgumentList.Add(ServeArgument);
        Process process = Process.Start(start) ?? throw new InvalidOperationException("The emulator process did not start.");
        try
        {
            string? line = await process.StandardOutput.ReadLineAsync().WaitAsync(StartTimeout).ConfigureAwait(false);
            if (line is null || !line.StartsWith(ListeningPrefix, StringComparison.Ordinal))
            {
                throw new InvalidOperationException($"The emulator process did not report its address (it printed '{line ?? "(end of output)"}').");
            }

            return new EmulatorProcess(process, new Uri(line[ListeningPrefix.Length..]));
        }
        catch
        {
            Kill(process);
            process.Dispose();
            throw;
        }
    }

    /// <summary>The child's side: runs the emulator and answers control lines until stdin closes.</summary>
    public static async Task<int> ServeAsync()
    {
        await using BedrockEmulator emulator = await BedrockEmulator.StartAsync(LoadScenario.EmulatorOptions());
        Console.WriteLine(ListeningPrefix + emulator.Endpoint.ToString().TrimEnd('/'));
        while (await Console.In.ReadLineAsync() is { } command)
        {
            switch (command)
            {
                case "reset":
                    emulator.Reset();
                    Console.WriteLine("ok");
                    break;
                case "requests":
                    Console.WriteLine(emulator.Requests.Count.ToString(CultureInfo.InvariantCulture));
                    break;
                case "connections":
                    Console.WriteLine(emulator.OpenConnections.ToString(CultureInfo.InvariantCulture));
                    break;
                default:
                    Console.WriteLine("error unknown command: " + command);
                    break;
            }
        }

        return 0;
    }

    public BedrockClientOptions ClientOptions() => _clientOptions;

    public async Task ResetAsync() => Expect("ok", await CommandAsync("reset").ConfigureAwait(false));

    public async Task<int> RequestCountAsync() => ParseCount(await CommandAsync("requests").ConfigureAwait(false));

    public async Task<int> OpenConnectionsAsync() => ParseCount(await CommandAsync("connections").ConfigureAwait(false));

    /// <summary>Closes the child's stdin (it stops the emulator and exits) and kills it if it has not exited in time.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        try
        {
            _process.StandardInput.Close();
            await _process.WaitForExitAsync().WaitAsync(ExitTimeout).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or TimeoutException or InvalidOperationException)
        {
        }
        finally
        {
            Kill(_process);
            _process.Dispose();
            _oneCommand.Dispose();
        }
    }

    /// <summary>Kills the child if it is still running (safe to call from a process-exit handler).</summary>
    public void KillIfRunning()
    {
        if (Volatile.Read(ref _disposed) == 0)
        {
            Kill(_process);
        }
    }

    private static void Kill(Process process)
    {
        try
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                process.WaitForExit(5000);
            }
        }
        catch (Exception ex) when (ex is InvalidOperationException or System.ComponentModel.Win32Exception)
        {
        }
    }

    private async Task<string> CommandAsync(string command)
    {
        await _oneCommand.WaitAsync().ConfigureAwait(false);
        try
        {
            await _process.StandardInput.WriteLineAsync(command).ConfigureAwait(false);
            await _process.StandardInput.FlushAsync().ConfigureAwait(false);
            string? reply = await _process.StandardOutput.ReadLineAsync().WaitAsync(CommandTimeout).ConfigureAwait(false);
            return reply ?? throw new InvalidOperationException($"The emulator process ended while answering '{command}' (exit code {ExitCode()}).");
        }
        finally
        {
            _oneCommand.Release();
        }
    }

    private string ExitCode() => _process.HasExited ? _process.ExitCode.ToString(CultureInfo.InvariantCulture) : "still running";

    private static void Expect(string expected, string reply)
    {
        if (reply != expected)
        {
            throw new InvalidOperationException($"The emulator process answered '{reply}', expected '{expected}'.");
        }
    }

    private static int ParseCount(string reply) =>
        int.TryParse(reply, NumberStyles.None, CultureInfo.InvariantCulture, out int count)
            ? count
            : throw new InvalidOperationException($"The emulator process answered '{reply}', expected a count.");
}
