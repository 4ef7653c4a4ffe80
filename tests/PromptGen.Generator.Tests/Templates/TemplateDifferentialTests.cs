using System.Globalization;

namespace PromptGen.Generator.Tests.Templates;

/// <summary>The compiled C# renders every corpus template exactly as Scriban's interpreter does.</summary>
public class TemplateDifferentialTests
{
    public static IEnumerable<object[]> CaseNames() => TemplateCorpus.Cases.Select(c => new object[] { c.Name });

    [Fact]
    public void Corpus_is_large_enough()
    {
        Assert.True(TemplateCorpus.Cases.Count >= 50, "corpus has " + TemplateCorpus.Cases.Count + " cases");
        Assert.Equal(TemplateCorpus.Cases.Count, TemplateCorpus.Cases.Select(c => c.Name).Distinct().Count());
    }

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void Compiled_template_renders_like_Scriban(string name)
    {
        CompiledCorpus corpus = CompiledCorpus.Instance;
        int index = corpus.IndexOf(name);
        string? failure = corpus.Failure(index);
        Assert.True(failure == null, failure);

        TemplateCase item = corpus.Cases[index];
        CultureInfo saved = CultureInfo.CurrentCulture;
        try
        {
            // A culture with a decimal comma and its own month names: the output must not depend on it.
            CultureInfo.CurrentCulture = CultureInfo.GetCultureInfo("de-DE");
            CultureInfo.CurrentUICulture = CultureInfo.GetCultureInfo("de-DE");
            string expected = TemplateHarness.RenderWithScriban(item.Template, item.Args);
            string actual = corpus.Render(index);
            if (expected != actual)
            {
                Assert.Fail("Scriban: " + Show(expected) + "\nC#:      " + Show(actual) + "\n--- generated ---\n" + corpus.Compilations[index].Code);
            }
        }
        finally
        {
            CultureInfo.CurrentCulture = saved;
            CultureInfo.CurrentUICulture = saved;
        }
    }

    [Fact]
    public void Generated_code_compiles_without_warnings()
    {
        CompiledCorpus corpus = CompiledCorpus.Instance;
        Assert.True(corpus.Warnings.Count == 0, string.Join("\n", corpus.Warnings));
    }

    private static string Show(string text) => "\"" + text.Replace("\r", "\\r").Replace("\n", "\\n") + "\"";
}
