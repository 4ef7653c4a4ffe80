using PromptGen.Generator.Common;
using System;
using System.Collections.Generic;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using System.Threading;
using Microsoft.CodeAnalysis.CSharp;
using Scriban;
using Scriban.Parsing;
using Scriban.Syntax;

namespace PromptGen.Generator.Templates
{
    /// <summary>
    /// Compiles a Scriban prompt template into C# statements that append its rendering to a <c>StringBuilder</c>, the way
    /// the Regex generator compiles a pattern: Scriban parses at build time, and the emitted code needs neither Scriban nor
    /// reflection at run time. The supported subset renders exactly as Scriban does (a differential test holds it to that);
    /// anything else is a diagnostic that names the construct. The compiler never throws (cancellation aside).
    /// </summary>
    internal static partial class TemplateCompiler
    {
        /// <summary>The built-in functions the compiler understands, as users write them.</summary>
        public static readonly IReadOnlyList<string> SupportedFunctions = new[]
        {
            "string.upcase", "string.downcase", "string.size", "array.join", "array.size", "object.default", "math.format",
            "date.to_string",
        };

        /// <summary>The <c>for</c> loop properties the compiler understands.</summary>
        public static readonly IReadOnlyList<string> SupportedLoopProperties = new[]
        {
            "index", "first", "last", "even", "odd", "rindex", "length",
        };

        /// <summary>Compiles <paramref name="template"/> against the method's <paramref name="parameters"/>.</summary>
        /// <param name="template">The Scriban template text (inline or the AdditionalFile's content).</param>
        /// <param name="parameters">The method's parameters, in declaration order.</param>
        /// <param name="options">Builder name and indentation; <see cref="TemplateCompilerOptions.Default"/> when null.</param>
        /// <param name="cancellationToken">Cancels the compilation.</param>
        public static TemplateCompilation Compile(
            string template,
            EquatableArray<TemplateParameter> parameters,
            TemplateCompilerOptions? options = null,
            CancellationToken cancellationToken = default)
        {
            template ??= string.Empty;
            var compiler = new Compiler(template, parameters, options ?? TemplateCompilerOptions.Default, cancellationToken);
            try
            {
                return compiler.Run();
            }
            catch (OperationCanceledException)
            {
                throw;
            }
            catch (Exception ex)
            {
                // A safety net: Scriban or the walker met input nobody anticipated. Report it rather than throw (CS8785).
                var diagnostic = new TemplateDiagnostic(
                    TemplateDiagnosticKind.ParseError,
                    "The template could not be compiled: " + ex.Message,
                    "template",
                    0,
                    template.Length,
                    0,
                    0);
                return new TemplateCompilation(
                    null, compiler.UsedParameters(), new EquatableArray<TemplateDiagnostic>(new[] { diagnostic }));
            }
        }

