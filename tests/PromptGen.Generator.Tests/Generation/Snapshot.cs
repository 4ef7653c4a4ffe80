namespace PromptGen.Generator.Tests.Generation;

/// <summary>Expected generated files kept in the repository; PROMPTGEN_ACCEPT=1 rewrites them from the current output.</summary>
internal static class Snapshot
{
    public static void AssertMatches(string name, string actual)
    {
        string path = Path.Combine(PromptGen.Tests.TestPaths.RepoRoot, "tests", "PromptGen.Generator.Tests", "Generation", "Snapshots", name + ".txt");
        actual = actual.Replace("\r\n", "\n", StringComparison.Ordinal);
        if (Environment.GetEnvironmentVariable("PROMPTGEN_ACCEPT") == "1" || !File.Exists(path))
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, actual);
            Assert.True(Environment.GetEnvironmentVariable("PROMPTGEN_ACCEPT") == "1", $"Snapshot {name} was missing and has been written; review and commit it.");
        }

        string expected = File.ReadAllText(path).Replace("\r\n", "\n", StringComparison.Ordinal);
        Assert.Equal(expected, actual);
    }
}
