using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace PromptGen.Runtime.Tests.Model;

/// <summary>
/// Test-only reader for the YAML subset that vcrpy/PyYAML writes in the pydantic-ai cassettes: block mappings and
/// sequences (including sequences at the same indent as their key), plain / single-quoted / double-quoted scalars
/// spanning several lines (flow folding), literal and folded block scalars with chomping and indentation indicators,
/// the <c>!!binary</c> tag (kept as its base64 text), and empty flow collections <c>{}</c> / <c>[]</c>.
/// Anything outside that subset throws, so a cassette the reader misunderstands fails loudly.
/// </summary>
internal sealed class MiniYaml
{
    private readonly List<(int Indent, string Text)> _lines;
    private int _pos;

    private MiniYaml(string text)
    {
        _lines = text.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n')
            .Select(l => (Indent: l.Length - l.TrimStart(' ').Length, Text: l.TrimStart(' ')))
            .ToList();
    }

    public static JsonNode? Parse(string text)
    {
        var yaml = new MiniYaml(text);
        yaml.SkipBlank();
        if (yaml._pos >= yaml._lines.Count)
        {
            return null;
        }

        JsonNode? node = yaml.ParseNode(yaml._lines[yaml._pos].Indent);
        yaml.SkipBlank();
        if (yaml._pos < yaml._lines.Count)
        {
            throw new FormatException($"Unexpected content at line {yaml._pos + 1}: {yaml._lines[yaml._pos].Text}");
        }

        return node;
    }

    private void SkipBlank()
    {
        while (_pos < _lines.Count && (_lines[_pos].Text.Length == 0 || _lines[_pos].Text.StartsWith('#')))
        {
            _pos++;
        }
    }

    private static bool IsSeqItem(string text) => text == "-" || text.StartsWith("- ", StringComparison.Ordinal);

    private JsonNode? ParseNode(int indent)
    {
        SkipBlank();
        (int ind, string text) = _lines[_pos];
        if (ind != indent)
        {
            throw new FormatException($"Line {_pos + 1}: expected indent {indent}, found {ind}");
        }

        if (IsSeqItem(text))
        {
            return ParseSequence(indent);
        }

        if (FindKeySeparator(text) >= 0)
        {
            return ParseMapping(indent);
        }

        // A lone scalar on its own line.
        _pos++;
        return ParseInlineValue(text, indent - 1);
    }

    private JsonArray ParseSequence(int indent)
    {
        var array = new JsonArray();
        while (true)
        {
            SkipBlank();
            if (_pos >= _lines.Count || _lines[_pos].Indent != indent || !IsSeqItem(_lines[_pos].Text))
            {
                return array;
            }

            string rest = _lines[_pos].Text.Length > 1 ? _lines[_pos].Text[2..] : string.Empty;
            int restIndent = indent + 2 + (rest.Length - rest.TrimStart(' ').Length);
            rest = rest.TrimStart(' ');
            if (rest.Length == 0)
            {
                _pos++;
                SkipBlank();
                array.Add(_pos < _lines.Count && _lines[_pos].Indent > indent ? ParseNode(_lines[_pos].Indent) : null);
            }
            else if (IsSeqItem(rest) || (FindKeySeparator(rest) >= 0 && !IsQuotedOrBlockStart(rest)))
            {
                // "- key: value" starts a mapping whose keys sit at the column after "- ".
                _lines[_pos] = (restIndent, rest);
                array.Add(ParseNode(restIndent));
            }
            else
            {
                _pos++;
                array.Add(ParseInlineValue(rest, indent));
            }
        }
    }

    private static bool IsQuotedOrBlockStart(string text) => text[0] is '\'' or '"' or '|' or '>' or '!' or '{' or '[';

