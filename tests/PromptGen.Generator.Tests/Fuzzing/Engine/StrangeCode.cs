using System.Text;
using Microsoft.CodeAnalysis.CSharp;

namespace PromptGen.Generator.Tests.Fuzzing;

/// <summary>
/// Writes unusual but valid prompt interfaces: partial across files, in nested and file-scoped namespaces, beside
/// file-local types, through aliases and global usings, with unicode identifiers, very long templates and a thousand
/// methods. The code compiles by construction, so the generated client must compile too.
/// </summary>
internal static class StrangeCode
{
    private static readonly string[] s_models =
    {
        "us.anthropic.claude-haiku-4-5-20251001-v1:0", "us.amazon.nova-pro-v1:0", "anthropic.claude-3-7-sonnet-20250219-v1:0",
        "us.anthropic.claude-sonnet-4-5-20250929-v1:0", "us.amazon.nova-micro-v1:0",
    };

    private static readonly string[] s_useCases = { "Extraction", "Classification", "Summarization", "CreativeWriting", "CodeGeneration", "Chatbot" };

    private static readonly string[] s_plainNames = { "text", "audience", "count", "items", "lines", "flag", "total", "when", "kind", "note" };

    private static readonly string[] s_unicodeNames = { "größe", "名前", "текст", "café", "naïve", "Ωmega", "ñandú", "δέλτα", "x١", "_\u00e9t\u00e9", "@class", "@event", "\\u0061bc", "ab\\u0063d" };

    private sealed record Parameter(string Type, string Name, string Use);

    private sealed record Method(string ReturnType, string Name, IReadOnlyList<Parameter> Parameters, string Template, string Prompt);

    /// <summary>The name a template uses for a C# identifier as written (<c>@class</c> → <c>class</c>, <c>\u0061bc</c> → <c>abc</c>).</summary>
    private static string TemplateName(string identifier) => SyntaxFactory.ParseToken(identifier).ValueText;

    private static Parameter MakeParameter(Random random, string name, string ns)
    {
        string t = TemplateName(name);
        return random.Next(8) switch
        {
            0 => new Parameter("int", name, "{{ " + t + " }}"),
            1 => new Parameter("IReadOnlyList<string>", name, "{{ for x in " + t + " }}- {{ x }}\n{{ end }}"),
            2 => new Parameter("List<" + ns + "Item>", name, "{{ for x in " + t + " }}{{ x.Name }}: {{ x.Count }}{{ if !for.last }}, {{ end }}{{ end }}"),
            3 => new Parameter("bool", name, "{{ if " + t + " }}yes{{ else }}no{{ end }}"),
            4 => new Parameter("decimal?", name, "[{{ " + t + " }}]"),
            5 => new Parameter("string?", name, "{{ " + t + " | string.upcase }}"),
            6 => new Parameter(ns + "Item", name, "{{ " + t + ".Name }} x{{ " + t + ".Count }}"),
            _ => new Parameter("string", name, "{{ " + t + " }}"),
        };
    }

    private static string ReturnType(Random random, string ns) => random.Next(7) switch
    {
        0 => "ValueTask<string>",
        1 => "IAsyncEnumerable<string>",
        2 => "Task<PromptResult<string>>",
        3 => "Task<" + ns + "Kind>",
        4 => "Task<" + ns + "Item>",
        5 => "ValueTask<PromptResult<" + ns + "Kind>>",
        _ => "Task<string>",
    };

    private static string MethodPrompt(Random random)
    {
        return random.Next(4) switch
        {
            0 => "[Prompt(UseCase = UseCase." + s_useCases[random.Next(s_useCases.Length)] + ")]",
            1 => "[Prompt(MaxTokens = " + (16 + random.Next(900)) + ")]",
            2 => "[Prompt(Temperature = 0." + random.Next(10) + ")]",
            _ => string.Empty,
        };
    }

