using Microsoft.CodeAnalysis.Text;
using static PromptGen.Generator.Tests.Analyzers.AnalyzerHarness;
using GeneratorHarness = PromptGen.Generator.Tests.Generation.GeneratorHarness;

namespace PromptGen.Generator.Tests.Analyzers;

/// <summary>For every ID: it fires at the right span with the right message, and it stays silent on the nearest valid code.</summary>
public sealed class AnalyzerRuleTests
{
    private const string Haiku45 = "us.anthropic.claude-haiku-4-5-20251001-v1:0";
    private const string Sonnet37 = "anthropic.claude-3-7-sonnet-20250219-v1:0";
    private const string Opus47 = "global.anthropic.claude-opus-4-7";
    private const string Llama3 = "meta.llama3-8b-instruct-v1:0";
    private const string Mistral7 = "mistral.mistral-7b-instruct-v0:2";
    private const string Claude3Haiku = "anthropic.claude-3-haiku-20240307-v1:0";
    private const string NovaMicro = "amazon.nova-micro-v1:0";
    private const string Haiku35 = "anthropic.claude-3-5-haiku-20241022-v1:0";
    private const string AppProfileArn = "arn:aws:bedrock:us-east-1:123456789012:application-inference-profile/a1b2c3d4e5";

    private static readonly string[] AllIds = Enumerable.Range(1, 17).Select(i => $"PG{i:0000}").Append("PG0100").ToArray();

    /// <summary>One interface with one prompt method; the method's [Prompt] arguments and body can be replaced.</summary>
    private static string Prompt(string model, string methodPrompt, string template = "\"Answer: {{ q }}\"", string signature = "Task<string> AskAsync(string q, CancellationToken cancellationToken = default);", string extraAttributes = "") => $$"""
        [Prompt(Model = "{{model}}")]
        public interface IAsk
        {
            {{(methodPrompt.Length == 0 ? "" : "[Prompt(" + methodPrompt + ")]")}}
            {{extraAttributes}}
            [UserPrompt({{template}})]
            {{signature}}
        }
        """;

    // ------------------------------------------------------------------ PG0001

    [Fact]
    public void PG0001_fires_on_a_written_temperature_above_the_use_case_threshold()
    {
        Verify(Prompt(Haiku45, "UseCase = UseCase.Classification, {|#0:Temperature = 0.9|}"),
            new Expected("PG0001", 0, "Classification prompts should use temperature ≤ 0.3; remove the override to use the preset (0)"));
    }

    [Fact]
    public void PG0001_fires_once_at_the_interface_argument_shared_by_several_methods()
    {
        Verify($$$"""
            [Prompt(Model = "{{{Sonnet37}}}", UseCase = UseCase.CodeGeneration, {|#0:Temperature = 0.7|})]
            public interface ICode
            {
                [UserPrompt("Write {{ a }}")]
                Task<string> WriteAsync(string a, CancellationToken cancellationToken = default);

                [UserPrompt("Fix {{ b }}")]
                Task<string> FixAsync(string b, CancellationToken cancellationToken = default);
            }
            """,
            new Expected("PG0001", 0, "CodeGeneration prompts should use temperature ≤ 0.5; remove the override to use the preset (0.2)"));
    }

    [Theory]
    [InlineData("UseCase = UseCase.Classification, Temperature = 0.3")]
    [InlineData("UseCase = UseCase.Classification")]
    [InlineData("UseCase = UseCase.Chatbot, Temperature = 0.9")]
    [InlineData("UseCase = UseCase.CreativeWriting, Temperature = 1")]
    [InlineData("UseCase = UseCase.CodeGeneration, Temperature = 0.5")]
    public void PG0001_does_not_fire_within_the_threshold_or_for_open_use_cases(string arguments) =>
        VerifyNone(Prompt(Haiku45, arguments), AllIds);

    [Fact]
    public void PG0001_threshold_comes_from_editorconfig()
    {
        var loose = new Dictionary<string, string> { ["promptgen.max_temperature.classification"] = "0.95" };
        VerifyNone(Prompt(Haiku45, "UseCase = UseCase.Classification, Temperature = 0.9"), ["PG0001"], editorConfig: loose);

        var strict = new Dictionary<string, string> { ["promptgen.max_temperature.chatbot"] = "0.2" };
        Verify(Prompt(Haiku45, "UseCase = UseCase.Chatbot, {|#0:Temperature = 0.25|}"), null, strict, null,
            new Expected("PG0001", 0, "Chatbot prompts should use temperature ≤ 0.2; remove the override to use the preset (0.5)"));

        var off = new Dictionary<string, string> { ["promptgen.max_temperature.classification"] = "none" };
        VerifyNone(Prompt(Haiku45, "UseCase = UseCase.Classification, Temperature = 0.9"), ["PG0001"], editorConfig: off);
    }

