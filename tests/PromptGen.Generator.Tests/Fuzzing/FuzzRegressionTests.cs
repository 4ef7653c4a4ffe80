using Microsoft.CodeAnalysis;
using PromptGen.Generator.Tests.Analyzers;

namespace PromptGen.Generator.Tests.Fuzzing;

/// <summary>
/// Inputs the fuzzer found breaking the generator, each reduced to what it needs and kept as a named test. Each runs
/// through the fuzzer's own <see cref="FuzzRunner"/> (generator, analyzers, code fixes, generated code compiled).
/// </summary>
public sealed class FuzzRegressionTests
{
    private const string U = "using System.Threading;\nusing System.Threading.Tasks;\nusing PromptGen;\n";

    private static FuzzOutcome Run(params string[] sources) =>
        GeneratorFuzzTests.Runner.Run(new FuzzInput(0, FuzzKind.DeletedTokens, "regression", [FuzzSeeds.ImplicitUsings, .. sources], []), withCodeFixes: true);

    private static void AssertClean(FuzzOutcome outcome) =>
        Assert.True(outcome.Failures.Count == 0, string.Join("\n\n", outcome.Failures));

    /// <summary>
    /// BrokenAttributeArguments #66 (seed 20251125): the same interface declared in two files (CS0101) gave two models
    /// with one hint name, and AddSource threw (CS8785), dropping every generated file.
    /// </summary>
    [Fact]
    public void An_interface_declared_twice_gets_one_client_not_a_hint_name_clash()
    {
        FuzzOutcome outcome = Run(
            U + "[Prompt] public interface IA { [UserPrompt(null)] Task<string> A(string q); }",
            U + "[Prompt(UseCase = 42, Model = 7)] public interface IA { [UserPrompt(UseCase = \"{{ q }}\")] Task<string> A(string q); }");
        AssertClean(outcome);
        Assert.Equal(1, outcome.GeneratedFiles);
    }

    /// <summary>The same clash through [Prompt] on two parts of a partial interface (CS0579): one client.</summary>
    [Fact]
    public void Prompt_on_two_partial_parts_gives_one_client()
    {
        FuzzOutcome outcome = Run(
            U + "[Prompt(Model = \"us.amazon.nova-pro-v1:0\")] public partial interface IP { [UserPrompt(\"{{ a }}\")] Task<string> A(string a); }",
            U + "[Prompt(Model = \"us.amazon.nova-micro-v1:0\")] public partial interface IP { [UserPrompt(\"{{ b }}\")] Task<string> B(string b); }");
        AssertClean(outcome);
        Assert.Equal(1, outcome.GeneratedFiles);
    }

