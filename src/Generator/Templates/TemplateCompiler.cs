using System;
using System.Collections.Generic;
using System.Globalization;
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
    internal static class TemplateCompiler
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
        /// parser needs to capture in <see cref="TemplateType"/> models. Empty when the template does not parse.
        /// </summary>
        public static HashSet<string> MemberNames(string template)
        {
            var names = new HashSet<string>(StringComparer.Ordinal);
            try
            {
                Template parsed = Parse(template ?? string.Empty);
                if (!parsed.HasErrors)
                {
                    CollectMemberNames(parsed.Page, names, 0);
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // The compiler reports the problem; the model simply stays small.
            }

            return names;
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

        private sealed class Compiler
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
            private readonly StringBuilder _out = new StringBuilder();
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
                Template parsed = Parse(_template);
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
                return new TemplateCompilation(
                    _diagnostics.Count == 0 ? _out.ToString() : null,
                    UsedParameters(),
                    new EquatableArray<TemplateDiagnostic>(_diagnostics.ToArray()));
            }

            // ---------------------------------------------------------------- statements

            private void Statement(ScriptStatement? statement)
            {
                _cancellationToken.ThrowIfCancellationRequested();
                if (statement != null && _depth >= MaxDepth)
                {
                    Unsupported("nesting deeper than " + MaxDepth.ToString(CultureInfo.InvariantCulture) + " levels", statement);
                    return;
                }

                _depth++;
                try
                {
                    StatementCore(statement);
                }
                finally
                {
                    _depth--;
                }
            }

            private void StatementCore(ScriptStatement? statement)
            {
                switch (statement)
                {
                    case null:
                    case ScriptEscapeStatement:
                    case ScriptNopStatement:
                    case ScriptEndStatement:
                        return;
                    case ScriptBlockStatement block:
                        foreach (ScriptStatement child in block.Statements)
                        {
                            Statement(child);
                        }

                        return;
                    case ScriptRawStatement raw:
                        string text = raw.Text.ToString();
                        if (text.Length > 0)
                        {
                            Line(_builder + ".Append(" + StringLiteral(text) + ");");
                        }

                        return;
                    case ScriptExpressionStatement expressionStatement:
                        if (expressionStatement.Expression is ScriptAssignExpression assign)
                        {
                            Unsupported("assignment", assign);
                            return;
                        }

                        Expr? value = Expression(expressionStatement.Expression);
                        if (value != null)
                        {
                            Render(value, expressionStatement.Expression!);
                        }

                        return;
                    case ScriptIfStatement ifStatement:
                        If(ifStatement, false);
                        return;
                    case ScriptTableRowStatement tableRow:
                        Unsupported("tablerow", tableRow);
                        return;
                    case ScriptForStatement forStatement:
                        For(forStatement);
                        return;
                    case ScriptBreakStatement breakStatement:
                        if (_loops.Count == 0)
                        {
                            Unsupported("break outside a loop", breakStatement);
                            return;
                        }

                        Line("break;");
                        return;
                    case ScriptContinueStatement continueStatement:
                        if (_loops.Count == 0)
                        {
                            Unsupported("continue outside a loop", continueStatement);
                            return;
                        }

                        Line("continue;");
                        return;
                    default:
                        Unsupported(ConstructName(statement), statement);
                        return;
                }
            }

            private void If(ScriptIfStatement statement, bool elseIf)
            {
                Expr? condition = Expression(statement.Condition);
                string test = condition == null ? "false" : Truth(condition, statement.Condition!) ?? "false";

                // A constant condition (`{{ if 1 }}`, `{{ if x == null }}` on a value type) would be CS0162 in users' builds:
                // fold it, still compiling the dead branch so its diagnostics and used parameters are not lost.
                if (test == "true")
                {
                    if (elseIf)
                    {
                        Line("else");
                        Block(statement.Then);
                    }
                    else
                    {
                        Statement(statement.Then);
                    }

                    Discard(() => Else(statement.Else, false));
                    return;
                }

                if (test == "false")
                {
                    Discard(() => Statement(statement.Then));
                    Else(statement.Else, elseIf);
                    return;
                }

                Line((elseIf ? "else if (" : "if (") + test + ")");
                Block(statement.Then);
                Else(statement.Else, true);
            }

            /// <summary>Emits an else branch; <paramref name="chained"/> when it follows an emitted <c>if</c>.</summary>
            private void Else(ScriptConditionStatement? otherwise, bool chained)
            {
                switch (otherwise)
                {
                    case null:
                        break;
                    case ScriptIfStatement nested:
                        If(nested, chained);
                        break;
                    case ScriptElseStatement plain:
                        if (chained)
                        {
                            Line("else");
                            Block(plain.Body);
                        }
                        else
                        {
                            Statement(plain.Body);
                        }

                        break;
                    default:
                        Unsupported(ConstructName(otherwise), otherwise);
                        break;
                }
            }

            /// <summary>Compiles for diagnostics only: the emitted code is dropped.</summary>
            private void Discard(Action compile)
            {
                int length = _out.Length;
                int indent = _indent;
                compile();
                _out.Length = length;
                _indent = indent;
            }

            private void Block(ScriptStatement? body)
            {
                Line("{");
                _indent++;
                Statement(body);
                _indent--;
                Line("}");
            }

            private void For(ScriptForStatement statement)
            {
                if (statement.NamedArguments != null && statement.NamedArguments.Count > 0)
                {
                    ScriptNamedArgument first = statement.NamedArguments[0];
                    Unsupported("for option '" + (first.Name?.Name ?? "?") + "'", first);
                    return;
                }

                if (statement.Variable is not ScriptVariableGlobal variable)
                {
                    Unsupported(statement.Variable is ScriptVariableLocal ? "local loop variable" : "loop variable form", (ScriptNode?)statement.Variable ?? statement);
                    return;
                }

                if (statement.Iterator is ScriptBinaryExpression { Operator: ScriptBinaryOperator.RangeInclude or ScriptBinaryOperator.RangeExclude } range)
                {
                    Unsupported("range", range);
                    return;
                }

                Expr? source = Expression(statement.Iterator);
                if (source == null)
                {
                    return;
                }

                if (source.Form != Form.Value || source.Kind != TemplateTypeKind.Enumerable || source.Type?.ElementType == null)
                {
                    Unsupported("for over a value of type " + Describe(source), statement.Iterator!);
                    return;
                }

                TemplateType collection = source.Type;
                var loop = new Loop(variable.Name, Unique(variable.Name), collection.ElementType!);
                var properties = new HashSet<string>(StringComparer.Ordinal);
                ScanLoopProperties(statement.Body, properties);
                bool needsCount = properties.Contains("length") || properties.Contains("rindex")
                    || (properties.Contains("last") && collection.CountMember != null);
                bool lookahead = properties.Contains("last") && collection.CountMember == null;
                if ((properties.Contains("length") || properties.Contains("rindex")) && collection.CountMember == null)
                {
                    Unsupported("for.length and for.rindex over a sequence without Count or Length", statement.Iterator!);
                    return;
                }

                bool indexed = collection.Indexable;
                if (indexed)
                {
                    needsCount = true;
                    lookahead = false;
                }

                bool needsIndex = indexed || properties.Contains("index") || properties.Contains("first") || properties.Contains("even")
                    || properties.Contains("odd") || properties.Contains("rindex") || (properties.Contains("last") && !lookahead);
                string? anyName = statement.Else != null ? Unique(loop.LocalName + "Any") : null;
                string items = source.Code;
                bool guarded = source.MaybeNull;
                if (guarded)
                {
                    if (IsIdentifier(source.Code))
                    {
                        Line("if (" + source.Code + " is not null)");
                    }
                    else
                    {
                        items = Unique(loop.LocalName + "Items");
                        Line("if (" + source.Code + " is { } " + items + ")");
                    }

                    Line("{");
                    _indent++;
                }

                if (anyName != null)
                {
                    Line("bool " + anyName + " = false;");
                }

                if (needsIndex)
                {
                    loop.IndexName = Unique(loop.LocalName + "Index");
                    if (!indexed)
                    {
                        Line("int " + loop.IndexName + " = -1;");
                    }
                }

                if (needsCount)
                {
                    loop.CountName = Unique(loop.LocalName + "Count");
                    Line("int " + loop.CountName + " = " + items + "." + collection.CountMember + ";");
                }

                _loops.Add(loop);
                if (lookahead)
                {
                    string enumerator = Unique(loop.LocalName + "Enumerator");
                    loop.HasNextName = Unique(loop.LocalName + "HasNext");
                    Line("using (var " + enumerator + " = " + items + ".GetEnumerator())");
                    Line("{");
                    _indent++;
                    Line("bool " + loop.HasNextName + " = " + enumerator + ".MoveNext();");
                    Line("while (" + loop.HasNextName + ")");
                    Line("{");
                    _indent++;
                    Line("var " + Identifier(loop.LocalName) + " = " + enumerator + ".Current;");
                    Line(loop.HasNextName + " = " + enumerator + ".MoveNext();");
                }
                else if (indexed)
                {
                    Line("for (int " + loop.IndexName + " = 0; " + loop.IndexName + " < " + loop.CountName + "; " + loop.IndexName + "++)");
                    Line("{");
                    _indent++;
                    Line("var " + Identifier(loop.LocalName) + " = " + items + "[" + loop.IndexName + "];");
                }
                else
                {
                    Line("foreach (var " + Identifier(loop.LocalName) + " in " + items + ")");
                    Line("{");
                    _indent++;
                }

                if (anyName != null)
                {
                    Line(anyName + " = true;");
                }

                if (loop.IndexName != null && !indexed)
                {
                    Line(loop.IndexName + "++;");
                }

                Statement(statement.Body);
                _loops.RemoveAt(_loops.Count - 1);
                _indent--;
                Line("}");
                if (lookahead)
                {
                    _indent--;
                    Line("}");
                }

                if (statement.Else != null)
                {
                    // Scriban runs the else branch for an empty sequence, not for a null one.
                    Line("if (!" + anyName + ")");
                    Block(statement.Else.Body);
                }

                if (guarded)
                {
                    _indent--;
                    Line("}");
                }
            }

            /// <summary>Collects the <c>for.x</c> properties a loop body uses (not those of nested loops).</summary>
            private static void ScanLoopProperties(ScriptNode? node, HashSet<string> properties, int depth = 0)
            {
                if (node == null || depth > MaxDepth * 2)
                {
                    return;
                }

                if (node is ScriptMemberExpression { Target: ScriptVariableGlobal { Name: "for" } } member && member.Member is not null)
                {
                    properties.Add(member.Member.Name);
                    return;
                }

                if (node is ScriptForStatement nested)
                {
                    ScanLoopProperties(nested.Iterator, properties, depth + 1);
                    ScanLoopProperties(nested.Else, properties, depth + 1);
                    return;
                }

                foreach (ScriptNode child in node.Children)
                {
                    ScanLoopProperties(child, properties, depth + 1);
                }
            }

            // ---------------------------------------------------------------- rendering

            private void Render(Expr value, ScriptNode node)
            {
                switch (value.Form)
                {
                    case Form.Default:
                        RenderDefault(value, node);
                        return;
                    case Form.Join:
                        RenderJoin(value, node);
                        return;
                }

                if (value.IsNull)
                {
                    return;
                }

                if (!IsScalar(value.Kind))
                {
                    Unsupported("rendering a value of type " + Describe(value) + " directly", node);
                    return;
                }

                if (value.Kind == TemplateTypeKind.String)
                {
                    Line(_builder + ".Append(" + value.Code + ");");
                    return;
                }

                if (value.MaybeNull)
                {
                    string local = Unique(LocalBase(value));
                    Line("if (" + value.Code + " is { } " + local + ")");
                    Line("{");
                    _indent++;
                    AppendScalar(new Expr(local, value.Kind) { Simple = true, Format = value.Format, Type = value.Type }, node);
                    _indent--;
                    Line("}");
                    return;
                }

                AppendScalar(value, node);
            }

            private void RenderDefault(Expr value, ScriptNode node)
            {
                Expr inner = value.Inner!;
                Expr fallback = value.Other!;
                if (inner.Form == Form.Join && value.EmptyIsDefault)
                {
                    // array.join yields a string, empty exactly when nothing was appended: no temporary string needed.
                    string mark = Unique("joinStart");
                    Line("int " + mark + " = " + _builder + ".Length;");
                    Render(inner, node);
                    Line("if (" + _builder + ".Length == " + mark + ")");
                    Line("{");
                    _indent++;
                    Render(fallback, node);
                    _indent--;
                    Line("}");
                    return;
                }

                if (inner.Form != Form.Value)
                {
                    Unsupported((inner.Form == Form.Join ? "array.join" : "object.default") + " before a default value", node);
                    return;
                }

                if (inner.IsNull)
                {
                    Render(fallback, node);
                    return;
                }

                bool emptyMatters = value.EmptyIsDefault && inner.Kind == TemplateTypeKind.String;
                if (!inner.MaybeNull && !emptyMatters)
                {
                    Render(inner, node);
                    return;
                }

                if (!emptyMatters && inner.Kind == TemplateTypeKind.String && fallback.Form == Form.Value && fallback.Kind == TemplateTypeKind.String)
                {
                    Line(_builder + ".Append(" + inner.Code + " ?? " + fallback.Paren + ");");
                    return;
                }

                string local = Unique(LocalBase(inner));
                Line("if (" + inner.Code + (emptyMatters ? " is { Length: > 0 } " : " is { } ") + local + ")");
                Line("{");
                _indent++;
                Render(new Expr(local, inner.Kind) { Simple = true, Format = inner.Format, Type = inner.Type }, node);
                _indent--;
                Line("}");
                Line("else");
                Line("{");
                _indent++;
                Render(fallback, node);
                _indent--;
                Line("}");
            }

            private void RenderJoin(Expr value, ScriptNode node)
            {
                Expr sequence = value.Inner!;
                Expr separator = value.Other!;
                TemplateType element = sequence.Type!.ElementType!;
                string separatorCode = separator.Code;
                if (separator.Form != Form.Value || (separator.Kind != TemplateTypeKind.String && !separator.IsNull))
                {
                    Unsupported("array.join with a separator of type " + Describe(separator), node);
                    return;
                }

                string items = sequence.Code;
                bool guarded = sequence.MaybeNull;
                if (guarded)
                {
                    if (IsIdentifier(sequence.Code))
                    {
                        Line("if (" + sequence.Code + " is not null)");
                    }
                    else
                    {
                        items = Unique(LocalBase(sequence) + "Items");
                        Line("if (" + sequence.Code + " is { } " + items + ")");
                    }

                    Line("{");
                    _indent++;
                }

                string item = Unique("item");
                if (sequence.Type.Indexable)
                {
                    string index = Unique(item + "Index");
                    Line("for (int " + index + " = 0; " + index + " < " + items + "." + sequence.Type.CountMember + "; " + index + "++)");
                    Line("{");
                    _indent++;
                    if (!separator.IsNull)
                    {
                        Line("if (" + index + " > 0)");
                        Line("{");
                        Line("    " + _builder + ".Append(" + separatorCode + ");");
                        Line("}");
                    }

                    Line("var " + item + " = " + items + "[" + index + "];");
                }
                else
                {
                    string first = Unique("first");
                    Line("bool " + first + " = true;");
                    Line("foreach (var " + item + " in " + items + ")");
                    Line("{");
                    _indent++;
                    Line("if (!" + first + ")");
                    Line("{");
                    if (!separator.IsNull)
                    {
                        Line("    " + _builder + ".Append(" + separatorCode + ");");
                    }

                    Line("}");
                    Line(first + " = false;");
                }

                Render(ValueOf(item, element), node);
                _indent--;
                Line("}");
                if (guarded)
                {
                    _indent--;
                    Line("}");
                }
            }

            private void AppendScalar(Expr value, ScriptNode node)
            {
                switch (value.Kind)
                {
                    case TemplateTypeKind.String:
                    case TemplateTypeKind.Char:
                        Line(_builder + ".Append(" + value.Code + ");");
                        return;
                    case TemplateTypeKind.Boolean:
                        Line(_builder + ".Append(" + value.Paren + " ? \"true\" : \"false\");");
                        return;
                }

                string? format = value.Format;
                if (format == null && value.Kind == TemplateTypeKind.DateTime)
                {
                    format = "dd MMM yyyy";
                }

                if (format == null || IsInterpolationSafe(format))
                {
                    Line(_builder + ".Append(" + Invariant + ", $\"{" + value.Paren + (format == null ? string.Empty : ":" + format) + "}\");");
                }
                else
                {
                    Line(_builder + ".Append(" + value.Paren + ".ToString(" + StringLiteral(format) + ", " + Invariant + "));");
                }
            }

            private static bool IsInterpolationSafe(string format)
            {
                foreach (char c in format)
                {
                    if (c == '{' || c == '}' || c == '"' || c == '\\' || c < ' ' || c == '\u0085' || c == '\u2028' || c == '\u2029')
                    {
                        return false;
                    }
                }

                return true;
            }

            private static bool IsScalar(TemplateTypeKind kind) =>
                kind != TemplateTypeKind.Object && kind != TemplateTypeKind.Enumerable && kind != TemplateTypeKind.Other;

            /// <summary>C# code for the string Scriban would render for <paramref name="value"/> (null where it renders nothing).</summary>
            private string? StringOf(Expr value, ScriptNode node)
            {
                if (value.Form != Form.Value)
                {
                    Unsupported((value.Form == Form.Join ? "array.join" : "object.default") + " inside another expression", node);
                    return null;
                }

                if (value.IsNull)
                {
                    return "(string?)null";
                }

                string access = value.MaybeNull ? value.ContinueOp : ".";
                if (!value.Simple && value.MaybeNull)
                {
                    access = "?.";
                }

                switch (value.Kind)
                {
                    case TemplateTypeKind.String:
                        return value.Code;
                    case TemplateTypeKind.Boolean:
                        return value.MaybeNull
                            ? "(" + value.Paren + " switch { true => \"true\", false => \"false\", _ => null })"
                            : "(" + value.Paren + " ? \"true\" : \"false\")";
                    case TemplateTypeKind.Char:
                        return value.Paren + access + "ToString()";
                    case TemplateTypeKind.Integer:
                    case TemplateTypeKind.Floating:
                    case TemplateTypeKind.Decimal:
                    case TemplateTypeKind.Enum:
                    case TemplateTypeKind.DateTime:
                    case TemplateTypeKind.DateTimeOffset:
                    case TemplateTypeKind.TimeSpan:
                    case TemplateTypeKind.Guid:
                        string? format = value.Format ?? (value.Kind == TemplateTypeKind.DateTime ? "dd MMM yyyy" : null);
                        if (value.Kind == TemplateTypeKind.Enum)
                        {
                            return value.Paren + access + "ToString()";
                        }

                        return value.Paren + access + "ToString(" + (format == null ? "null" : StringLiteral(format)) + ", " + Invariant + ")";
                    default:
                        Unsupported("using a value of type " + Describe(value) + " as text", node);
                        return null;
                }
            }

            // ---------------------------------------------------------------- expressions

            private Expr? Expression(ScriptExpression? expression)
            {
                _cancellationToken.ThrowIfCancellationRequested();
                if (expression != null && _depth >= MaxDepth)
                {
                    Unsupported("nesting deeper than " + MaxDepth.ToString(CultureInfo.InvariantCulture) + " levels", expression);
                    return null;
                }

                _depth++;
                try
                {
                    return ExpressionCore(expression);
                }
                finally
                {
                    _depth--;
                }
            }

            private Expr? ExpressionCore(ScriptExpression? expression)
            {
                switch (expression)
                {
                    case null:
                        return null;
                    case ScriptNestedExpression nested:
                        return Expression(nested.Expression);
                    case ScriptLiteral literal:
                        return Literal(literal);
                    case ScriptVariableGlobal variable:
                        return Variable(variable);
                    case ScriptVariableLocal local:
                        Unsupported("local variable " + (local.Name.StartsWith("$", StringComparison.Ordinal) ? local.Name : "$" + local.Name), local);
                        return null;
                    case ScriptIsEmptyExpression isEmpty:
                        Unsupported("empty? test", isEmpty);
                        return null;
                    case ScriptMemberExpression member:
                        return Member(member);
                    case ScriptBinaryExpression binary:
                        return Binary(binary);
                    case ScriptUnaryExpression unary when unary.GetType() == typeof(ScriptUnaryExpression):
                        return Unary(unary);
                    case ScriptPipeCall pipe:
                        return Pipe(Expression(pipe.From), pipe.From!, pipe.To);
                    case ScriptFunctionCall call:
                        return Call(call.Target, null, null, call.Arguments, call);
                    case ScriptAssignExpression assign:
                        Unsupported("assignment", assign);
                        return null;
                    default:
                        Unsupported(ConstructName(expression), expression);
                        return null;
                }
            }

            private Expr? Literal(ScriptLiteral literal)
            {
                switch (literal.Value)
                {
                    case null:
                        return new Expr("null", TemplateTypeKind.Other) { IsNull = true, Simple = true, MaybeNull = true };
                    case string s:
                        return new Expr(StringLiteral(s), TemplateTypeKind.String) { Simple = true, Literal = s };
                    case bool b:
                        return new Expr(b ? "true" : "false", TemplateTypeKind.Boolean) { Simple = true, Literal = b };
                    case int i:
                        return new Expr(i.ToString(CultureInfo.InvariantCulture), TemplateTypeKind.Integer) { Simple = i >= 0, Literal = i };
                    case long l:
                        return new Expr(l.ToString(CultureInfo.InvariantCulture) + "L", TemplateTypeKind.Integer) { Simple = l >= 0, Literal = l };
                    case double d when !double.IsNaN(d) && !double.IsInfinity(d):
                        return new Expr(DoubleLiteral(d), TemplateTypeKind.Floating) { Simple = d >= 0, Literal = d };
                    case float f when !float.IsNaN(f) && !float.IsInfinity(f):
                        return new Expr(f.ToString("R", CultureInfo.InvariantCulture) + "F", TemplateTypeKind.Floating) { Simple = f >= 0, Literal = f };
                    case decimal m:
                        return new Expr(m.ToString(CultureInfo.InvariantCulture) + "M", TemplateTypeKind.Decimal) { Simple = m >= 0, Literal = m };
                    default:
                        Unsupported("literal of type " + literal.Value.GetType().Name, literal);
                        return null;
                }
            }

            private static string DoubleLiteral(double d)
            {
                string text = d.ToString("R", CultureInfo.InvariantCulture);
                return text + "D";
            }

            private Expr? Variable(ScriptVariableGlobal variable)
            {
                string name = variable.Name;
                for (int i = _loops.Count - 1; i >= 0; i--)
                {
                    if (_loops[i].TemplateName == name)
                    {
                        return ValueOf(Identifier(_loops[i].LocalName), _loops[i].Element);
                    }
                }

                if (_byName.TryGetValue(name, out TemplateParameter? parameter))
                {
                    _used.Add(name);
                    return ValueOf(Identifier(name), parameter.Type);
                }

                if (name == "for")
                {
                    Unsupported(_loops.Count == 0 ? "for object outside a loop" : "for object without a property", variable);
                    return null;
                }

                if (s_builtinObjects.Contains(name))
                {
                    Unsupported("built-in object '" + name + "' as a value", variable);
                    return null;
                }

                if (name == "empty" || name == "blank")
                {
                    Unsupported(name, variable);
                    return null;
                }

                AddDiagnostic(
                    TemplateDiagnosticKind.UnknownVariable,
                    "'" + name + "' is not a parameter of the method" + (_loops.Count > 0 ? " or a loop variable" : string.Empty),
                    name,
                    variable.Span);
                return null;
            }

            private static Expr ValueOf(string code, TemplateType type) => new Expr(code, type.Kind)
            {
                Type = type,
                MaybeNull = type.CanBeNull,
                ContinueOp = type.CanBeNull ? "?." : ".",
                Simple = true,
            };

            private bool IsShadowed(string name)
            {
                if (_byName.ContainsKey(name))
                {
                    return true;
                }

                foreach (Loop loop in _loops)
                {
                    if (loop.TemplateName == name)
                    {
                        return true;
                    }
                }

                return false;
            }

            private Expr? Member(ScriptMemberExpression member)
            {
                string memberName = member.Member?.Name ?? string.Empty;
                if (member.Target is ScriptVariableGlobal { Name: "for" } && !IsShadowed("for"))
                {
                    return LoopProperty(memberName, member);
                }

                if (member.Target is ScriptVariableGlobal builtin && s_builtinObjects.Contains(builtin.Name) && !IsShadowed(builtin.Name))
                {
                    Unsupported(builtin.Name + "." + memberName + " without arguments", member);
                    return null;
                }

                Expr? target = Expression(member.Target);
                if (target == null)
                {
                    return null;
                }

                if (target.Form != Form.Value || target.Kind != TemplateTypeKind.Object || target.Type == null)
                {
                    Unsupported("member access ." + memberName + " on a value of type " + Describe(target), member);
                    return null;
                }

                TemplateMember? found = target.Type.FindMember(memberName);
                if (found == null)
                {
                    if (target.Type.MembersTruncated)
                    {
                        Unsupported(
                            "member access ." + memberName + " nested deeper than " + TemplateTypeFactory.DefaultMaxDepth + " levels",
                            member);
                    }
                    else
                    {
                        AddDiagnostic(
                            TemplateDiagnosticKind.UnknownVariable,
                            "'" + memberName + "' is not a public member of " + target.Type.DisplayName,
                            memberName,
                            member.Member is not null ? member.Member.Span : member.Span);
                    }

                    return null;
                }

                string code = (target.Simple ? target.Code : "(" + target.Code + ")") + (target.Simple ? target.ContinueOp : target.MaybeNull ? "?." : ".")
                    + Identifier(found.Name);
                return new Expr(code, found.Type.Kind)
                {
                    Type = found.Type,
                    MaybeNull = target.MaybeNull || found.Type.CanBeNull,
                    ContinueOp = found.Type.CanBeNull ? "?." : ".",
                    Simple = true,
                };
            }

            private Expr? LoopProperty(string name, ScriptNode node)
            {
                if (_loops.Count == 0)
                {
                    Unsupported("for." + name + " outside a loop", node);
                    return null;
                }

                Loop loop = _loops[_loops.Count - 1];
                bool ready = name switch
                {
                    "index" or "first" or "even" or "odd" => loop.IndexName != null,
                    "last" => loop.HasNextName != null || (loop.IndexName != null && loop.CountName != null),
                    "length" => loop.CountName != null,
                    "rindex" => loop.CountName != null && loop.IndexName != null,
                    _ => true,
                };
                if (!ready)
                {
                    // The pre-scan did not see this use (it sits where the scan does not look): refuse rather than emit bad code.
                    Unsupported("for." + name + " here", node);
                    return null;
                }

                switch (name)
                {
                    case "index":
                        return new Expr(loop.IndexName!, TemplateTypeKind.Integer) { Simple = true };
                    case "first":
                        return new Expr(loop.IndexName + " == 0", TemplateTypeKind.Boolean);
                    case "even":
                        return new Expr(loop.IndexName + " % 2 == 0", TemplateTypeKind.Boolean);
                    case "odd":
                        return new Expr(loop.IndexName + " % 2 != 0", TemplateTypeKind.Boolean);
                    case "last":
                        return loop.HasNextName != null
                            ? new Expr("!" + loop.HasNextName, TemplateTypeKind.Boolean) { Simple = true }
                            : new Expr(loop.IndexName + " == " + loop.CountName + " - 1", TemplateTypeKind.Boolean);
                    case "length":
                        return new Expr(loop.CountName!, TemplateTypeKind.Integer) { Simple = true };
                    case "rindex":
                        return new Expr(loop.CountName + " - " + loop.IndexName + " - 1", TemplateTypeKind.Integer);
                    default:
                        Unsupported("for." + name, node);
                        return null;
                }
            }

            private Expr? Unary(ScriptUnaryExpression unary)
            {
                Expr? operand = Expression(unary.Right);
                if (operand == null)
                {
                    return null;
                }

                switch (unary.Operator)
                {
                    case ScriptUnaryOperator.Not:
                        string? truth = Truth(operand, unary.Right!);
                        if (truth == null)
                        {
                            return null;
                        }

                        if (truth == "true" || truth == "false")
                        {
                            return Bool(truth == "true" ? "false" : "true");
                        }

                        if (truth.Length > 1 && truth[0] == '!' && IsIdentifier(truth.Substring(1)))
                        {
                            return new Expr(truth.Substring(1), TemplateTypeKind.Boolean) { Simple = true };
                        }

                        return new Expr(IsIdentifier(truth) ? "!" + truth : "!(" + truth + ")", TemplateTypeKind.Boolean) { Simple = true };
                    case ScriptUnaryOperator.Negate when IsNumber(operand.Kind) && operand.Form == Form.Value:
                        return new Expr("-" + operand.Paren, operand.Kind) { MaybeNull = operand.MaybeNull, Type = operand.Type };
                    case ScriptUnaryOperator.Plus when IsNumber(operand.Kind) && operand.Form == Form.Value:
                        return operand;
                    default:
                        Unsupported("operator '" + unary.OperatorAsText + "'" + (IsNumber(operand.Kind) ? string.Empty : " on " + Describe(operand)), unary);
                        return null;
                }
            }

            private static bool IsNumber(TemplateTypeKind kind) =>
                kind == TemplateTypeKind.Integer || kind == TemplateTypeKind.Floating || kind == TemplateTypeKind.Decimal;

            /// <summary>C# code for Scriban's truthiness: null and false are false, everything else (0, "") is true.</summary>
            private string? Truth(Expr value, ScriptNode node)
            {
                if (value.Form != Form.Value)
                {
                    Unsupported((value.Form == Form.Join ? "array.join" : "object.default") + " in a condition", node);
                    return null;
                }

                if (value.IsNull)
                {
                    return "false";
                }

                if (value.Kind == TemplateTypeKind.Boolean)
                {
                    return value.MaybeNull ? value.Code + " == true" : value.Code;
                }

                return value.MaybeNull ? value.Code + " is not null" : "true";
            }

            private Expr? PipedBinary(Expr from, ScriptNode fromNode, ScriptBinaryExpression binary)
            {
                if (!IsSupportedBinary(binary))
                {
                    return null;
                }

                Expr? left = binary.Left is ScriptBinaryExpression inner ? PipedBinary(from, fromNode, inner) : Pipe(from, fromNode, binary.Left);
                Expr? right = Expression(binary.Right);
                return left == null || right == null ? null : Combine(binary, left, right);
            }

            private Expr? Binary(ScriptBinaryExpression binary)
            {
                if (!IsSupportedBinary(binary))
                {
                    return null;
                }

                Expr? left = Expression(binary.Left);
                Expr? right = Expression(binary.Right);
                return left == null || right == null ? null : Combine(binary, left, right);
            }

            private bool IsSupportedBinary(ScriptBinaryExpression binary)
            {
                ScriptBinaryOperator op = binary.Operator;
                switch (op)
                {
                    case ScriptBinaryOperator.And:
                    case ScriptBinaryOperator.Or:
                    case ScriptBinaryOperator.CompareEqual:
                    case ScriptBinaryOperator.CompareNotEqual:
                    case ScriptBinaryOperator.CompareLess:
                    case ScriptBinaryOperator.CompareLessOrEqual:
                    case ScriptBinaryOperator.CompareGreater:
                    case ScriptBinaryOperator.CompareGreaterOrEqual:
                    case ScriptBinaryOperator.EmptyCoalescing:
                    case ScriptBinaryOperator.Add:
                    case ScriptBinaryOperator.Subtract:
                    case ScriptBinaryOperator.Multiply:
                        break;
                    default:
                        Unsupported(op == ScriptBinaryOperator.RangeInclude || op == ScriptBinaryOperator.RangeExclude ? "range" : "operator '" + binary.OperatorAsText + "'", binary);
                        return false;
                }

                return true;
            }

            private Expr? Combine(ScriptBinaryExpression binary, Expr left, Expr right)
            {
                ScriptBinaryOperator op = binary.Operator;
                switch (op)
                {
                    case ScriptBinaryOperator.And:
                    case ScriptBinaryOperator.Or:
                        string? l = Truth(left, binary.Left!);
                        string? r = Truth(right, binary.Right!);
                        if (l == null || r == null)
                        {
                            return null;
                        }

                        // Fold constants (operands have no side effects), so no condition becomes a constant by accident.
                        bool and = op == ScriptBinaryOperator.And;
                        if (l == "true" || l == "false")
                        {
                            return (l == "true") == and ? Bool(r) : Bool(l);
                        }

                        if (r == "true" || r == "false")
                        {
                            return (r == "true") == and ? Bool(l) : Bool(r);
                        }

                        return new Expr(
                            "(" + l + ")" + (op == ScriptBinaryOperator.And ? " && " : " || ") + "(" + r + ")",
                            TemplateTypeKind.Boolean);
                    case ScriptBinaryOperator.EmptyCoalescing:
                        return new Expr(string.Empty, left.Kind) { Form = Form.Default, Inner = left, Other = right };
                    case ScriptBinaryOperator.Add:
                    case ScriptBinaryOperator.Subtract:
                    case ScriptBinaryOperator.Multiply:
                        if (left.Form != Form.Value || right.Form != Form.Value || left.Kind != TemplateTypeKind.Integer
                            || right.Kind != TemplateTypeKind.Integer)
                        {
                            Unsupported("operator '" + binary.OperatorAsText + "' between " + Describe(left) + " and " + Describe(right), binary);
                            return null;
                        }

                        if (IsUInt64(left) || IsUInt64(right))
                        {
                            Unsupported("operator '" + binary.OperatorAsText + "' on ulong", binary);
                            return null;
                        }

                        // Scriban widens an overflowing int result to long; computing in long gives the same digits.
                        string symbol = op == ScriptBinaryOperator.Add ? " + " : op == ScriptBinaryOperator.Multiply ? " * " : " - ";
                        bool maybeNull = left.MaybeNull || right.MaybeNull;
                        string widened = left.Literal != null
                            ? left.Code + "L"
                            : (left.MaybeNull ? "(long?)" : "(long)") + left.Paren;
                        return new Expr(widened + symbol + right.Paren, TemplateTypeKind.Integer)
                        {
                            MaybeNull = maybeNull,
                        };
                    default:
                        return Compare(binary, op, left, right);
                }
            }

            private Expr? Compare(ScriptBinaryExpression binary, ScriptBinaryOperator op, Expr left, Expr right)
            {
                bool equality = op == ScriptBinaryOperator.CompareEqual || op == ScriptBinaryOperator.CompareNotEqual;
                string symbol = op switch
                {
                    ScriptBinaryOperator.CompareEqual => " == ",
                    ScriptBinaryOperator.CompareNotEqual => " != ",
                    ScriptBinaryOperator.CompareLess => " < ",
                    ScriptBinaryOperator.CompareLessOrEqual => " <= ",
                    ScriptBinaryOperator.CompareGreater => " > ",
                    _ => " >= ",
                };

                if (left.Form != Form.Value || right.Form != Form.Value)
                {
                    Unsupported("comparison with " + (left.Form == Form.Join || right.Form == Form.Join ? "array.join" : "a default value"), binary);
                    return null;
                }

                if (left.IsNull || right.IsNull)
                {
                    Expr other = left.IsNull ? right : left;
                    if (!equality)
                    {
                        Unsupported("ordering comparison with null", binary);
                        return null;
                    }

                    bool equal = op == ScriptBinaryOperator.CompareEqual;
                    if (other.IsNull)
                    {
                        return Bool(equal ? "true" : "false");
                    }

                    if (!other.MaybeNull)
                    {
                        return Bool(equal ? "false" : "true");
                    }

                    return Bool(other.Paren + (equal ? " is null" : " is not null"));
                }

                if (IsNumber(left.Kind) && IsNumber(right.Kind))
                {
                    TemplateTypeKind target = left.Kind == TemplateTypeKind.Decimal || right.Kind == TemplateTypeKind.Decimal
                        ? TemplateTypeKind.Decimal
                        : left.Kind == TemplateTypeKind.Floating || right.Kind == TemplateTypeKind.Floating ? TemplateTypeKind.Floating : TemplateTypeKind.Integer;
                    string? a = NumberOperand(left, target);
                    string? b = NumberOperand(right, target);
                    if (a == null || b == null || (IsUInt64(left) && IsSigned(right)) || (IsUInt64(right) && IsSigned(left)))
                    {
                        Unsupported("comparison between " + Describe(left) + " and " + Describe(right), binary);
                        return null;
                    }

                    return Bool(a + symbol + b);
                }

                if (left.Kind == TemplateTypeKind.String && right.Kind == TemplateTypeKind.String)
                {
                    if (equality)
                    {
                        return Bool((op == ScriptBinaryOperator.CompareNotEqual ? "!" : string.Empty) + "global::System.String.Equals(" + left.Code + ", " + right.Code + ")");
                    }

                    return Bool("global::System.String.CompareOrdinal(" + left.Code + ", " + right.Code + ")" + symbol + "0");
                }

                if (left.Kind == TemplateTypeKind.Enum || right.Kind == TemplateTypeKind.Enum)
                {
                    Expr enumSide = left.Kind == TemplateTypeKind.Enum ? left : right;
                    Expr other = ReferenceEquals(enumSide, left) ? right : left;
                    if (equality && other.Kind == TemplateTypeKind.String && other.Literal is string name && enumSide.Type != null)
                    {
                        foreach (string member in enumSide.Type.EnumMembers)
                        {
                            if (member == name)
                            {
                                return Bool(enumSide.Code + symbol + enumSide.Type.Name + "." + Identifier(member));
                            }
                        }

                        Unsupported("comparison with '" + name + "', which is not a member of " + enumSide.Type.Name, binary);
                        return null;
                    }

                    if (equality && other.Kind == TemplateTypeKind.Enum && other.Type?.Name == enumSide.Type?.Name)
                    {
                        return Bool(left.Code + symbol + right.Code);
                    }

                    Unsupported("comparison between " + Describe(left) + " and " + Describe(right), binary);
                    return null;
                }

                if (equality && (left.Kind == TemplateTypeKind.Char || right.Kind == TemplateTypeKind.Char))
                {
                    Expr other = left.Kind == TemplateTypeKind.Char ? right : left;
                    Expr character = ReferenceEquals(other, left) ? right : left;
                    if (other.Literal is string { Length: 1 } text)
                    {
                        return Bool(character.Paren + symbol + CharLiteral(text[0]));
                    }
                }

                if (left.Kind == right.Kind)
                {
                    switch (left.Kind)
                    {
                        case TemplateTypeKind.Boolean:
                        case TemplateTypeKind.Guid:
                            if (equality)
                            {
                                return Bool(left.Paren + symbol + right.Paren);
                            }

                            break;
                        case TemplateTypeKind.Char:
                        case TemplateTypeKind.DateTime:
                        case TemplateTypeKind.DateTimeOffset:
                        case TemplateTypeKind.TimeSpan:
                            return Bool(left.Paren + symbol + right.Paren);
                    }
                }

                Unsupported("comparison between " + Describe(left) + " and " + Describe(right), binary);
                return null;
            }

            private static Expr Bool(string code) => new Expr(code, TemplateTypeKind.Boolean);

            private static bool IsUInt64(Expr value) =>
                value.Kind == TemplateTypeKind.Integer && value.Literal == null && value.Type?.Name == "global::System.UInt64";

            /// <summary>A signed integer C# cannot mix with ulong (a variable of a signed type, or a negative constant).</summary>
            private static bool IsSigned(Expr value)
            {
                if (value.Kind != TemplateTypeKind.Integer)
                {
                    return false;
                }

                switch (value.Literal)
                {
                    case int i:
                        return i < 0;
                    case long l:
                        return l < 0;
                }

                if (value.Type == null)
                {
                    return true; // computed: for.index, arithmetic (long), negation
                }

                switch (value.Type.Name)
                {
                    case "global::System.SByte":
                    case "global::System.Int16":
                    case "global::System.Int32":
                    case "global::System.Int64":
                        return true;
                    default:
                        return false;
                }
            }

            private static string? NumberOperand(Expr value, TemplateTypeKind target)
            {
                if (value.Literal != null)
                {
                    string text = Convert.ToString(value.Literal, CultureInfo.InvariantCulture)!;
                    if (value.Literal is double d)
                    {
                        text = d.ToString("R", CultureInfo.InvariantCulture);
                    }

                    switch (target)
                    {
                        case TemplateTypeKind.Decimal:
                            return "(" + text + "M)";
                        case TemplateTypeKind.Floating:
                            return "(" + text + "D)";
                        default:
                            return value.Paren;
                    }
                }

                if (target == TemplateTypeKind.Decimal && value.Kind == TemplateTypeKind.Floating)
                {
                    return null;
                }

                if (target == TemplateTypeKind.Floating && value.Kind == TemplateTypeKind.Integer && value.Type?.Name == "global::System.UInt64")
                {
                    return null;
                }

                return value.Paren;
            }

            // ---------------------------------------------------------------- functions

            private Expr? Pipe(Expr? from, ScriptNode fromNode, ScriptExpression? to)
            {
                if (from == null)
                {
                    return null;
                }

                switch (to)
                {
                    case ScriptPipeCall chained:
                        Expr? middle = Pipe(from, fromNode, chained.From);
                        return Pipe(middle, chained.From!, chained.To);
                    case ScriptFunctionCall call:
                        return Call(call.Target, from, fromNode, call.Arguments, call);
                    case ScriptBinaryExpression binary:
                        // `x | array.size > 0`: Scriban pipes into the leftmost operand, then applies the operators.
                        return PipedBinary(from, fromNode, binary);
                    case null:
                        return null;
                    default:
                        return Call(to, from, fromNode, null, to);
                }
            }

            private string? FunctionName(ScriptExpression? target)
            {
                switch (target)
                {
                    case ScriptMemberExpression { Target: ScriptVariableGlobal owner, Member: ScriptVariable member } when !IsShadowed(owner.Name):
                        return owner.Name + "." + member.Name;
                    case ScriptVariableGlobal variable when !IsShadowed(variable.Name):
                        return variable.Name;
                    default:
                        return null;
                }
            }

            private Expr? Call(ScriptExpression? target, Expr? piped, ScriptNode? pipedNode, ScriptList<ScriptExpression>? arguments, ScriptNode node)
            {
                string? name = FunctionName(target);
                if (name == null)
                {
                    Unsupported("call of " + (target == null ? "an expression" : ConstructName(target)), node);
                    return null;
                }

                int expected;
                switch (name)
                {
                    case "string.upcase":
                    case "string.downcase":
                    case "string.size":
                    case "array.size":
                        expected = 1;
                        break;
                    case "array.join":
                    case "object.default":
                    case "math.format":
                    case "date.to_string":
                        expected = 2;
                        break;
                    default:
                        Unsupported(name, target!);
                        return null;
                }

                var args = new List<Expr>();
                var nodes = new List<ScriptNode>();
                if (piped != null)
                {
                    args.Add(piped);
                    nodes.Add(pipedNode!);
                }

                bool failed = false;
                if (arguments != null)
                {
                    foreach (ScriptExpression argument in arguments)
                    {
                        if (argument is ScriptNamedArgument named)
                        {
                            Unsupported("named argument " + (named.Name?.Name ?? string.Empty) + ":", named);
                            failed = true;
                            continue;
                        }

                        Expr? compiled = Expression(argument);
                        if (compiled == null)
                        {
                            failed = true;
                            continue;
                        }

                        args.Add(compiled);
                        nodes.Add(argument);
                    }
                }

                if (failed)
                {
                    return null;
                }

                if (args.Count != expected)
                {
                    Unsupported(name + " with " + args.Count + " argument" + (args.Count == 1 ? string.Empty : "s") + " (it takes " + expected + ")", node);
                    return null;
                }

                Expr value = args[0];
                switch (name)
                {
                    case "string.upcase":
                    case "string.downcase":
                        string? text = StringOf(value, nodes[0]);
                        if (text == null)
                        {
                            return null;
                        }

                        string method = name == "string.upcase" ? "ToUpperInvariant()" : "ToLowerInvariant()";
                        bool textMaybeNull = value.MaybeNull || (value.Kind == TemplateTypeKind.Boolean && value.MaybeNull);
                        string textCode = value.Kind == TemplateTypeKind.String && value.Simple
                            ? text + (value.MaybeNull ? value.ContinueOp : ".") + method
                            : (value.Simple || value.Kind == TemplateTypeKind.Boolean ? text : "(" + text + ")") + (textMaybeNull ? "?." : ".") + method;
                        return new Expr(textCode, TemplateTypeKind.String) { MaybeNull = textMaybeNull, ContinueOp = textMaybeNull ? "?." : ".", Simple = true };
                    case "string.size":
                        string? sized = StringOf(value, nodes[0]);
                        if (sized == null)
                        {
                            return null;
                        }

                        return new Expr("(" + (value.Simple && value.Kind == TemplateTypeKind.String ? sized : "(" + sized + ")") + "?.Length ?? 0)", TemplateTypeKind.Integer) { Simple = true };
                    case "array.size":
                        if (value.IsNull)
                        {
                            return new Expr("0", TemplateTypeKind.Integer) { Simple = true, Literal = 0 };
                        }

                        if (value.Form != Form.Value || value.Kind != TemplateTypeKind.Enumerable || value.Type == null)
                        {
                            Unsupported("array.size of a value of type " + Describe(value), nodes[0]);
                            return null;
                        }

                        if (value.Type.CountMember == null)
                        {
                            Unsupported("array.size of a sequence without Count or Length", nodes[0]);
                            return null;
                        }

                        return value.MaybeNull
                            ? new Expr("(" + value.Code + value.ContinueOp + value.Type.CountMember + " ?? 0)", TemplateTypeKind.Integer) { Simple = true }
                            : new Expr(value.Code + "." + value.Type.CountMember, TemplateTypeKind.Integer) { Simple = true };
                    case "array.join":
                        if (value.IsNull)
                        {
                            return new Expr("null", TemplateTypeKind.Other) { IsNull = true, Simple = true, MaybeNull = true };
                        }

                        if (value.Form != Form.Value || value.Kind != TemplateTypeKind.Enumerable || value.Type?.ElementType == null)
                        {
                            Unsupported("array.join of a value of type " + Describe(value), nodes[0]);
                            return null;
                        }

                        if (!IsScalar(value.Type.ElementType.Kind))
                        {
                            Unsupported("array.join of elements of type " + value.Type.ElementType.DisplayName, nodes[0]);
                            return null;
                        }

                        return new Expr(string.Empty, TemplateTypeKind.String) { Form = Form.Join, Inner = value, Other = args[1] };
                    case "object.default":
                        return new Expr(string.Empty, value.Kind) { Form = Form.Default, Inner = value, Other = args[1], EmptyIsDefault = true };
                    case "math.format":
                    case "date.to_string":
                        if (args[1].Literal is not string format)
                        {
                            Unsupported(name + " with a format that is not a string literal", nodes[1]);
                            return null;
                        }

                        if (value.IsNull)
                        {
                            return value;
                        }

                        if (value.Form != Form.Value)
                        {
                            Unsupported(name + " of " + (value.Form == Form.Join ? "array.join" : "object.default"), nodes[0]);
                            return null;
                        }

                        if (name == "math.format")
                        {
                            if (!IsNumber(value.Kind))
                            {
                                Unsupported("math.format of a value of type " + Describe(value), nodes[0]);
                                return null;
                            }

                            return new Expr(value.Code, value.Kind)
                            {
                                Format = format, MaybeNull = value.MaybeNull, Simple = value.Simple, ContinueOp = value.ContinueOp, Type = value.Type,
                            };
                        }

                        if (value.Kind != TemplateTypeKind.DateTime)
                        {
                            Unsupported("date.to_string of a value of type " + Describe(value), nodes[0]);
                            return null;
                        }

                        string? dotnet = DateFormat.ToDotNet(format, out string? unsupported);
                        if (dotnet == null)
                        {
                            Unsupported("date format " + unsupported, nodes[1]);
                            return null;
                        }

                        return new Expr(value.Code, value.Kind)
                        {
                            Format = dotnet, MaybeNull = value.MaybeNull, Simple = value.Simple, ContinueOp = value.ContinueOp, Type = value.Type,
                        };
                    default:
                        Unsupported(name, node);
                        return null;
                }
            }

            // ---------------------------------------------------------------- helpers

            private void Line(string text)
            {
                if (text.Length > 0)
                {
                    _out.Append(' ', _indent * 4).Append(text);
                }

                _out.Append('\n');
            }

            private string Unique(string name)
            {
                string candidate = name;
                for (int i = 1; !_names.Add(candidate) || IsKeyword(candidate); i++)
                {
                    candidate = name + i.ToString(CultureInfo.InvariantCulture);
                }

                return candidate;
            }

            private static string LocalBase(Expr value)
            {
                string code = value.Code;
                int start = code.Length;
                while (start > 0 && (char.IsLetterOrDigit(code[start - 1]) || code[start - 1] == '_'))
                {
                    start--;
                }

                string last = code.Substring(start);
                if (last.Length == 0 || !char.IsLetter(last[0]))
                {
                    return "value";
                }

                return char.ToLowerInvariant(last[0]) + last.Substring(1) + "Value";
            }

            private static bool IsKeyword(string name) =>
                SyntaxFacts.GetKeywordKind(name) != SyntaxKind.None || SyntaxFacts.GetContextualKeywordKind(name) == SyntaxKind.VarKeyword;

            private static string Identifier(string name) => SyntaxFacts.GetKeywordKind(name) != SyntaxKind.None ? "@" + name : name;

            private static bool IsIdentifier(string code)
            {
                if (code.Length == 0)
                {
                    return false;
                }

                for (int i = code[0] == '@' ? 1 : 0; i < code.Length; i++)
                {
                    if (!(char.IsLetterOrDigit(code[i]) || code[i] == '_'))
                    {
                        return false;
                    }
                }

                return true;
            }

            private static string Describe(Expr value)
            {
                if (value.IsNull)
                {
                    return "null";
                }

                if (value.Type != null)
                {
                    return value.Type.DisplayName;
                }

                return value.Kind switch
                {
                    TemplateTypeKind.String => "string",
                    TemplateTypeKind.Boolean => "bool",
                    TemplateTypeKind.Integer => "int",
                    TemplateTypeKind.Floating => "double",
                    TemplateTypeKind.Decimal => "decimal",
                    _ => value.Kind.ToString(),
                };
            }

            private static string ConstructName(ScriptNode node)
            {
                switch (node)
                {
                    case ScriptFunction:
                        return "func";
                    case ScriptCaptureStatement:
                        return "capture";
                    case ScriptWhileStatement:
                        return "while";
                    case ScriptCaseStatement:
                        return "case";
                    case ScriptWhenStatement:
                        return "when";
                    case ScriptWithStatement:
                        return "with";
                    case ScriptWrapStatement:
                        return "wrap";
                    case ScriptImportStatement:
                        return "import";
                    case ScriptReadOnlyStatement:
                        return "readonly";
                    case ScriptReturnStatement:
                        return "ret";
                    case ScriptIndexerExpression:
                        return "indexer [ ]";
                    case ScriptArrayInitializerExpression:
                        return "array initializer [ ]";
                    case ScriptObjectInitializerExpression:
                        return "object initializer { }";
                    case ScriptConditionalExpression:
                        return "conditional expression ? :";
                    case ScriptInterpolatedStringExpression:
                        return "interpolated string";
                    case ScriptAnonymousFunction:
                        return "anonymous function";
                    case ScriptThisExpression:
                        return "this";
                    case ScriptIncrementDecrementExpression:
                        return "++/--";
                    case ScriptArgumentBinary:
                        return "function argument operator";
                    case ScriptVariable variable:
                        return variable.Name;
                    case ScriptMemberExpression member:
                        return member.Target is ScriptVariable owner && member.Member is not null ? owner.Name + "." + member.Member.Name : "member expression";
                    case ScriptPipeCall:
                        return "pipe";
                    default:
                        string name = node.GetType().Name;
                        if (name.StartsWith("Script", StringComparison.Ordinal))
                        {
                            name = name.Substring(6);
                        }

                        if (name.EndsWith("Statement", StringComparison.Ordinal))
                        {
                            name = name.Substring(0, name.Length - 9);
                        }
                        else if (name.EndsWith("Expression", StringComparison.Ordinal))
                        {
                            name = name.Substring(0, name.Length - 10);
                        }

                        return name.ToLowerInvariant();
                }
            }

            private void Unsupported(string construct, ScriptNode node)
            {
                bool plain = construct.IndexOf(' ') < 0 && construct.IndexOf('\'') < 0;
                AddDiagnostic(
                    TemplateDiagnosticKind.UnsupportedConstruct,
                    (plain ? "'" + construct + "'" : construct) + " is not supported in prompt templates",
                    construct,
                    SpanOf(node));
            }

            /// <summary>The node's span; where Scriban left it empty (some calls inside pipes), the union of its children's.</summary>
            private static SourceSpan SpanOf(ScriptNode node, int depth = 0)
            {
                SourceSpan span = node.Span;
                if (span.End.Offset >= span.Start.Offset || depth > MaxDepth)
                {
                    return span;
                }

                int start = int.MaxValue;
                int end = -1;
                TextPosition startPosition = span.Start;
                TextPosition endPosition = span.End;
                foreach (ScriptNode child in node.Children)
                {
                    SourceSpan childSpan = SpanOf(child, depth + 1);
                    if (childSpan.End.Offset < childSpan.Start.Offset)
                    {
                        continue;
                    }

                    if (childSpan.Start.Offset < start)
                    {
                        start = childSpan.Start.Offset;
                        startPosition = childSpan.Start;
                    }

                    if (childSpan.End.Offset > end)
                    {
                        end = childSpan.End.Offset;
                        endPosition = childSpan.End;
                    }
                }

                return end < 0 ? span : new SourceSpan(span.FileName, startPosition, endPosition);
            }

            private void AddDiagnostic(TemplateDiagnosticKind kind, string message, string subject, SourceSpan span)
            {
                int length = _template.Length;
                int offset = span.Start.Offset;
                int spanLength = span.End.Offset >= span.Start.Offset ? span.End.Offset - span.Start.Offset + 1 : 0;
                if (offset < 0 || offset > length)
                {
                    offset = Math.Max(0, Math.Min(offset, length));
                }

                if (offset + spanLength > length)
                {
                    spanLength = length - offset;
                }

                ComputeLineColumn(offset, out int line, out int column);
                var diagnostic = new TemplateDiagnostic(kind, message, subject, offset, Math.Max(0, spanLength), line, column);
                if (!_diagnostics.Contains(diagnostic))
                {
                    _diagnostics.Add(diagnostic);
                }
            }

            private void ComputeLineColumn(int offset, out int line, out int column)
            {
                line = 0;
                int lineStart = 0;
                for (int i = 0; i < offset && i < _template.Length; i++)
                {
                    char c = _template[i];
                    if (c == '\n' || (c == '\r' && (i + 1 >= _template.Length || _template[i + 1] != '\n')))
                    {
                        line++;
                        lineStart = i + 1;
                    }
                }

                column = offset - lineStart;
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