    private JsonObject ParseMapping(int indent)
    {
        var obj = new JsonObject();
        while (true)
        {
            SkipBlank();
            if (_pos >= _lines.Count || _lines[_pos].Indent != indent || IsSeqItem(_lines[_pos].Text))
            {
                return obj;
            }

            string text = _lines[_pos].Text;
            int sep = FindKeySeparator(text);
            if (sep < 0)
            {
                throw new FormatException($"Line {_pos + 1}: expected 'key:' but found {text}");
            }

            string key = UnquoteKey(text[..sep]);
            string rest = text[(sep + 1)..].Trim();
            _pos++;
            JsonNode? value;
            if (rest.Length == 0)
            {
                SkipBlank();
                if (_pos < _lines.Count && _lines[_pos].Indent > indent)
                {
                    value = ParseNode(_lines[_pos].Indent);
                }
                else if (_pos < _lines.Count && _lines[_pos].Indent == indent && IsSeqItem(_lines[_pos].Text))
                {
                    value = ParseSequence(indent);
                }
                else
                {
                    value = null;
                }
            }
            else
            {
                value = ParseInlineValue(rest, indent);
            }

            obj[key] = value;
        }
    }

    /// <summary>The index of the ':' ending a mapping key on this line, or -1.</summary>
    private static int FindKeySeparator(string text)
    {
        if (text.Length == 0)
        {
            return -1;
        }

        if (text[0] is '\'' or '"')
        {
            char q = text[0];
            for (int i = 1; i < text.Length; i++)
            {
                if (text[i] == q)
                {
                    if (q == '\'' && i + 1 < text.Length && text[i + 1] == '\'')
                    {
                        i++;
                        continue;
                    }

                    if (q == '"' && text[i - 1] == '\\')
                    {
                        continue;
                    }

                    return i + 1 < text.Length && text[i + 1] == ':' && (i + 2 == text.Length || text[i + 2] == ' ') ? i + 1 : -1;
                }
            }

            return -1;
        }

        if (IsQuotedOrBlockStart(text))
        {
            return -1;
        }

        for (int i = 0; i < text.Length; i++)
        {
            if (text[i] == ':' && (i + 1 == text.Length || text[i + 1] == ' '))
            {
                return i;
            }
        }

        return -1;
    }

    private static string UnquoteKey(string key)
    {
        key = key.Trim();
        if (key.Length >= 2 && key[0] == '\'' && key[^1] == '\'')
        {
            return key[1..^1].Replace("''", "'", StringComparison.Ordinal);
        }

        if (key.Length >= 2 && key[0] == '"' && key[^1] == '"')
        {
            return Unescape(key[1..^1]);
        }

        return key;
    }

    /// <summary>Parses a value that starts on the current (already consumed) line; <paramref name="parentIndent"/> is the key's indent.</summary>
    private JsonNode? ParseInlineValue(string text, int parentIndent)
    {
        bool binary = false;
        if (text.StartsWith("!!binary", StringComparison.Ordinal))
        {
            binary = true;
            text = text["!!binary".Length..].TrimStart();
        }
        else if (text.StartsWith('!'))
        {
            throw new FormatException($"Unsupported tag: {text}");
        }

        if (text.Length > 0 && text[0] is '|' or '>')
        {
            string block = ReadBlockScalar(text, parentIndent);
            return binary ? JsonValue.Create(string.Concat(block.Where(c => !char.IsWhiteSpace(c)))) : JsonValue.Create(block);
        }

        if (text.StartsWith('\''))
        {
            return JsonValue.Create(ReadQuoted(text, '\'', parentIndent));
        }

        if (text.StartsWith('"'))
        {
            return JsonValue.Create(ReadQuoted(text, '"', parentIndent));
        }

        if (text == "{}")
        {
            return new JsonObject();
        }

        if (text == "[]")
        {
            return new JsonArray();
        }

        if (text[0] is '{' or '[')
        {
            throw new FormatException($"Non-empty flow collections are not supported: {text}");
        }

        // Plain scalar, possibly continued on more-indented lines.
        var parts = new List<string> { text.TrimEnd() };
        while (PlainContinues(parentIndent))
        {
            parts.Add(_lines[_pos].Text.TrimEnd());
            _pos++;
        }

        TrimTrailingEmpty(parts);
        string plain = Fold(parts);
        return parts.Count == 1 ? Resolve(plain) : JsonValue.Create(plain);
    }

    /// <summary>True when the next line (or the next non-blank line after blank ones) is more indented than the key.</summary>
    private bool PlainContinues(int parentIndent)
    {
        int p = _pos;
        while (p < _lines.Count && _lines[p].Text.Length == 0)
        {
            p++;
        }

        return p < _lines.Count && _lines[p].Indent > parentIndent && !_lines[p].Text.StartsWith('#');
    }

