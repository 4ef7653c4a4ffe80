using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using PromptGen.Generator.Analyzers;
using GeneratorHarness = PromptGen.Generator.Tests.Generation.GeneratorHarness;

namespace PromptGen.Generator.Tests.Analyzers;

/// <summary>The analyzers never throw: malformed and unusual code gives zero AD0001 and no analyzer exception.</summary>
public sealed class AnalyzerRobustnessTests
{
    private const string U = AnalyzerHarness.Usings;

    public static readonly string[][] Corpus =
    [
        // Half-typed attributes and missing arguments.
        [U + "[Prompt( public interface IA { }"],
        [U + "[Prompt(Model = )] public interface IA { [UserPrompt(\"{{ q }}\")] Task<string> A(string q); }"],
        [U + "[Prompt(Model = \"us.anthropic.claude-haiku-4-5-20251001-v1:0\", Temperature = )] public interface IA { }"],
        [U + "[Prompt(Model = \"m\" Temperature = 0.2)] public interface IA { }"],
        [U + "[Prompt(,)] public interface IA { [UserPrompt] Task<string> A(); }"],
        [U + "[Prompt] public interface IA { [UserPrompt(] Task<string> A(string q); }"],
        [U + "[Prompt] public interface IA { [UserPrompt(File = )] Task<string> A(string q); }"],
        [U + "[Prompt] public interface IA { [UserPrompt(null)] Task<string> A(string q); }"],
        [U + "[Prompt] public interface IA { [UserPrompt(File = null)] Task<string> A(string q); }"],
        [U + "[Prompt] public interface IA { [UserPrompt(\"\")] Task<string> A(); }"],
        [U + "[Prompt] public interface IA { [SystemPrompt] [UserPrompt(\"x\")] Task<string> A(); }"],
        [U + "[Prompt] public interface IA { [Prompt(] [UserPrompt(\"x\")] Task<string> A(); }"],
        [U + "[Prompt] public interface IA { Task<string> A(string q"],
        [U + "[Prompt] public interface IA { [UserPrompt(\"{{ q }}\")] Task<string> "],
        [U + "[Prompt] public interface"],
        [U + "[Prompt]"],
        // Wrong argument types.
        [U + "[Prompt(Temperature = \"hot\", TopP = true, TopK = 1.5, MaxTokens = \"many\")] public interface IA { [UserPrompt(\"{{ q }}\")] Task<string> A(string q); }"],
        [U + "[Prompt(UseCase = 42, Model = 7)] public interface IA { [UserPrompt(\"{{ q }}\")] Task<string> A(string q); }"],
        [U + "[Prompt(UseCase = (UseCase)99, Model = \"anthropic.claude-3-7-sonnet-20250219-v1:0\", MaxTokens = 5)] public interface IA { [UserPrompt(\"{{ q }}\")] Task<string> A(string q); }"],
        [U + "[Prompt(StopSequences = new[] { \"a\", null }, CachePrompt = 1, LatencyOptimized = \"yes\")] public interface IA { [UserPrompt(\"{{ q }}\")] Task<string> A(string q); }"],
        [U + "[Prompt(StopSequences = null, Model = null)] public interface IA { [UserPrompt(\"{{ q }}\")] Task<string> A(string q); }"],
        [U + "[Prompt(Nope = 1)] public interface IA { [UserPrompt(42)] Task<string> A(string q); }"],
        [U + "[Prompt(Temperature = double.NaN, TopP = double.PositiveInfinity, MaxTokens = int.MinValue, TopK = -1, Model = \"anthropic.claude-3-7-sonnet-20250219-v1:0\")] public interface IA { [UserPrompt(\"{{ q }}\")] Task<string> A(string q); }"],
        [U + "[Prompt(Model = \"\")] public interface IA { [UserPrompt(\"{{ q }}\")] Task<string> A(string q); }"],
        [U + "[Prompt(Model = \"arn:\")] public interface IA { [UserPrompt(\"{{ q }}\")] Task<string> A(string q); }"],
        [U + "[Prompt(Model = \"arn:aws:bedrock:us-east-1::foundation-model/\")] public interface IA { [UserPrompt(\"{{ q }}\")] Task<string> A(string q); }"],
        [U + "[Prompt(Model = \".\", LatencyOptimized = true, CachePrompt = true)] public interface IA { [UserPrompt(\"{{ q }}\")] Task<string> A(string q); }"],
        [U + "[Prompt(Model = \"us.\", LatencyOptimized = true)] public interface IA { [UserPrompt(\"{{ q }}\")] Task<string> A(string q); }"],
        // Partial interfaces across files.
        [U + "[Prompt(Model = \"anthropic.claude-3-7-sonnet-20250219-v1:0\")] public partial interface IP { [UserPrompt(\"{{ a }}\")] Task<string> A(string a); }",
         U + "public partial interface IP { [Prompt(Temperature = 3)] [UserPrompt(\"{{ b }}\")] Task<string> B(string b, CancellationToken ct); }"],
        [U + "public partial interface IP { [UserPrompt(\"{{ b }}\")] Task<string> B(string b); }",
         U + "[Prompt(Model = \"us.anthropic.claude-haiku-4-5-20251001-v1:0\", Temperature = 0.1)] [SystemPrompt(\"s\")] public partial interface IP { }"],
        [U + "[Prompt(Model = \"a\")] public partial interface IP { }", U + "[Prompt(Model = \"b\")] public partial interface IP { }"],
        // Nested and generic types, inheritance.
        [U + "public class O { [Prompt] public interface IN { [UserPrompt(\"{{ q }}\")] Task<string> A(string q); } }"],
        [U + "public class O<T> { [Prompt] public interface IN { } }"],
        [U + "[Prompt] public interface IG<T> { [UserPrompt(\"{{ q }}\")] Task<T> A(T q); }"],
        [U + "[Prompt] public class C { [Prompt] [UserPrompt(\"{{ q }}\")] public Task<string> A(string q) => null!; }"],
        [U + "[Prompt] public struct S { }"],
        [U + "[Prompt] public enum E { A }"],
        [U + "[Prompt] public delegate void D();"],
        [U + "[Prompt] public record R;"],
        [U + "public interface IBase { [UserPrompt(\"{{ q }}\")] Task<string> A(string q); } [Prompt(Model = \"anthropic.claude-3-7-sonnet-20250219-v1:0\")] public interface IDerived : IBase { }"],
        [U + "[Prompt(Model = \"anthropic.claude-3-7-sonnet-20250219-v1:0\")] public interface IA : IA { }"],
        [U + "[Prompt] public interface IA { [UserPrompt(\"{{ q }}\")] Task<string> A(string q) => Task.FromResult(q); static Task<string> S() => null!; string P { get; } event System.Action E; }"],
        [U + "[Prompt] public interface IA { [UserPrompt(\"{{ q }}\")] Task<string> A(string q); [UserPrompt(\"{{ q }}\")] Task<string> A(string q); }"],
        // Aliases and unusual names.
        ["using P = PromptGen.PromptAttribute; using UP = PromptGen.UserPromptAttribute; using System.Threading.Tasks;\n[P(Model = \"anthropic.claude-3-7-sonnet-20250219-v1:0\")] public interface IA { [UP(\"{{ q }}\")] Task<string> A(string q); }"],
        ["using System.Threading.Tasks;\n[global::PromptGen.Prompt(Model = \"x\")] public interface IA { [global::PromptGen.UserPromptAttribute(\"{{ q }}\")] Task<string> A(string q); }"],
        [U + "[Prompt(Model = \"anthropic.claude-3-7-sonnet-20250219-v1:0\")] public interface IÜbersetzer { [UserPrompt(\"{{ größe }} {{ 名前 }}\")] Task<string> Übersetze(string größe, string 名前); }"],
        [U + "[Prompt(Model = \"anthropic.claude-3-7-sonnet-20250219-v1:0\")] public interface IA { [UserPrompt(\"{{ @class }}\")] Task<string> A(string @class); }"],
        [U + "[Prompt(Model = \"anthropic.claude-3-7-sonnet-20250219-v1:0\")] public interface IA { [UserPrompt(\"\\U0001F600 {{ q }} \\x41 \\uD83D\\uDE00 {{ nope }}\")] Task<string> A(string q); }"],
        [U + "[Prompt(Model = \"anthropic.claude-3-7-sonnet-20250219-v1:0\")] public interface IA { [UserPrompt($\"{{{{ q }}}} {1}\")] Task<string> A(string q); }"],
        [U + "[Prompt(Model = \"anthropic.claude-3-7-sonnet-20250219-v1:0\")] public interface IA { [UserPrompt(\"a\" + \"{{ nope }}\")] Task<string> A(string q); }"],
        [U + "public static class K { public const string T = \"{{ nope\"; } [Prompt(Model = \"anthropic.claude-3-7-sonnet-20250219-v1:0\")] public interface IA { [UserPrompt(K.T)] Task<string> A(string q); }"],
        [U + "[Prompt(Model = \"anthropic.claude-3-7-sonnet-20250219-v1:0\")] public interface IA { [UserPrompt(\"\"\"\n    {{ nope }}\n  \"\"\")] Task<string> A(string q); }"],
        [U + "[Prompt(Model = \"anthropic.claude-3-7-sonnet-20250219-v1:0\")] public interface IA { [UserPrompt(\"\"\"{{ nope }}\"\"\")] Task<string> A(string q); }"],
        [U + "[Prompt(Model = \"anthropic.claude-3-7-sonnet-20250219-v1:0\")] public interface IA { [UserPrompt(@\"\"\"{{ nope }}\"\"\")] Task<string> A(string q); }"],
        // Error types and odd signatures.
        [U + "[Prompt(Model = \"anthropic.claude-3-7-sonnet-20250219-v1:0\")] public interface IA { [UserPrompt(\"{{ q.Foo }}\")] Task<Missing> A(Missing q, Unknown<int> u); }"],
        [U + "[Prompt(Model = \"anthropic.claude-3-7-sonnet-20250219-v1:0\")] public interface IA { [UserPrompt(\"{{ q }}\")] Task<string> A(out string q, in int i, params string[] rest); }"],
        [U + "[Prompt(Model = \"anthropic.claude-3-7-sonnet-20250219-v1:0\")] public interface IA { [UserPrompt(\"{{ q }}\")] unsafe Task<string> A(int* q); }"],
        [U + "[Prompt(Model = \"anthropic.claude-3-7-sonnet-20250219-v1:0\")] public interface IA { [UserPrompt(\"{{ q }}\")] Task<string> A(dynamic q, (int, string) t, System.Span<int> s); }"],
        [U + "[Prompt(Model = \"anthropic.claude-3-7-sonnet-20250219-v1:0\")] public interface IA { [UserPrompt(\"{{ n.N.N.N.N.N.N.N.N.N }}\")] Task<string> A(Node n); } public class Node { public Node N { get; } = null!; }"],
        [U + "[Prompt(Model = \"anthropic.claude-3-7-sonnet-20250219-v1:0\")] public interface IA { [UserPrompt(\"{{ for x in q }}{{ for y in x }}{{ y }}{{ end }}{{ end }}\")] IAsyncEnumerable<string> A(List<List<string>> q); }"],
        [U + "[Prompt(Model = \"anthropic.claude-3-7-sonnet-20250219-v1:0\")] public interface IA { [UserPrompt(\"{{\")] Task<string> A(string q); [UserPrompt(\"}}\")] Task<string> B(string q); [UserPrompt(\"{{ end }}\")] Task<string> C(string q); [UserPrompt(\"{{ ) }}\")] Task<string> D(string q); }"],
        [U + "[Prompt(Model = \"anthropic.claude-3-7-sonnet-20250219-v1:0\")] public interface IA { [UserPrompt(\"{{ q | string.upcase | array.join ',' | object.default 1 }}\")] Task<string> A(string q); }"],
        [U + "[Prompt(Model = \"anthropic.claude-3-7-sonnet-20250219-v1:0\")] public interface IA { [UserPrompt(\"{{ q }}\")] Task A(string q); ValueTask B(); Task<Task<string>> C(); PromptResult<string> D(); }"],
        [U + "#nullable disable\n[Prompt(Model = \"anthropic.claude-3-7-sonnet-20250219-v1:0\")] public interface IA { [UserPrompt(\"{{ q }}\")] Task<string?> A(string q); }"],
        [U + "namespace N1.N2 { [Prompt(Model = \"anthropic.claude-3-7-sonnet-20250219-v1:0\", CachePrompt = true, CacheResponse = true, LatencyOptimized = true)] [SystemPrompt(File = \"s.sbn\")] internal interface IA { [UserPrompt(File = \"u.sbn\")] Task<string> A(string q); } }"],
        [U + "file interface IFile { } [Prompt] file interface IA { }"],
        [U + "[Prompt, Prompt] public interface IA { }"],
        [U + "[assembly: Prompt] [module: Prompt]"],
        ["namespace PromptGen { public sealed class PromptAttribute : System.Attribute { public int Temperature; } } [PromptGen.Prompt(Temperature = 1)] public interface IA { }"],
    ];

