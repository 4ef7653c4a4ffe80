using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using GeneratorHarness = PromptGen.Generator.Tests.Generation.GeneratorHarness;

namespace PromptGen.Generator.Tests.Analyzers;

/// <summary>
/// The generator and the analyzers agree: a member the generator implements with a throwing NotSupportedException body
/// has an error-severity diagnostic, and a member with an error-severity diagnostic gets a throwing body.
/// </summary>
public sealed partial class GeneratorAgreementTests
{
    private const string Haiku45 = "us.anthropic.claude-haiku-4-5-20251001-v1:0";

    public static TheoryData<string, string?, string> Samples() => new()
    {
        {
            $$$"""
            [Prompt(Model = "{{{Haiku45}}}", UseCase = UseCase.Extraction)]
            [SystemPrompt("You extract fields.")]
            public interface IMixed
            {
                [UserPrompt("Fine {{ q }}")]
                Task<string> OkAsync(string q, CancellationToken cancellationToken = default);

                [UserPrompt("{{ q }}")]
                void NotAPrompt(string q);

                [UserPrompt("{{ q }}")]
                Task<string> ByRefAsync(ref string q);

                [UserPrompt("{{ q }}")]
                Task<string> GenericAsync<T>(string q);

                Task<string> NoTemplateAsync(string q);

                [UserPrompt(File = "Prompts/missing.sbn")]
                Task<string> MissingFileAsync(string q);

                [UserPrompt("{{ if q }}never closed")]
                Task<string> ParseErrorAsync(string q);

                [UserPrompt("{{ nope }}")]
                Task<string> UnknownVariableAsync(string q);

                [UserPrompt("{{ q + 'x' }}")]
                Task<string> UnsupportedConstructAsync(string q);

                [Prompt(Temperature = 0.1, TopP = 0.2)]
                [UserPrompt("{{ q }}")]
                Task<string> BothSamplingAsync(string q);

                [Prompt(Model = "anthropic.claude-opus-4-7", Temperature = 0.1)]
                [UserPrompt("{{ q }}")]
                Task<string> RejectedSamplingAsync(string q);

                [Prompt(MaxTokens = 1000000)]
                [UserPrompt("{{ q }}")]
                Task<string> TooManyTokensAsync(string q);

                [Prompt(Model = "mistral.mistral-7b-instruct-v0:2")]
                [UserPrompt("{{ q }}")]
                Task<string> NoSystemPromptAsync(string q);

                [UserPrompt("{{ q }}")]
                Task<Invoice> StructuredAsync(string q);

                [Prompt(UseCase = UseCase.Classification, Temperature = 0.9, MaxTokens = 900, CacheResponse = true)]
                [UserPrompt("{{ q }}")]
                Task<string> OnlyWarningsAsync(string q, int unused);

                [Prompt(Model = "arn:aws:bedrock:us-east-1:123456789012:application-inference-profile/abc", CachePrompt = true, LatencyOptimized = true)]
                [UserPrompt("{{ q }}")]
                IAsyncEnumerable<string> ArnAsync(string q, CancellationToken cancellationToken = default);
            }
            public sealed record Invoice(string Number);
            """,
            null,
            "BothSamplingAsync ByRefAsync GenericAsync MissingFileAsync NoSystemPromptAsync NoTemplateAsync NotAPrompt ParseErrorAsync RejectedSamplingAsync TooManyTokensAsync UnknownVariableAsync UnsupportedConstructAsync"
        },
        {
            """
            [Prompt(UseCase = UseCase.Chatbot)]
            internal interface INoModel
            {
                [UserPrompt("{{ q }}")]
                Task<string> AskAsync(string q);

                [Prompt(Model = "amazon.nova-micro-v1:0")]
                [UserPrompt("{{ q }}")]
                Task<string> WithModelAsync(string q);
            }
            """,
            null,
            "AskAsync"
        },
        {
            """
            [Prompt(UseCase = UseCase.Chatbot)]
            internal interface IDefaultModel
            {
                [UserPrompt(File = "Prompts/ask.sbn")]
                Task<string> AskAsync(string q);

                [UserPrompt(File = "Prompts/bad.sbn")]
                Task<string> BadFileAsync(string q);

                [Prompt(TopK = 40)]
                [UserPrompt("{{ q }}")]
                Task<string> TopKAsync(string q);
            }
            """,
            "meta.llama3-8b-instruct-v1:0",
            "BadFileAsync TopKAsync"
        },
        {
            """
            public interface IBase
            {
                [UserPrompt("{{ q }}")]
                Task<string> BaseOkAsync(string q);

                void BaseBad(string q);

                [Prompt(Temperature = 2)]
                [UserPrompt("{{ q }}")]
                Task<string> BaseOutOfRangeAsync(string q);
            }

            [Prompt(Model = "amazon.nova-micro-v1:0")]
            public interface IDerived : IBase
            {
                [UserPrompt("{{ q }}")]
                Task<string> OwnAsync(string q);
            }
            """,
            null,
            "BaseBad BaseOutOfRangeAsync"
        },
    };

