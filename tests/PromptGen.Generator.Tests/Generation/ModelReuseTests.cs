using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using PromptGen.Generator.Common;
using PromptGen.Generator.Prompts;

namespace PromptGen.Generator.Tests.Generation;

/// <summary>
/// The rerun skips re-reading an interface only when the edit cannot have changed its model: <see cref="DeclarationShape"/>
/// must see every edit that changes a declaration's meaning (a missed one would keep a stale client) and may ignore only
/// edits inside bodies, comments and whitespace.
/// </summary>
public class ModelReuseTests
{
    private const string Helpers = """
        namespace Contoso.Documents;

        public static class Limits
        {
            public const int MaxTokens = 400;
            public static readonly int Other = 1;
            public static int Compute() { return 1; }
            public static int Arrow() => 1;
            public static int Property => 1;
            public static int Accessor { get { return 1; } }
        }

        public sealed record Invoice(string Number, decimal Total);
        """;

    private const string Prompts = """
        using System.Threading;
        using System.Threading.Tasks;
        using PromptGen;

        namespace Contoso.Documents;

        [Prompt(UseCase = UseCase.Extraction, Model = "us.anthropic.claude-haiku-4-5-20251001-v1:0")]
        public interface IInvoiceReader
        {
            [Prompt(MaxTokens = Limits.MaxTokens)]
            [UserPrompt("Read {{ text }}")]
            Task<Invoice> ReadAsync(string text, CancellationToken cancellationToken = default);
        }
        """;

    [Theory]
    [InlineData("return 1; }\n    public static int Arrow", "return 2; }\n    public static int Arrow")]
    [InlineData("Arrow() => 1;", "Arrow() => 2 + Compute();")]
    [InlineData("Property => 1;", "Property => 3;")]
    [InlineData("get { return 1; }", "get { var x = 2; return x; }")]
    [InlineData("public const int MaxTokens = 400;", "public const int MaxTokens = 400; // the preset's cap")]
    [InlineData("public sealed record Invoice", "\n\n  /* an invoice */  public   sealed record   Invoice")]
    public void Edits_inside_bodies_comments_and_whitespace_keep_the_shape(string before, string after)
    {
        Assert.Contains(before, Helpers, StringComparison.Ordinal);
        (Compilation original, Compilation edited) = EditHelpers(before, after);

        Assert.Equal(Shape(original), Shape(edited));
    }

    [Theory]
    [InlineData("public const int MaxTokens = 400;", "public const int MaxTokens = 500;")]
    [InlineData("Other = 1;", "Other = 2;")]
    [InlineData("record Invoice(string Number, decimal Total)", "record Invoice(string Number, decimal Total, string Currency)")]
    [InlineData("record Invoice(string Number, decimal Total)", "record Invoice(string Number, double Total)")]
    [InlineData("public static int Compute()", "internal static int Compute()")]
    [InlineData("public static int Arrow() => 1;", "public static int Arrow() => 1;\n    public static int Added() => 1;")]
    [InlineData("namespace Contoso.Documents;", "using System.ComponentModel;\nnamespace Contoso.Documents;")]
    [InlineData("public static int Compute() { return 1; }", "public static int Compute() {\n#nullable disable\n return 1; }")]
    [InlineData("public sealed record Invoice", "[System.ComponentModel.Description(\"An invoice\")]\npublic sealed record Invoice")]
    public void Edits_to_declarations_change_the_shape(string before, string after)
    {
        Assert.Contains(before, Helpers, StringComparison.Ordinal);
        (Compilation original, Compilation edited) = EditHelpers(before, after);

        Assert.NotEqual(Shape(original), Shape(edited));
    }

