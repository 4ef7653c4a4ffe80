using System.Text;

namespace PromptGen.Generator.Templates
{
    /// <summary>
    /// Translates the strftime-style formats of Scriban's <c>date.to_string</c> into .NET custom date formats, at build
    /// time. Only the specifiers with an exact .NET equivalent under the invariant culture are accepted.
    /// </summary>
    internal static class DateFormat
    {
        /// <summary>The .NET format for <paramref name="format"/>, or null with the first untranslatable specifier.</summary>
        public static string? ToDotNet(string format, out string? unsupported)
        {
            unsupported = null;
            var result = new StringBuilder();
            var literal = new StringBuilder();
            for (int i = 0; i < format.Length; i++)
            {
                char c = format[i];
                if (c != '%')
                {
                    literal.Append(c);
                    continue;
                }

                if (i + 1 >= format.Length)
                {
                    unsupported = "'%' at the end";
                    return null;
                }

                char specifier = format[++i];
                string? dotnet = specifier switch
                {
                    'a' => "ddd",
                    'A' => "dddd",
                    'b' => "MMM",
                    'h' => "MMM",
                    'B' => "MMMM",
                    'd' => "dd",
                    'D' => "MM/dd/yy",
                    'F' => "yyyy-MM-dd",
                    'H' => "HH",
                    'I' => "hh",
                    'L' => "fff",
                    'm' => "MM",
                    'M' => "mm",
                    'p' => "tt",
                    'R' => "HH:mm",
                    'S' => "ss",
                    'T' => "HH:mm:ss",
                    'y' => "yy",
                    'Y' => "yyyy",
                    _ => null,
                };

                switch (specifier)
                {
                    case '%':
                        literal.Append('%');
                        continue;
                    case 'n':
                        literal.Append('\n');
                        continue;
                    case 't':
                        literal.Append('\t');
                        continue;
                }

                if (dotnet == null)
                {
                    unsupported = "'%" + specifier + "'";
                    return null;
                }

                Flush(result, literal);
                result.Append(dotnet);
            }

            Flush(result, literal);
            return result.ToString();
        }

        private static void Flush(StringBuilder result, StringBuilder literal)
        {
            if (literal.Length == 0)
            {
                return;
            }

            bool quoted = false;
            foreach (char c in literal.ToString())
            {
                bool plain = c == ' ' || c == '-' || c == ',' || c == '.' || c == ';' || c == '(' || c == ')' || c == '[' || c == ']';
                if (c == '\'')
                {
                    if (quoted)
                    {
                        result.Append('\'');
                        quoted = false;
                    }

                    result.Append("\\'");
                    continue;
                }

                if (!plain && !quoted)
                {
                    result.Append('\'');
                    quoted = true;
                }
                else if (plain && quoted)
                {
                    result.Append('\'');
                    quoted = false;
                }

                result.Append(c);
            }

            if (quoted)
            {
                result.Append('\'');
            }

            literal.Clear();
        }
    }
}
