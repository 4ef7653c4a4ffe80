using System.Collections.Immutable;
using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;
using PromptGen.Generator.Analyzers;
using PromptGen.Generator.Tests.Generation;

namespace PromptGen.Generator.Tests.Analyzers;

/// <summary>
/// Runs <see cref="PromptAnalyzer"/> through <see cref="CompilationWithAnalyzers"/> (the compiler's own host) over markup
/// source: <c>{|#0:…|}</c> marks span 0, like Microsoft.CodeAnalysis.Testing. Asserts ID, span and message of every PG
/// diagnostic, and that the analyzer never throws (no AD0001, no exception callback).
/// </summary>
internal static class AnalyzerHarness
{
    public const string Usings = "using System.Collections.Generic;\nusing System.Threading;\nusing System.Threading.Tasks;\nusing PromptGen;\n";

    /// <summary>One expected diagnostic: ID, the markup span it underlines (or a file span), and its message.</summary>
    public sealed record Expected(string Id, int Marker, string Message)
    {
        public string? Path { get; init; }

        public TextSpan? Span { get; init; }
    }

    public sealed class Run
    {
        public required ImmutableArray<Diagnostic> All { get; init; }

        public required List<Exception> Exceptions { get; init; }

        public IEnumerable<Diagnostic> Prompt => All.Where(d => d.Id.StartsWith("PG", StringComparison.Ordinal));
    }

    /// <summary>Strips <c>{|#n:</c> … <c>|}</c> markers; returns the source and each marker's span.</summary>
    public static (string Source, Dictionary<int, TextSpan> Spans) Markup(string markup)
    {
        var output = new StringBuilder(markup.Length);
        var spans = new Dictionary<int, TextSpan>();
        var open = new Stack<(int Marker, int Start)>();
        int i = 0;
        while (i < markup.Length)
        {
            if (markup[i] == '{' && i + 2 < markup.Length && markup[i + 1] == '|' && markup[i + 2] == '#')
            {
                int colon = markup.IndexOf(':', i);
                int marker = int.Parse(markup.AsSpan(i + 3, colon - i - 3));
                open.Push((marker, output.Length));
                i = colon + 1;
                continue;
            }

            if (markup[i] == '|' && i + 1 < markup.Length && markup[i + 1] == '}' && open.Count > 0)
            {
                (int marker, int start) = open.Pop();
                spans[marker] = TextSpan.FromBounds(start, output.Length);
                i += 2;
                continue;
            }

            output.Append(markup[i]);
            i++;
        }

        return (output.ToString(), spans);
    }

    public static Run Analyze(
        IEnumerable<string> sources,
        IEnumerable<AdditionalText>? files = null,
        IReadOnlyDictionary<string, string>? editorConfig = null,
        IReadOnlyDictionary<string, string>? globalOptions = null)
    {
        Compilation compilation = GeneratorHarness.Compilation(sources.ToArray());
        var exceptions = new List<Exception>();
        var options = new AnalyzerOptions(
            files?.ToImmutableArray() ?? ImmutableArray<AdditionalText>.Empty,
            new Options(editorConfig, globalOptions));
        var analyzerOptions = new CompilationWithAnalyzersOptions(
            options, (ex, _, _) => { lock (exceptions) { exceptions.Add(ex); } }, concurrentAnalysis: true, logAnalyzerExecutionTime: false, reportSuppressedDiagnostics: false);
        CompilationWithAnalyzers withAnalyzers = compilation.WithAnalyzers(ImmutableArray.Create<DiagnosticAnalyzer>(new PromptAnalyzer()), analyzerOptions);
        ImmutableArray<Diagnostic> all = withAnalyzers.GetAllDiagnosticsAsync().GetAwaiter().GetResult();
        return new Run { All = all, Exceptions = exceptions };
    }