    [Fact]
    public void Options_references_parse_options_and_tree_order_are_part_of_the_shape()
    {
        CSharpCompilation original = GeneratorHarness.Compilation(Prompts, Helpers);
        SyntaxTree helpers = original.SyntaxTrees.Last();

        CSharpCompilation nullableOff = original.WithOptions(original.Options.WithNullableContextOptions(NullableContextOptions.Disable));
        CSharpCompilation fewerReferences = original.RemoveReferences(original.References.Last());
        CSharpCompilation Reparsed(CSharpParseOptions options) => original.RemoveAllSyntaxTrees().AddSyntaxTrees(
            original.SyntaxTrees.Select(tree => CSharpSyntaxTree.ParseText(tree.GetText(), options, tree.FilePath)));
        CSharpCompilation olderLanguage = Reparsed(GeneratorHarness.ParseOptions.WithLanguageVersion(LanguageVersion.CSharp10));
        CSharpCompilation defined = original.ReplaceSyntaxTree(helpers,
            CSharpSyntaxTree.ParseText(helpers.GetText(), GeneratorHarness.ParseOptions.WithPreprocessorSymbols("PREVIEW"), helpers.FilePath));
        CSharpCompilation reordered = original.RemoveAllSyntaxTrees().AddSyntaxTrees(original.SyntaxTrees.Reverse());
        CSharpCompilation renamed = original.WithAssemblyName("Other");

        foreach (Compilation changed in new Compilation[] { nullableOff, fewerReferences, olderLanguage, defined, reordered, renamed })
        {
            Assert.NotEqual(Shape(original), Shape(changed));
        }

        // The same trees, references and options in a new compilation, or the same text parsed again: the same shape.
        Assert.Equal(Shape(original), Shape(original.RemoveAllSyntaxTrees().AddSyntaxTrees(original.SyntaxTrees)));
        Assert.Equal(Shape(original), Shape(Reparsed(GeneratorHarness.ParseOptions)));
    }

    [Fact]
    public void A_body_edit_elsewhere_reuses_the_model_and_generates_the_same_client()
    {
        (GeneratorDriver driver, CSharpCompilation compilation, SyntaxNode declaration) = FirstRun();
        CSharpCompilation edited = Edit(compilation, "public static int Compute() { return 1; }", "public static int Compute() { return 7; }");

        Assert.True(InterfaceModelCache.WouldReuse(declaration, edited));
        GeneratorRunResult result = driver.RunGenerators(edited).GetRunResult().Results.Single();
        Assert.Equal(Client(driver.GetRunResult().Results.Single()), Client(result));
    }

    [Fact]
    public void A_constant_changed_in_another_file_regenerates_the_client_with_the_new_value()
    {
        (GeneratorDriver driver, CSharpCompilation compilation, SyntaxNode declaration) = FirstRun();
        Assert.Contains("MaxTokens = 400,", Client(driver.GetRunResult().Results.Single()), StringComparison.Ordinal);
        CSharpCompilation edited = Edit(compilation, "public const int MaxTokens = 400;", "public const int MaxTokens = 500;");

        Assert.False(InterfaceModelCache.WouldReuse(declaration, edited));
        GeneratorRunResult result = driver.RunGenerators(edited).GetRunResult().Results.Single();
        Assert.Contains("MaxTokens = 500,", Client(result), StringComparison.Ordinal);
    }

    [Fact]
    public void A_result_record_changed_in_another_file_regenerates_its_schema()
    {
        (GeneratorDriver driver, CSharpCompilation compilation, _) = FirstRun();
        Assert.DoesNotContain("Currency", AllSources(driver.GetRunResult().Results.Single()), StringComparison.Ordinal);
        CSharpCompilation edited = Edit(compilation, "record Invoice(string Number, decimal Total)", "record Invoice(string Number, decimal Total, string Currency)");

        GeneratorRunResult result = driver.RunGenerators(edited).GetRunResult().Results.Single();
        Assert.Contains("Currency", AllSources(result), StringComparison.Ordinal);
        Assert.Empty(driver.RunGeneratorsAndUpdateCompilation(edited, out Compilation output, out _).GetRunResult().Diagnostics);
        Assert.Empty(output.GetDiagnostics().Where(d => d.Severity >= DiagnosticSeverity.Warning));
    }

    public static IEnumerable<object[]> MalformedCases() => Analyzers.AnalyzerRobustnessTests.Cases();

