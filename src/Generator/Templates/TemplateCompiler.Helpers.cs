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
    internal static partial class TemplateCompiler
    {
        private sealed partial class Compiler
        {
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
    }
}