    /// <summary>Analyzes <paramref name="markup"/> (prefixed with <see cref="Usings"/>) and asserts exactly <paramref name="expected"/>.</summary>
    public static void Verify(string markup, params Expected[] expected) => Verify(markup, null, null, null, expected);

    public static void Verify(
        string markup,
        IEnumerable<AdditionalText>? files,
        IReadOnlyDictionary<string, string>? editorConfig,
        IReadOnlyDictionary<string, string>? globalOptions,
        params Expected[] expected)
    {
        (string source, Dictionary<int, TextSpan> spans) = Markup(Usings + markup);
        Run run = Analyze([source], files, editorConfig, globalOptions);
        AssertClean(run);

        List<Diagnostic> actual = run.Prompt.ToList();
        string Describe() => string.Join("\n", actual.Select(d =>
            $"{d.Id} {d.Location.GetLineSpan().Path} {d.Location.SourceSpan} '{Text(source, d)}': {d.GetMessage(System.Globalization.CultureInfo.InvariantCulture)}"));

        foreach (Expected e in expected)
        {
            TextSpan span = e.Span ?? spans[e.Marker];
            string path = e.Path ?? "Source0.cs";
            Diagnostic? match = actual.FirstOrDefault(d =>
                d.Id == e.Id && d.Location.SourceSpan == span && d.Location.GetLineSpan().Path == path &&
                d.GetMessage(System.Globalization.CultureInfo.InvariantCulture) == e.Message);
            Assert.True(match is not null,
                $"Expected {e.Id} at {path} {span} '{(path == "Source0.cs" ? source.Substring(span.Start, span.Length) : "")}': {e.Message}\nActual:\n{Describe()}");
            actual.Remove(match!);
        }

        Assert.True(actual.Count == 0, "Unexpected diagnostics:\n" + Describe());
    }

    /// <summary>Asserts none of <paramref name="ids"/> is reported (and nothing throws).</summary>
    public static void VerifyNone(string markup, string[] ids, IEnumerable<AdditionalText>? files = null,
        IReadOnlyDictionary<string, string>? editorConfig = null, IReadOnlyDictionary<string, string>? globalOptions = null)
    {
        (string source, _) = Markup(Usings + markup);
        Run run = Analyze([source], files, editorConfig, globalOptions);
        AssertClean(run);
        List<Diagnostic> found = run.Prompt.Where(d => ids.Contains(d.Id)).ToList();
        Assert.True(found.Count == 0, "Unexpected: " + string.Join("\n", found.Select(d => d.ToString())));
    }

    public static void AssertClean(Run run)
    {
        Assert.Empty(run.Exceptions);
        Assert.DoesNotContain(run.All, d => d.Id == "AD0001");
    }

    private static string Text(string source, Diagnostic d) =>
        d.Location.IsInSource && d.Location.GetLineSpan().Path == "Source0.cs" && d.Location.SourceSpan.End <= source.Length
            ? source.Substring(d.Location.SourceSpan.Start, d.Location.SourceSpan.Length)
            : string.Empty;

    private sealed class Options(IReadOnlyDictionary<string, string>? perTree, IReadOnlyDictionary<string, string>? global) : AnalyzerConfigOptionsProvider
    {
        private readonly Config _tree = new(perTree);
        private readonly Config _global = new(global);

        public override AnalyzerConfigOptions GlobalOptions => _global;

        public override AnalyzerConfigOptions GetOptions(SyntaxTree tree) => _tree;

        public override AnalyzerConfigOptions GetOptions(AdditionalText textFile) => _tree;

        private sealed class Config(IReadOnlyDictionary<string, string>? values) : AnalyzerConfigOptions
        {
            public override bool TryGetValue(string key, out string value)
            {
                if (values is not null && values.TryGetValue(key, out string? v))
                {
                    value = v;
                    return true;
                }

                value = null!;
                return false;
            }

            public override IEnumerable<string> Keys => values?.Keys ?? Enumerable.Empty<string>();
        }
    }
}
