using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Text;

namespace PromptGen.Generator.Tests.Fuzzing;

/// <summary>
/// Makes hostile inputs from the seeds: token deletions, duplications and swaps, truncations, broken attribute
/// arguments, arguments of the wrong type, invalid inline templates and template files, unreadable AdditionalFiles and
/// garbage analyzer options. Every choice comes from the <see cref="Random"/> passed in, so an input is reproducible.
/// </summary>
internal static class FuzzMutator
{
    /// <summary>Template fragments: Scriban syntax, keywords, broken delimiters and characters that are hard to escape.</summary>
    public static readonly string[] TemplateSoup =
    {
        "{{", "}}", "{{~", "~}}", "{{-", "-}}", " ", "\n", "\r\n", ".", "|", "'", "\"", "(", ")", "[", "]", "==", "&&", "||", "!",
        "1", "2.5", "..", "?", ":", ",", "\\", "😀", "\0", "\ud800", "\udfff", "{", "}", "%", "-", "~", "#", "$", "=", "\u2028", "\t",
        "for", "in", "end", "if", "else", "else if", "while", "case", "when", "break", "continue", "ret", "func", "capture", "with",
        "wrap", "import", "include", "readonly", "tablerow", "this", "empty", "null", "true", "object.default", "string.upcase",
        "array.join", "math.format", "date.now", "for.index", "for.last", "{%{", "}%}", "{{ end }}", "{{ else }}", "{{ for x in 1..3 }}",
        "{{ include 'x' }}", "{{ $0 }}", "{{ - }}", "{{# comment }}", "{{ 1/0 }}", "{{ 'a' * 3 }}", "{{ x = 1 }}", "{{ func f; ret 1; end }}",
        "{{ nope }}", "{{ nope.Deeper.Still }}", "{{ for i in nope }}", "{{ if }}", "{{ case 1 }}{{ when 1 }}", "{{ \"\\u{FFFFFF}\" }}",
        "{{ (((( }}", "{{ a | }}", "{{ | }}", "{{ ?? }}", "{{ '\\x' }}", "{{ 99999999999999999999999 }}", "{{ -9.9e999 }}",
    };

    private static readonly string[] s_brokenArguments =
    {
        "", "=", "Temperature =", "= 1", "Temperature 1", "Temperature == 1", "Temperature: 1", ",", ", ,", "(", ")", "\"", "\"unterminated",
        "Nope = 1", "0.5", "null", "File =", "File = ", "Model = \"m\" Temperature = 0.2", "UseCase.", "UseCase =", "@", "/*", "//",
        "Temperature = 0.2, Temperature = 0.9", "TopK = 5, TopK = 6", "__arglist", "File = \"a.sbn\", File = \"b.sbn\"", "\"x\", \"y\"",
    };

    private static readonly string[] s_wrongValues =
    {
        "\"hot\"", "true", "1.5", "'c'", "null", "default", "UseCase.Extraction", "new[] { 1 }", "new string[0]", "(UseCase)99",
        "(UseCase)(-1)", "double.NaN", "double.PositiveInfinity", "double.Epsilon", "-1", "int.MaxValue", "int.MinValue", "1e308",
        "0x7FFFFFFF", "\"\"", "typeof(string)", "nameof(System)", "1 + 1", "\"{{ q }}\"", "new object()", "float.MaxValue", "-0.0",
        "(double)decimal.MaxValue", "new[] { \"a\", null }", "new string[] { }", "\"\\0\"", "(int)0.5", "System.Array.Empty<string>()",
        "UseCase.Extraction | UseCase.Chatbot", "@\"C:\\x\"", "\"arn:aws:bedrock:::\"", "\"../../etc/passwd\"", "$\"{1}\"",
    };

    private static readonly string[] s_attributeNames = { "Prompt", "UserPrompt", "SystemPrompt", "PromptAttribute", "UserPromptAttribute", "SystemPromptAttribute" };

    private static readonly string[] s_models =
    {
        "us.anthropic.claude-haiku-4-5-20251001-v1:0", "anthropic.claude-3-7-sonnet-20250219-v1:0", "us.amazon.nova-pro-v1:0",
        "us.amazon.nova-micro-v1:0", "", " ", "x", "arn:", "us.", "\0", "😀", "arn:aws:bedrock:us-east-1:123:application-inference-profile/p",
    };

