using System.Diagnostics;
using System.Text;
using PromptGen.Generator.Tests.Templates.Models;
using Scriban;
using Scriban.Runtime;

namespace PromptGen.Generator.Tests.Templates;

/// <summary>The compiled template beats Scriban's interpreter by a wide margin and allocates nothing but the output.</summary>
public class TemplatePerformanceTests
{
    private readonly Xunit.Abstractions.ITestOutputHelper _output;

    public TemplatePerformanceTests(Xunit.Abstractions.ITestOutputHelper output)
    {
        _output = output;
    }

    private static (Action<StringBuilder, Order> Render, TemplateCase Case) Invoice()
    {
        CompiledCorpus corpus = CompiledCorpus.Instance;
        int index = corpus.IndexOf("prompt-invoice");
        Assert.Null(corpus.Failure(index));
        var render = corpus.Method(index).CreateDelegate<Action<StringBuilder, Order>>();
        return (render, corpus.Cases[index]);
    }

    [Fact]
    public void Compiled_template_allocates_nothing_beyond_the_output()
    {
        (Action<StringBuilder, Order> render, TemplateCase item) = Invoice();
        var order = (Order)item.Args[0].Value!;
        var builder = new StringBuilder(8192);

        // Steady state: until the JIT tiers the BCL's generic StringBuilder.AppendInterpolatedStringHandler.AppendFormatted<T>
        // up, Tier-0 code boxes the value (24 bytes per number); optimized code does not. So warm up, then measure.
        long allocated = long.MaxValue;
        var deadline = Stopwatch.StartNew();
        while (allocated != 0 && deadline.Elapsed < TimeSpan.FromSeconds(20))
        {
            for (int i = 0; i < 200; i++)
            {
                builder.Clear();
                render(builder, order);
            }

            Thread.Sleep(50);
            long before = GC.GetAllocatedBytesForCurrentThread();
            for (int i = 0; i < 1000; i++)
            {
                builder.Clear();
                render(builder, order);
            }

            allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        }

        Assert.Equal(0, allocated);
    }

    [Fact]
    public void Compiled_template_is_at_least_20_times_faster_than_Scriban()
    {
        (Action<StringBuilder, Order> render, TemplateCase item) = Invoice();
        var order = (Order)item.Args[0].Value!;
        Template template = Template.Parse(item.Template);
        var globals = new ScriptObject();
        globals.SetValue("order", order, false);

        string Scriban()
        {
            var context = new TemplateContext { MemberRenamer = member => member.Name };
            context.PushGlobal(globals);
            return template.Render(context);
        }

        string Compiled()
        {
            var builder = new StringBuilder(1024);
            render(builder, order);
            return builder.ToString();
        }

        Assert.Equal(Scriban(), Compiled());
        const int iterations = 500;
        double scriban = Best(Scriban, iterations);
        double compiled = Best(Compiled, iterations);
        double ratio = scriban / compiled;
        _output.WriteLine($"compiled {compiled * 1e6 / iterations:F2} µs, Scriban {scriban * 1e6 / iterations:F2} µs per render: {ratio:F1}x");
        Assert.True(ratio >= 20, $"compiled {compiled * 1e6 / iterations:F2} µs, Scriban {scriban * 1e6 / iterations:F2} µs per render: {ratio:F1}x");
    }

    private static double Best(Func<string> render, int iterations)
    {
        for (int i = 0; i < iterations; i++)
        {
            render();
        }

        double best = double.MaxValue;
        for (int round = 0; round < 7; round++)
        {
            var stopwatch = Stopwatch.StartNew();
            for (int i = 0; i < iterations; i++)
            {
                render();
            }

            best = Math.Min(best, stopwatch.Elapsed.TotalSeconds);
        }

        return best;
    }
}
