using System.Collections.Immutable;
using System.Diagnostics;
using System.Globalization;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;
using PromptGen.Generator.Analyzers;

namespace PromptGen.Generator.Tests.Fuzzing;

/// <summary>A bug the fuzzer found: which input, where it failed, and what happened.</summary>
public sealed record FuzzFailure(FuzzInput Input, string Stage, string Message)
{
    /// <summary>Stage names, as reported.</summary>
    public const string Generator = "generator exception (CS8785/CS8784)";
    public const string Analyzer = "analyzer exception (AD0001)";
    public const string CodeFix = "code fix exception";
    public const string GeneratedCode = "generated code does not compile";
    public const string InvalidValidInput = "valid-by-construction input does not compile (fuzzer bug)";

    public override string ToString() => $"{Stage}: {Message}\n{Input.Describe()}";
}

/// <summary>What one input did: failures, and how much of the pipeline it reached.</summary>
public sealed record FuzzOutcome(FuzzInput Input, IReadOnlyList<FuzzFailure> Failures, int GeneratedFiles, int PromptDiagnostics, int CodeActions, TimeSpan Elapsed)
{
    /// <summary>Time in the generator driver.</summary>
    public TimeSpan Generator { get; init; }

    /// <summary>Time in <see cref="CompilationWithAnalyzers"/> (the compiler's diagnostics and the analyzers').</summary>
    public TimeSpan Analyzers { get; init; }

    /// <summary>Time in the code fixes, workspace included.</summary>
    public TimeSpan CodeFixes { get; init; }
}

/// <summary>
/// Runs one input the way a build and an IDE do, in process: the generator through <see cref="CSharpGeneratorDriver"/>,
/// then <see cref="PromptAnalyzer"/> through <see cref="CompilationWithAnalyzers"/> over the compilation with the
/// generated sources (a build's analyzers see them too), then optionally every code fix of the reported diagnostics in an
/// <see cref="AdhocWorkspace"/>. Metadata references and parse options are built once and shared by every input.
/// </summary>
public sealed class FuzzRunner
{
    private static readonly CSharpParseOptions s_parseOptions = new(LanguageVersion.Latest);

    private static readonly CSharpCompilationOptions s_compilationOptions =
        new(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable, allowUnsafe: true);

    private readonly ImmutableArray<MetadataReference> _references;
    private readonly ImmutableArray<CodeFixProvider> _fixes;
    private readonly CSharpCompilation _empty;

