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
        }
    }
}
