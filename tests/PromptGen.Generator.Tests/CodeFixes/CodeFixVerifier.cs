using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp.Testing;
using Microsoft.CodeAnalysis.Testing;
using PromptGen.Generator.Analyzers;
using PromptGen.Generator.Tests.Analyzers;

namespace PromptGen.Generator.Tests.CodeFixes;

/// <summary>
/// Runs <see cref="PromptAnalyzer"/> and a code fix through Microsoft.CodeAnalysis.Testing: markup <c>{|PG0001:…|}</c> in
/// the source names each expected diagnostic; the framework applies the fix one diagnostic at a time and with fix-all in
/// document, project and solution scope, and checks each result equals the fixed source with no diagnostics left.
/// </summary>
internal static class CodeFixVerifier
{
    public const string Usings = "using System.Collections.Generic;\nusing System.Threading;\nusing System.Threading.Tasks;\nusing PromptGen;\n";

    public static async Task VerifyAsync<TFix>(string source, string fixedSource, string? equivalenceKey = null, string usings = Usings)
        where TFix : CodeFixProvider, new()
    {
        var test = new CSharpCodeFixTest<PromptAnalyzer, TFix, DefaultVerifier>
        {
            TestCode = usings + source,
            FixedCode = usings + fixedSource,
            ReferenceAssemblies = new ReferenceAssemblies("net10.0"),
            CodeActionEquivalenceKey = equivalenceKey,
        };
        test.TestState.AdditionalReferences.AddRange(VerifierTests.Framework);
        await test.RunAsync();
    }

    /// <summary>As <see cref="VerifyAsync{TFix}(string, string, string?, string)"/> over several documents (partial interfaces across files).</summary>
    public static async Task VerifyAsync<TFix>((string Source, string Fixed)[] documents, string? equivalenceKey)
        where TFix : CodeFixProvider, new()
    {
        var test = new CSharpCodeFixTest<PromptAnalyzer, TFix, DefaultVerifier>
        {
            ReferenceAssemblies = new ReferenceAssemblies("net10.0"),
            CodeActionEquivalenceKey = equivalenceKey,
        };
        for (int i = 0; i < documents.Length; i++)
        {
            test.TestState.Sources.Add(($"File{i}.cs", Usings + documents[i].Source));
            test.FixedState.Sources.Add(($"File{i}.cs", Usings + documents[i].Fixed));
        }

        test.TestState.AdditionalReferences.AddRange(VerifierTests.Framework);
        await test.RunAsync();
    }

    /// <summary>One interface on <paramref name="model"/> with one method whose [Prompt] takes <paramref name="methodPrompt"/>.</summary>
    public static string Prompt(string model, string methodPrompt) => $$$"""
        [Prompt(Model = "{{{model}}}")]
        public interface IAsk
        {
            [Prompt({{{methodPrompt}}})]
            [UserPrompt("Answer: {{ q }}")]
            Task<string> AskAsync(string q, CancellationToken cancellationToken = default);
        }
        """;
}