    public static FuzzInput Mutate(FuzzKind kind, int index, Random random, FuzzSeeds seeds)
    {
        (string seedName, string seed) = seeds.Sources[random.Next(seeds.Sources.Count)];
        var sources = new List<string> { seed };
        var files = new List<FuzzFile>();
        var global = new Dictionary<string, string>();
        var editorConfig = new Dictionary<string, string>();

        // A second file now and then: partial interfaces and types referenced across files meet the mutations too.
        if (random.Next(8) == 0)
        {
            sources.Add(seeds.Sources[random.Next(seeds.Sources.Count)].Source);
        }

        int target = random.Next(sources.Count);
        int rounds = 1 + (random.Next(4) == 0 ? random.Next(3) : 0);
        for (int round = 0; round < rounds; round++)
        {
            string text = sources[target];
            sources[target] = kind switch
            {
                FuzzKind.DeletedTokens => DeleteTokens(text, random),
                FuzzKind.DuplicatedTokens => DuplicateTokens(text, random),
                FuzzKind.SwappedTokens => SwapTokens(text, random),
                FuzzKind.TruncatedFile => text.Substring(0, random.Next(text.Length + 1)),
                FuzzKind.BrokenAttributeArguments => BreakAttributeArguments(text, random),
                FuzzKind.WrongArgumentTypes => WrongArgumentTypes(text, random),
                FuzzKind.InvalidInlineTemplate => ReplaceTemplates(text, random, seeds, files, toFile: false),
                FuzzKind.InvalidTemplateFile => ReplaceTemplates(text, random, seeds, files, toFile: true),
                FuzzKind.UnreadableAdditionalFile => ReplaceTemplates(text, random, seeds, files, toFile: true, unreadable: true),
                FuzzKind.GarbageOptions => text,
                _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "not a mutation"),
            };
        }

        if (kind == FuzzKind.GarbageOptions || random.Next(10) == 0)
        {
            GarbageOptions(random, global, editorConfig);
        }

        // Template files the code never names sit beside the named ones, as in a real project.
        if (random.Next(6) == 0)
        {
            files.Add(new FuzzFile("Prompts/unrelated" + random.Next(3) + ".sbn", random.Next(3) == 0 ? null : MutateTemplate(seeds.Templates[random.Next(seeds.Templates.Count)].Template, random, seeds)));
        }