    // ------------------------------------------------------------------ PG0002

    [Fact]
    public void PG0002_fires_on_a_written_topP_above_the_use_case_threshold()
    {
        Verify(Prompt(Sonnet37, "UseCase = UseCase.Extraction, {|#0:TopP = 0.9|}"),
            new Expected("PG0002", 0, "Extraction prompts should use topP ≤ 0.5; remove the override to use the preset (0.1)"));
    }

    [Theory]
    [InlineData("UseCase = UseCase.Extraction, TopP = 0.5")]
    [InlineData("UseCase = UseCase.Summarization, TopP = 0.95")]
    public void PG0002_does_not_fire_within_the_threshold(string arguments) =>
        VerifyNone(Prompt(Sonnet37, arguments), AllIds);

    [Fact]
    public void PG0002_threshold_comes_from_editorconfig()
    {
        var config = new Dictionary<string, string> { ["promptgen.max_top_p.extraction"] = "0.3" };
        Verify(Prompt(Sonnet37, "UseCase = UseCase.Extraction, {|#0:TopP = 0.4|}"), null, config, null,
            new Expected("PG0002", 0, "Extraction prompts should use topP ≤ 0.3; remove the override to use the preset (0.1)"));
    }

    // ------------------------------------------------------------------ PG0003

    [Fact]
    public void PG0003_fires_on_long_classification_output_and_short_code_output()
    {
        Verify(Prompt(Sonnet37, "UseCase = UseCase.Classification, {|#0:MaxTokens = 1000|}"),
            new Expected("PG0003", 0, "Classification prompts should use MaxTokens ≤ 256; remove the override to use the preset (64)"));
        Verify(Prompt(Sonnet37, "UseCase = UseCase.CodeGeneration, {|#0:MaxTokens = 100|}"),
            new Expected("PG0003", 0, "CodeGeneration prompts should use MaxTokens ≥ 512; remove the override to use the preset (4096)"));
    }

    [Theory]
    [InlineData("UseCase = UseCase.Classification, MaxTokens = 256")]
    [InlineData("UseCase = UseCase.CreativeWriting, MaxTokens = 512")]
    [InlineData("UseCase = UseCase.Summarization, MaxTokens = 50")]
    public void PG0003_does_not_fire_in_proportion(string arguments) =>
        VerifyNone(Prompt(Sonnet37, arguments), AllIds);

    [Fact]
    public void PG0003_bounds_come_from_editorconfig()
    {
        var config = new Dictionary<string, string> { ["promptgen.min_tokens.code_generation"] = "1024", ["promptgen.max_tokens.classification"] = "2000" };
        Verify(Prompt(Sonnet37, "UseCase = UseCase.CodeGeneration, {|#0:MaxTokens = 800|}"), null, config, null,
            new Expected("PG0003", 0, "CodeGeneration prompts should use MaxTokens ≥ 1024; remove the override to use the preset (4096)"));
        VerifyNone(Prompt(Sonnet37, "UseCase = UseCase.Classification, MaxTokens = 1000"), ["PG0003"], editorConfig: config);
    }

    // ------------------------------------------------------------------ PG0004

    [Fact]
    public void PG0004_fires_on_values_outside_the_model_ranges()
    {
        Verify(Prompt(Sonnet37, "{|#0:Temperature = 1.5|}"),
            new Expected("PG0004", 0, "Temperature = 1.5 is outside what Claude 3.7 Sonnet accepts (0–1); use a value in that range"));
        Verify(Prompt(Sonnet37, "{|#0:TopK = 600|}"),
            new Expected("PG0004", 0, "TopK = 600 is outside what Claude 3.7 Sonnet accepts (0–500); use a value in that range"));
        Verify(Prompt(NovaMicro, "{|#0:MaxTokens = 100000|}"),
            new Expected("PG0004", 0, "MaxTokens = 100000 is outside what Nova Micro accepts (1–5000); use a value in that range"));
        Verify(Prompt(NovaMicro, "{|#0:MaxTokens = 0|}"),
            new Expected("PG0004", 0, "MaxTokens = 0 is outside what Nova Micro accepts (1–5000); use a value in that range"));
    }

    [Theory]
    [InlineData(Sonnet37, "Temperature = 1, TopP = 0, TopK = 500")]
    [InlineData(NovaMicro, "MaxTokens = 5000")]
    [InlineData(AppProfileArn, "MaxTokens = 100000")]
    public void PG0004_does_not_fire_at_the_range_limits_or_for_models_the_catalogue_cannot_see(string model, string arguments) =>
        VerifyNone(Prompt(model, arguments), ["PG0004"]);