    /// <summary>
    /// The reuse is invisible: on every snippet of the analyzers' malformed-code corpus, a rerun after a body edit elsewhere
    /// (which reuses the models) generates exactly what a cold run on the same code parsed afresh generates, and the shape
    /// of that fresh parse equals the original's.
    /// </summary>
    [Theory]
    [MemberData(nameof(MalformedCases))]
    public void On_malformed_code_a_reused_model_generates_what_a_fresh_parse_does(int index)
    {
        const string Unrelated = "public static class Edited { public static int M() { return 1; } }";
        string[] sources = [.. Analyzers.AnalyzerRobustnessTests.Corpus[index], Unrelated];
        string[] editedSources = [.. Analyzers.AnalyzerRobustnessTests.Corpus[index], Unrelated.Replace("return 1;", "return 2;", StringComparison.Ordinal)];
        GeneratorHarness.InMemoryFile[] files = [new("s.sbn", "{{ broken"), new("u.sbn", null)];

        CSharpCompilation compilation = GeneratorHarness.Compilation(sources);
        GeneratorDriver driver = GeneratorHarness.Driver(files).RunGenerators(compilation);
        CSharpCompilation edited = Edit(compilation, "return 1;", "return 2;");
        GeneratorRunResult rerun = driver.RunGenerators(edited).GetRunResult().Results.Single();
        GeneratorRunResult fresh = GeneratorHarness.Driver(files).RunGenerators(GeneratorHarness.Compilation(editedSources)).GetRunResult().Results.Single();

        Assert.Null(rerun.Exception);
        Assert.Equal(Sources(fresh), Sources(rerun));
        Assert.Equal(Shape(compilation), Shape(GeneratorHarness.Compilation(sources)));
    }

    [Fact]
    public void The_cache_keeps_no_compilation_alive()
    {
        (WeakReference compilation, SyntaxNode declaration) = RunAndForget();
        for (int i = 0; i < 3 && compilation.IsAlive; i++)
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
        }

        // The declaration (and so its cache entry, which holds the shape) is still alive; the compilation is not.
        Assert.NotNull(declaration);
        Assert.False(compilation.IsAlive);
    }

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private static (WeakReference Compilation, SyntaxNode Declaration) RunAndForget()
    {
        (_, CSharpCompilation compilation, SyntaxNode declaration) = FirstRun();
        return (new WeakReference(compilation), declaration);
    }

    private static (GeneratorDriver Driver, CSharpCompilation Compilation, SyntaxNode Declaration) FirstRun()
    {
        CSharpCompilation compilation = GeneratorHarness.Compilation(Prompts, Helpers);
        GeneratorDriver driver = GeneratorHarness.Driver().RunGenerators(compilation);
        SyntaxNode declaration = compilation.SyntaxTrees.First().GetRoot().DescendantNodes().OfType<InterfaceDeclarationSyntax>().Single();
        return (driver, compilation, declaration);
    }

    private static (Compilation Original, Compilation Edited) EditHelpers(string before, string after)
    {
        CSharpCompilation original = GeneratorHarness.Compilation(Prompts, Helpers);
        return (original, Edit(original, before, after));
    }

    private static CSharpCompilation Edit(CSharpCompilation compilation, string before, string after)
    {
        SyntaxTree helpers = compilation.SyntaxTrees.Last();
        string text = helpers.GetText().ToString();
        Assert.Contains(before, text, StringComparison.Ordinal);
        return compilation.ReplaceSyntaxTree(helpers,
            CSharpSyntaxTree.ParseText(text.Replace(before, after, StringComparison.Ordinal), GeneratorHarness.ParseOptions, helpers.FilePath));
    }

    private static DeclarationShape Shape(Compilation compilation) => DeclarationShape.Of(compilation, CancellationToken.None);

    private static string Client(GeneratorRunResult result) =>
        result.GeneratedSources.Single(s => s.HintName.EndsWith("InvoiceReaderClient.g.cs", StringComparison.Ordinal)).SourceText.ToString();

    private static string[] Sources(GeneratorRunResult result) =>
        result.GeneratedSources.Select(s => s.HintName + "\n" + s.SourceText).Order(StringComparer.Ordinal).ToArray();

    private static string AllSources(GeneratorRunResult result) =>
        string.Concat(result.GeneratedSources.Select(s => s.SourceText.ToString()));
}