        sources.Insert(0, FuzzSeeds.ImplicitUsings);
        return new FuzzInput(index, kind, seedName, sources, files) { GlobalOptions = global, EditorConfig = editorConfig };
    }

    private static List<SyntaxToken> Tokens(string text) => SyntaxFactory.ParseTokens(text).ToList();

    private static string Join(List<SyntaxToken> tokens)
    {
        var builder = new StringBuilder();
        foreach (SyntaxToken token in tokens)
        {
            builder.Append(token.ToFullString());
        }

        return builder.ToString();
    }

    private static int Count(Random random) => random.Next(4) == 0 ? 1 + random.Next(6) : 1;

    private static string DeleteTokens(string text, Random random)
    {
        List<SyntaxToken> tokens = Tokens(text);
        for (int n = Count(random); n > 0 && tokens.Count > 1; n--)
        {
            int at = random.Next(tokens.Count - 1);
            tokens.RemoveRange(at, Math.Min(random.Next(3) == 0 ? 1 + random.Next(4) : 1, tokens.Count - 1 - at));
        }

        return Join(tokens);
    }

    private static string DuplicateTokens(string text, Random random)
    {
        List<SyntaxToken> tokens = Tokens(text);
        for (int n = Count(random); n > 0 && tokens.Count > 1; n--)
        {
            int at = random.Next(tokens.Count - 1);
            int length = Math.Min(random.Next(3) == 0 ? 1 + random.Next(12) : 1, tokens.Count - 1 - at);
            tokens.InsertRange(at + length, tokens.GetRange(at, length));
        }

        return Join(tokens);
    }

    private static string SwapTokens(string text, Random random)
    {
        List<SyntaxToken> tokens = Tokens(text);
        for (int n = Count(random); n > 0 && tokens.Count > 2; n--)
        {
            int a = random.Next(tokens.Count - 1);
            int b = random.Next(2) == 0 ? Math.Min(a + 1 + random.Next(3), tokens.Count - 2) : random.Next(tokens.Count - 1);
            (tokens[a], tokens[b]) = (tokens[b], tokens[a]);
        }

        return Join(tokens);
    }

    private static bool IsPromptAttribute(AttributeSyntax attribute)
    {
        string name = attribute.Name.ToString();
        foreach (string candidate in s_attributeNames)
        {
            if (name.EndsWith(candidate, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    private static List<AttributeSyntax> PromptAttributes(SyntaxNode root) =>
        root.DescendantNodes().OfType<AttributeSyntax>().Where(IsPromptAttribute).ToList();

    /// <summary>Applies text replacements (non-overlapping) from the end of the text backwards.</summary>
    private static string Replace(string text, List<(TextSpan Span, string With)> edits)
    {
        var builder = new StringBuilder(text);
        int last = int.MaxValue;
        foreach ((TextSpan span, string with) in edits.OrderByDescending(e => e.Span.Start))
        {
            if (span.End > last)
            {
                continue;
            }

            builder.Remove(span.Start, span.Length).Insert(span.Start, with);
            last = span.Start;
        }

        return builder.ToString();
    }

    private static string BreakAttributeArguments(string text, Random random)
    {
        SyntaxNode root = CSharpSyntaxTree.ParseText(text).GetRoot();
        List<AttributeSyntax> attributes = PromptAttributes(root);
        if (attributes.Count == 0)
        {
            return DeleteTokens(text, random);
        }

        AttributeSyntax attribute = attributes[random.Next(attributes.Count)];
        var edits = new List<(TextSpan, string)>();
        switch (random.Next(7))
        {
            case 0 when attribute.ArgumentList is { } list:
                // The argument list itself: unbalanced, emptied, or with stray commas.
                string[] lists = { "(", ")", "(,)", "()", "", "(" + list.Arguments.ToFullString(), list.Arguments.ToFullString() + ")", "((" + list.Arguments.ToFullString() + ")", list.ToFullString() + list.ToFullString() };
                edits.Add((list.Span, lists[random.Next(lists.Length)]));
                break;
            case 1 when attribute.ArgumentList is { Arguments.Count: > 0 } list:
                AttributeArgumentSyntax argument = list.Arguments[random.Next(list.Arguments.Count)];
                edits.Add((argument.Span, s_brokenArguments[random.Next(s_brokenArguments.Length)]));
                break;
            case 2 when attribute.ArgumentList is { Arguments.Count: > 0 } list:
                // An argument written twice, or a positional argument where only named ones belong.
                AttributeArgumentSyntax repeated = list.Arguments[random.Next(list.Arguments.Count)];
                edits.Add((new TextSpan(list.Arguments.Span.End, 0), ", " + (random.Next(2) == 0 ? repeated.ToString() : repeated.Expression.ToString())));
                break;
            case 3:
                // The attribute where it does not belong: on a parameter, the return value, the assembly, twice in one list.
                var parent = (AttributeListSyntax)attribute.Parent!;
                string[] targets = { "[return: " + attribute + "]", "[assembly: " + attribute + "]", "[" + attribute + ", " + attribute + "]", "[" + attribute + "][" + attribute + "]", "[param: " + attribute + "]", "[type: " + attribute + "]", "[method: " + attribute + "]" };
                edits.Add((parent.Span, targets[random.Next(targets.Length)]));
                break;
            case 4:
                // Another PromptGen attribute's arguments under this attribute's name.
                AttributeSyntax other = attributes[random.Next(attributes.Count)];
                edits.Add((attribute.Name.Span, other.Name.ToString()));
                break;
            case 5 when attribute.ArgumentList is { Arguments.Count: > 0 } list:
                // A named argument renamed to another property or field of the attribute, or to one that does not exist.
                AttributeArgumentSyntax renamed = list.Arguments[random.Next(list.Arguments.Count)];
                string[] names = { "UseCase", "Model", "Temperature", "TopP", "TopK", "MaxTokens", "StopSequences", "LatencyOptimized", "CachePrompt", "CacheResponse", "File", "Template", "Text", "Nope", "temperature" };
                if (renamed.NameEquals is { } nameEquals)
                {
                    edits.Add((nameEquals.Name.Span, names[random.Next(names.Length)]));
                }
                else
                {
                    edits.Add((new TextSpan(renamed.SpanStart, 0), names[random.Next(names.Length)] + " = "));
                }

                break;
            default:
                // Truncate inside the attribute: the rest of the file follows a half-written attribute.
                int cut = attribute.SpanStart + random.Next(attribute.Span.Length + 1);
                edits.Add((TextSpan.FromBounds(cut, attribute.Span.End), string.Empty));
                break;
        }

        return Replace(text, edits);
    }

    private static string WrongArgumentTypes(string text, Random random)
    {
        SyntaxNode root = CSharpSyntaxTree.ParseText(text).GetRoot();
        List<AttributeArgumentSyntax> arguments = PromptAttributes(root)
            .Where(a => a.ArgumentList is not null)
            .SelectMany(a => a.ArgumentList!.Arguments)
            .ToList();
        if (arguments.Count == 0)
        {
            List<AttributeSyntax> attributes = PromptAttributes(root);
            if (attributes.Count == 0)
            {
                return SwapTokens(text, random);
            }

            // An attribute without arguments gets one of the wrong type.
            AttributeSyntax bare = attributes[random.Next(attributes.Count)];
            string[] names = { "Temperature", "TopP", "TopK", "MaxTokens", "UseCase", "Model", "StopSequences", "File", "CachePrompt" };
            return Replace(text, [(new TextSpan(bare.Span.End, 0), "(" + names[random.Next(names.Length)] + " = " + s_wrongValues[random.Next(s_wrongValues.Length)] + ")")]);
        }

        var edits = new List<(TextSpan, string)>();
        for (int n = Count(random); n > 0; n--)
        {
            AttributeArgumentSyntax argument = arguments[random.Next(arguments.Count)];
            edits.Add((argument.Expression.Span, s_wrongValues[random.Next(s_wrongValues.Length)]));
        }

        return Replace(text, edits);
    }

    /// <summary>A template with soup spliced in, deleted, truncated, repeated, or replaced by another seed.</summary>
    public static string MutateTemplate(string template, Random random, FuzzSeeds seeds, IReadOnlyList<string>? names = null)
    {
        var builder = new StringBuilder(template);
        int edits = 1 + random.Next(4);
        for (int i = 0; i < edits; i++)
        {
            int at = random.Next(builder.Length + 1);
            switch (random.Next(8))
            {
                case 0:
                case 1:
                case 2:
                    builder.Insert(at, TemplateSoup[random.Next(TemplateSoup.Length)]);
                    break;
                case 3:
                    builder.Remove(at, Math.Min(random.Next(1, 6), builder.Length - at));
                    break;
                case 4:
                    builder.Length = at;
                    break;
                case 5 when names is { Count: > 0 }:
                    string name = names[random.Next(names.Count)];
                    string[] uses = { "{{ " + name + " }}", "{{ " + name + ".Nope }}", "{{ for i in " + name + " }}{{ i }}{{ end }}", "{{ " + name + " | string.upcase }}", "{{ if " + name + " }}x{{ end }}", "{{ " + name + "[0] }}", "{{ " + name + ".Length }}", "{{ " + name };
                    builder.Insert(at, uses[random.Next(uses.Length)]);
                    break;
                case 6:
                    builder.Clear().Append(seeds.Templates[random.Next(seeds.Templates.Count)].Template);
                    break;
                default:
                    string piece = builder.ToString(at, Math.Min(random.Next(1, 40), builder.Length - at));
                    builder.Insert(at, piece);
                    break;
            }
        }

        return builder.ToString();
    }

    /// <summary>A C# expression for <paramref name="value"/>: a regular, verbatim or raw literal, a concatenation or a constant.</summary>
    public static string Literal(string value, Random random)
    {
        switch (random.Next(6))
        {
            case 0:
                return "@\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
            case 1:
                int quotes = 3;
                for (int run = 0, i = 0; i < value.Length; i++)
                {
                    run = value[i] == '"' ? run + 1 : 0;
                    quotes = Math.Max(quotes, run + 1);
                }

                string delimiter = new('"', quotes);
                return delimiter + "\n" + value + "\n" + delimiter;
            case 2 when value.Length > 1:
                int split = random.Next(1, value.Length);
                return SymbolDisplay.FormatLiteral(value.Substring(0, split), true) + " + " + SymbolDisplay.FormatLiteral(value.Substring(split), true);
            default:
                return SymbolDisplay.FormatLiteral(value, quote: true);
        }
    }

    private static readonly string[] s_paths =
    {
        "Prompts/p.sbn", "p.sbn", "./Prompts/p.sbn", "Prompts\\p.sbn", "../Prompts/p.sbn", "/abs/Prompts/p.sbn", "C:\\Prompts\\p.sbn", "P.SBN",
        "Prompts/p.scriban", "Prompts/p.txt", "Prompts/p.md", "Prompts/p.cs", "", " ", ".", "/", "Prompts/", "😀.sbn", "Prompts/p\0.sbn",
        "Prompts/p.sbn ", "prompts/P.sbn",
    };

    private static string ReplaceTemplates(string text, Random random, FuzzSeeds seeds, List<FuzzFile> files, bool toFile, bool unreadable = false)
    {
        SyntaxNode root = CSharpSyntaxTree.ParseText(text).GetRoot();
        List<AttributeSyntax> templated = PromptAttributes(root)
            .Where(a => a.Name.ToString().Contains("UserPrompt", StringComparison.Ordinal) || a.Name.ToString().Contains("SystemPrompt", StringComparison.Ordinal))
            .ToList();
        if (templated.Count == 0)
        {
            return BreakAttributeArguments(text, random);
        }

        var edits = new List<(TextSpan, string)>();
        for (int n = Count(random); n > 0; n--)
        {
            AttributeSyntax attribute = templated[random.Next(templated.Count)];
            IReadOnlyList<string> names = attribute.Parent?.Parent is MethodDeclarationSyntax method
                ? method.ParameterList.Parameters.Select(p => p.Identifier.ValueText).ToList()
                : Array.Empty<string>();
            AttributeArgumentSyntax? existing = attribute.ArgumentList?.Arguments.FirstOrDefault();
            string current = existing?.Expression is LiteralExpressionSyntax literal ? literal.Token.ValueText : seeds.Templates[random.Next(seeds.Templates.Count)].Template;
            string template = MutateTemplate(current, random, seeds, names);
            string argument;
            if (toFile)
            {
                string path = random.Next(3) == 0 ? s_paths[random.Next(s_paths.Length)] : "Prompts/f" + random.Next(4) + ".sbn";
                argument = "File = " + SymbolDisplay.FormatLiteral(path, quote: true);
                string filePath = random.Next(5) == 0 ? s_paths[random.Next(s_paths.Length)] : path;
                if (unreadable)
                {
                    files.Add(new FuzzFile(filePath, random.Next(3) switch
                    {
                        0 => null,
                        1 => Garbage(random),
                        _ => string.Empty,
                    }));
                }
                else if (random.Next(8) != 0)
                {
                    files.Add(new FuzzFile(filePath, template));
                    if (random.Next(6) == 0)
                    {
                        // Two AdditionalFiles that both match the path.
                        files.Add(new FuzzFile("Other/" + filePath, MutateTemplate(template, random, seeds, names)));
                    }
                }

                if (random.Next(6) == 0)
                {
                    // Both an inline template and a file.
                    argument = Literal(template, random) + ", " + argument;
                }
            }
            else
            {
                argument = Literal(template, random);
            }

            edits.Add(attribute.ArgumentList is { } list ? (list.Span, "(" + argument + ")") : (new TextSpan(attribute.Span.End, 0), "(" + argument + ")"));
        }

        return Replace(text, edits);
    }

    /// <summary>Text a host could read from a damaged file: control characters, lone surrogates, BOMs, replacement characters.</summary>
    private static string Garbage(Random random)
    {
        var builder = new StringBuilder();
        int length = random.Next(1, 200);
        for (int i = 0; i < length; i++)
        {
            builder.Append(random.Next(6) switch
            {
                0 => (char)random.Next(0, 32),
                1 => (char)random.Next(0xD800, 0xE000),
                2 => '\uFEFF',
                3 => '\uFFFD',
                4 => TemplateSoup[random.Next(TemplateSoup.Length)],
                _ => (char)random.Next(32, 0x3000),
            });
        }

        return builder.ToString();
    }

    private static void GarbageOptions(Random random, Dictionary<string, string> global, Dictionary<string, string> editorConfig)
    {
        string[] values = { "", " ", "abc", "-1", "1e999", "NaN", "-Infinity", "0,3", "0.3", "none", "off", "OFF", "99999999999999999999", "\0", "😀", "1.5.5", "0x10", "-0" };
        if (random.Next(2) == 0)
        {
            global["build_property.PromptGenDefaultModel"] = random.Next(2) == 0 ? s_models[random.Next(s_models.Length)] : values[random.Next(values.Length)];
        }

        string[] useCases = { "extraction", "classification", "summarization", "creative_writing", "code_generation", "chatbot", "nope", "" };
        string[] keys = { "promptgen.max_temperature.", "promptgen.max_top_p.", "promptgen.max_tokens.", "promptgen.min_tokens." };
        for (int n = 1 + random.Next(5); n > 0; n--)
        {
            editorConfig[keys[random.Next(keys.Length)] + useCases[random.Next(useCases.Length)]] = values[random.Next(values.Length)];
        }

        if (random.Next(3) == 0)
        {
            editorConfig["dotnet_diagnostic.PG000" + random.Next(1, 10) + ".severity"] = random.Next(2) == 0 ? "none" : "error";
        }
    }
}