        /// <summary>
        /// The names a template uses after a dot (<c>order.Customer.Name</c> gives Customer and Name): the members the
        /// parser needs to capture in <see cref="TemplateType"/> models. Empty when the template does not parse. The set is
        /// kept with the template's parse and shared by every caller, so it must not be changed.
        /// </summary>
        public static HashSet<string> MemberNames(string template)
        {
            ParsedTemplate parsed;
            try
            {
                parsed = Parsed(template ?? string.Empty);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // The compiler reports the problem; the model simply stays small.
                return new HashSet<string>(StringComparer.Ordinal);
            }

            if (parsed.MemberNames is { } kept)
            {
                return kept;
            }

            var names = new HashSet<string>(StringComparer.Ordinal);
            try
            {
                if (!parsed.Template.HasErrors)
                {
                    CollectMemberNames(parsed.Template.Page, names, 0);
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // As above; a set left half-filled by the failure is not kept.
                return names;
            }

            return Interlocked.CompareExchange(ref parsed.MemberNames, names, null) ?? names;
        }

        private static void CollectMemberNames(ScriptNode? node, HashSet<string> names, int depth)
        {
            if (node == null || depth > 512)
            {
                return;
            }

            if (node is ScriptMemberExpression { Member: ScriptVariable member })
            {
                names.Add(member.Name);
            }

            foreach (ScriptNode child in node.Children)
            {
                CollectMemberNames(child, names, depth + 1);
            }
        }

        /// <summary>Parses a template the way the compiler does: Scriban's default language, lexer and parser options.</summary>
        /// <remarks>
        /// Options are left null on purpose: Scriban's option setters are <c>init</c>-only, and the modreq in their signature
        /// names a different IsExternalInit in Scriban's netstandard2.0 and net8.0 builds, so setting one from code compiled
        /// against the former fails with MissingMethodException where the latter is loaded (the test host, for one).
        /// </remarks>
        internal static Template Parse(string template) => Template.Parse(template, null, null, null);

        /// <summary>
        /// Parsed templates, keyed by the template string's identity: the parser (<see cref="MemberNames"/>), the emitter and
        /// the analyzer see the same string instance, so each template is parsed once however often it is read. Equal
        /// templates in several files often are one instance too (the compiler's lexer shares literal strings), which is why an
        /// entry is not taken out by the compile that uses it: an interface's compile would leave the next one none to reuse.
        /// An entry lives exactly as long as its string, which the syntax tree or the pipeline's cached model already keeps
        /// alive; the parse trees are read, never changed, so threads can share them.
        /// </summary>
        private static readonly ConditionalWeakTable<string, ParsedTemplate> s_parsed = new ConditionalWeakTable<string, ParsedTemplate>();

        private static readonly ConditionalWeakTable<string, ParsedTemplate>.CreateValueCallback s_parse = template => new ParsedTemplate(Parse(template));

        /// <summary>The parse of this very string instance: the kept one, else a new one that is kept.</summary>
        private static ParsedTemplate Parsed(string template) => s_parsed.GetValue(template, s_parse);

        /// <summary>A kept parse, and the member names read from it once they have been asked for.</summary>
        private sealed class ParsedTemplate
        {
            public ParsedTemplate(Template template)
            {
                Template = template;
            }

            public Template Template { get; }

            /// <summary>Set once (by <see cref="MemberNames"/>), then only read.</summary>
            public HashSet<string>? MemberNames;
        }

        private enum Form
        {
            Value,
            Default,
            Join,
        }

        /// <summary>A compiled expression: C# code plus what the compiler knows about its value.</summary>
        private sealed class Expr
        {
            public Expr(string code, TemplateTypeKind kind)
            {
                Code = code;
                Kind = kind;
            }

            /// <summary>The C# expression.</summary>
            public string Code;

            public TemplateTypeKind Kind;

            /// <summary>The exact type, where the value comes from a parameter or member.</summary>
            public TemplateType? Type;

            /// <summary>Whether the value may be null at run time.</summary>
            public bool MaybeNull;

            /// <summary>How member access continues: <c>?.</c> for a reference or <c>Nullable&lt;T&gt;</c> link, else <c>.</c>.</summary>
            public string ContinueOp = ".";

            /// <summary>Whether <see cref="Code"/> needs no parentheses (identifier, member chain, literal, call).</summary>
            public bool Simple;

            /// <summary>Set for the <c>null</c> literal.</summary>
            public bool IsNull;

            /// <summary>The literal value for number, string and bool literals.</summary>
            public object? Literal;

            /// <summary>A .NET format string (math.format, date.to_string, Scriban's DateTime default).</summary>
            public string? Format;

            public Form Form;

            /// <summary>For <see cref="Form.Default"/>: the fallback; for <see cref="Form.Join"/>: the separator.</summary>
            public Expr? Other;

            /// <summary>For <see cref="Form.Default"/>: whether an empty string also takes the fallback (object.default).</summary>
            public bool EmptyIsDefault;

            /// <summary>For <see cref="Form.Default"/> and <see cref="Form.Join"/>: the value or sequence.</summary>
            public Expr? Inner;

            public string Paren => Simple ? Code : "(" + Code + ")";
        }

        private sealed class Loop
        {
            public Loop(string templateName, string localName, TemplateType element)
            {
                TemplateName = templateName;
                LocalName = localName;
                Element = element;
            }

            public string TemplateName { get; }

            public string LocalName { get; }

            public TemplateType Element { get; }

            public string? IndexName;

            public string? CountName;

            public string? HasNextName;
        }

        private sealed partial class Compiler
        {
            private const string Invariant = "global::System.Globalization.CultureInfo.InvariantCulture";
            private static readonly HashSet<string> s_builtinObjects = new HashSet<string>(StringComparer.Ordinal)
            {
                "string", "array", "object", "math", "date", "html", "regex", "timespan",
            };

            private readonly string _template;
            private readonly EquatableArray<TemplateParameter> _parameters;
            private readonly Dictionary<string, TemplateParameter> _byName = new Dictionary<string, TemplateParameter>(StringComparer.Ordinal);
            private readonly HashSet<string> _used = new HashSet<string>(StringComparer.Ordinal);
            private readonly HashSet<string> _names = new HashSet<string>(StringComparer.Ordinal);
            private readonly List<TemplateDiagnostic> _diagnostics = new List<TemplateDiagnostic>();
            private readonly List<Loop> _loops = new List<Loop>();
            private readonly StringBuilder _out = StringBuilderPool.Get();
            private readonly string _builder;
            private readonly CancellationToken _cancellationToken;
            private int _indent;

            /// <summary>How deep statements and expressions nest before the compiler stops (its walk is recursive).</summary>
            private const int MaxDepth = 256;
            private int _depth;

            public Compiler(string template, EquatableArray<TemplateParameter> parameters, TemplateCompilerOptions options, CancellationToken cancellationToken)
            {
                _template = template;
                _parameters = parameters;
                _builder = options.BuilderName;
                _indent = options.IndentLevel;
                _cancellationToken = cancellationToken;
                _names.Add(options.BuilderName);
                foreach (TemplateParameter parameter in parameters)
                {
                    _byName[parameter.Name] = parameter;
                    _names.Add(parameter.Name);
                }
            }

            public TemplateCompilation Run()
            {
                Template parsed = Parsed(_template).Template;
                if (parsed.HasErrors)
                {
                    foreach (LogMessage message in parsed.Messages)
                    {
                        if (message.Type == ParserMessageType.Error)
                        {
                            AddDiagnostic(TemplateDiagnosticKind.ParseError, message.Message, "template", message.Span);
                        }
                    }

                    if (_diagnostics.Count == 0)
                    {
                        AddDiagnostic(TemplateDiagnosticKind.ParseError, "The template does not parse.", "template", default);
                    }

                    return Result();
                }

                if (parsed.Page?.FrontMatter != null)
                {
                    Unsupported("front matter", parsed.Page.FrontMatter);
                }

                if (parsed.Page?.Body != null)
                {
                    Statement(parsed.Page.Body);
                }

                return Result();
            }

            public EquatableArray<string> UsedParameters()
            {
                var used = new List<string>();
                foreach (TemplateParameter parameter in _parameters)
                {
                    if (_used.Contains(parameter.Name))
                    {
                        used.Add(parameter.Name);
                    }
                }

                return new EquatableArray<string>(used);
            }

            private TemplateCompilation Result()
            {
                _diagnostics.Sort((a, b) => a.Offset != b.Offset ? a.Offset.CompareTo(b.Offset) : string.CompareOrdinal(a.Message, b.Message));
                string? code = _diagnostics.Count == 0 ? _out.ToString() : null;
                StringBuilderPool.Free(_out);
                return new TemplateCompilation(
                    code,
                    UsedParameters(),
                    new EquatableArray<TemplateDiagnostic>(_diagnostics.ToArray()));
            }
        }

        /// <summary>A C# character literal.</summary>
        internal static string CharLiteral(char value)
        {
            if (value == '\'')
            {
                return "'\\''";
            }

            string text = StringLiteral(value.ToString());
            return "'" + (text == "\"\\\"\"" ? "\"" : text.Substring(1, text.Length - 2)) + "'";
        }

        /// <summary>A C# regular string literal for <paramref name="value"/>, escaping what must be escaped.</summary>
        internal static string StringLiteral(string value)
        {
            var builder = new StringBuilder(value.Length + 2);
            builder.Append('"');
            for (int i = 0; i < value.Length; i++)
            {
                char c = value[i];
                if (char.IsHighSurrogate(c) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]))
                {
                    // A valid pair (an emoji, say) stays readable; a lone surrogate is escaped below.
                    builder.Append(c).Append(value[i + 1]);
                    i++;
                    continue;
                }

                switch (c)
                {
                    case '"':
                        builder.Append("\\\"");
                        break;
                    case '\\':
                        builder.Append("\\\\");
                        break;
                    case '\n':
                        builder.Append("\\n");
                        break;
                    case '\r':
                        builder.Append("\\r");
                        break;
                    case '\t':
                        builder.Append("\\t");
                        break;
                    case '\0':
                        builder.Append("\\0");
                        break;
                    default:
                        if (c < ' ' || c == '\u007f' || c == '\u0085' || c == '\u2028' || c == '\u2029' || char.IsSurrogate(c)
                            || char.GetUnicodeCategory(c) == UnicodeCategory.Format)
                        {
                            builder.Append("\\u").Append(((int)c).ToString("X4", CultureInfo.InvariantCulture));
                        }
                        else
                        {
                            builder.Append(c);
                        }

                        break;
                }
            }

            builder.Append('"');
            return builder.ToString();
        }
    }
}