    private static void TrimTrailingEmpty(List<string> parts)
    {
        while (parts.Count > 1 && parts[^1].Length == 0)
        {
            parts.RemoveAt(parts.Count - 1);
        }
    }

    /// <summary>YAML flow folding: a single line break becomes a space; n empty lines become n newlines.</summary>
    private static string Fold(List<string> lines)
    {
        var sb = new StringBuilder(lines[0]);
        int empties = 0;
        for (int i = 1; i < lines.Count; i++)
        {
            string line = lines[i].Trim(' ', '\t');
            if (line.Length == 0)
            {
                empties++;
                continue;
            }

            sb.Append(empties == 0 ? " " : new string('\n', empties));
            empties = 0;
            sb.Append(line);
        }

        if (empties > 0)
        {
            sb.Append(new string('\n', empties));
        }

        return sb.ToString();
    }

    private static JsonNode? Resolve(string plain)
    {
        switch (plain)
        {
            case "null" or "Null" or "NULL" or "~" or "":
                return null;
            case "true" or "True" or "TRUE":
                return JsonValue.Create(true);
            case "false" or "False" or "FALSE":
                return JsonValue.Create(false);
        }

        if (System.Text.RegularExpressions.Regex.IsMatch(plain, "^[-+]?[0-9]+$")
            && long.TryParse(plain, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long l))
        {
            return JsonValue.Create(l);
        }

        if (System.Text.RegularExpressions.Regex.IsMatch(plain, @"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$")
            && double.TryParse(plain, NumberStyles.Float, CultureInfo.InvariantCulture, out double d))
        {
            return JsonValue.Create(d);
        }

        return JsonValue.Create(plain);
    }

    private string ReadQuoted(string first, char quote, int parentIndent)
    {
        // Gather raw lines until the closing quote.
        var raw = new List<string>();
        string current = first[1..];
        while (true)
        {
            int close = FindClosingQuote(current, quote);
            if (close >= 0)
            {
                raw.Add(current[..close]);
                string after = current[(close + 1)..].Trim();
                if (after.Length != 0 && !after.StartsWith('#'))
                {
                    throw new FormatException($"Unexpected text after a quoted scalar: {after}");
                }

                break;
            }

            raw.Add(current);
            if (_pos >= _lines.Count)
            {
                throw new FormatException("Unterminated quoted scalar");
            }

            current = _lines[_pos].Text;
            _pos++;
        }

        if (quote == '\'')
        {
            var lines = raw.Select((l, i) => i == raw.Count - 1 ? l : l.TrimEnd(' ', '\t')).ToList();
            return Fold(lines).Replace("''", "'", StringComparison.Ordinal);
        }

        // Double-quoted: a line ending in an unescaped backslash joins the next line without folding.
        var sb = new StringBuilder();
        int empties = 0;
        bool joinNext = false;
        for (int i = 0; i < raw.Count; i++)
        {
            string line = raw[i];
            if (i > 0)
            {
                line = line.TrimStart(' ', '\t');
            }

            bool last = i == raw.Count - 1;
            bool escapedBreak = !last && EndsWithEscapeBackslash(line);
            if (escapedBreak)
            {
                line = line[..^1];
            }
            else if (!last)
            {
                line = line.TrimEnd(' ', '\t');
            }

            if (i > 0 && !joinNext)
            {
                if (line.Length == 0 && !last)
                {
                    empties++;
                    continue;
                }

                sb.Append(empties == 0 ? " " : new string('\n', empties));
                empties = 0;
            }

            sb.Append(Unescape(line));
            joinNext = escapedBreak;
        }

        return sb.ToString();
    }

    private static bool EndsWithEscapeBackslash(string line)
    {
        int n = 0;
        for (int i = line.Length - 1; i >= 0 && line[i] == '\\'; i--)
        {
            n++;
        }

        return n % 2 == 1;
    }

    private static int FindClosingQuote(string text, char quote)
    {
        for (int i = 0; i < text.Length; i++)
        {
            if (quote == '"' && text[i] == '\\')
            {
                i++;
                continue;
            }

            if (text[i] == quote)
            {
                if (quote == '\'' && i + 1 < text.Length && text[i + 1] == '\'')
                {
                    i++;
                    continue;
                }

                return i;
            }
        }

        return -1;
    }

