using System.IO.Hashing;
using System.Text;
using PromptGen.Generated;
using PromptGen.Runtime.Tests.Prompts;

namespace PromptGen.Runtime.Tests.Variants;

/// <summary>Assignment of calls to A/B variants: deterministic by key, weighted, ambient keys, and what the result reports.</summary>
public sealed class PromptVariantSelectorTests
{
    private static PromptDefinition Variant(string name, double weight, string model = "us.anthropic.claude-haiku-4-5-20251001-v1:0", float temperature = 0) => new()
    {
        InterfaceName = "IChat", MethodName = "AskAsync", ModelId = model, MaxTokens = 100, Temperature = temperature,
        Variant = name, VariantWeight = weight,
    };

    private static PromptDefinition Method(params PromptDefinition[] variants) => new()
    {
        InterfaceName = "IChat", MethodName = "AskAsync", ModelId = "us.anthropic.claude-haiku-4-5-20251001-v1:0", MaxTokens = 100,
        Variants = variants,
    };

    [Fact]
    public void A_definition_without_variants_is_its_own_choice()
    {
        var plain = new PromptDefinition { InterfaceName = "IChat", MethodName = "AskAsync", ModelId = "m" };
        Assert.Same(plain, PromptVariantSelector.Choose(plain, "user-1"));
        Assert.Same(plain, PromptVariantSelector.Choose(plain, null));
    }

    [Fact]
    public void The_same_key_always_gets_the_same_variant()
    {
        PromptDefinition method = Method(Variant("a", 1), Variant("b", 1), Variant("c", 1));
        for (int i = 0; i < 200; i++)
        {
            string key = "user-" + i;
            PromptDefinition first = PromptVariantSelector.Choose(method, key);
            for (int repeat = 0; repeat < 5; repeat++)
            {
                Assert.Same(first, PromptVariantSelector.Choose(method, key));
            }
        }
    }

    [Fact]
    public void The_position_is_xxhash64_of_the_method_and_key_so_it_is_the_same_in_every_process()
    {
        PromptDefinition method = Method(Variant("a", 1), Variant("b", 1));
        // Computed independently of the selector: the top 53 bits of XxHash64("IChat.AskAsync\nuser-42") as a fraction.
        ulong hash = XxHash64.HashToUInt64(Encoding.UTF8.GetBytes("IChat.AskAsync\nuser-42"));
        double expected = (hash >> 11) / 9007199254740992d;

        Assert.Equal(expected, PromptVariantSelector.Position(method, "user-42"));
        Assert.Same(method.Variants![expected < 0.5 ? 0 : 1], PromptVariantSelector.Choose(method, "user-42"));
    }

    [Fact]
    public void Long_and_non_ascii_keys_hash_their_utf8_bytes()
    {
        PromptDefinition method = Method(Variant("a", 1), Variant("b", 1));
        string key = string.Concat(Enumerable.Repeat("ключ-ü-", 200));
        ulong hash = XxHash64.HashToUInt64(Encoding.UTF8.GetBytes("IChat.AskAsync\n" + key));

        Assert.Equal((hash >> 11) / 9007199254740992d, PromptVariantSelector.Position(method, key));
    }

    [Fact]
    public void The_method_is_part_of_the_hash_so_experiments_are_independent()
    {
        var other = new PromptDefinition { InterfaceName = "IChat", MethodName = "SummarizeAsync", ModelId = "m" };
        PromptDefinition method = Method(Variant("a", 1));
        int differing = 0;
        for (int i = 0; i < 100; i++)
        {
            differing += PromptVariantSelector.Position(method, "user-" + i) != PromptVariantSelector.Position(other, "user-" + i) ? 1 : 0;
        }

        Assert.Equal(100, differing);
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(1, 3)]
    [InlineData(9, 1)]
    public void Keys_spread_over_the_variants_in_proportion_to_their_weights(double weightA, double weightB)
    {
        PromptDefinition a = Variant("a", weightA);
        PromptDefinition method = Method(a, Variant("b", weightB));
        const int Keys = 20_000;
        int hitsA = 0;
        for (int i = 0; i < Keys; i++)
        {
            hitsA += ReferenceEquals(PromptVariantSelector.Choose(method, "user-" + i), a) ? 1 : 0;
        }

        double expected = weightA / (weightA + weightB);
        // Binomial standard deviation sqrt(p(1-p)/n) is at most 0.0036 here; 5 of them is a tolerance a fair hash never misses.
        double tolerance = 5 * Math.Sqrt(expected * (1 - expected) / Keys);
        Assert.InRange(hitsA / (double)Keys, expected - tolerance, expected + tolerance);
    }

    [Fact]
    public void Positions_map_onto_cumulative_weights_in_declaration_order()
    {
        PromptDefinition a = Variant("a", 1), b = Variant("b", 2), c = Variant("c", 1);
        PromptDefinition[] variants = [a, b, c];

        Assert.Same(a, PromptVariantSelector.Pick(variants, 0));
        Assert.Same(a, PromptVariantSelector.Pick(variants, 0.2499));
        Assert.Same(b, PromptVariantSelector.Pick(variants, 0.25));
        Assert.Same(b, PromptVariantSelector.Pick(variants, 0.7499));
        Assert.Same(c, PromptVariantSelector.Pick(variants, 0.75));
        Assert.Same(c, PromptVariantSelector.Pick(variants, 0.9999999999999999));
    }

    [Fact]
    public void Variants_without_a_usable_weight_are_never_chosen()
    {
        PromptDefinition zero = Variant("zero", 0), nan = Variant("nan", double.NaN), live = Variant("live", 1);
        PromptDefinition[] variants = [zero, nan, live];
        var random = new Random(1234);
        for (int i = 0; i < 1000; i++)
        {
            Assert.Same(live, PromptVariantSelector.Pick(variants, random.NextDouble()));
        }
    }