    [Theory]
    [MemberData(nameof(Samples))]
    public void Throwing_members_and_error_diagnostics_coincide(string body, string? defaultModel, string expected)
    {
        string source = AnalyzerHarness.Usings + body;
        var files = new[]
        {
            new GeneratorHarness.InMemoryFile("/p/Prompts/ask.sbn", "Answer {{ q }}"),
            new GeneratorHarness.InMemoryFile("/p/Prompts/bad.sbn", "{{ for x in q }}"),
        };

        (_, _, GeneratorDriverRunResult result) = GeneratorHarness.Run(source, files, defaultModel);
        string generated = string.Concat(result.GeneratedTrees.Select(t => t.ToString()));
        var throwing = new SortedSet<string>(ThrowingMember().Matches(generated).Select(m => m.Groups[1].Value), StringComparer.Ordinal);

        var globals = defaultModel is null ? null : new Dictionary<string, string> { ["build_property.PromptGenDefaultModel"] = defaultModel };
        AnalyzerHarness.Run run = AnalyzerHarness.Analyze([source], files, null, globals);
        AnalyzerHarness.AssertClean(run);
        SyntaxTree tree = run.All.Select(d => d.Location.SourceTree).FirstOrDefault(t => t is not null)
            ?? GeneratorHarness.Compilation(source).SyntaxTrees.First();
        var erroring = new SortedSet<string>(StringComparer.Ordinal);
        foreach (Diagnostic diagnostic in run.Prompt.Where(d => d.Severity == DiagnosticSeverity.Error))
        {
            erroring.Add(MemberOf(diagnostic));
        }

        Assert.Equal(expected, string.Join(" ", throwing));
        Assert.Equal(string.Join(" ", throwing), string.Join(" ", erroring));
    }

    /// <summary>The method a diagnostic is about: the declaration containing it, else the member its message quotes.</summary>
    private static string MemberOf(Diagnostic diagnostic)
    {
        if (diagnostic.Location.SourceTree is SyntaxTree tree)
        {
            SyntaxNode? node = tree.GetRoot().FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true);
            MethodDeclarationSyntax? method = node.AncestorsAndSelf().OfType<MethodDeclarationSyntax>().FirstOrDefault();
            if (method is not null)
            {
                return method.Identifier.ValueText;
            }
        }

        Match quoted = Quoted().Match(diagnostic.GetMessage());
        return quoted.Success ? quoted.Groups[1].Value : "<" + diagnostic.Id + " at " + diagnostic.Location + ">";
    }

    [GeneratedRegex(@"public [^\r\n]*? (\w+)(?:<[^>]*>)?\([^\r\n]*\) =>\s*throw new global::System\.NotSupportedException")]
    private static partial Regex ThrowingMember();

    [GeneratedRegex(@"'(\w+)'")]
    private static partial Regex Quoted();
}
