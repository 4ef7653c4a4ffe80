using System.Text;

namespace PromptGen.Generator.Structured
{
    /// <summary>A minimal indented text writer for emitted C# (four spaces, '\n' line endings).</summary>
    internal sealed class StructuredCodeWriter
    {
        private readonly StringBuilder builder = new StringBuilder(4096);
        private int indent;

        public StructuredCodeWriter(int initialIndent = 0)
        {
            indent = initialIndent;
        }

        public StructuredCodeWriter Line(string text = "")
        {
            if (text.Length > 0)
            {
                builder.Append(' ', indent * 4).Append(text);
            }

            builder.Append('\n');
            return this;
        }

        public StructuredCodeWriter Open(string text)
        {
            Line(text);
            Line("{");
            indent++;
            return this;
        }

        public StructuredCodeWriter OpenBrace()
        {
            Line("{");
            indent++;
            return this;
        }

        public StructuredCodeWriter Close(string suffix = "")
        {
            indent--;
            Line("}" + suffix);
            return this;
        }

        public StructuredCodeWriter Indent()
        {
            indent++;
            return this;
        }

        public StructuredCodeWriter Unindent()
        {
            indent--;
            return this;
        }

        public override string ToString() => builder.ToString();
    }
}
