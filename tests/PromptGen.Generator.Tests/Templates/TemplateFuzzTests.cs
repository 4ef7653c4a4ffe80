using PromptGen.Generator.Common;
using System.Text;
using PromptGen.Generator.Templates;
using PromptGen.Generator.Tests.Templates.Models;

namespace PromptGen.Generator.Tests.Templates;

/// <summary>The compiler never throws, keeps spans inside the template, and what it accepts renders like Scriban.</summary>
public class TemplateFuzzTests
{
    private const string M = "global::PromptGen.Generator.Tests.Templates.Models.";

    private static readonly string[] s_soup =
    {
        "{{", "}}", "{{~", "~}}", "{{-", "-}}", " ", " ", "\n", "\r\n", "name", "items", "customer", ".", "Name", "for", "in", "end",
        "if", "else", "else if", "|", "string.upcase", "array.join", "'", "\"", "(", ")", "[", "]", "==", "&&", "||", "!", "1", "2.5",
        "for.index", "for.last", "{%{", "}%}", "#", "$", "capture", "func", "null", "x", "=", "..", "?", ":", ",", "\\", "😀", "\0",
        "\ud800", "while", "case", "when", "break", "continue", "ret", "{", "}", "%", "-", "~", "object.default", "math.format", ">",
    };

    private static Arg[] Args() => new[]
    {
        new Arg("name", "string?", "Ada"),
        new Arg("count", "int", 3),
        new Arg("items", "string[]", new[] { "a", "b", "c" }),
        new Arg("customer", M + "Customer?", new Customer
        {
            Name = "Grace", Email = null, Address = new Address { City = "Arlington" }, Age = 85, LoyaltyYears = null, IsVip = true,
            Priority = Priority.Normal, Since = new DateTime(1906, 12, 9),
        }),
        new Arg("flag", "bool", false),
        new Arg("maybe", "int?", null),
    };

    private static EquatableArray<TemplateParameter> Parameters(string template) =>
        TemplateHarness.Parameters(new[] { new TemplateCase("p", template, Args()) })[0];

    private static void AssertWellFormed(string template, TemplateCompilation result)
    {
        if (result.Success)
        {
            Assert.NotNull(result.Code);
            return;
        }

        Assert.Null(result.Code);
        Assert.NotEmpty(result.Diagnostics);
        foreach (TemplateDiagnostic diagnostic in result.Diagnostics)
        {
            Assert.InRange(diagnostic.Offset, 0, template.Length);
            Assert.InRange(diagnostic.Length, 0, template.Length - diagnostic.Offset);
            Assert.True(diagnostic.Line >= 0 && diagnostic.Column >= 0);
            Assert.False(string.IsNullOrEmpty(diagnostic.Message));
        }
    }

    [Fact]
    public void Random_token_soup_never_throws()
    {
        var random = new Random(20251124);
        EquatableArray<TemplateParameter> parameters = Parameters("{{ customer.Name }}{{ customer.Address.City }}");
        for (int i = 0; i < 400; i++)
        {
            var builder = new StringBuilder();
            int count = random.Next(1, 30);
            for (int j = 0; j < count; j++)
            {
                builder.Append(s_soup[random.Next(s_soup.Length)]);
            }

            string template = builder.ToString();
            TemplateCompilation result = TemplateCompiler.Compile(template, parameters);
            AssertWellFormed(template, result);
        }
    }

    [Fact]
    public void Truncated_corpus_templates_never_throw()
    {
        int compiled = 0;
        foreach (TemplateCase item in TemplateCorpus.Cases)
        {
            EquatableArray<TemplateParameter> parameters = TemplateHarness.Parameters(new[] { item })[0];
            int step = Math.Max(1, item.Template.Length / 25);
            for (int length = 0; length <= item.Template.Length; length += step)
            {
                string template = item.Template.Substring(0, length);
                TemplateCompilation result = TemplateCompiler.Compile(template, parameters);
                AssertWellFormed(template, result);
                compiled++;
            }
        }

        Assert.True(compiled > 1000, compiled.ToString());
    }

    [Fact]
    public void Pathological_inputs_never_throw()
    {
        EquatableArray<TemplateParameter> parameters = Parameters("");
        string[] templates =
        {
            new string('{', 5000),
            string.Concat(Enumerable.Repeat("{{ if flag }}", 300)),
            "{{ " + string.Concat(Enumerable.Repeat("(", 2000)) + "name" + string.Concat(Enumerable.Repeat(")", 2000)) + " }}",
            "{{ " + string.Join(" && ", Enumerable.Repeat("flag", 2000)) + " }}",
            string.Concat(Enumerable.Repeat("{{ for x in items }}", 200)) + string.Concat(Enumerable.Repeat("{{ end }}", 200)),
            "{{ name | " + string.Join(" | ", Enumerable.Repeat("string.upcase", 500)) + " }}",
            "\0\0\0{{\0}}",
            "{{ " + string.Join(" && ", Enumerable.Repeat("flag", 50000)) + " }}",
            "{{ " + string.Join(" + ", Enumerable.Repeat("count", 50000)) + " }}",
            "{{ " + string.Concat(Enumerable.Repeat("!", 50000)) + "flag }}",
            "{{ name" + string.Concat(Enumerable.Repeat(" | string.upcase", 20000)) + " }}",
            string.Concat(Enumerable.Repeat("{{ if flag }}", 5000)) + string.Concat(Enumerable.Repeat("{{ end }}", 5000)),
        };

        foreach (string template in templates)
        {
            TemplateCompilation result = TemplateCompiler.Compile(template, parameters);
            AssertWellFormed(template, result);
        }
    }

