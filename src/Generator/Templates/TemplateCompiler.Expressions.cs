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
        }
    }
}