    // ------------------------------------------------------------------ PG0005

    [Fact]
    public void PG0005_fires_when_the_code_writes_temperature_and_topP_for_a_claude_4_5_model()
    {
        Verify(Prompt(Haiku45, "Temperature = 0.2, {|#0:TopP = 0.3|}"),
            new Expected("PG0005", 0, "Claude Haiku 4.5 accepts temperature or topP, not both; keep only one of Temperature and TopP"));
    }

    [Fact]
    public void PG0005_combines_interface_and_method_levels()
    {
        Verify($$$"""
            [Prompt(Model = "{{{Haiku45}}}", Temperature = 0.2)]
            public interface IAsk
            {
                [Prompt({|#0:TopP = 0.3|})]
                [UserPrompt("{{ q }}")]
                Task<string> AskAsync(string q, CancellationToken cancellationToken = default);
            }
            """,
            new Expected("PG0005", 0, "Claude Haiku 4.5 accepts temperature or topP, not both; keep only one of Temperature and TopP"));
    }

    [Theory]
    [InlineData(Haiku45, "Temperature = 0.2")]
    [InlineData(Haiku45, "TopP = 0.3")]
    [InlineData(Haiku45, "UseCase = UseCase.Summarization")]
    [InlineData(Sonnet37, "Temperature = 0.2, TopP = 0.3")]
    public void PG0005_does_not_fire_when_the_preset_supplies_the_other_one_or_the_model_takes_both(string model, string arguments) =>
        VerifyNone(Prompt(model, arguments), AllIds);

    // ------------------------------------------------------------------ PG0006

    [Fact]
    public void PG0006_fires_on_sampling_parameters_the_model_rejects()
    {
        Verify(Prompt(Opus47, "{|#0:Temperature = 0.2|}"),
            new Expected("PG0006", 0, "Claude Opus 4.7 does not accept Temperature; remove the Temperature argument"));
        Verify(Prompt(Llama3, "{|#0:TopK = 40|}"),
            new Expected("PG0006", 0, "Llama 3 8B Instruct does not accept TopK; remove the TopK argument"));
    }

    [Theory]
    [InlineData(Opus47, "UseCase = UseCase.Classification")]
    [InlineData(Opus47, "MaxTokens = 100")]
    [InlineData(Sonnet37, "TopK = 40")]
    public void PG0006_does_not_fire_on_presets_or_accepted_parameters(string model, string arguments) =>
        VerifyNone(Prompt(model, arguments), AllIds);

    // ------------------------------------------------------------------ PG0007

    [Fact]
    public void PG0007_fires_on_a_model_id_not_in_the_catalogue()
    {
        Verify("""
            [Prompt({|#0:Model = "anthropic.claude-9-ultra"|})]
            public interface IAsk
            {
                [UserPrompt("{{ q }}")]
                Task<string> AskAsync(string q, CancellationToken cancellationToken = default);
            }
            """,
            new Expected("PG0007", 0, "Model ID 'anthropic.claude-9-ultra' is not in the PromptGen model catalogue; check the spelling, or use a catalogued base or inference-profile ID, or an ARN"));
    }

    [Theory]
    [InlineData("eu.anthropic.claude-sonnet-4-5-20250929-v1:0")]
    [InlineData("global.anthropic.claude-opus-4-7")]
    [InlineData(AppProfileArn)]
    [InlineData("arn:aws:bedrock:us-east-1::foundation-model/anthropic.claude-3-7-sonnet-20250219-v1:0")]
    [InlineData("arn:aws:bedrock:us-east-1:123456789012:provisioned-model/abcdef")]
    public void PG0007_does_not_fire_on_profiles_and_arns(string model) =>
        VerifyNone(Prompt(model, ""), AllIds);

    // ------------------------------------------------------------------ PG0008

    [Fact]
    public void PG0008_fires_when_the_model_has_no_system_prompt()
    {
        Verify($$$"""
            [Prompt(Model = "{{{Mistral7}}}")]
            [SystemPrompt("You are terse.")]
            public interface IAsk
            {
                [UserPrompt("{{ q }}")]
                Task<string> {|#0:AskAsync|}(string q, CancellationToken cancellationToken = default);
            }
            """,
            new Expected("PG0008", 0, "Mistral 7B Instruct does not support a system prompt, which 'AskAsync' needs; choose a model that supports it or change the method"));
    }