    /// <param name="runtimeAssembly">Path of PromptGen.Runtime.dll, which the inputs compile against.</param>
    /// <param name="codeFixes">The code fix providers to run over reported diagnostics (none to skip).</param>
    public FuzzRunner(string runtimeAssembly, IEnumerable<CodeFixProvider> codeFixes)
    {
        string tpa = (string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!;
        var references = ImmutableArray.CreateBuilder<MetadataReference>();
        foreach (string path in tpa.Split(Path.PathSeparator).OrderBy(p => p, StringComparer.Ordinal))
        {
            string name = Path.GetFileNameWithoutExtension(path);
            if ((name.StartsWith("System", StringComparison.Ordinal) && !name.StartsWith("System.Composition", StringComparison.Ordinal)) ||
                name is "mscorlib" or "netstandard" or "Microsoft.Bcl.AsyncInterfaces")
            {
                references.Add(MetadataReference.CreateFromFile(path));
            }
        }

        references.Add(MetadataReference.CreateFromFile(runtimeAssembly));
        _references = references.ToImmutable();

        // Every input's compilation derives from this one, so they share its reference manager: the referenced
        // assemblies' symbols are built once, not once per input (most of an input's cost otherwise).
        _empty = CSharpCompilation.Create("Fuzz", null, _references, s_compilationOptions);
        _empty.GetTypeByMetadataName("PromptGen.PromptAttribute");
        _fixes = codeFixes.ToImmutableArray();
    }

    /// <summary>The code fix providers of PromptGen.CodeFixes (every non-abstract <see cref="CodeFixProvider"/> in it).</summary>
    public static IEnumerable<CodeFixProvider> PromptGenCodeFixes() =>
        typeof(PromptGen.CodeFixes.RemoveArgumentCodeFixProvider).Assembly.GetTypes()
            .Where(t => typeof(CodeFixProvider).IsAssignableFrom(t) && !t.IsAbstract)
            .OrderBy(t => t.FullName, StringComparer.Ordinal)
            .Select(t => (CodeFixProvider)Activator.CreateInstance(t)!);

    /// <summary>Runs <paramref name="input"/>; code fixes run only when <paramref name="withCodeFixes"/>.</summary>
    public FuzzOutcome Run(FuzzInput input, bool withCodeFixes)
    {
        var stopwatch = Stopwatch.StartNew();
        var failures = new List<FuzzFailure>();
        var trees = new SyntaxTree[input.Sources.Count];
        for (int i = 0; i < trees.Length; i++)
        {
            trees[i] = CSharpSyntaxTree.ParseText(SourceText.From(input.Sources[i], System.Text.Encoding.UTF8), s_parseOptions, path: $"Source{i}.cs");
        }

        CSharpCompilation compilation = _empty.AddSyntaxTrees(trees);
        ImmutableArray<AdditionalText> files = input.Files.Select(f => (AdditionalText)new FuzzAdditionalText(f)).ToImmutableArray();
        var options = new FuzzOptions(input.GlobalOptions, input.EditorConfig);

        // The generator, as the compiler runs it: an exception is caught by the driver and reported as CS8785/CS8784.
        GeneratorDriver driver = CSharpGeneratorDriver.Create(
            [new PromptGenerator().AsSourceGenerator()],
            additionalTexts: files,
            parseOptions: s_parseOptions,
            optionsProvider: options,
            driverOptions: new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: false));
        TimeSpan start = stopwatch.Elapsed;
        driver = driver.RunGeneratorsAndUpdateCompilation(compilation, out Compilation output, out ImmutableArray<Diagnostic> generatorDiagnostics);
        GeneratorDriverRunResult run = driver.GetRunResult();
        TimeSpan generatorTime = stopwatch.Elapsed - start;
        int generatedFiles = 0;
        foreach (GeneratorRunResult result in run.Results)
        {
            generatedFiles += result.GeneratedSources.Length;
            if (result.Exception is not null)
            {
                failures.Add(new FuzzFailure(input, FuzzFailure.Generator, result.Exception.ToString()));
            }
        }

        foreach (Diagnostic diagnostic in generatorDiagnostics)
        {
            if (diagnostic.Id is "CS8785" or "CS8784" && failures.Count == 0)
            {
                failures.Add(new FuzzFailure(input, FuzzFailure.Generator, diagnostic.ToString()));
            }
        }

        // The analyzers, over what a build compiles: the user's files and the generated ones.
        start = stopwatch.Elapsed;
        var exceptions = new List<Exception>();
        var analyzerOptions = new CompilationWithAnalyzersOptions(
            new AnalyzerOptions(files, options),
            (ex, _, _) => { lock (exceptions) { exceptions.Add(ex); } },
            concurrentAnalysis: false,
            logAnalyzerExecutionTime: false,
            reportSuppressedDiagnostics: false);
        ImmutableArray<Diagnostic> all = output
            .WithAnalyzers(ImmutableArray.Create<DiagnosticAnalyzer>(new PromptAnalyzer()), analyzerOptions)
            .GetAllDiagnosticsAsync().GetAwaiter().GetResult();
        TimeSpan analyzerTime = stopwatch.Elapsed - start;
        foreach (Exception exception in exceptions)
        {
            failures.Add(new FuzzFailure(input, FuzzFailure.Analyzer, exception.ToString()));
        }

        foreach (Diagnostic diagnostic in all)
        {
            if (diagnostic.Id == "AD0001" && exceptions.Count == 0)
            {
                failures.Add(new FuzzFailure(input, FuzzFailure.Analyzer, diagnostic.ToString()));
            }
        }

        // Generated code must compile whenever the user's code does.
        var inputTrees = new HashSet<SyntaxTree>(trees);
        List<Diagnostic> userErrors = all.Where(d => d.Severity == DiagnosticSeverity.Error && d.Id.StartsWith("CS", StringComparison.Ordinal) &&
            (d.Location.SourceTree is null || inputTrees.Contains(d.Location.SourceTree))).ToList();
        List<Diagnostic> generatedErrors = all.Where(d => d.Severity == DiagnosticSeverity.Error &&
            d.Location.SourceTree is not null && !inputTrees.Contains(d.Location.SourceTree)).ToList();
        if (input.Valid && userErrors.Count > 0)
        {
            failures.Add(new FuzzFailure(input, FuzzFailure.InvalidValidInput, string.Join("\n", userErrors.Take(5))));
        }
        else if (userErrors.Count == 0 && generatedErrors.Count > 0)
        {
            failures.Add(new FuzzFailure(input, FuzzFailure.GeneratedCode, string.Join("\n", generatedErrors.Take(5).Select(d => d + "\n    " + Line(d)))));
        }

        List<Diagnostic> prompt = all.Where(d => d.Id.StartsWith("PG", StringComparison.Ordinal)).ToList();
        start = stopwatch.Elapsed;
        int actions = withCodeFixes && _fixes.Length > 0 ? RunCodeFixes(input, prompt, failures) : 0;
        return new FuzzOutcome(input, failures, generatedFiles, prompt.Count, actions, stopwatch.Elapsed)
        {
            Generator = generatorTime,
            Analyzers = analyzerTime,
            CodeFixes = stopwatch.Elapsed - start,
        };
    }