    [Fact]
    public void Generated_templates_render_like_Scriban()
    {
        var random = new Random(42);
        var cases = new List<TemplateCase>();
        int attempts = 0;
        while (cases.Count < 150 && attempts < 3000)
        {
            attempts++;
            string template = new TemplateGrammar(random).Template();
            if (TemplateCompiler.Compile(template, Parameters(template)).Success && ScribanRenders(template))
            {
                cases.Add(new TemplateCase("gen" + cases.Count, template, Args()));
            }
        }

        Assert.True(cases.Count >= 100, "only " + cases.Count + " of " + attempts + " generated templates compiled");
        CompiledCorpus corpus = CompiledCorpus.Create(cases);
        var failures = new List<string>();
        for (int i = 0; i < cases.Count; i++)
        {
            string? failure = corpus.Failure(i);
            if (failure != null)
            {
                failures.Add(cases[i].Template + "\n" + failure);
                continue;
            }

            string expected = TemplateHarness.RenderWithScriban(cases[i].Template, cases[i].Args);
            string actual = corpus.Render(i);
            if (expected != actual)
            {
                failures.Add(cases[i].Template + "\nScriban: " + expected + "\nC#:      " + actual + "\n" + corpus.Compilations[i].Code);
            }
        }

        Assert.True(failures.Count == 0, failures.Count + " mismatches:\n\n" + string.Join("\n\n", failures.Take(5)));
        Assert.Empty(corpus.Warnings);
    }

    private static bool ScribanRenders(string template)
    {
        try
        {
            TemplateHarness.RenderWithScriban(template, Args());
            return true;
        }
        catch (Exception)
        {
            return false;
        }
    }

    /// <summary>Random templates over the supported subset (and a little beyond, which the compiler must reject).</summary>
    private sealed class TemplateGrammar
    {
        private readonly Random _random;
        private int _depth;
        private bool _inLoop;

        public TemplateGrammar(Random random)
        {
            _random = random;
        }

        public string Template()
        {
            var builder = new StringBuilder();
            Statements(builder, _random.Next(1, 5));
            return builder.ToString();
        }

        private T Pick<T>(params T[] items) => items[_random.Next(items.Length)];

        private string Open() => "{{" + Pick("", "", "~", "-") + " ";

        private string Close() => " " + Pick("", "", "~", "-") + "}}";

        private void Statements(StringBuilder builder, int count)
        {
            for (int i = 0; i < count; i++)
            {
                int kind = _depth > 2 ? _random.Next(3) : _random.Next(6);
                switch (kind)
                {
                    case 0:
                    case 1:
                        builder.Append(Pick("Text ", " ", "\n", "  \n  ", "a\"b", "\\", "é😀", "{ }", "\r\n", "line\n\n", "\t"));
                        break;
                    case 2:
                        builder.Append(Open()).Append(Expression(0)).Append(Close());
                        break;
                    case 3:
                    case 4:
                        _depth++;
                        builder.Append(Open()).Append("if ").Append(Expression(0)).Append(Close());
                        Statements(builder, _random.Next(1, 3));
                        if (_random.Next(2) == 0)
                        {
                            builder.Append(Open()).Append("else if ").Append(Expression(0)).Append(Close());
                            Statements(builder, _random.Next(1, 3));
                        }

                        if (_random.Next(2) == 0)
                        {
                            builder.Append(Open()).Append("else").Append(Close());
                            Statements(builder, _random.Next(1, 3));
                        }

                        builder.Append(Open()).Append("end").Append(Close());
                        _depth--;
                        break;
                    default:
                        if (_inLoop)
                        {
                            goto case 2;
                        }

                        _depth++;
                        _inLoop = true;
                        builder.Append(Open()).Append("for x in ").Append(Pick("items", "customer.Name | string.size > 0 ? items : items", "items")).Append(Close());
                        Statements(builder, _random.Next(1, 4));
                        if (_random.Next(3) == 0)
                        {
                            builder.Append(Open()).Append("else").Append(Close()).Append("none");
                        }

                        builder.Append(Open()).Append("end").Append(Close());
                        _inLoop = false;
                        _depth--;
                        break;
                }
            }
        }

        private string Expression(int depth)
        {
            int kind = depth > 2 ? _random.Next(2) : _random.Next(7);
            switch (kind)
            {
                case 0:
                    return _inLoop && _random.Next(3) == 0
                        ? Pick("x", "for.index", "for.first", "for.last", "for.even", "for.rindex", "for.length")
                        : Pick("name", "count", "flag", "maybe", "customer.Name", "customer.Age", "customer.Email", "customer.LoyaltyYears",
                            "customer.IsVip", "customer.Address.City", "customer.Priority", "customer.Since", "items | array.size");
                case 1:
                    return Pick("1", "0", "2.5", "'txt'", "\"q\"", "true", "false", "null", "'Normal'", "-3");
                case 2:
                    return Expression(depth + 1) + Pick(" == ", " != ", " < ", " > ", " <= ", " >= ", " && ", " || ", " + ", " - ", " * ")
                        + Expression(depth + 1);
                case 3:
                    return "!" + Expression(depth + 1);
                case 4:
                    return "(" + Expression(depth + 1) + ")";
                case 5:
                    return Expression(depth + 1) + " | " + Pick("string.upcase", "string.downcase", "object.default 'dflt'", "string.size",
                        "math.format '0.0'", "date.to_string '%Y-%m'");
                default:
                    return Expression(depth + 1) + " ?? " + Pick("'alt'", "count", "null");
            }
        }
    }
}