    [Theory]
    [InlineData(Mistral7, "")]
    [InlineData(AppProfileArn, "[SystemPrompt(\"You are terse.\")]")]
    [InlineData(Sonnet37, "[SystemPrompt(\"You are terse.\")]")]
    public void PG0008_does_not_fire_when_the_model_has_the_capability_or_is_an_arn(string model, string system) =>
        VerifyNone(Prompt(model, "", extraAttributes: system), AllIds);

    // ------------------------------------------------------------------ PG0009

    [Fact]
    public void PG0009_fires_inside_the_template_and_alone_when_it_does_not_parse()
    {
        // 'unused' would be PG0011 and 'nope' PG0010 if the template parsed: no cascade.
        Verify(Prompt(Sonnet37, "", template: "\"Answer {{ if nope }}{|#0: open|}\"", signature: "Task<string> AskAsync(string q, string unused, CancellationToken cancellationToken = default);"),
            new Expected("PG0009", 0, "The template of 'AskAsync' cannot be compiled: Error while parsing if statement: The <end> statement was not found in: if <expression> ... end|else|else if"));
    }

    [Fact]
    public void PG0009_names_an_unsupported_construct_at_its_span()
    {
        Verify(Prompt(Sonnet37, "", template: "\"Answer {{ {|#0:q + 'x'|} }}\""),
            new Expected("PG0009", 0, "The template of 'AskAsync' cannot be compiled: operator '+' between global::System.String and string is not supported in prompt templates"));
    }

    [Fact]
    public void PG0009_does_not_fire_on_supported_templates() =>
        VerifyNone(Prompt(Sonnet37, "", template: "\"{{ for x in items }}{{ x }}{{ if for.last }}.{{ end }}{{ end }}\"",
            signature: "Task<string> AskAsync(IReadOnlyList<string> items, CancellationToken cancellationToken = default);"), AllIds);

    // ------------------------------------------------------------------ PG0010

    [Fact]
    public void PG0010_points_at_the_unknown_name_in_regular_verbatim_and_raw_literals()
    {
        string sig = "Task<string> AskAsync(string question, CancellationToken cancellationToken = default);";
        string message = "The template of 'AskAsync' names an unknown variable: 'questoin' is not a parameter of the method";
        Verify(Prompt(Sonnet37, "", template: "\"Line\\tone\\n\\u00e9 {{ {|#0:questoin|} }}\"", signature: sig.Replace("string question", "string {|#1:question|}")),
            new Expected("PG0010", 0, message), new Expected("PG0011", 1, "Parameter 'question' is not used by the template of 'AskAsync'; use it in the template (e.g. {{ question }}) or remove it"));
        Verify(Prompt(Sonnet37, "", template: "@\"Say \"\"hi\"\" {{ question }} {{ {|#0:questoin|} }}\"", signature: sig),
            new Expected("PG0010", 0, message));
        Verify(Prompt(Sonnet37, "", template: "\"\"\"\n        First line\n          {{ question }} {{ {|#0:questoin|} }}\n        \"\"\"", signature: sig),
            new Expected("PG0010", 0, message));
    }

    [Fact]
    public void PG0010_does_not_fire_on_parameters_members_and_loop_variables() =>
        VerifyNone(Prompt(Sonnet37, "", template: "\"{{ order.Id }} {{ for line in order.Lines }}{{ line }}{{ end }}\"",
            signature: "Task<string> AskAsync(Order order, CancellationToken cancellationToken = default);") +
            "\npublic sealed record Order(string Id, string[] Lines);", AllIds);

    [Fact]
    public void Template_file_diagnostics_point_into_the_additional_file()
    {
        var file = new GeneratorHarness.InMemoryFile("/project/Prompts/summary.sbn", "Summarize:\n{{ txt }}\n");
        Verify(Prompt(Sonnet37, "", template: "File = \"Prompts/summary.sbn\"", signature: "IAsyncEnumerable<string> SummarizeAsync(string {|#0:text|}, CancellationToken cancellationToken = default);"),
            [file], null, null,
            new Expected("PG0010", -1, "The template of 'SummarizeAsync' names an unknown variable: 'txt' is not a parameter of the method") { Path = "/project/Prompts/summary.sbn", Span = new TextSpan(14, 3) },
            new Expected("PG0011", 0, "Parameter 'text' is not used by the template of 'SummarizeAsync'; use it in the template (e.g. {{ text }}) or remove it"));
    }

    // ------------------------------------------------------------------ PG0011