    /// <summary>Where one input's time goes, stage by stage, and which diagnostics it gets: for investigating a slow input.</summary>
    public string Profile(FuzzInput input)
    {
        var text = new System.Text.StringBuilder();
        var stopwatch = Stopwatch.StartNew();
        SyntaxTree[] trees = input.Sources.Select((s, i) => CSharpSyntaxTree.ParseText(s, s_parseOptions, path: $"Source{i}.cs")).ToArray();
        CSharpCompilation compilation = _empty.AddSyntaxTrees(trees);
        text.Append(CultureInfo.InvariantCulture, $"parse {stopwatch.ElapsedMilliseconds} ms\n");
        ImmutableArray<AdditionalText> files = input.Files.Select(f => (AdditionalText)new FuzzAdditionalText(f)).ToImmutableArray();
        var options = new FuzzOptions(input.GlobalOptions, input.EditorConfig);
        stopwatch.Restart();
        CSharpGeneratorDriver.Create([new PromptGenerator().AsSourceGenerator()], files, s_parseOptions, options)
            .RunGeneratorsAndUpdateCompilation(compilation, out Compilation output, out _);
        text.Append(CultureInfo.InvariantCulture, $"generator {stopwatch.ElapsedMilliseconds} ms, {output.SyntaxTrees.Sum(t => t.Length) - trees.Sum(t => t.Length)} characters generated\n");
        stopwatch.Restart();
        ImmutableArray<Diagnostic> compiler = output.GetDiagnostics();
        text.Append(CultureInfo.InvariantCulture, $"compiler diagnostics {stopwatch.ElapsedMilliseconds} ms ({compiler.Length})\n");
        stopwatch.Restart();
        ImmutableArray<Diagnostic> analyzers = output.WithAnalyzers([new PromptAnalyzer()], new AnalyzerOptions(files, options)).GetAnalyzerDiagnosticsAsync().GetAwaiter().GetResult();
        text.Append(CultureInfo.InvariantCulture, $"analyzers {stopwatch.ElapsedMilliseconds} ms ({analyzers.Length})\n");
        foreach (IGrouping<string, Diagnostic> group in compiler.Concat(analyzers).GroupBy(d => d.Id).OrderByDescending(g => g.Count()).Take(10))
        {
            text.Append(CultureInfo.InvariantCulture, $"  {group.Key} x{group.Count()}: {group.First().GetMessage(CultureInfo.InvariantCulture)}\n");
        }

        return text.ToString();
    }

    private static string Line(Diagnostic d)
    {
        SourceText text = d.Location.SourceTree!.GetText();
        return text.Lines.GetLineFromPosition(d.Location.SourceSpan.Start).ToString().Trim();
    }