    [Fact]
    public void Weighted_random_draws_follow_the_weights_with_a_fixed_seed()
    {
        PromptDefinition a = Variant("a", 1), b = Variant("b", 4);
        PromptDefinition[] variants = [a, b];
        var random = new Random(20260801);
        const int Draws = 20_000;
        int hitsA = 0;
        for (int i = 0; i < Draws; i++)
        {
            hitsA += ReferenceEquals(PromptVariantSelector.Pick(variants, random.NextDouble()), a) ? 1 : 0;
        }

        double tolerance = 5 * Math.Sqrt(0.2 * 0.8 / Draws);
        Assert.InRange(hitsA / (double)Draws, 0.2 - tolerance, 0.2 + tolerance);
    }

    [Fact]
    public void Without_any_key_every_variant_gets_calls()
    {
        PromptDefinition a = Variant("a", 1), b = Variant("b", 1);
        PromptDefinition method = Method(a, b);
        var seen = new HashSet<PromptDefinition>(ReferenceEqualityComparer.Instance);
        for (int i = 0; i < 500 && seen.Count < 2; i++)
        {
            seen.Add(PromptVariantSelector.Choose(method, null));
        }

        // Missing one variant in 500 fair draws has probability 2^-499.
        Assert.Equal(2, seen.Count);
    }

    [Fact]
    public async Task The_ambient_key_assigns_calls_inside_its_scope_and_flows_across_awaits()
    {
        PromptDefinition method = Method(Variant("a", 1), Variant("b", 1), Variant("c", 1), Variant("d", 1));
        PromptDefinition expected = PromptVariantSelector.Choose(method, "tenant-7");

        Assert.Null(PromptVariants.CurrentKey);
        using (PromptVariants.UseKey("tenant-7"))
        {
            Assert.Equal("tenant-7", PromptVariants.CurrentKey);
            await Task.Yield();
            for (int i = 0; i < 20; i++)
            {
                Assert.Same(expected, await Task.Run(() => PromptVariantSelector.Choose(method, null)));
            }
        }

        Assert.Null(PromptVariants.CurrentKey);
    }

    [Fact]
    public void Scopes_nest_and_an_explicit_key_wins_over_the_ambient_one()
    {
        PromptDefinition method = Method(Variant("a", 1), Variant("b", 1), Variant("c", 1), Variant("d", 1));
        // Keys whose variants differ, so that using the wrong one would be seen.
        string[] keys = Enumerable.Range(0, 1000).Select(i => "k" + i).ToArray();
        string outer = keys[0];
        string inner = keys.First(k => PromptVariantSelector.Pick(method.Variants!, PromptVariantSelector.Position(method, k)) !=
            PromptVariantSelector.Pick(method.Variants!, PromptVariantSelector.Position(method, outer)));
        string explicitKey = keys.First(k => PromptVariantSelector.Pick(method.Variants!, PromptVariantSelector.Position(method, k)) !=
            PromptVariantSelector.Pick(method.Variants!, PromptVariantSelector.Position(method, inner)));
        PromptDefinition ByKey(string k) => PromptVariantSelector.Pick(method.Variants!, PromptVariantSelector.Position(method, k));

        using (PromptVariants.UseKey(outer))
        {
            using (PromptVariants.UseKey(inner))
            {
                Assert.Equal(inner, PromptVariants.CurrentKey);
                Assert.Same(ByKey(inner), PromptVariantSelector.Choose(method, null));
                Assert.Same(ByKey(explicitKey), PromptVariantSelector.Choose(method, explicitKey));
            }

            Assert.Equal(outer, PromptVariants.CurrentKey);
            Assert.Same(ByKey(outer), PromptVariantSelector.Choose(method, null));
        }

        Assert.Null(PromptVariants.CurrentKey);
    }

    [Fact]
    public async Task The_result_reports_the_variant_and_the_request_uses_its_settings()
    {
        PromptDefinition a = Variant("haiku-cold", 1, temperature: 0);
        PromptDefinition b = Variant("nova-warm", 1, model: "us.amazon.nova-pro-v1:0", temperature: 0.7f);
        PromptDefinition method = Method(a, b);
        string key = Enumerable.Range(0, 1000).Select(i => "user-" + i).First(k => ReferenceEquals(PromptVariantSelector.Choose(method, k), b));
        var fake = new FakeBedrockClient { Stream = _ => FakeBedrockClient.TextEvents("hi") };

        PromptResult<string> result;
        using (PromptVariants.UseKey(key))
        {
            result = await PromptRunner.GetResultAsync<string>(new PromptPipeline(fake), method, "Hello", 0, 0, null, CancellationToken.None);
        }

        Assert.Equal("nova-warm", result.Variant);
        Assert.Equal("us.amazon.nova-pro-v1:0", result.ModelId);
        Assert.Equal("us.amazon.nova-pro-v1:0", Assert.Single(fake.Calls).ModelId);
        Assert.Equal(0.7f, fake.LastRequest.InferenceConfig!.Temperature);
    }

    [Fact]
    public async Task A_method_without_variants_reports_none()
    {
        var fake = new FakeBedrockClient();
        var plain = new PromptDefinition { InterfaceName = "IChat", MethodName = "AskAsync", ModelId = "us.anthropic.claude-haiku-4-5-20251001-v1:0", StreamResult = false };

        PromptResult<string> result = await PromptRunner.GetResultAsync<string>(new PromptPipeline(fake), plain, "Hello", 0, 0, null, CancellationToken.None);

        Assert.Null(result.Variant);
    }
}