    private static string Unescape(string s)
    {
        if (!s.Contains('\\'))
        {
            return s;
        }

        var sb = new StringBuilder(s.Length);
        for (int i = 0; i < s.Length; i++)
        {
            char c = s[i];
            if (c != '\\' || i + 1 >= s.Length)
            {
                sb.Append(c);
                continue;
            }

            char e = s[++i];
            switch (e)
            {
                case 'n': sb.Append('\n'); break;
                case 't': sb.Append('\t'); break;
                case 'r': sb.Append('\r'); break;
                case '0': sb.Append('\0'); break;
                case 'a': sb.Append('\a'); break;
                case 'b': sb.Append('\b'); break;
                case 'e': sb.Append('\u001b'); break;
                case 'f': sb.Append('\f'); break;
                case 'v': sb.Append('\v'); break;
                case ' ': sb.Append(' '); break;
                case '_': sb.Append('\u00a0'); break;
                case 'N': sb.Append('\u0085'); break;
                case 'L': sb.Append('\u2028'); break;
                case 'P': sb.Append('\u2029'); break;
                case '"': sb.Append('"'); break;
                case '/': sb.Append('/'); break;
                case '\\': sb.Append('\\'); break;
                case '\t': sb.Append('\t'); break;
                case 'x':
                    sb.Append((char)int.Parse(s.AsSpan(i + 1, 2), NumberStyles.HexNumber, CultureInfo.InvariantCulture));
                    i += 2;
                    break;
                case 'u':
                    sb.Append((char)int.Parse(s.AsSpan(i + 1, 4), NumberStyles.HexNumber, CultureInfo.InvariantCulture));
                    i += 4;
                    break;
                case 'U':
                    sb.Append(char.ConvertFromUtf32(int.Parse(s.AsSpan(i + 1, 8), NumberStyles.HexNumber, CultureInfo.InvariantCulture)));
                    i += 8;
                    break;
                default:
                    throw new FormatException($"Unknown escape \\{e}");
            }
        }

        return sb.ToString();
    }

    private string ReadBlockScalar(string header, int parentIndent)
    {
        bool folded = header[0] == '>';
        char chomp = 'c';
        int explicitIndent = 0;
        foreach (char c in header[1..].Trim())
        {
            if (c is '-' or '+')
            {
                chomp = c;
            }
            else if (char.IsDigit(c))
            {
                explicitIndent = c - '0';
            }
            else
            {
                throw new FormatException($"Bad block scalar header: {header}");
            }
        }

        // Content indentation: explicit, else that of the first non-empty line.
        int contentIndent = explicitIndent > 0 ? Math.Max(parentIndent, 0) + explicitIndent : -1;
        var lines = new List<string>();
        while (_pos < _lines.Count)
        {
            (int ind, string text) = _lines[_pos];
            if (text.Length == 0)
            {
                lines.Add(string.Empty);
                _pos++;
                continue;
            }

            if (contentIndent < 0)
            {
                if (ind <= parentIndent)
                {
                    break;
                }

                contentIndent = ind;
            }

            if (ind < contentIndent)
            {
                break;
            }

            lines.Add(new string(' ', ind - contentIndent) + text);
            _pos++;
        }

        // Trailing blank lines belong to chomping.
        int trailing = 0;
        while (lines.Count > 0 && lines[^1].Length == 0)
        {
            lines.RemoveAt(lines.Count - 1);
            trailing++;
        }

        // Blank lines we consumed past the scalar belong to the document; that is harmless for parsing.
        string body;
        if (!folded)
        {
            body = string.Join('\n', lines);
        }
        else
        {
            var sb = new StringBuilder();
            for (int i = 0; i < lines.Count; i++)
            {
                if (i > 0)
                {
                    bool moreIndented = lines[i].StartsWith(' ') || lines[i - 1].StartsWith(' ');
                    sb.Append(lines[i].Length == 0 || lines[i - 1].Length == 0 || moreIndented ? "\n" : " ");
                }

                sb.Append(lines[i]);
            }

            body = sb.ToString();
        }

        if (lines.Count == 0)
        {
            return chomp == '+' ? new string('\n', trailing) : string.Empty;
        }

        return chomp switch
        {
            '-' => body,
            '+' => body + "\n" + new string('\n', trailing),
            _ => body + "\n",
        };
    }
}