    private static List<Method> Methods(Random random, int count, bool unicode, string ns, int templateLength = 0)
    {
        var methods = new List<Method>(count);
        for (int i = 0; i < count; i++)
        {
            int arity = random.Next(4);
            var parameters = new List<Parameter>();
            var used = new HashSet<string>(StringComparer.Ordinal);
            for (int p = 0; p < arity; p++)
            {
                string[] pool = unicode && random.Next(2) == 0 ? s_unicodeNames : s_plainNames;
                string parameterName = pool[random.Next(pool.Length)];
                if (used.Add(TemplateName(parameterName)))
                {
                    parameters.Add(MakeParameter(random, parameterName, ns));
                }
            }

            var template = new StringBuilder("Step " + i + ":");
            foreach (Parameter parameter in parameters)
            {
                template.Append(' ').Append(parameter.Use);
            }

            while (template.Length < templateLength)
            {
                // Long prose with every parameter used again now and then, unicode and escapes included.
                template.Append(" Lorem ipsum «ß» 😀 \"quoted\" \\ back\ttab").Append(random.Next(1000));
                if (random.Next(10) == 0)
                {
                    template.Append('\n');
                }

                // Uses stay sparse (about 50 per template): a template with hundreds of loops in one method is a compiler
                // stress test of the generated code (flow analysis grows faster than linearly), not a long prompt.
                if (parameters.Count > 0 && random.Next(Math.Max(5, templateLength / 2000)) == 0)
                {
                    template.Append(' ').Append(parameters[random.Next(parameters.Count)].Use);
                }
            }

            string methodName = unicode && i < 2 && random.Next(3) == 0 ? (i == 0 ? "@class" : "@return") : unicode && random.Next(2) == 0 ? new[] { "Übersetze", "名前Async", "Résumé", "Ask\\u0041sync", "@Do", "Δ" }[random.Next(6)] + i : "Ask" + i + "Async";
            methods.Add(new Method(ReturnType(random, ns), methodName, parameters, template.ToString(), MethodPrompt(random)));
        }

        return methods;
    }

    private static void WriteMethod(StringBuilder code, Method method, Random random, string userPrompt = "UserPrompt", string indent = "    ")
    {
        if (method.Prompt.Length > 0)
        {
            code.Append(indent).Append(method.Prompt).Append('\n');
        }

        code.Append(indent).Append('[').Append(userPrompt).Append('(').Append(FuzzMutator.Literal(method.Template, random)).Append(")]\n");
        code.Append(indent).Append(method.ReturnType).Append(' ').Append(method.Name).Append('(');
        foreach (Parameter parameter in method.Parameters)
        {
            code.Append(parameter.Type).Append(' ').Append(parameter.Name).Append(", ");
        }

        code.Append("CancellationToken cancellationToken = default);\n");
    }

    private static string InterfaceAttributes(Random random, string prompt = "Prompt", string systemPrompt = "SystemPrompt")
    {
        string attributes = "[" + prompt + "(UseCase = UseCase." + s_useCases[random.Next(s_useCases.Length)] + ", Model = \"" + s_models[random.Next(s_models.Length)] + "\")]\n";
        if (random.Next(2) == 0)
        {
            attributes += "[" + systemPrompt + "(\"You answer precisely. Never evaluate {{ this }}.\")]\n";
        }

        return attributes;
    }

    private const string Types = "public enum Kind { Invoice, Receipt, Other }\npublic sealed record Item(string Name, int Count);\n";

