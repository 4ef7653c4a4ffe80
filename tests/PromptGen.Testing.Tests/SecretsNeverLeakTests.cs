using PromptGen.Testing;

namespace PromptGen.Testing.Tests;

/// <summary>
/// Known fake secrets go through every failure path a caller can see (HTTP errors, in-stream exceptions, broken streams,
/// timeouts, configuration errors); none of them may appear in an exception's ToString() or in the options' ToString().
/// </summary>
public class SecretsNeverLeakTests
{
    private const string Secret = "FAKE/secret+KEY/never-shown-0123456789";
    private const string SessionToken = "FAKE-SESSION-TOKEN-never-shown-abcdef";
    private const string ApiKey = "FAKE-BEDROCK-API-KEY-never-shown-42";

    private static readonly string[] s_secrets = [Secret, SessionToken, ApiKey];

    [Fact]
    public async Task No_failure_path_shows_a_secret()
    {
        var seen = new List<string>();
        await using BedrockEmulator emulator = await BedrockEmulator.StartAsync(new BedrockEmulatorOptions
        {
            SecretAccessKey = Secret,
            BearerToken = ApiKey,
            TokenDelay = TimeSpan.Zero,
        });

        var signed = new BedrockClientOptions
        {
            Endpoint = emulator.Endpoint,
            Region = "us-east-1",
            AccessKeyId = emulator.Options.AccessKeyId,
            SecretAccessKey = Secret,
            SessionToken = SessionToken,
            UseEnvironment = false,
            MaxAttempts = 1,
            BetweenEventsTimeout = TimeSpan.FromMilliseconds(200),
        };
        var bearer = new BedrockClientOptions { Endpoint = emulator.Endpoint, BearerToken = ApiKey, UseEnvironment = false, MaxAttempts = 1 };
        seen.Add(signed.ToString());
        seen.Add(bearer.ToString());

        using var signedClient = new BedrockClient(signed);
        using var bearerClient = new BedrockClient(bearer);
        using var wrongSecret = new BedrockClient(Copy(signed, o => o.SecretAccessKey = Secret + "-wrong"));
        using var wrongKey = new BedrockClient(Copy(bearer, o => o.BearerToken = ApiKey + "-wrong"));
        var request = new ConverseRequest { Messages = [Message.User("Hello")] };
        var invalid = new ConverseRequest
        {
            Messages = [Message.User("Hello")],
            InferenceConfig = new InferenceConfiguration { Temperature = 0.5f, TopP = 0.5f },
        };

        await Capture(() => wrongSecret.ConverseAsync("amazon.nova-micro-v1:0", request));
        await Capture(() => wrongKey.ConverseAsync("amazon.nova-micro-v1:0", request));
        await Capture(() => signedClient.ConverseAsync("us.anthropic.claude-sonnet-4-5-20250929-v1:0", invalid));
        await Capture(() => bearerClient.ConverseAsync("not-a-model", request));
        emulator.Faults.Throttle();
        await Capture(() => signedClient.ConverseAsync("amazon.nova-micro-v1:0", request));
        emulator.Faults.InStreamException(afterEvents: 3);
        await Capture(() => Drain(signedClient.ConverseStreamAsync("amazon.nova-micro-v1:0", request)));
        emulator.Faults.CorruptCrc(afterEvents: 2);
        await Capture(() => Drain(signedClient.ConverseStreamAsync("amazon.nova-micro-v1:0", request)));
        emulator.Faults.ResetConnection(afterBytes: 300, EmulatorOperation.ConverseStream);
        await Capture(() => Drain(signedClient.ConverseStreamAsync("amazon.nova-micro-v1:0", request)));
        emulator.Faults.StallBetweenEvents(afterEvents: 2, TimeSpan.FromSeconds(3));
        await Capture(() => Drain(signedClient.ConverseStreamAsync("amazon.nova-micro-v1:0", request)));
        await Capture(() => Task.FromResult(new BedrockClient(Copy(signed, o => o.Endpoint = new Uri("http://bedrock.example.com")))));
        await Capture(() => Task.FromResult(new BedrockClient(Copy(signed, o => o.AccessKeyId = null))));

        Assert.Equal(11, seen.Count - 2);
        foreach (string text in seen)
        {
            foreach (string secret in s_secrets)
            {
                Assert.DoesNotContain(secret, text, StringComparison.Ordinal);
            }
        }

        async Task Capture(Func<Task> action)
        {
            try
            {
                await action();
                seen.Add("(no exception)");
                Assert.Fail("The call was expected to fail.");
            }
            catch (Exception ex) when (ex is not Xunit.Sdk.XunitException)
            {
                seen.Add(ex.ToString());
            }
        }
    }

    private static BedrockClientOptions Copy(BedrockClientOptions options, Action<BedrockClientOptions> change)
    {
        BedrockClientOptions copy = options.Clone();
        change(copy);
        return copy;
    }

    private static async Task Drain(IAsyncEnumerable<ConverseStreamEvent> events)
    {
        await foreach (ConverseStreamEvent _ in events)
        {
        }
    }
}