    public static IEnumerable<object[]> Cases() => Corpus.Select((sources, i) => new object[] { i });

    [Fact]
    public void The_corpus_has_at_least_fifty_snippets() => Assert.True(Corpus.Length >= 50, Corpus.Length.ToString());

    [Theory]
    [MemberData(nameof(Cases))]
    public void Analyzers_never_throw(int index)
    {
        string[] sources = Corpus[index];
        var files = new[]
        {
            new GeneratorHarness.InMemoryFile("s.sbn", "{{ broken"),
            new GeneratorHarness.InMemoryFile("u.sbn", null),
        };
        AnalyzerHarness.Run run = AnalyzerHarness.Analyze(sources, files);
        AnalyzerHarness.AssertClean(run);
    }

    [Fact]
    public async Task A_compilation_without_PromptGen_is_not_analyzed()
    {
        CSharpCompilation compilation = CSharpCompilation.Create("NoPromptGen",
            [CSharpSyntaxTree.ParseText("public interface IA { }")],
            [MetadataReference.CreateFromFile(typeof(object).Assembly.Location)]);
        var withAnalyzers = compilation.WithAnalyzers([new PromptAnalyzer()]);
        Assert.Empty(await withAnalyzers.GetAnalyzerDiagnosticsAsync());
    }
}