    [Fact]
    public void PG0011_fires_on_a_parameter_the_template_never_uses()
    {
        Verify(Prompt(Sonnet37, "", signature: "Task<string> AskAsync(string q, int {|#0:extra|}, CancellationToken cancellationToken = default);"),
            new Expected("PG0011", 0, "Parameter 'extra' is not used by the template of 'AskAsync'; use it in the template (e.g. {{ extra }}) or remove it"));
    }

    [Fact]
    public void PG0011_does_not_fire_on_cancellation_tokens_or_parameters_used_through_members() =>
        VerifyNone(Prompt(Sonnet37, "", template: "\"{{ q }} {{ order.Id }}\"",
            signature: "Task<string> AskAsync(string q, Order order, CancellationToken token);") +
            "\npublic sealed record Order(string Id);", AllIds);

    // ------------------------------------------------------------------ PG0012

    [Theory]
    [InlineData("void {|#0:Ask|}(string q);", "'Ask' cannot be implemented as a prompt: its return type 'void' is not Task<T>, ValueTask<T>, Task<PromptResult<T>> or IAsyncEnumerable<string>")]
    [InlineData("Task<string> {|#0:AskAsync|}(ref string q);", "'AskAsync' cannot be implemented as a prompt: parameter 'q' is passed by reference (ref)")]
    [InlineData("Task<string> {|#0:AskAsync|}<T>(string q, CancellationToken cancellationToken = default);", "'AskAsync' cannot be implemented as a prompt: generic methods cannot be prompts")]
    [InlineData("IAsyncEnumerable<int> {|#0:AskAsync|}(string q, CancellationToken cancellationToken = default);", "'AskAsync' cannot be implemented as a prompt: a streamed prompt must return IAsyncEnumerable<string>")]
    public void PG0012_fires_on_unsupported_signatures(string signature, string message)
    {
        var expected = new List<Expected> { new("PG0012", 0, message) };
        if (!signature.Contains("CancellationToken", StringComparison.Ordinal) && signature.StartsWith("Task", StringComparison.Ordinal))
        {
            expected.Add(new Expected("PG0013", 0, "'AskAsync' takes no CancellationToken; add 'CancellationToken cancellationToken = default' so callers can cancel the Bedrock call"));
        }

        Verify(Prompt(Sonnet37, "", signature: signature), expected.ToArray());
    }

    [Fact]
    public void PG0012_fires_without_a_template_and_for_a_missing_template_file()
    {
        Verify($$$"""
            [Prompt(Model = "{{{Sonnet37}}}")]
            public interface IAsk
            {
                Task<string> {|#0:AskAsync|}(string q, CancellationToken cancellationToken = default);
            }
            """,
            new Expected("PG0012", 0, "'AskAsync' cannot be implemented as a prompt: it has no [UserPrompt] template"));
        Verify(Prompt(Sonnet37, "", template: "{|#0:File = \"Prompts/missing.sbn\"|}"),
            new Expected("PG0012", 0, "'AskAsync' cannot be implemented as a prompt: the template file 'Prompts/missing.sbn' is not an AdditionalFiles item; add <AdditionalFiles Include=\"Prompts/missing.sbn\" /> to the project"));
    }

    [Theory]
    [InlineData("Task<string> AskAsync(string q, CancellationToken cancellationToken = default);")]
    [InlineData("ValueTask<PromptResult<string>> AskAsync(string q, CancellationToken cancellationToken = default);")]
    [InlineData("IAsyncEnumerable<string> AskAsync(string q, CancellationToken cancellationToken = default);")]
    [InlineData("Task<Mood> AskAsync(string q, CancellationToken cancellationToken = default);")]
    public void PG0012_does_not_fire_on_supported_signatures(string signature) =>
        VerifyNone(Prompt(Sonnet37, "", signature: signature) + "\npublic enum Mood { Happy, Sad }", AllIds);

    // ------------------------------------------------------------------ PG0013

    [Fact]
    public void PG0013_fires_on_an_async_method_without_a_cancellation_token()
    {
        Verify(Prompt(Sonnet37, "", signature: "Task<string> {|#0:AskAsync|}(string q);"),
            new Expected("PG0013", 0, "'AskAsync' takes no CancellationToken; add 'CancellationToken cancellationToken = default' so callers can cancel the Bedrock call"));
    }

    [Theory]
    [InlineData("Task<string> AskAsync(string q, CancellationToken ct);")]
    [InlineData("IAsyncEnumerable<string> AskAsync(string q, System.Threading.CancellationToken cancellationToken = default);")]
    public void PG0013_does_not_fire_with_a_token(string signature) =>
        VerifyNone(Prompt(Sonnet37, "", signature: signature), AllIds);

    // ------------------------------------------------------------------ PG0014