    public static FuzzInput Generate(FuzzKind kind, int index, Random random)
    {
        var sources = new List<string> { FuzzSeeds.ImplicitUsings };
        string accessibility = random.Next(4) == 0 ? "internal" : "public";
        string name = "IStrange" + index;
        var code = new StringBuilder();
        switch (kind)
        {
            case FuzzKind.PartialAcrossFiles:
            {
                List<Method> methods = Methods(random, 1 + random.Next(8), unicode: false, ns: "Shapes.");
                int parts = 2 + random.Next(3);
                int attributed = random.Next(parts);
                var bodies = new StringBuilder[parts];
                for (int p = 0; p < parts; p++)
                {
                    bodies[p] = new StringBuilder();
                }

                foreach (Method method in methods)
                {
                    WriteMethod(bodies[random.Next(parts)], method, random);
                }

                sources.Add("namespace Shapes;\n" + Types);
                for (int p = 0; p < parts; p++)
                {
                    sources.Add("using PromptGen;\nnamespace Strange.Parts;\n" + (p == attributed ? InterfaceAttributes(random) : string.Empty) +
                        (p == 0 ? accessibility + " " : string.Empty) + "partial interface " + name + "\n{\n" + bodies[p] + "}\n");
                }

                break;
            }

            case FuzzKind.NestedNamespaces:
            {
                List<Method> methods = Methods(random, 1 + random.Next(6), unicode: false, ns: "global::Outer.Inner.Types.");
                // Every other input puts the types in a keyword namespace: generated signatures once dropped its '@'
                // (global::class.T, CS1001). Chosen from the method count so the random stream, and every later input, stays as it was.
                string outer = methods.Count % 2 == 0 ? "@class" : "Outer";
                methods = methods.Select(m => m with { ReturnType = m.ReturnType.Replace("global::Outer.", "global::" + outer + ".", StringComparison.Ordinal), Parameters = m.Parameters.Select(p => p with { Type = p.Type.Replace("global::Outer.", "global::" + outer + ".", StringComparison.Ordinal) }).ToList() }).ToList();
                code.Append("using PromptGen;\nnamespace " + outer + "\n{\n  namespace Inner.Types\n  {\n    " + Types.Replace("\n", "\n    ", StringComparison.Ordinal) + "\n  }\n");
                code.Append("  namespace Inner.Deeper.Deepest\n  {\n    namespace Again\n    {\n").Append(InterfaceAttributes(random)).Append(accessibility + " interface " + name + "\n{\n");
                foreach (Method method in methods)
                {
                    WriteMethod(code, method, random);
                }

                code.Append("}\n");
                if (random.Next(3) == 0)
                {
                    // 'Strange1' beside 'IStrange1': both would be 'Strange1Client'; the I-name keeps it, the other gets PG0017.
                    code.Append(InterfaceAttributes(random)).Append("public interface " + name.Substring(1) + "\n{\n    [UserPrompt(\"{{ q }}\")]\n    Task<string> AskAsync(string q, CancellationToken cancellationToken = default);\n}\n");
                }

                code.Append("    }\n  }\n}\n");
                sources.Add(code.ToString());
                if (random.Next(2) == 0)
                {
                    // The same interface name in another namespace: hint names and client names must not collide.
                    sources.Add("using PromptGen;\nnamespace " + outer + ".Inner.Deeper.Deepest;\n" + InterfaceAttributes(random) + "public interface " + name + "\n{\n    [UserPrompt(\"{{ q }}\")]\n    Task<string> AskAsync(string q, CancellationToken cancellationToken = default);\n}\n");
                }

                break;
            }

            case FuzzKind.FileScopedTypes:
            {
                List<Method> methods = Methods(random, 1 + random.Next(6), unicode: false, ns: "");
                code.Append("using PromptGen;\nnamespace Strange.FileScoped;\n").Append(Types);
                code.Append("file sealed class Helper { public static string Name => \"helper\"; }\nfile interface IHidden { }\n");
                if (random.Next(3) == 0)
                {
                    // A file-local prompt interface: no other file can implement it, so no client may be generated outside it.
                    code.Append(InterfaceAttributes(random)).Append("file interface IFileLocal" + index + "\n{\n    [UserPrompt(\"{{ q }}\")]\n    Task<string> AskAsync(string q, CancellationToken cancellationToken = default);\n}\n");
                }

                code.Append(InterfaceAttributes(random)).Append(accessibility + " interface " + name + "\n{\n");
                foreach (Method method in methods)
                {
                    WriteMethod(code, method, random);
                }

                code.Append("}\n");
                sources.Add(code.ToString());
                sources.Add("namespace Strange.FileScoped;\nfile sealed class Helper { }\nfile interface IHidden { }\n");
                break;
            }

            case FuzzKind.Aliases:
            {
                List<Method> methods = Methods(random, 1 + random.Next(6), unicode: false, ns: "T.");
                string[] promptNames = { "P", "PromptGen.Prompt", "global::PromptGen.PromptAttribute", "PG.Prompt" };
                string[] userNames = { "UP", "PromptGen.UserPrompt", "global::PromptGen.UserPromptAttribute", "PG.UserPrompt" };
                int style = random.Next(promptNames.Length);
                code.Append("using P = PromptGen.PromptAttribute;\nusing UP = PromptGen.UserPromptAttribute;\nusing SP = PromptGen.SystemPromptAttribute;\nusing PG = PromptGen;\nusing T = Strange.Aliased.Types;\n");
                code.Append("using Text = System.String;\nusing UseCase = PromptGen.UseCase;\nusing PromptResult = PromptGen.PromptResult<string>;\n");
                code.Append("namespace Strange.Aliased.Types { " + Types + " }\nnamespace Strange.Aliased\n{\n");
                code.Append(InterfaceAttributes(random, promptNames[style], style == 0 ? "SP" : promptNames[style].Replace("Prompt", "SystemPrompt", StringComparison.Ordinal).Replace("SystemPromptGen", "PromptGen", StringComparison.Ordinal)));
                code.Append(accessibility + " interface " + name + "\n{\n");
                foreach (Method method in methods)
                {
                    Method aliased = method with
                    {
                        Prompt = method.Prompt.Replace("[Prompt(", "[" + promptNames[style] + "(", StringComparison.Ordinal),
                        Parameters = method.Parameters.Select(p => p.Type == "string" ? p with { Type = "Text" } : p).ToList(),
                        ReturnType = method.ReturnType == "Task<PromptResult<string>>" ? "Task<PromptResult>" : method.ReturnType.Replace("PromptResult<", "PG.PromptResult<", StringComparison.Ordinal),
                    };
                    WriteMethod(code, aliased, random, userNames[style]);
                }

                code.Append("}\n}\n");
                sources.Add(code.ToString());
                break;
            }

            case FuzzKind.GlobalUsings:
            {
                List<Method> methods = Methods(random, 1 + random.Next(6), unicode: false, ns: "");
                sources.Add("global using PromptGen;\nglobal using static System.Math;\nglobal using GUP = PromptGen.UserPromptAttribute;\nglobal using Strange.Global.Types;\n");
                sources.Add("namespace Strange.Global.Types;\n" + Types);
                code.Append(InterfaceAttributes(random)).Append(accessibility + " interface " + name + "\n{\n");
                foreach (Method method in methods)
                {
                    WriteMethod(code, method, random, random.Next(2) == 0 ? "GUP" : "UserPrompt");
                }

                code.Append("}\n");
                sources.Add(code.ToString());
                break;
            }

            case FuzzKind.UnicodeIdentifiers:
            {
                List<Method> methods = Methods(random, 1 + random.Next(6), unicode: true, ns: "Ünïcødé.Typen.");
                string[] names = { "IÜbersetzer", "I名前", "IТекст", "I\\u00DCber", "IΔ", "I_ñ" };
                sources.Add("namespace Ünïcødé.Typen;\n" + Types);
                code.Append("using PromptGen;\nnamespace Ünïcødé.名前空間;\n").Append(InterfaceAttributes(random)).Append(accessibility + " interface " + names[random.Next(names.Length)] + index + "\n{\n");
                foreach (Method method in methods)
                {
                    WriteMethod(code, method, random);
                }

                code.Append("}\n");
                sources.Add(code.ToString());
                break;
            }

            case FuzzKind.VeryLongTemplate:
            {
                List<Method> methods = Methods(random, 1 + random.Next(3), unicode: false, ns: "", templateLength: 20_000 + random.Next(200_000));
                code.Append("using PromptGen;\nnamespace Strange.Long;\n").Append(Types).Append(InterfaceAttributes(random)).Append(accessibility + " interface " + name + "\n{\n");
                foreach (Method method in methods)
                {
                    WriteMethod(code, method, random);
                }

                code.Append("}\n");
                sources.Add(code.ToString());
                break;
            }

            case FuzzKind.ThousandMethods:
            {
                List<Method> methods = Methods(random, 1000, unicode: random.Next(2) == 0, ns: "");
                code.Append("using PromptGen;\nnamespace Strange.Huge;\n").Append(Types).Append(InterfaceAttributes(random)).Append(accessibility + " interface " + name + "\n{\n");
                foreach (Method method in methods)
                {
                    WriteMethod(code, method, random);
                }

                code.Append("}\n");
                sources.Add(code.ToString());
                break;
            }

            default:
                throw new ArgumentOutOfRangeException(nameof(kind), kind, "not a valid-code kind");
        }

        return new FuzzInput(index, kind, "generated", sources, Array.Empty<FuzzFile>());
    }
}
