using PromptGen.Generated;

namespace PromptGen.Runtime.Tests.Caching;

/// <summary>
/// The response-cache key covers everything that changes the answer — a regression elsewhere shipped keys that ignored the
/// system prompt or the inference parameters — and nothing that does not.
/// </summary>
public sealed class ResponseCacheKeyTests
{
    private const string Prompt = "Summarize: the quarter went well.";

    private const string ToolSchema = """{"type":"object","properties":{"number":{"type":"string"}}}""";

    private static PromptDefinition Baseline(Action<Builder>? change = null)
    {
        var b = new Builder();
        change?.Invoke(b);
        return new PromptDefinition
        {
            InterfaceName = b.InterfaceName, MethodName = b.MethodName, ModelId = b.ModelId, SystemPrompt = b.SystemPrompt,
            Temperature = b.Temperature, TopP = b.TopP, TopK = b.TopK, TopKField = b.TopK is null ? null : "top_k",
            MaxTokens = b.MaxTokens, StopSequences = b.StopSequences, OutputKind = b.OutputKind, JsonSchema = b.JsonSchema,
            ToolName = b.ToolName, ForceToolChoice = b.ForceToolChoice, LatencyOptimized = b.LatencyOptimized,
            CacheResponse = true, StreamResult = b.StreamResult, ResponseCacheTtl = b.Ttl,
        };
    }

    public sealed class Builder
    {
        public string InterfaceName { get; set; } = "IReader";
        public string MethodName { get; set; } = "SummarizeAsync";
        public string ModelId { get; set; } = Definitions.Haiku45;
        public string? SystemPrompt { get; set; } = "You summarize.";
        public float? Temperature { get; set; } = 0;
        public float? TopP { get; set; }
        public int? TopK { get; set; }
        public int MaxTokens { get; set; } = 100;
        public IReadOnlyList<string>? StopSequences { get; set; } = ["###"];
        public PromptOutputKind OutputKind { get; set; } = PromptOutputKind.ToolJson;
        public string? JsonSchema { get; set; } = ToolSchema;
        public string ToolName { get; set; } = "respond";
        public bool ForceToolChoice { get; set; } = true;
        public bool LatencyOptimized { get; set; }
        public bool? StreamResult { get; set; }
        public TimeSpan? Ttl { get; set; }
    }

    public static TheoryData<string> AnswerChanging() =>
    [
        "model", "temperature", "temperature absent", "topP", "topK", "maxTokens", "stop sequences", "no stop sequences",
        "system prompt", "no system prompt", "output schema", "native JSON instead of a tool", "tool name", "tool choice",
        "latency-optimized",
    ];

    private static PromptDefinition Changed(string what) => what switch
    {
        "model" => Baseline(b => b.ModelId = "us.anthropic.claude-sonnet-4-5-20250929-v1:0"),
        "temperature" => Baseline(b => b.Temperature = 0.2f),
        "temperature absent" => Baseline(b => b.Temperature = null),
        "topP" => Baseline(b => b.TopP = 0.1f),
        "topK" => Baseline(b => b.TopK = 5),
        "maxTokens" => Baseline(b => b.MaxTokens = 101),
        "stop sequences" => Baseline(b => b.StopSequences = ["###", "END"]),
        "no stop sequences" => Baseline(b => b.StopSequences = null),
        "system prompt" => Baseline(b => b.SystemPrompt = "You summarise."),
        "no system prompt" => Baseline(b => b.SystemPrompt = null),
        "output schema" => Baseline(b => b.JsonSchema = """{"type":"object","properties":{"number":{"type":"integer"}}}"""),
        "native JSON instead of a tool" => Baseline(b => b.OutputKind = PromptOutputKind.NativeJson),
        "tool name" => Baseline(b => b.ToolName = "answer"),
        "tool choice" => Baseline(b => b.ForceToolChoice = false),
        "latency-optimized" => Baseline(b => b.LatencyOptimized = true),
        _ => throw new ArgumentOutOfRangeException(nameof(what)),
    };

    [Theory]
    [MemberData(nameof(AnswerChanging))]
    public void The_key_changes_with_everything_that_changes_the_answer(string what)
    {
        string baseline = ResponseCacheKey.For(Baseline(), Prompt);
        string changed = ResponseCacheKey.For(Changed(what), Prompt);

        Assert.NotEqual(baseline, changed);
    }

    [Fact]
    public void The_key_changes_with_the_rendered_prompt_even_by_one_character()
    {
        PromptDefinition definition = Baseline();

        Assert.NotEqual(ResponseCacheKey.For(definition, Prompt), ResponseCacheKey.For(definition, Prompt + " "));
        Assert.NotEqual(ResponseCacheKey.For(definition, "a"), ResponseCacheKey.For(definition, "A"));
        Assert.NotEqual(ResponseCacheKey.For(definition, string.Empty), ResponseCacheKey.For(definition, "\0"));
    }

    [Fact]
    public void The_system_prompt_and_the_user_prompt_cannot_trade_text()
    {
        // "AB" + "C" and "A" + "BC" must not collide: the system prompt is a JSON field, the message is hashed apart.
        PromptDefinition ab = Baseline(b => b.SystemPrompt = "AB");
        PromptDefinition a = Baseline(b => b.SystemPrompt = "A");

        Assert.NotEqual(ResponseCacheKey.For(ab, "C"), ResponseCacheKey.For(a, "BC"));
    }

    [Fact]
    public void Settings_that_do_not_change_the_answer_keep_the_key()
    {
        string baseline = ResponseCacheKey.For(Baseline(), Prompt);

        // Another method with the same request, streaming or not, another response TTL: the same answer.
        Assert.Equal(baseline, ResponseCacheKey.For(Baseline(b => (b.InterfaceName, b.MethodName) = ("IOther", "OtherAsync")), Prompt));
        Assert.Equal(baseline, ResponseCacheKey.For(Baseline(b => b.StreamResult = true), Prompt));
        Assert.Equal(baseline, ResponseCacheKey.For(Baseline(b => b.Ttl = TimeSpan.FromSeconds(5)), Prompt));
        // Computed again from an equal definition (the per-definition part is memoized on the instance).
        PromptDefinition again = Baseline();
        Assert.Equal(baseline, ResponseCacheKey.For(again, Prompt));
        Assert.Equal(baseline, ResponseCacheKey.For(again, Prompt));
    }

    [Fact]
    public void The_key_is_a_short_versioned_string()
    {
        string key = ResponseCacheKey.For(Baseline(), Prompt);

        Assert.StartsWith("promptgen:v1:", key);
        Assert.Equal("promptgen:v1:".Length + 32, key.Length);
        Assert.Matches("^promptgen:v1:[0-9a-f]{32}$", key);
    }
}
