using System.Collections;
using System.Reflection;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace PromptGen.Generator.Tests.Generation;

/// <summary>STYLE.md: an unrelated edit leaves every tracked step cached; a real change re-runs; no symbols leak into models.</summary>
public class IncrementalityTests
{
    private static readonly string[] s_steps = [PromptGenerator.Steps.Interfaces, PromptGenerator.Steps.Options, PromptGenerator.Steps.TemplateFiles];

    private static (GeneratorDriver Driver, CSharpCompilation Compilation) FirstRun()
    {
        CSharpCompilation compilation = GeneratorHarness.Compilation(GeneratorTests.Sample, "public static class Unrelated { public static int A => 1; }");
        GeneratorDriver driver = GeneratorHarness.Driver([new GeneratorHarness.InMemoryFile("/repo/Prompts/summary.sbn", GeneratorTests.SummaryTemplate)])
            .RunGenerators(compilation);
        return (driver, compilation);
    }

    [Fact]
    public void An_unrelated_edit_leaves_every_step_cached_or_unchanged()
    {
        (GeneratorDriver driver, CSharpCompilation compilation) = FirstRun();
        SyntaxTree unrelated = compilation.SyntaxTrees.Last();
        CSharpCompilation edited = compilation.ReplaceSyntaxTree(unrelated,
            CSharpSyntaxTree.ParseText("public static class Unrelated { public static int A => 2; }", GeneratorHarness.ParseOptions, unrelated.FilePath));

        GeneratorRunResult result = driver.RunGenerators(edited).GetRunResult().Results.Single();

        foreach (string step in s_steps)
        {
            Assert.All(result.TrackedSteps[step].SelectMany(s => s.Outputs),
                output => Assert.Contains(output.Reason, new[] { IncrementalStepRunReason.Cached, IncrementalStepRunReason.Unchanged }));
        }

        Assert.All(result.TrackedOutputSteps.SelectMany(s => s.Value).SelectMany(s => s.Outputs),
            output => Assert.Contains(output.Reason, new[] { IncrementalStepRunReason.Cached, IncrementalStepRunReason.Unchanged }));
    }

    [Fact]
    public void Changing_an_attribute_argument_modifies_the_interface_step()
    {
        (GeneratorDriver driver, CSharpCompilation compilation) = FirstRun();
        SyntaxTree sample = compilation.SyntaxTrees.First();
        CSharpCompilation edited = compilation.ReplaceSyntaxTree(sample,
            CSharpSyntaxTree.ParseText(GeneratorTests.Sample.Replace("MaxTokens = 400", "MaxTokens = 500"), GeneratorHarness.ParseOptions, sample.FilePath));

        GeneratorDriverRunResult run = driver.RunGenerators(edited).GetRunResult();
        GeneratorRunResult result = run.Results.Single();

        Assert.Contains(result.TrackedSteps[PromptGenerator.Steps.Interfaces].SelectMany(s => s.Outputs),
            output => output.Reason == IncrementalStepRunReason.Modified);
        Assert.Contains("MaxTokens = 500,", result.GeneratedSources.Single().SourceText.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Step_outputs_hold_no_symbols_syntax_or_compilations()
    {
        (GeneratorDriver driver, _) = FirstRun();
        GeneratorRunResult result = driver.GetRunResult().Results.Single();

        foreach (string step in s_steps)
        {
            foreach (IncrementalGeneratorRunStep run in result.TrackedSteps[step])
            {
                foreach ((object value, _) in run.Outputs)
                {
                    AssertNoRoslynObjects(value, new HashSet<object>(ReferenceEqualityComparer.Instance), step);
                }
            }
        }
    }

    private static void AssertNoRoslynObjects(object? value, HashSet<object> seen, string path)
    {
        if (value is null || value is string || value.GetType().IsPrimitive || value.GetType().IsEnum || !seen.Add(value))
        {
            return;
        }

        Assert.False(value is ISymbol or SyntaxNode or Compilation or SemanticModel or SyntaxTree or Location,
            $"{path} holds a {value.GetType().Name}");
        if (value is IEnumerable items)
        {
            foreach (object? item in items)
            {
                AssertNoRoslynObjects(item, seen, path + "[]");
            }
        }

        foreach (FieldInfo field in value.GetType().GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic))
        {
            AssertNoRoslynObjects(field.GetValue(value), seen, path + "." + field.Name);
        }
    }
}