    [Fact]
    public void PG0014_fires_for_a_model_without_prompt_caching()
    {
        Verify(Prompt(Claude3Haiku, "{|#0:CachePrompt = true|}", extraAttributes: "[SystemPrompt(\"You are terse.\")]"),
            new Expected("PG0014", 0, "Prompt caching on 'AskAsync' has no effect: Claude 3 Haiku has no prompt caching; remove CachePrompt"));
    }

    [Fact]
    public void PG0014_fires_when_the_cached_prefix_is_below_the_minimum()
    {
        // 40 characters: an estimate of 10 tokens, far below Claude 3.7 Sonnet's 1,024.
        Verify(Prompt(Sonnet37, "{|#0:CachePrompt = true|}", extraAttributes: "[SystemPrompt(\"You extract fields from business documents\")]"),
            new Expected("PG0014", 0, "Prompt caching on 'AskAsync' has no effect: the cached prefix (the system prompt) is about 10 tokens, below Claude 3.7 Sonnet's minimum of 1024 tokens per cache checkpoint; lengthen the system prompt or remove CachePrompt"));
    }

    [Fact]
    public void PG0014_fires_once_at_the_interface_argument_for_the_methods_that_inherit_it()
    {
        // Three methods inherit CachePrompt from the interface: one diagnostic there. The one that writes CachePrompt
        // itself gets its own at its own argument.
        Verify($$$"""
            [Prompt(Model = "{{{Claude3Haiku}}}", {|#0:CachePrompt = true|})]
            [SystemPrompt("You are terse.")]
            public interface IAsk
            {
                [UserPrompt("A {{ a }}")]
                Task<string> AAsync(string a, CancellationToken cancellationToken = default);

                [UserPrompt("B {{ b }}")]
                Task<string> BAsync(string b, CancellationToken cancellationToken = default);

                [UserPrompt("C {{ c }}")]
                Task<string> CAsync(string c, CancellationToken cancellationToken = default);

                [Prompt({|#1:CachePrompt = true|})]
                [UserPrompt("D {{ d }}")]
                Task<string> DAsync(string d, CancellationToken cancellationToken = default);
            }
            """,
            new Expected("PG0014", 0, "Prompt caching on 'IAsk' has no effect: Claude 3 Haiku has no prompt caching; remove CachePrompt"),
            new Expected("PG0014", 1, "Prompt caching on 'DAsync' has no effect: Claude 3 Haiku has no prompt caching; remove CachePrompt"));
    }

    [Fact]
    public void PG0014_at_the_interface_lists_each_distinct_reason_of_its_methods()
    {
        Verify($$$"""
            [Prompt(Model = "{{{Claude3Haiku}}}", {|#0:CachePrompt = true|})]
            [SystemPrompt("You are terse.")]
            public interface IAsk
            {
                [UserPrompt("A {{ a }}")]
                Task<string> AAsync(string a, CancellationToken cancellationToken = default);

                [Prompt(Model = "{{{Sonnet37}}}")]
                [UserPrompt("B {{ b }}")]
                Task<string> BAsync(string b, CancellationToken cancellationToken = default);
            }
            """,
            new Expected("PG0014", 0, "Prompt caching on 'IAsk' has no effect: Claude 3 Haiku has no prompt caching; remove CachePrompt; " +
                "the cached prefix (the system prompt) is about 3 tokens, below Claude 3.7 Sonnet's minimum of 1024 tokens per cache checkpoint; lengthen the system prompt or remove CachePrompt"));
    }

    [Fact]
    public void PG0014_does_not_fire_at_the_interface_when_every_method_turns_caching_off()
    {
        VerifyNone($$$"""
            [Prompt(Model = "{{{Claude3Haiku}}}", CachePrompt = true)]
            public interface IAsk
            {
                [Prompt(CachePrompt = false)]
                [UserPrompt("A {{ a }}")]
                Task<string> AAsync(string a, CancellationToken cancellationToken = default);

                [Prompt(Model = "{{{AppProfileArn}}}")]
                [UserPrompt("B {{ b }}")]
                Task<string> BAsync(string b, CancellationToken cancellationToken = default);
            }
            """, ["PG0014"]);
    }

    [Fact]
    public void PG0014_does_not_fire_on_a_long_enough_prefix_or_an_arn()
    {
        string longSystem = "[SystemPrompt(\"" + string.Concat(Enumerable.Repeat("Follow the policy exactly. ", 160)) + "\")]"; // 4,320 chars ≈ 1,080 tokens
        VerifyNone(Prompt(Sonnet37, "CachePrompt = true", extraAttributes: longSystem), AllIds);
        VerifyNone(Prompt(AppProfileArn, "CachePrompt = true", extraAttributes: "[SystemPrompt(\"short\")]"), AllIds);
        VerifyNone(Prompt(Claude3Haiku, "CachePrompt = false"), AllIds);
    }

