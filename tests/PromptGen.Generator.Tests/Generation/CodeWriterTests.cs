using System.Text;
using Microsoft.CodeAnalysis.CSharp;
using PromptGen.Generator.Common;

namespace PromptGen.Generator.Tests.Generation;

/// <summary>The emitters' shared writer: its fast paths must write exactly what the string-building code they replaced wrote.</summary>
public class CodeWriterTests
{
    [Fact]
    public void Literal_matches_FormatLiteral_for_every_character()
    {
        for (int c = 0; c <= char.MaxValue; c++)
        {
            foreach (string value in new[] { ((char)c).ToString(), "a" + (char)c + "\"b\\" })
            {
                var builder = new StringBuilder();
                CodeWriter.AppendLiteral(builder, value);
                Assert.Equal(SymbolDisplay.FormatLiteral(value, quote: true), builder.ToString());
            }
        }
    }

    [Fact]
    public void Literal_matches_FormatLiteral_for_schemas_prompts_and_surrogates()
    {
        var random = new Random(20261201);
        string[] samples =
        [
            string.Empty,
            "{\"type\":\"object\",\"properties\":{\"Name\":{\"type\":\"string\"}},\"required\":[\"Name\"]}",
            "C:\\temp\\\"quoted\"",
            "line\nbreak\ttab\r\n",
            "emoji 😀 and a lone \ud800 surrogate",
            "café ünïcödé \u0085 \u2028 \u200b",
        ];
        var all = new List<string>(samples);
        for (int i = 0; i < 2000; i++)
        {
            var text = new StringBuilder();
            int length = random.Next(0, 24);
            for (int j = 0; j < length; j++)
            {
                text.Append(random.Next(4) == 0 ? (char)random.Next(0, 0x3000) : (char)random.Next(0x20, 0x7f));
            }

            all.Add(text.ToString());
        }

        foreach (string value in all)
        {
            var builder = new StringBuilder();
            CodeWriter.AppendLiteral(builder, value);
            Assert.Equal(SymbolDisplay.FormatLiteral(value, quote: true), builder.ToString());
        }
    }

    [Theory]
    [InlineData("")]
    [InlineData("a")]
    [InlineData("a\n")]
    [InlineData("\n\na\r\n\r\nb\r\r\n  c  \n")]
    [InlineData("    builder.Append(\"x\");\n    if (y)\r\n    {\n    }")]
    public void RawLines_writes_what_splitting_and_trimming_wrote(string code)
    {
        var expected = new StringBuilder();
        foreach (string line in code.Split('\n'))
        {
            string trimmed = line.TrimEnd('\r');
            if (trimmed.Length > 0)
            {
                expected.Append(trimmed).Append('\n');
            }
        }

        Assert.Equal(expected.ToString(), new CodeWriter(2).RawLines(code).ToStringAndFree());
    }

    [Fact]
    public void Pieces_indent_once_per_line_and_an_empty_line_has_no_indentation()
    {
        var w = new CodeWriter();
        w.Write("namespace ").Open("N");
        w.Write(string.Empty).Line();
        w.Write("int x = ").Write(42).Write(';').Line();
        w.Write("string s = ").Literal("a\"b").Line(";");
        w.Close(";");
        Assert.Equal("namespace N\n{\n\n    int x = 42;\n    string s = \"a\\\"b\";\n};\n", w.ToStringAndFree());
    }

    [Fact]
    public void A_freed_builder_is_reused_empty_and_two_can_be_out_at_once()
    {
        StringBuilder outer = StringBuilderPool.Get();
        StringBuilder inner = StringBuilderPool.Get();
        Assert.NotSame(outer, inner);
        outer.Append('x', 10_000);
        inner.Append("inner");
        Assert.Equal("inner", StringBuilderPool.ToStringAndFree(inner));
        Assert.Equal(10_000, StringBuilderPool.ToStringAndFree(outer).Length);

        StringBuilder again = StringBuilderPool.Get();
        Assert.True(ReferenceEquals(again, outer) || ReferenceEquals(again, inner));
        Assert.Equal(0, again.Length);
        StringBuilderPool.Free(again);
        StringBuilderPool.Free(again); // a second free of the same builder must not hand it out twice
        Assert.NotSame(StringBuilderPool.Get(), StringBuilderPool.Get());
    }

    [Fact]
    public void A_builder_that_grew_too_large_is_not_kept()
    {
        StringBuilder big = StringBuilderPool.Get();
        big.Append('x', StringBuilderPool.MaxKeptCapacity + 1);
        StringBuilderPool.Free(big);
        Assert.NotSame(big, StringBuilderPool.Get());
        Assert.NotSame(big, StringBuilderPool.Get());
    }
}
