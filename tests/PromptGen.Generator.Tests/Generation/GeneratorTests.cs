using System.Collections.Immutable;
using Microsoft.CodeAnalysis;

namespace PromptGen.Generator.Tests.Generation;

public class GeneratorTests
{
    internal const string Sample = """
        using System.Collections.Generic;
        using System.Threading;
        using System.Threading.Tasks;
        using PromptGen;

        namespace Contoso.Documents;

        public enum DocumentKind { Invoice, Receipt, Other }

        public sealed record Line(string Sku, int Quantity);

        [Prompt(UseCase = UseCase.Extraction, Model = "us.anthropic.claude-haiku-4-5-20251001-v1:0")]
        [SystemPrompt("You extract structured data from business documents.")]
        public interface IDocumentReader
        {
            [Prompt(UseCase = UseCase.Classification)]
            [UserPrompt("Is this document an invoice, a receipt or other?\n{{ text }}")]
            Task<DocumentKind> ClassifyAsync(string text, CancellationToken cancellationToken = default);

            [Prompt(UseCase = UseCase.Summarization, MaxTokens = 400)]
            [UserPrompt(File = "Prompts/summary.sbn")]
            IAsyncEnumerable<string> SummarizeAsync(string text, IReadOnlyList<Line> lines, CancellationToken cancellationToken = default);

            [Prompt(Model = "us.amazon.nova-pro-v1:0", TopK = 40, Temperature = 0.1)]
            [UserPrompt("Title for: {{ text | string.upcase }}")]
            ValueTask<string> TitleAsync(string text, CancellationToken cancellationToken = default);

            [Prompt(UseCase = UseCase.Chatbot, Model = "us.anthropic.claude-opus-4-7", StopSequences = new[] { "END" })]
            [UserPrompt("{{ question }}")]
            Task<PromptResult<string>> AskAsync(string question, CancellationToken cancellationToken = default);

            [UserPrompt("{{ text }}")]
            void NotAPrompt(string text);
        }
        """;

    internal const string SummaryTemplate = """
        Summarize in three sentences:
        {{ text }}
        {{~ for line in lines }}
        - {{ line.Sku }} x {{ line.Quantity }}
        {{~ end }}
        """;

    private static IEnumerable<AdditionalText> Files() => [new GeneratorHarness.InMemoryFile("/repo/app/Prompts/summary.sbn", SummaryTemplate)];

    [Fact]
    public void Generated_client_matches_the_snapshot_and_compiles_without_diagnostics()
    {
        (Compilation output, ImmutableArray<Diagnostic> generatorDiagnostics, GeneratorDriverRunResult result) =
            GeneratorHarness.Run(Sample, Files());

        Assert.Empty(generatorDiagnostics);
        GeneratedSourceResult generated = Assert.Single(Assert.Single(result.Results).GeneratedSources);
        Assert.Equal("Contoso.Documents.DocumentReaderClient.g.cs", generated.HintName);
        Snapshot.AssertMatches("DocumentReaderClient.g.cs", generated.SourceText.ToString());

        Diagnostic[] problems = output.GetDiagnostics().Where(d => d.Severity >= DiagnosticSeverity.Warning).ToArray();
        Assert.True(problems.Length == 0, string.Join("\n", problems.Select(d => d.ToString())));
    }