    /// <summary>Asks every provider for fixes of every diagnostic it fixes and computes each fix's changed solution.</summary>
    private int RunCodeFixes(FuzzInput input, List<Diagnostic> diagnostics, List<FuzzFailure> failures)
    {
        var fixable = diagnostics.Where(d => d.Location.IsInSource && _fixes.Any(f => f.FixableDiagnosticIds.Contains(d.Id))).Take(12).ToList();
        if (fixable.Count == 0)
        {
            return 0;
        }

        using var workspace = new AdhocWorkspace();
        ProjectId projectId = ProjectId.CreateNewId();
        Solution solution = workspace.CurrentSolution.AddProject(ProjectInfo.Create(
            projectId, VersionStamp.Default, "Fuzz", "Fuzz", LanguageNames.CSharp,
            compilationOptions: s_compilationOptions, parseOptions: s_parseOptions, metadataReferences: _references));
        var documents = new Dictionary<string, DocumentId>(StringComparer.Ordinal);
        for (int i = 0; i < input.Sources.Count; i++)
        {
            DocumentId id = DocumentId.CreateNewId(projectId);
            solution = solution.AddDocument(id, $"Source{i}.cs", SourceText.From(input.Sources[i], System.Text.Encoding.UTF8), filePath: $"Source{i}.cs");
            documents[$"Source{i}.cs"] = id;
        }

        foreach (FuzzFile file in input.Files)
        {
            solution = solution.AddAdditionalDocument(DocumentId.CreateNewId(projectId), Path.GetFileName(file.Path), SourceText.From(file.Text ?? string.Empty), filePath: file.Path);
        }

        int count = 0;
        foreach (Diagnostic diagnostic in fixable)
        {
            if (!documents.TryGetValue(diagnostic.Location.SourceTree!.FilePath, out DocumentId? documentId))
            {
                continue;
            }

            Document document = solution.GetDocument(documentId)!;
            foreach (CodeFixProvider provider in _fixes)
            {
                if (!provider.FixableDiagnosticIds.Contains(diagnostic.Id))
                {
                    continue;
                }

                try
                {
                    var registered = new List<CodeAction>();
                    var context = new CodeFixContext(document, diagnostic, (action, _) => registered.Add(action), CancellationToken.None);
                    provider.RegisterCodeFixesAsync(context).GetAwaiter().GetResult();
                    foreach (CodeAction action in registered)
                    {
                        foreach (CodeActionOperation operation in action.GetOperationsAsync(CancellationToken.None).GetAwaiter().GetResult())
                        {
                            if (operation is ApplyChangesOperation apply)
                            {
                                foreach (ProjectChanges project in apply.ChangedSolution.GetChanges(solution).GetProjectChanges())
                                {
                                    foreach (DocumentId changed in project.GetChangedDocuments())
                                    {
                                        apply.ChangedSolution.GetDocument(changed)!.GetTextAsync().GetAwaiter().GetResult();
                                    }
                                }
                            }
                        }

                        count++;
                    }
                }
                catch (Exception exception)
                {
                    failures.Add(new FuzzFailure(input, FuzzFailure.CodeFix, provider.GetType().Name + " on " + diagnostic + ": " + exception));
                }
            }
        }

        return count;
    }

    private sealed class FuzzAdditionalText(FuzzFile file) : AdditionalText
    {
        public override string Path => file.Path;

        public override SourceText? GetText(CancellationToken cancellationToken = default) => file.Text is null ? null : SourceText.From(file.Text);
    }

    private sealed class FuzzOptions(IReadOnlyDictionary<string, string> global, IReadOnlyDictionary<string, string> perFile) : AnalyzerConfigOptionsProvider
    {
        private readonly Config _global = new(global);
        private readonly Config _perFile = new(perFile);

        public override AnalyzerConfigOptions GlobalOptions => _global;

        public override AnalyzerConfigOptions GetOptions(SyntaxTree tree) => _perFile;

        public override AnalyzerConfigOptions GetOptions(AdditionalText textFile) => _perFile;

        private sealed class Config(IReadOnlyDictionary<string, string> values) : AnalyzerConfigOptions
        {
            public override bool TryGetValue(string key, out string value)
            {
                if (values.TryGetValue(key, out string? found))
                {
                    value = found;
                    return true;
                }

                value = null!;
                return false;
            }

            public override IEnumerable<string> Keys => values.Keys;
        }
    }
}
