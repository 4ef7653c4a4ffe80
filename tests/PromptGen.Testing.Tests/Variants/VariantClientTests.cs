using PromptGen.Testing;

namespace PromptGen.Testing.Tests.Variants;

[Prompt(UseCase = UseCase.Chatbot, Model = "us.anthropic.claude-haiku-4-5-20251001-v1:0")]
public interface IVariantChat
{
    [PromptVariant("haiku-cool", Temperature = 0.1)]
    [PromptVariant("nova-warm", Model = "us.amazon.nova-pro-v1:0", Temperature = 0.8, MaxTokens = 200)]
    [UserPrompt("{{ question }}")]
    Task<PromptResult<string>> AskAsync(string question, [VariantKey] string? userId, CancellationToken cancellationToken = default);

    [PromptVariant("short", MaxTokens = 50)]
    [PromptVariant("long", MaxTokens = 500, Weight = 3)]
    [UserPrompt("{{ question }}")]
    Task<PromptResult<string>> AskAmbientAsync(string question, CancellationToken cancellationToken = default);
}

/// <summary>A generated client with A/B variants against the emulator: the request Bedrock receives is the chosen variant's.</summary>
public sealed class VariantClientTests
{
    [Fact]
    public async Task Each_key_gets_one_variant_and_the_request_carries_that_variants_model_and_settings()
    {
        await using BedrockEmulator emulator = await BedrockEmulator.StartAsync();
        using var bedrock = new BedrockClient(emulator.ClientOptions());
        IVariantChat chat = new VariantChatClient(bedrock);

        var byKey = new Dictionary<string, string>();
        for (int i = 0; i < 24; i++)
        {
            string key = "user-" + i;
            PromptResult<string> result = await chat.AskAsync("Hello?", key);
            RecordedRequest request = emulator.Requests[^1];
            var inference = request.Json!["inferenceConfig"]!.AsObject();
            switch (result.Variant)
            {
                case "haiku-cool":
                    Assert.Equal("us.anthropic.claude-haiku-4-5-20251001-v1:0", request.ModelId);
                    Assert.Equal(0.1, inference["temperature"]!.GetValue<double>(), 5);
                    Assert.Equal(1024, inference["maxTokens"]!.GetValue<int>());
                    Assert.NotNull(result.EstimatedCost);
                    break;
                case "nova-warm":
                    Assert.Equal("us.amazon.nova-pro-v1:0", request.ModelId);
                    Assert.Equal(0.8, inference["temperature"]!.GetValue<double>(), 5);
                    Assert.Equal(200, inference["maxTokens"]!.GetValue<int>());
                    // Nova has no price in the built-in table: no estimate rather than a guess.
                    Assert.Null(result.EstimatedCost);
                    break;
                default:
                    Assert.Fail("unexpected variant " + result.Variant);
                    break;
            }

            Assert.Equal(request.ModelId, result.ModelId);
            byKey[key] = result.Variant!;
        }

        Assert.Equal(2, byKey.Values.Distinct().Count());

        // Asked again, in another order, every key gets the variant it got before.
        foreach ((string key, string variant) in byKey.Reverse())
        {
            Assert.Equal(variant, (await chat.AskAsync("Again?", key)).Variant);
        }
    }

    [Fact]
    public async Task Without_a_parameter_the_ambient_key_assigns_the_call()
    {
        await using BedrockEmulator emulator = await BedrockEmulator.StartAsync();
        using var bedrock = new BedrockClient(emulator.ClientOptions());
        IVariantChat chat = new VariantChatClient(bedrock);

        var seen = new HashSet<string>();
        for (int i = 0; i < 16; i++)
        {
            string? first = null;
            using (PromptVariants.UseKey("tenant-" + i))
            {
                for (int repeat = 0; repeat < 3; repeat++)
                {
                    PromptResult<string> result = await chat.AskAmbientAsync("Hi");
                    first ??= result.Variant;
                    Assert.Equal(first, result.Variant);
                    int maxTokens = emulator.Requests[^1].Json!["inferenceConfig"]!["maxTokens"]!.GetValue<int>();
                    Assert.Equal(result.Variant == "short" ? 50 : 500, maxTokens);
                }
            }

            seen.Add(first!);
        }

        Assert.Equal(new HashSet<string> { "short", "long" }, seen);
    }

    [Fact]
    public async Task A_null_key_outside_any_scope_still_runs_a_variant()
    {
        await using BedrockEmulator emulator = await BedrockEmulator.StartAsync();
        using var bedrock = new BedrockClient(emulator.ClientOptions());
        IVariantChat chat = new VariantChatClient(bedrock);

        PromptResult<string> result = await chat.AskAsync("Hello?", userId: null);

        Assert.Contains(result.Variant, new[] { "haiku-cool", "nova-warm" });
        Assert.Equal(result.ModelId, Assert.Single(emulator.Requests).ModelId);
    }
}
