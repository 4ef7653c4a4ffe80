using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace PromptGen.Generator.Tests.Fuzzing;

/// <summary>
/// The material mutations start from, read from the repository: the samples' prompt files, every C# snippet with a
/// prompt interface in the generator tests' string literals (markup stripped), the generated-client test prompts, and
/// every template (.sbn files and the tests' template literals).
/// </summary>
public sealed class FuzzSeeds
{
    /// <summary>What an SDK project's implicit usings add; every input compiles with it, as a user's project would.</summary>
    public const string ImplicitUsings =
        "global using System;\nglobal using System.Collections.Generic;\nglobal using System.Linq;\nglobal using System.Threading;\nglobal using System.Threading.Tasks;\n";

    private const string Usings = "using System.Collections.Generic;\nusing System.Threading;\nusing System.Threading.Tasks;\nusing PromptGen;\n";

    private FuzzSeeds(IReadOnlyList<(string Name, string Source)> sources, IReadOnlyList<(string Name, string Template)> templates)
    {
        Sources = sources;
        Templates = templates;
    }

    /// <summary>C# seeds, each a whole file, named by where they come from.</summary>
    public IReadOnlyList<(string Name, string Source)> Sources { get; }

    /// <summary>Template seeds (Scriban text).</summary>
    public IReadOnlyList<(string Name, string Template)> Templates { get; }

    /// <summary>Reads the seeds under <paramref name="repoRoot"/> (the folder with PromptGen.sln), in a stable order.</summary>
    public static FuzzSeeds Load(string repoRoot)
    {
        var sources = new List<(string, string)>();
        var templates = new List<(string, string)>();
        var seen = new HashSet<string>(StringComparer.Ordinal);

        foreach (string file in new[] { "samples/QuickStart/Prompts.cs", "samples/CiDiagnostics/RiskyPrompts.cs" })
        {
            sources.Add((file, File.ReadAllText(Path.Combine(repoRoot, file))));
        }

        foreach (string file in Files(repoRoot, "tests/PromptGen.Testing.Tests/Generated", "*.cs").Concat(Files(repoRoot, "tests/PromptGen.Testing.Tests/Prompts", "*.cs")))
        {
            string text = File.ReadAllText(file);
            if (text.Contains("[Prompt", StringComparison.Ordinal))
            {
                sources.Add((Relative(repoRoot, file), text));
            }
        }

        foreach (string file in Files(repoRoot, "tests/PromptGen.Generator.Tests", "*.cs"))
        {
            string relative = Relative(repoRoot, file);
            if (relative.Contains("/Fuzzing/", StringComparison.Ordinal) || relative.Contains("/obj/", StringComparison.Ordinal) || relative.Contains("/bin/", StringComparison.Ordinal))
            {
                continue;
            }

            SyntaxNode root = CSharpSyntaxTree.ParseText(File.ReadAllText(file)).GetRoot();
            int n = 0;
            foreach (SyntaxToken token in root.DescendantTokens())
            {
                if (!token.IsKind(SyntaxKind.StringLiteralToken) && !token.IsKind(SyntaxKind.MultiLineRawStringLiteralToken) &&
                    !token.IsKind(SyntaxKind.SingleLineRawStringLiteralToken))
                {
                    continue;
                }

                string value = StripMarkup(token.ValueText);
                if (value.Length == 0 || !seen.Add(value))
                {
                    continue;
                }

                n++;
                if (value.Contains("interface", StringComparison.Ordinal) && value.Contains("Prompt", StringComparison.Ordinal))
                {
                    sources.Add(($"{relative}:{n}", value.Contains("using PromptGen", StringComparison.Ordinal) ? value : Usings + value));
                }
                else if (value.Contains("{{", StringComparison.Ordinal) && !value.Contains("interface", StringComparison.Ordinal))
                {
                    templates.Add(($"{relative}:{n}", value));
                }
            }
        }

        foreach (string file in Files(repoRoot, ".", "*.sbn"))
        {
            string relative = Relative(repoRoot, file);
            if (!relative.Contains("/bin/", StringComparison.Ordinal) && !relative.Contains("/obj/", StringComparison.Ordinal))
            {
                templates.Add((relative, File.ReadAllText(file)));
            }
        }

        return new FuzzSeeds(sources, templates);
    }

    /// <summary>Removes Microsoft.CodeAnalysis.Testing markup (<c>{|#0:</c>, <c>{|PG0001:</c>, <c>|}</c>, <c>[|</c>, <c>|]</c>).</summary>
    public static string StripMarkup(string text)
    {
        if (!text.Contains('|', StringComparison.Ordinal))
        {
            return text;
        }

        var output = new System.Text.StringBuilder(text.Length);
        for (int i = 0; i < text.Length; i++)
        {
            if (text[i] == '{' && i + 1 < text.Length && text[i + 1] == '|')
            {
                int colon = text.IndexOf(':', i + 2);
                if (colon > 0 && colon - i < 12)
                {
                    i = colon;
                    continue;
                }
            }

            if ((text[i] == '|' && i + 1 < text.Length && (text[i + 1] == '}' || text[i + 1] == ']')) ||
                (text[i] == '[' && i + 1 < text.Length && text[i + 1] == '|'))
            {
                i++;
                continue;
            }

            output.Append(text[i]);
        }

        return output.ToString();
    }

    private static IEnumerable<string> Files(string root, string folder, string pattern)
    {
        string path = Path.Combine(root, folder);
        return Directory.Exists(path)
            ? Directory.GetFiles(path, pattern, SearchOption.AllDirectories).OrderBy(f => f.Replace('\\', '/'), StringComparer.Ordinal)
            : Enumerable.Empty<string>();
    }

    private static string Relative(string root, string file) => Path.GetRelativePath(root, file).Replace('\\', '/');
}
