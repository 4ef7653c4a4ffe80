using System.Diagnostics;
using System.Text;
using PromptGen.Generator.Tests.Templates.Models;

namespace PromptGen.Generator.Tests.Templates;

/// <summary>The compiled template allocates nothing but the output (its speed against Scriban is measured in bench/).</summary>
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
}
