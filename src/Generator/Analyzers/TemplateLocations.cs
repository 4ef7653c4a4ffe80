using System;
using System.Globalization;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Text;

namespace PromptGen.Generator.Analyzers
{
    /// <summary>
    /// Maps an offset inside a template's value to a position in source. Regular (with every C# escape), verbatim and raw
    /// (single- and multi-line) string literals map exactly; anything else (interpolated strings, concatenations,
    /// constants) maps to the whole expression.
    /// </summary>
    internal static class TemplateLocations
    {
        /// <summary>The location of <paramref name="length"/> template characters from <paramref name="offset"/> in <paramref name="expression"/>.</summary>
        public static Location Map(ExpressionSyntax expression, int offset, int length)
        {
            int[]? map = expression is LiteralExpressionSyntax literal && literal.IsKind(SyntaxKind.StringLiteralExpression)
                ? Build(literal.Token)
                : null;
            if (map is null)
            {
                return expression.GetLocation();
            }

            int valueLength = map.Length - 1;
            int start = Clamp(offset, 0, valueLength);
            int end = Clamp(offset + Math.Max(0, length), start, valueLength);
            int tokenStart = ((LiteralExpressionSyntax)expression).Token.SpanStart;
            var span = TextSpan.FromBounds(tokenStart + map[start], tokenStart + map[end]);
            return Location.Create(expression.SyntaxTree, span);
        }

        /// <summary>
        /// For each character of the token's value, its offset in the token's text; one extra entry for the end of the value.
        /// Null when the walk does not reproduce the compiler's value (then the caller falls back to the whole literal).
        /// </summary>
        internal static int[]? Build(SyntaxToken token)
        {
            string text = token.Text;
            string value = token.ValueText;
            int[]? map;
            try
            {
                map = token.Kind() switch
                {
                    SyntaxKind.StringLiteralToken when text.StartsWith("@", StringComparison.Ordinal) => Verbatim(text),
                    SyntaxKind.StringLiteralToken => Regular(text),
                    SyntaxKind.SingleLineRawStringLiteralToken => SingleLineRaw(text),
                    SyntaxKind.MultiLineRawStringLiteralToken => MultiLineRaw(text),
                    _ => null,
                };
            }
            catch (Exception ex) when (ex is ArgumentException or IndexOutOfRangeException or FormatException or OverflowException)
            {
                return null;
            }

            return map is not null && map.Length == value.Length + 1 ? map : null;
        }

        private static int[]? Verbatim(string text)
        {
            var map = new System.Collections.Generic.List<int>(text.Length);
            int i = 2; // @"
            int end = text.Length - 1;
            while (i < end)
            {
                map.Add(i);
                i += text[i] == '"' && i + 1 < end && text[i + 1] == '"' ? 2 : 1;
            }

            map.Add(end);
            return map.ToArray();
        }

        private static int[]? Regular(string text)
        {
            if (text.Length < 2 || text[0] != '"')
            {
                return null;
            }

            var map = new System.Collections.Generic.List<int>(text.Length);
            int i = 1;
            int end = text.Length - 1;
            while (i < end)
            {
                int start = i;
                if (text[i] != '\\')
                {
                    map.Add(start);
                    i++;
                    continue;
                }

                char kind = text[i + 1];
                switch (kind)
                {
                    case 'u':
                        AddChars(map, start, char.ConvertFromUtf32(int.Parse(text.Substring(i + 2, 4), NumberStyles.HexNumber, CultureInfo.InvariantCulture)).Length);
                        i += 6;
                        break;
                    case 'U':
                        AddChars(map, start, char.ConvertFromUtf32(int.Parse(text.Substring(i + 2, 8), NumberStyles.HexNumber, CultureInfo.InvariantCulture)).Length);
                        i += 10;
                        break;
                    case 'x':
                        int digits = 0;
                        while (digits < 4 && i + 2 + digits < end && Uri.IsHexDigit(text[i + 2 + digits]))
                        {
                            digits++;
                        }

                        map.Add(start);
                        i += 2 + digits;
                        break;
                    default:
                        map.Add(start);
                        i += 2;
                        break;
                }
            }

            map.Add(end);
            return map.ToArray();
        }

        private static void AddChars(System.Collections.Generic.List<int> map, int start, int count)
        {
            for (int k = 0; k < count; k++)
            {
                map.Add(start);
            }
        }

        private static int[]? SingleLineRaw(string text)
        {
            int quotes = 0;
            while (quotes < text.Length && text[quotes] == '"')
            {
                quotes++;
            }

            int end = text.Length - quotes;
            var map = new int[Math.Max(0, end - quotes) + 1];
            for (int k = 0; k < map.Length; k++)
            {
                map[k] = quotes + k;
            }

            return map;
        }

        private static int[]? MultiLineRaw(string text)
        {
            int quotes = 0;
            while (quotes < text.Length && text[quotes] == '"')
            {
                quotes++;
            }

            // The closing line: whitespace then the closing quotes. Its whitespace is removed from every content line.
            int closeQuotes = text.Length - quotes;
            int closingLineStart = closeQuotes;
            while (closingLineStart > 0 && text[closingLineStart - 1] is ' ' or '\t')
            {
                closingLineStart--;
            }

            int indent = closeQuotes - closingLineStart;
            int contentStart = text.IndexOf('\n', quotes) + 1;
            if (contentStart <= 0)
            {
                return null;
            }

            // The newline before the closing line is not part of the value.
            int contentEnd = closingLineStart;
            if (contentEnd > 0 && text[contentEnd - 1] == '\n')
            {
                contentEnd--;
            }

            if (contentEnd > 0 && text[contentEnd - 1] == '\r')
            {
                contentEnd--;
            }

            var map = new System.Collections.Generic.List<int>(text.Length);
            int i = contentStart;
            bool lineStart = true;
            while (i < contentEnd)
            {
                if (lineStart)
                {
                    lineStart = false;
                    int skipped = 0;
                    while (skipped < indent && i < contentEnd && text[i] is ' ' or '\t')
                    {
                        i++;
                        skipped++;
                    }

                    continue;
                }

                map.Add(i);
                if (text[i] == '\n')
                {
                    lineStart = true;
                }

                i++;
            }

            map.Add(contentEnd);
            return map.ToArray();
        }

        private static int Clamp(int value, int min, int max) => value < min ? min : value > max ? max : value;
    }
}
