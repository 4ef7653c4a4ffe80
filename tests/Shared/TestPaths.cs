namespace PromptGen.Tests;

/// <summary>Finds the repository root and the externally authored vectors in ../shared/vectors beside it.</summary>
internal static class TestPaths
{
    private static readonly Lazy<string> s_repoRoot = new(FindRepoRoot);

    /// <summary>The folder holding PromptGen.sln.</summary>
    public static string RepoRoot => s_repoRoot.Value;

    /// <summary>
    /// shared/vectors: PROMPTGEN_VECTORS if set, else the first ancestor of the repository that has shared/vectors
    /// (a clone sits next to shared/ both on developer machines and in CI).
    /// </summary>
    public static string Vectors
    {
        get
        {
            string? fromEnv = Environment.GetEnvironmentVariable("PROMPTGEN_VECTORS");
            if (!string.IsNullOrEmpty(fromEnv))
            {
                return fromEnv;
            }

            for (DirectoryInfo? dir = new(RepoRoot); dir != null; dir = dir.Parent)
            {
                string candidate = Path.Combine(dir.FullName, "shared", "vectors");
                if (Directory.Exists(candidate))
                {
                    return candidate;
                }
            }

            throw new DirectoryNotFoundException(
                "shared/vectors was not found beside the repository; set PROMPTGEN_VECTORS to its path.");
        }
    }

    /// <summary>A path under shared/vectors.</summary>
    public static string Vector(params string[] parts) => Path.Combine([Vectors, .. parts]);

    private static string FindRepoRoot()
    {
        for (DirectoryInfo? dir = new(AppContext.BaseDirectory); dir != null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "PromptGen.sln")))
            {
                return dir.FullName;
            }
        }

        throw new DirectoryNotFoundException("PromptGen.sln was not found above " + AppContext.BaseDirectory);
    }
}
