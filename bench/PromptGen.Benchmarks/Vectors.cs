namespace PromptGen.Benchmarks;

/// <summary>Locates ../shared/vectors beside the repository (or PROMPTGEN_VECTORS).</summary>
internal static class Vectors
{
    public static string Path(params string[] parts)
    {
        string? root = Environment.GetEnvironmentVariable("PROMPTGEN_VECTORS");
        for (DirectoryInfo? dir = new(AppContext.BaseDirectory); root is null && dir is not null; dir = dir.Parent)
        {
            string candidate = System.IO.Path.Combine(dir.FullName, "shared", "vectors");
            if (Directory.Exists(candidate))
            {
                root = candidate;
            }
        }

        return System.IO.Path.Combine([root ?? throw new DirectoryNotFoundException("shared/vectors not found; set PROMPTGEN_VECTORS"), .. parts]);
    }
}