    // ------------------------------------------------------------------ PG0015

    [Fact]
    public void PG0015_fires_on_a_base_id_a_model_without_it_and_a_profile_in_the_wrong_geography()
    {
        Verify(Prompt(Haiku35, "{|#0:LatencyOptimized = true|}"),
            new Expected("PG0015", 0, "Latency-optimized inference is not offered for 'anthropic.claude-3-5-haiku-20241022-v1:0': it is served only through cross-Region inference profiles; use 'us.anthropic.claude-3-5-haiku-20241022-v1:0' (Regions us-east-2, us-west-2)"));
        Verify(Prompt("us." + Sonnet37, "{|#0:LatencyOptimized = true|}"),
            new Expected("PG0015", 0, "Latency-optimized inference is not offered for 'us.anthropic.claude-3-7-sonnet-20250219-v1:0': Claude 3.7 Sonnet has no latency-optimized inference in any Region; remove LatencyOptimized"));
        Verify(Prompt("eu.amazon.nova-pro-v1:0", "{|#0:LatencyOptimized = true|}"),
            new Expected("PG0015", 0, "Latency-optimized inference is not offered for 'eu.amazon.nova-pro-v1:0': the 'eu.' profile serves no Region that offers it (us-east-1, us-east-2); use 'us.amazon.nova-pro-v1:0' or remove LatencyOptimized"));
    }

    [Theory]
    [InlineData("us.anthropic.claude-3-5-haiku-20241022-v1:0")]
    [InlineData("us.amazon.nova-pro-v1:0")]
    [InlineData("us.meta.llama3-1-405b-instruct-v1:0")]
    [InlineData(AppProfileArn)]
    public void PG0015_does_not_fire_through_a_supported_profile_or_an_arn(string model) =>
        VerifyNone(Prompt(model, "LatencyOptimized = true"), AllIds);

    private static Dictionary<string, string> Region(string region) => new() { ["build_property.PromptGenRegion"] = region };

    [Fact]
    public void PG0015_fires_when_PromptGenRegion_is_a_Region_that_does_not_offer_it()
    {
        Verify(Prompt("us.amazon.nova-pro-v1:0", "{|#0:LatencyOptimized = true|}"), null, null, Region("us-west-2"),
            new Expected("PG0015", 0, "Latency-optimized inference is not offered for 'us.amazon.nova-pro-v1:0': the app calls us-west-2 (PromptGenRegion), which does not offer it; it is offered in us-east-1, us-east-2: call from one of them or remove LatencyOptimized"));
    }

    [Theory]
    [InlineData("us.amazon.nova-pro-v1:0", "us-east-2")]
    [InlineData("us.amazon.nova-pro-v1:0", " US-EAST-1 ")]
    [InlineData("us.anthropic.claude-3-5-haiku-20241022-v1:0", "us-west-2")]
    [InlineData(AppProfileArn, "us-west-2")]
    public void PG0015_does_not_fire_when_PromptGenRegion_offers_it_or_the_model_is_an_arn(string model, string region) =>
        VerifyNone(Prompt(model, "LatencyOptimized = true"), AllIds, globalOptions: Region(region));

    [Fact]
    public void PromptGenRegion_alone_changes_nothing_without_LatencyOptimized() =>
        VerifyNone(Prompt("us.amazon.nova-pro-v1:0", "UseCase = UseCase.Extraction"), AllIds, globalOptions: Region("us-west-2"));

    // ------------------------------------------------------------------ PG0016

    [Fact]
    public void PG0016_fires_on_a_response_cache_over_a_sampled_prompt()
    {
        Verify(Prompt(Sonnet37, "UseCase = UseCase.Chatbot, {|#0:CacheResponse = true|}"),
            new Expected("PG0016", 0, "'AskAsync' caches responses but samples at temperature 0.5, so every caller gets one random answer; set Temperature = 0 or remove CacheResponse"));
        Verify(Prompt(Sonnet37, "UseCase = UseCase.Extraction, Temperature = 0.2, {|#0:CacheResponse = true|}"),
            new Expected("PG0016", 0, "'AskAsync' caches responses but samples at temperature 0.2, so every caller gets one random answer; set Temperature = 0 or remove CacheResponse"));
    }

