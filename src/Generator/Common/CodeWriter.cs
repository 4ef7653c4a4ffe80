using System.Globalization;
using System.Text;
using Microsoft.CodeAnalysis.CSharp;

namespace PromptGen.Generator.Common
{
    /// <summary>
    /// An indented writer for generated C# (four spaces a level, '\n' line endings), shared by the emitters. A line can be
    /// written in pieces — <see cref="Write(string)"/>s and <see cref="Literal"/>s, then <see cref="Line()"/> — straight into
    /// one builder, so no string is built per line; the indentation goes in before the first non-empty piece, and a line
    /// with none is just '\n'. The builder comes from <see cref="StringBuilderPool"/> and goes back with
    /// <see cref="ToStringAndFree"/>, after which the writer must not be used.
    /// </summary>
    internal sealed class CodeWriter
    {
        private readonly StringBuilder _builder;
        private int _indent;
        private bool _lineStarted;

        public CodeWriter(int initialIndent = 0)
        {
            _builder = StringBuilderPool.Get();
            _indent = initialIndent;
        }

        /// <summary>Writes <paramref name="text"/> on the current line.</summary>
        public CodeWriter Write(string text)
        {
            if (text.Length > 0)
            {
                StartLine();
                _builder.Append(text);
            }

            return this;
        }

        /// <summary>Writes <paramref name="value"/> on the current line.</summary>
        public CodeWriter Write(char value)
        {
            StartLine();
            _builder.Append(value);
            return this;
        }

        /// <summary>Writes <paramref name="value"/> in the invariant culture.</summary>
        public CodeWriter Write(int value) => Write(value.ToString(CultureInfo.InvariantCulture));

        /// <summary>Writes <paramref name="value"/> as a C# string literal, exactly as <c>SymbolDisplay.FormatLiteral(value, quote: true)</c> does.</summary>
        public CodeWriter Literal(string value)
        {
            StartLine();
            AppendLiteral(_builder, value);
            return this;
        }

        /// <summary>Ends the current line.</summary>
        public CodeWriter Line()
        {
            _builder.Append('\n');
            _lineStarted = false;
            return this;
        }

        /// <summary>Writes <paramref name="text"/> and ends the line.</summary>
        public CodeWriter Line(string text) => Write(text).Line();

        /// <summary>A <c>{</c> line, then one level deeper.</summary>
        public CodeWriter Open()
        {
            Line("{");
            _indent++;
            return this;
        }

        /// <summary>A <paramref name="text"/> line and a <c>{</c> line, then one level deeper.</summary>
        public CodeWriter Open(string text) => Line(text).Open();

        /// <summary>One level up, then a <c>}</c> line followed by <paramref name="suffix"/> (<c>;</c>, say).</summary>
        public CodeWriter Close(string suffix = "")
        {
            _indent--;
            return Write('}').Write(suffix).Line();
        }

        public CodeWriter Indent()
        {
            _indent++;
            return this;
        }

        public CodeWriter Dedent()
        {
            _indent--;
            return this;
        }

        /// <summary>
        /// The lines of <paramref name="code"/>, already indented by their producer (the template compiler): each is written
        /// as is without its trailing '\r's, and an empty one not at all.
        /// </summary>
        public CodeWriter RawLines(string code)
        {
            int start = 0;
            while (start <= code.Length)
            {
                int end = code.IndexOf('\n', start);
                int next = end < 0 ? code.Length + 1 : end + 1;
                if (end < 0)
                {
                    end = code.Length;
                }

                while (end > start && code[end - 1] == '\r')
                {
                    end--;
                }

                if (end > start)
                {
                    _builder.Append(code, start, end - start).Append('\n');
                }

                start = next;
            }

            return this;
        }

        /// <summary>The text written; the builder goes back to the pool and the writer must not be used again.</summary>
        public string ToStringAndFree() => StringBuilderPool.ToStringAndFree(_builder);

        /// <summary>
        /// Appends <paramref name="value"/> as a C# string literal. Printable ASCII, quotes and backslashes (all a schema
        /// or a prompt usually holds) are escaped here; anything else goes through Roslyn's <c>FormatLiteral</c>, so the
        /// result is always exactly what <c>SymbolDisplay.FormatLiteral(value, quote: true)</c> gives.
        /// </summary>
        public static void AppendLiteral(StringBuilder builder, string value)
        {
            foreach (char c in value)
            {
                if (c < ' ' || c > '~')
                {
                    builder.Append(SymbolDisplay.FormatLiteral(value, quote: true));
                    return;
                }
            }

            builder.Append('"');
            int start = 0;
            for (int i = 0; i < value.Length; i++)
            {
                char c = value[i];
                if (c is '"' or '\\')
                {
                    builder.Append(value, start, i - start).Append('\\').Append(c);
                    start = i + 1;
                }
            }

            builder.Append(value, start, value.Length - start).Append('"');
        }

        private void StartLine()
        {
            if (!_lineStarted)
            {
                _builder.Append(' ', _indent * 4);
                _lineStarted = true;
            }
        }
    }
}
