using System.Text;

namespace PromptGen.Generator.Tests.Fuzzing;

/// <summary>What a fuzz input was made by: a mutation of a seed (hostile) or a generator of strange but valid code.</summary>
public enum FuzzKind
{
    DeletedTokens,
    DuplicatedTokens,
    SwappedTokens,
    TruncatedFile,
    BrokenAttributeArguments,
    WrongArgumentTypes,
    InvalidInlineTemplate,
    InvalidTemplateFile,
    UnreadableAdditionalFile,
    GarbageOptions,
    PartialAcrossFiles,
    NestedNamespaces,
    FileScopedTypes,
    Aliases,
    GlobalUsings,
    UnicodeIdentifiers,
    VeryLongTemplate,
    ThousandMethods,
}

/// <summary>An AdditionalFiles item: <see cref="Text"/> null is a file the host could not read.</summary>
public sealed record FuzzFile(string Path, string? Text);

/// <summary>
/// One input: the C# files of a compilation, its AdditionalFiles and the analyzer config (MSBuild properties and
/// .editorconfig keys). <see cref="Index"/> and the run's seed reproduce it exactly.
/// </summary>
public sealed record FuzzInput(int Index, FuzzKind Kind, string Seed, IReadOnlyList<string> Sources, IReadOnlyList<FuzzFile> Files)
{
    /// <summary>MSBuild properties (<c>build_property.*</c>) the generator and analyzers see.</summary>
    public IReadOnlyDictionary<string, string> GlobalOptions { get; init; } = new Dictionary<string, string>();

    /// <summary>.editorconfig keys for every file.</summary>
    public IReadOnlyDictionary<string, string> EditorConfig { get; init; } = new Dictionary<string, string>();

    /// <summary>Whether the input is valid C# by construction, so the generated code must compile too.</summary>
    public bool Valid => Kind >= FuzzKind.PartialAcrossFiles;

    /// <summary>The input as C# code that rebuilds it, for pasting into a regression test.</summary>
    public string Describe()
    {
        var text = new StringBuilder();
        text.Append("// ").Append(Kind).Append(" #").Append(Index).Append(" from ").Append(Seed).Append('\n');
        foreach (string source in Sources)
        {
            text.Append("source: ").Append(Microsoft.CodeAnalysis.CSharp.SymbolDisplay.FormatLiteral(source, quote: true)).Append('\n');
        }

        foreach (FuzzFile file in Files)
        {
            text.Append("file ").Append(file.Path).Append(": ")
                .Append(file.Text is null ? "<unreadable>" : Microsoft.CodeAnalysis.CSharp.SymbolDisplay.FormatLiteral(file.Text, quote: true)).Append('\n');
        }

        foreach (KeyValuePair<string, string> option in GlobalOptions.Concat(EditorConfig))
        {
            text.Append("option ").Append(option.Key).Append(" = ").Append(Microsoft.CodeAnalysis.CSharp.SymbolDisplay.FormatLiteral(option.Value, quote: true)).Append('\n');
        }

        return text.ToString();
    }
}