    [Fact]
    public void Presets_are_resolved_against_the_model_at_build_time()
    {
        string source = Generated(Sample, Files());

        // Haiku 4.5 takes temperature XOR topP: the classification preset keeps temperature 0 and drops topP 0.1.
        string classify = Section(source, "s_classifyAsync");
        Assert.Contains("Temperature = 0f,", classify, StringComparison.Ordinal);
        Assert.DoesNotContain("TopP", classify, StringComparison.Ordinal);
        Assert.Contains("MaxTokens = 64,", classify, StringComparison.Ordinal);
        Assert.Contains("UseCase = global::PromptGen.UseCase.Classification,", classify, StringComparison.Ordinal);

        // The written MaxTokens wins over the summarization preset.
        Assert.Contains("MaxTokens = 400,", Section(source, "s_summarizeAsync"), StringComparison.Ordinal);

        // A method-level [Prompt] overrides argument by argument: the interface's Extraction use case stays. Nova takes
        // temperature and topP together; top-k goes where Nova wants it; the written temperature wins over the preset's 0.
        string title = Section(source, "s_titleAsync");
        Assert.Contains("UseCase = global::PromptGen.UseCase.Extraction,", title, StringComparison.Ordinal);
        Assert.Contains("Temperature = 0.1f,", title, StringComparison.Ordinal);
        Assert.Contains("TopP = 0.1f,", title, StringComparison.Ordinal);
        Assert.Contains("TopK = 40,", title, StringComparison.Ordinal);
        Assert.Contains("TopKField = \"inferenceConfig.topK\",", title, StringComparison.Ordinal);

        // Opus 4.7 accepts no sampling parameters at all.
        string ask = Section(source, "s_askAsync");
        Assert.DoesNotContain("Temperature", ask, StringComparison.Ordinal);
        Assert.DoesNotContain("TopP", ask, StringComparison.Ordinal);
        Assert.Contains("StopSequences = new string[] { \"END\" },", ask, StringComparison.Ordinal);
    }

    [Fact]
    public void A_member_that_cannot_be_implemented_throws_and_the_rest_of_the_client_still_builds()
    {
        (Compilation output, _, _) = GeneratorHarness.Run(Sample, Files());
        string source = Generated(Sample, Files());

        Assert.Contains("public void NotAPrompt(string text) =>", source, StringComparison.Ordinal);
        Assert.Contains("throw new global::System.NotSupportedException(\"PromptGen cannot implement IDocumentReader.NotAPrompt:", source, StringComparison.Ordinal);
        Assert.DoesNotContain(output.GetDiagnostics(), d => d.Severity == DiagnosticSeverity.Error);
    }

    [Fact]
    public void A_missing_template_file_makes_only_that_member_unsupported()
    {
        string source = Generated(Sample, files: null);

        Assert.Contains("the template file 'Prompts/summary.sbn' is not an AdditionalFiles item", source, StringComparison.Ordinal);
        Assert.Contains("s_classifyAsync", source, StringComparison.Ordinal);
    }