    /// <summary>
    /// FileScopedTypes #2 and WrongArgumentTypes #218: a client was generated for a file-local interface, which the
    /// generated file cannot name (CS0234/CS0400). Now PG0017, and no client.
    /// </summary>
    [Fact]
    public void A_file_local_interface_gets_PG0017_and_no_client()
    {
        const string source = U + "namespace N;\n[Prompt(Model = \"us.amazon.nova-pro-v1:0\")] file interface IHidden { [UserPrompt(\"{{ q }}\")] Task<string> AskAsync(string q, CancellationToken cancellationToken = default); }";
        FuzzOutcome outcome = Run(source);
        AssertClean(outcome);
        Assert.Equal(0, outcome.GeneratedFiles);
        AnalyzerHarness.Run run = AnalyzerHarness.Analyze([source]);
        Diagnostic pg0017 = Assert.Single(run.Prompt, d => d.Id == "PG0017");
        Assert.Contains("it is file-local", pg0017.GetMessage(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);
    }

    /// <summary>
    /// UnreadableAdditionalFile #128: <c>UseCase = (UseCase)99</c> compiles, and the emitter wrote
    /// <c>global::PromptGen.UseCase.99</c> (CS1003). An undefined value is now written as a cast.
    /// </summary>
    [Fact]
    public void An_undefined_use_case_value_is_emitted_as_a_cast()
    {
        FuzzOutcome outcome = Run(U + "[Prompt(UseCase = (UseCase)99, Model = \"anthropic.claude-3-7-sonnet-20250219-v1:0\", MaxTokens = 5)] public interface IA { [UserPrompt(\"{{ q }}\")] Task<string> A(string q); }");
        AssertClean(outcome);
        Assert.Equal(1, outcome.GeneratedFiles);
    }

    /// <summary>
    /// InvalidInlineTemplate #22: the throwing stub of a method with <c>out</c>/<c>in</c> parameters (PG0012) dropped the
    /// modifiers, so the client did not implement the interface (CS0535).
    /// </summary>
    [Fact]
    public void The_stub_of_a_by_reference_method_keeps_its_modifiers()
    {
        FuzzOutcome outcome = Run(U + "[Prompt(Model = \"anthropic.claude-3-7-sonnet-20250219-v1:0\")] public interface IA { [UserPrompt(\"{{ q }}\")] Task<string> A(out string q, in int i, ref int r, ref readonly int rr, params string[] rest); }");
        AssertClean(outcome);
    }

    /// <summary>'Ask' beside 'IAsk' would both get 'AskClient' (a hint name clash, then CS0101): 'Ask' gets PG0017.</summary>
    [Fact]
    public void Two_interfaces_with_the_same_client_name_give_PG0017_not_a_clash()
    {
        const string source = U + "namespace N;\n" +
            "[Prompt(Model = \"us.amazon.nova-pro-v1:0\")] public interface IAsk { [UserPrompt(\"{{ q }}\")] Task<string> AskAsync(string q, CancellationToken cancellationToken = default); }\n" +
            "[Prompt(Model = \"us.amazon.nova-pro-v1:0\")] public interface Ask { [UserPrompt(\"{{ q }}\")] Task<string> AskAsync(string q, CancellationToken cancellationToken = default); }";
        FuzzOutcome outcome = Run(source);
        AssertClean(outcome);
        Assert.Equal(1, outcome.GeneratedFiles);
        Diagnostic pg0017 = Assert.Single(AnalyzerHarness.Analyze([source]).Prompt, d => d.Id == "PG0017");
        Assert.Equal("Ask", pg0017.Location.SourceTree!.GetText().ToString(pg0017.Location.SourceSpan));
    }

    /// <summary>
    /// NestedNamespaces #105 (seed 20251124): in <c>namespace @class.@event</c> the hint name kept the '@', which
    /// AddSource rejects (CS8785).
    /// </summary>
    [Fact]
    public void A_keyword_namespace_gives_a_valid_hint_name()
    {
        FuzzOutcome outcome = Run(U + "namespace @class.@event;\n[Prompt(Model = \"us.amazon.nova-pro-v1:0\")] public interface IAsk { [UserPrompt(\"{{ q }}\")] Task<string> AskAsync(string q, CancellationToken cancellationToken = default); }");
        AssertClean(outcome);
        Assert.Equal(1, outcome.GeneratedFiles);
    }

    /// <summary>
    /// WrongArgumentTypes #112 (seed 20251124): an interface with a property and an event got a client that implemented
    /// neither (CS0535). Such an interface now gets PG0017 and no client.
    /// </summary>
    [Fact]
    public void An_interface_with_a_property_or_event_gets_PG0017_and_no_client()
    {
        const string source = U + "[Prompt(Model = \"us.amazon.nova-pro-v1:0\")] public interface IA { [UserPrompt(\"{{ q }}\")] Task<string> A(string q); string P { get; } event System.Action E; }";
        FuzzOutcome outcome = Run(source);
        AssertClean(outcome);
        Assert.Equal(0, outcome.GeneratedFiles);
        Diagnostic pg0017 = Assert.Single(AnalyzerHarness.Analyze([source]).Prompt, d => d.Id == "PG0017");
        Assert.Contains("property 'P'", pg0017.GetMessage(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);
    }

    /// <summary>
    /// UnicodeIdentifiers #1, #24 (seed 7): a method named <c>@class</c> or <c>@return</c> was emitted without its '@'
    /// (CS1519); GarbageOptions #45: a pointer parameter's stub lacked an unsafe context (CS0214).
    /// </summary>
    [Fact]
    public void Keyword_method_names_and_pointer_parameters_compile()
    {
        FuzzOutcome outcome = Run(U + "[Prompt(Model = \"us.amazon.nova-pro-v1:0\")] public interface IA { [UserPrompt(\"{{ q }}\")] Task<string> @class(string q); [UserPrompt(\"{{ q }}\")] Task<string> @return(string q); [UserPrompt(\"{{ q }}\")] unsafe Task<string> P(int* q); }");
        AssertClean(outcome);
        Assert.Equal(1, outcome.GeneratedFiles);
    }
}
