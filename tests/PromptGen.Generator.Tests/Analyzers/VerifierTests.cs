extern alias runtime;

using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Testing;
using Microsoft.CodeAnalysis.Testing;
using PromptGen.Generator.Analyzers;

namespace PromptGen.Generator.Tests.Analyzers;

/// <summary>
/// The same rules through Microsoft.CodeAnalysis.Testing (markup, DefaultVerifier, .NET 8 reference assemblies): the
/// framework also checks that every reported diagnostic is declared, that locations are in source, and that nothing else fires.
/// </summary>
public sealed class VerifierTests
{
    private const string Usings = "using System.Collections.Generic;\nusing System.Threading;\nusing System.Threading.Tasks;\nusing PromptGen;\n";

    /// <summary>
    /// The test host's own .NET 10 framework assemblies: the test project compiles against the runtime's net10.0 build, which
    /// .NET 8 reference assemblies (ReferenceAssemblies.Net.Net80) cannot load (CS1705), and 1.1.4 has no .NET 10 entry.
    /// </summary>
    private static readonly Lazy<MetadataReference[]> s_framework = new(() =>
        ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator)
            .Where(path => Path.GetFileName(path) is var name && (name.StartsWith("System", StringComparison.Ordinal) || name is "mscorlib.dll" or "netstandard.dll"))
            .Select(path => (MetadataReference)MetadataReference.CreateFromFile(path))
            .Append(MetadataReference.CreateFromFile(typeof(runtime::PromptGen.BedrockClient).Assembly.Location))
            .ToArray());

    /// <summary>The same framework and runtime references, for the code-fix tests.</summary>
    internal static MetadataReference[] Framework => s_framework.Value;

    private static async Task VerifyAsync(string source, params DiagnosticResult[] expected)
    {
        var test = new CSharpAnalyzerTest<PromptAnalyzer, DefaultVerifier>
        {
            TestCode = Usings + source,
            ReferenceAssemblies = new ReferenceAssemblies("net10.0"),
        };
        test.TestState.AdditionalReferences.AddRange(s_framework.Value);
        test.ExpectedDiagnostics.AddRange(expected);
        await test.RunAsync();
    }

    private static DiagnosticResult Diagnostic(string id, DiagnosticSeverity severity) => new(id, severity);

    [Fact]
    public Task PG0001_underlines_the_written_temperature() => VerifyAsync("""
        [Prompt(Model = "us.anthropic.claude-haiku-4-5-20251001-v1:0")]
        public interface IReviews
        {
            [Prompt(UseCase = UseCase.Classification, {|#0:Temperature = 0.9|})]
            [UserPrompt("Sentiment of: {{ review }}")]
            Task<string> SentimentAsync(string review, CancellationToken cancellationToken = default);
        }
        """,
        Diagnostic("PG0001", DiagnosticSeverity.Warning).WithLocation(0)
            .WithMessage("Classification prompts should use temperature ≤ 0.3; remove the override to use the preset (0)"));

    [Fact]
    public Task PG0005_underlines_topP_with_temperature_as_additional_location() => VerifyAsync("""
        [Prompt(Model = "us.anthropic.claude-haiku-4-5-20251001-v1:0", {|#1:Temperature = 0.2|})]
        public interface IChat
        {
            [Prompt({|#0:TopP = 0.3|})]
            [UserPrompt("{{ q }}")]
            Task<string> AskAsync(string q, CancellationToken cancellationToken = default);
        }
        """,
        Diagnostic("PG0005", DiagnosticSeverity.Error).WithLocation(0).WithLocation(1)
            .WithMessage("Claude Haiku 4.5 accepts temperature or topP, not both; keep only one of Temperature and TopP"));

    [Fact]
    public Task PG0010_and_PG0011_point_inside_the_template_and_at_the_parameter() => VerifyAsync("""
        [Prompt(Model = "anthropic.claude-3-7-sonnet-20250219-v1:0")]
        public interface ISummaries
        {
            [UserPrompt("Summarize:\n{{ {|#0:txt|} }}")]
            Task<string> SummarizeAsync(string {|#1:text|}, CancellationToken cancellationToken = default);
        }
        """,
        Diagnostic("PG0010", DiagnosticSeverity.Error).WithLocation(0)
            .WithMessage("The template of 'SummarizeAsync' names an unknown variable: 'txt' is not a parameter of the method"),
        Diagnostic("PG0011", DiagnosticSeverity.Warning).WithLocation(1)
            .WithMessage("Parameter 'text' is not used by the template of 'SummarizeAsync'; use it in the template (e.g. {{ text }}) or remove it"));

    [Fact]
    public Task PG0013_and_PG0017_and_a_clean_interface() => VerifyAsync("""
        [Prompt(Model = "amazon.nova-micro-v1:0")]
        public interface IClean
        {
            [UserPrompt("{{ q }}")]
            IAsyncEnumerable<string> StreamAsync(string q, CancellationToken cancellationToken = default);

            [UserPrompt("{{ q }}")]
            Task<string> {|#0:AskAsync|}(string q);
        }

        public class Outer
        {
            [Prompt(Model = "amazon.nova-micro-v1:0")]
            public interface {|#1:INested|} { }
        }
        """,
        Diagnostic("PG0013", DiagnosticSeverity.Info).WithLocation(0)
            .WithMessage("'AskAsync' takes no CancellationToken; add 'CancellationToken cancellationToken = default' so callers can cancel the Bedrock call"),
        Diagnostic("PG0017", DiagnosticSeverity.Error).WithLocation(1)
            .WithMessage("'INested' cannot get a generated client: it is nested in 'Outer'; use a non-generic, top-level, public or internal interface"));
}
