using System.Reflection;

namespace PromptGen.Generator.Tests;

public class CatalogueParityTests
{
    [Fact]
    public void Generator_embeds_the_same_catalogue_file_as_the_runtime()
    {
        Assembly generator = typeof(PromptGen.Generator.PromptGenerator).Assembly;
        using Stream? stream = generator.GetManifestResourceStream("PromptGen.models.json");
        Assert.NotNull(stream);
        using var reader = new StreamReader(stream!);
        string embedded = reader.ReadToEnd();

        string source = File.ReadAllText(Path.Combine(PromptGen.Tests.TestPaths.RepoRoot, "src", "Shared", "models.json"));

        Assert.Equal(source, embedded);
    }
}