    [Theory]
    [InlineData("UseCase = UseCase.Extraction, CacheResponse = true")]
    [InlineData("UseCase = UseCase.Chatbot, Temperature = 0, CacheResponse = true")]
    [InlineData("UseCase = UseCase.Chatbot, CacheResponse = false")]
    public void PG0016_does_not_fire_on_deterministic_prompts(string arguments) =>
        VerifyNone(Prompt(Sonnet37, arguments), AllIds);

    // ------------------------------------------------------------------ PG0017

    [Theory]
    [InlineData("[Prompt(Model = \"m\")] public interface {|#0:IGen|}<T> { }", "'IGen' cannot get a generated client: it is generic; use a non-generic, top-level, public or internal interface")]
    [InlineData("public class Outer { [Prompt(Model = \"m\")] public interface {|#0:INested|} { } }", "'INested' cannot get a generated client: it is nested in 'Outer'; use a non-generic, top-level, public or internal interface")]
    [InlineData("public class Outer { [Prompt(Model = \"m\")] private interface {|#0:IHidden|} { } }", "'IHidden' cannot get a generated client: it is nested in 'Outer'; use a non-generic, top-level, public or internal interface")]
    [InlineData("[Prompt(Model = \"m\")] public class {|#0:NotAnInterface|} { }", "'NotAnInterface' cannot get a generated client: it is a class, not an interface; use a non-generic, top-level, public or internal interface")]
    public void PG0017_fires_on_types_that_cannot_get_a_client(string declaration, string message) =>
        Verify(declaration, new Expected("PG0017", 0, message));

    [Fact]
    public void PG0017_does_not_fire_on_a_top_level_internal_interface() =>
        VerifyNone($$$"""
            [Prompt(Model = "{{{Sonnet37}}}")]
            internal interface IAsk
            {
                [UserPrompt("{{ q }}")]
                Task<string> AskAsync(string q, CancellationToken cancellationToken = default);
            }
            """, AllIds);

    // ------------------------------------------------------------------ PG0100

    [Fact]
    public void PG0100_fires_when_no_model_is_set_anywhere()
    {
        Verify("""
            [Prompt(UseCase = UseCase.Chatbot)]
            public interface IAsk
            {
                [UserPrompt("{{ q }}")]
                Task<string> {|#0:AskAsync|}(string q, CancellationToken cancellationToken = default);
            }
            """,
            new Expected("PG0100", 0, "'AskAsync' has no model; write [Prompt(Model = \"...\")] on the method or the interface, or set the MSBuild property PromptGenDefaultModel"));
    }

    [Fact]
    public void PG0100_does_not_fire_with_the_msbuild_default_model() =>
        VerifyNone("""
            [Prompt(UseCase = UseCase.Chatbot)]
            public interface IAsk
            {
                [UserPrompt("{{ q }}")]
                Task<string> AskAsync(string q, CancellationToken cancellationToken = default);
            }
            """, AllIds, globalOptions: new Dictionary<string, string> { ["build_property.PromptGenDefaultModel"] = Sonnet37 });

    // ------------------------------------------------------------------ the DESIGN.md example

    [Fact]
    public void The_design_example_reports_only_the_risky_temperature_and_the_missing_template_file()
    {
        Verify($$$"""
            [Prompt(UseCase = UseCase.Extraction, Model = "{{{Haiku45}}}")]
            [SystemPrompt("You extract structured data from business documents.")]
            public partial interface IInvoiceReader
            {
                [Prompt(UseCase = UseCase.Classification)]
                [UserPrompt("Is this document an invoice, a receipt or other?\n{{ text }}")]
                Task<DocumentKind> ClassifyAsync(string text, CancellationToken cancellationToken = default);

                [Prompt(UseCase = UseCase.Summarization, MaxTokens = 400)]
                [UserPrompt({|#1:File = "Prompts/summary.sbn"|})]
                IAsyncEnumerable<string> SummarizeAsync(string text, CancellationToken cancellationToken = default);

                [Prompt(UseCase = UseCase.Classification, {|#0:Temperature = 0.9|})]
                [UserPrompt("Sentiment of: {{ review }}")]
                Task<PromptResult<Sentiment>> SentimentAsync(string review, CancellationToken cancellationToken = default);
            }
            public enum DocumentKind { Invoice, Receipt, Other }
            public enum Sentiment { Positive, Negative }
            """,
            new Expected("PG0001", 0, "Classification prompts should use temperature ≤ 0.3; remove the override to use the preset (0)"),
            new Expected("PG0012", 1, "'SummarizeAsync' cannot be implemented as a prompt: the template file 'Prompts/summary.sbn' is not an AdditionalFiles item; add <AdditionalFiles Include=\"Prompts/summary.sbn\" /> to the project"));
    }
}