    [Fact]
    public void The_msbuild_default_model_is_used_when_no_model_is_written()
    {
        const string source = """
            using System.Threading.Tasks;
            using PromptGen;
            [Prompt(UseCase = UseCase.Chatbot)]
            internal interface IChat
            {
                [UserPrompt("{{ q }}")]
                Task<string> AskAsync(string q);
            }
            """;

        string withDefault = Generated(source, null, defaultModel: "amazon.nova-micro-v1:0");
        string without = Generated(source, null);

        Assert.Contains("internal sealed partial class ChatClient : global::IChat", withDefault, StringComparison.Ordinal);
        Assert.Contains("ModelId = \"amazon.nova-micro-v1:0\",", withDefault, StringComparison.Ordinal);
        Assert.Contains("global::System.Threading.CancellationToken.None", withDefault, StringComparison.Ordinal);
        Assert.Contains("no model is set", without, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("public class NotAnInterface { }")]
    [InlineData("public interface IGeneric<T> { }")]
    [InlineData("public class Outer { [Prompt] public interface INested { } }")]
    public void Types_that_cannot_get_a_client_generate_nothing(string declaration)
    {
        (_, ImmutableArray<Diagnostic> diagnostics, GeneratorDriverRunResult result) = GeneratorHarness.Run(
            "using PromptGen;\n" + declaration.Replace("public class NotAnInterface", "[Prompt] public class NotAnInterface")
                .Replace("public interface IGeneric", "[Prompt] public interface IGeneric"));

        Assert.Empty(diagnostics);
        Assert.Empty(Assert.Single(result.Results).GeneratedSources);
    }

    /// <summary>
    /// CI showed CS8767 on a generated client: a nullable reference parameter (<c>string? userId</c>) was emitted as
    /// <c>string</c>, so the client's method did not match the interface's nullability.
    /// </summary>
    [Fact]
    public void Nullable_reference_parameters_keep_their_annotation()
    {
        string generated = AssertCompilesWithoutWarnings("""
            using System.Collections.Generic;
            using System.Threading.Tasks;
            using PromptGen;
            [Prompt(Model = "us.amazon.nova-pro-v1:0")]
            public interface IAsk
            {
                [PromptVariant("a")]
                [PromptVariant("b", Temperature = 0)]
                [UserPrompt("{{ q }} {{ tags | array.size }} {{ count }}")]
                Task<string> AskAsync(string q, [VariantKey] string? who, List<string?>? tags = null, int? count = null);
            }
            """);

        Assert.Contains("string? who", generated, StringComparison.Ordinal);
        // A nullable key is still the variant key (a null one picks by weight, like no key).
        Assert.Contains("PromptVariantSelector.Choose(", generated, StringComparison.Ordinal);
        Assert.Matches(@"PromptVariantSelector\.Choose\([^)]*, who\)", generated);
        Assert.Contains("global::System.Collections.Generic.List<string?>? tags = default", generated, StringComparison.Ordinal);
    }

    /// <summary>
    /// A keyword namespace reaches every name the generator writes: the client's namespace, a structured return type,
    /// its nested types and its JSON converter. Each must keep its '@'.
    /// </summary>
    [Fact]
    public void A_keyword_namespace_with_structured_output_compiles_without_warnings()
    {
        string generated = AssertCompilesWithoutWarnings("""
            using System.Collections.Generic;
            using System.Threading;
            using System.Threading.Tasks;
            using PromptGen;
            namespace @class.@event;
            public enum @enum { A, B }
            public sealed record @record(string Name, @enum Kind, List<@record>? Children);
            [Prompt(Model = "us.amazon.nova-pro-v1:0", UseCase = UseCase.Extraction)]
            public interface IAsk
            {
                [UserPrompt("{{ q }}")] Task<@record> AskAsync(string q, CancellationToken cancellationToken = default);
                [Prompt(UseCase = UseCase.Classification)]
                [UserPrompt("{{ q }}")] Task<@enum> KindAsync(string q);
            }
            """);

        Assert.Contains("namespace @class.@event", generated, StringComparison.Ordinal);
    }

    private static string AssertCompilesWithoutWarnings(string source)
    {
        (Compilation output, ImmutableArray<Diagnostic> generatorDiagnostics, GeneratorDriverRunResult result) = GeneratorHarness.Run(source);
        Assert.Empty(generatorDiagnostics);
        Diagnostic[] problems = output.GetDiagnostics().Where(d => d.Severity >= DiagnosticSeverity.Warning).ToArray();
        Assert.True(problems.Length == 0, string.Join("\n", problems.Select(d => d.ToString())));
        GeneratedSourceResult[] sources = Assert.Single(result.Results).GeneratedSources.ToArray();
        Assert.NotEmpty(sources);
        return string.Join("\n", sources.Select(s => s.SourceText.ToString()));
    }

    internal static string Generated(string source, IEnumerable<AdditionalText>? files, string? defaultModel = null)
    {
        (_, _, GeneratorDriverRunResult result) = GeneratorHarness.Run(source, files, defaultModel);
        return Assert.Single(Assert.Single(result.Results).GeneratedSources).SourceText.ToString();
    }

    private static string Section(string source, string field)
    {
        int start = source.IndexOf(field + " = new", StringComparison.Ordinal);
        Assert.True(start >= 0, field + " not found");
        int end = source.IndexOf("};", start, StringComparison.Ordinal);
        return source[start..end];
    }
}
