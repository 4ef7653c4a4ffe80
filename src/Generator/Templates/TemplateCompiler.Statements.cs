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
        }
    }
}
