namespace PromptGen.Generator.Tests.Templates;

/// <summary>
/// The emitted C# for representative templates, kept in Snapshots/ so a change in output shows up in review.
/// Set PROMPTGEN_ACCEPT=1 to rewrite the expected files. (The differential tests prove these render correctly.)
/// </summary>
public class TemplateSnapshotTests
{
    [Theory]
    [InlineData("prompt-invoice")]
    [InlineData("prompt-classify")]
    [InlineData("for-nested")]
    [InlineData("for-last-lookahead")]
    [InlineData("object-default-members")]
    [InlineData("upcase-null-and-values")]
    [InlineData("raw-special-characters")]
    public void Emitted_code_matches_the_snapshot(string name)
    {
        CompiledCorpus corpus = CompiledCorpus.Instance;
        int index = corpus.IndexOf(name);
        TemplateCase item = corpus.Cases[index];
        string actual = "// Template: " + PromptGen.Generator.Templates.TemplateCompiler.StringLiteral(item.Template) + "\n\n" + corpus.Compilations[index].Code;

        string path = Path.Combine(PromptGen.Tests.TestPaths.RepoRoot, "tests", "PromptGen.Generator.Tests", "Templates", "Snapshots", name + ".cs.txt");
        if (Environment.GetEnvironmentVariable("PROMPTGEN_ACCEPT") == "1" || !File.Exists(path))
        {
            File.WriteAllText(path, actual);
            Assert.True(Environment.GetEnvironmentVariable("PROMPTGEN_ACCEPT") == "1", "Snapshot " + name + " was missing and has been written; check it in.");
        }

        Assert.Equal(File.ReadAllText(path).ReplaceLineEndings("\n"), actual);
    }
}
