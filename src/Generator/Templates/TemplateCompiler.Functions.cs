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
        }
    }
}
