// PromptGen QuickStart: a tour of a client generated from an annotated interface (Prompts.cs).
// With no AWS settings it starts the built-in Bedrock emulator on 127.0.0.1; with AWS_REGION plus credentials
// (or AWS_BEARER_TOKEN_BEDROCK) it talks to real Amazon Bedrock.
using System.Diagnostics;
using System.Globalization;
using PromptGen;
using PromptGen.Testing;
using QuickStart;

const string Document = """
    INVOICE #2024-117 from Contoso Ltd. to Fabrikam Inc.
    3 x Widget at 19.99, 1 x Gadget at 5.00. Total due: 64.97 EUR by 2024-12-31.
    """;

await using BedrockEmulator? emulator = HasAwsSettings() ? null : await BedrockEmulator.StartAsync(new BedrockEmulatorOptions
{
    // The emulator's model is a deterministic stand-in. Here it is scripted to answer the tour's prompts the way a real
    // model would (the requests, presets, streaming and timings are all real); anything else gets its default reply.
    ResponseText = request => request.LastUserText switch
    {
        var t when t.StartsWith("Extract the invoice", StringComparison.Ordinal) =>
            """{"Number":"2024-117","Vendor":"Contoso Ltd.","Customer":"Fabrikam Inc.","Lines":[{"Item":"Widget","Quantity":3,"UnitPrice":19.99},{"Item":"Gadget","Quantity":1,"UnitPrice":5.00}],"Total":64.97,"Currency":"EUR"}""",
        var t when t.Contains("invoice, a receipt or other", StringComparison.Ordinal) =>
            t.Contains("INVOICE", StringComparison.Ordinal) ? "Invoice" : "Other",
        var t when t.StartsWith("Summarize", StringComparison.Ordinal) =>
            "Contoso Ltd. invoices Fabrikam Inc. 64.97 EUR for three widgets and a gadget. Payment is due by 31 December 2024.",
        var t when t.StartsWith("Write a one-line thank-you", StringComparison.Ordinal) =>
            "Thank you, Fabrikam Inc., for settling invoice 2024-117 so promptly!",
        var t when t.StartsWith("A headline", StringComparison.Ordinal) => "Contoso bills Fabrikam 64.97 EUR for widgets",
        var t when t.StartsWith("When is payment due", StringComparison.Ordinal) => "2024-12-31",
        var t when t.StartsWith("Name the one biggest risk", StringComparison.Ordinal) => "The bank details are not on the invoice, so check them before paying.",
        _ => null,
    },
});
using var bedrock = emulator is null
    ? new BedrockClient()
    : new BedrockClient(emulator.ClientOptions());

// The response cache behind CacheResponse = true: in memory here; add Redis (or any IDistributedCache) to share it.
var options = new PromptClientOptions { ResponseCache = PromptResponseCache.CreateInMemory() };
IDocumentReader reader = new DocumentReaderClient(bedrock, options);

Console.WriteLine("PromptGen QuickStart");
Console.WriteLine(emulator is null
    ? $"  Talking to Amazon Bedrock at {bedrock.Endpoint}"
    : $"  No AWS settings found: using the built-in Bedrock emulator at {bedrock.Endpoint}");
Console.WriteLine();

// 1. Extraction to a record: JSON schema and parser generated from Invoice; Bedrock's native structured output.
var stopwatch = Stopwatch.StartNew();
Invoice invoice = await WithProgress(reader.ExtractAsync(Document));
Console.WriteLine($"1. Extract       invoice {invoice.Number}: {invoice.Vendor} -> {invoice.Customer}, {invoice.Lines.Count} lines, " +
                  $"total {invoice.Total} {invoice.Currency}   ({stopwatch.Elapsed.TotalMilliseconds:F0} ms, first call includes connecting)");

// 2. Classification to an enum: temperature 0 and 64 tokens come from the Classification preset.
PromptResult<DocumentKind> kind = await reader.ClassifyAsync(Document);
Console.WriteLine($"2. Classify      {kind.Value}   ({Ms(kind.Latency)}, {Usage(kind)})");

// 3. A streamed summary, printed as it arrives, from a Scriban template file compiled to C# at build time.
Console.Write("3. Summarize     ");
stopwatch.Restart();
TimeSpan? firstToken = null;
await foreach (string delta in reader.SummarizeAsync(Document, audience: "CFO"))
{
    firstToken ??= stopwatch.Elapsed;
    Console.Write(delta);
}

Console.WriteLine();
Console.WriteLine($"                 time to first token {firstToken?.TotalMilliseconds:F0} ms, whole answer {stopwatch.Elapsed.TotalMilliseconds:F0} ms");

// 4. PromptResult<T>: the value plus usage, latency and what Bedrock served.
PromptResult<string> note = await reader.ThankYouAsync("Fabrikam Inc.", "2024-117");
Console.WriteLine($"4. Thank-you     {note.Value}");
Console.WriteLine($"                 {Usage(note)}, {Ms(note.Latency)}, stop reason {note.StopReason}, model {note.ModelId}");

// 5. The same classification again: answered from the response cache, no Bedrock call.
PromptResult<DocumentKind> again = await reader.ClassifyAsync(Document);
Console.WriteLine($"5. Again         {again.Value}   {(again.CacheHit ? "from the response cache" : "from Bedrock")}: " +
                  $"{Ms(again.Latency)} vs {Ms(kind.Latency)} the first time");

// 6. Fan-out: three models answer three questions in parallel; the total is about the slowest branch, not the sum.
var fanOut = new PromptFanOut();
FanOutBranch<PromptResult<string>> headline = fanOut.Add("headline (Nova Micro)", ct => reader.HeadlineAsync(Document, ct));
FanOutBranch<PromptResult<string>> due = fanOut.Add("due date (Nova Lite)", ct => reader.DueDateAsync(Document, ct));
FanOutBranch<PromptResult<string>> risk = fanOut.Add("risk (Claude Haiku 4.5)", ct => reader.RiskAsync(Document, ct));
FanOutResult panel = await WithProgress(fanOut.RunAsync());
Console.WriteLine("6. Fan-out       three models in parallel");
foreach ((FanOutBranch<PromptResult<string>> branch, FanOutBranchResult result) in new[] { headline, due, risk }.Select(b => (b, panel[b.Name])))
{
    Console.WriteLine($"                 {branch.Name,-24} {Ms(result.Elapsed),8}  {panel.Get(branch).Value}");
}

TimeSpan sum = TimeSpan.FromTicks(panel.Branches.Sum(b => b.Elapsed.Ticks));
Console.WriteLine($"                 {"total",-24} {Ms(panel.Total),8}  (slowest branch {Ms(panel.Slowest)}, sum of branches {Ms(sum)})");

// 7. What the tour cost: tokens per call and the estimate from the price table (PromptClientOptions.Prices).
PromptResult<string>[] priced = [note, panel.Get(headline), panel.Get(due), panel.Get(risk)];
int tokens = kind.Usage.TotalTokens + again.Usage.TotalTokens + priced.Sum(r => r.Usage.TotalTokens);
decimal cost = (kind.EstimatedCost ?? 0) + (again.EstimatedCost ?? 0) + priced.Sum(r => r.EstimatedCost ?? 0);
Console.WriteLine($"7. Usage         {tokens} tokens in the calls above, estimated {cost.ToString("0.000000", CultureInfo.InvariantCulture)} USD " +
                  "(models without a list price in the table count as 0)");
Console.WriteLine();
Console.WriteLine("The client above was generated from Prompts.cs at build time; see the generated DocumentReaderClient.");
return 0;

// A spinner while a call takes visible time; nothing when the output is redirected (a log, a test).
static async Task<T> WithProgress<T>(Task<T> work)
{
    const string Frames = "|/-\\";
    for (int frame = 0; !work.IsCompleted; frame++)
    {
        if (!Console.IsOutputRedirected)
        {
            Console.Write(Frames[frame % Frames.Length]);
            Console.Write('\b');
        }

        await Task.WhenAny(work, Task.Delay(100));
    }

    return await work;
}

static string Ms(TimeSpan elapsed) => elapsed.TotalMilliseconds < 1
    ? elapsed.TotalMilliseconds.ToString("0.000", CultureInfo.InvariantCulture) + " ms"
    : elapsed.TotalMilliseconds.ToString("0", CultureInfo.InvariantCulture) + " ms";

static string Usage<T>(PromptResult<T> result) =>
    $"{result.Usage.InputTokens} tokens in, {result.Usage.OutputTokens} out, " +
    (result.EstimatedCost is decimal cost ? "~" + cost.ToString("0.000000", CultureInfo.InvariantCulture) + " USD" : "no list price");

static bool HasAwsSettings()
{
    static bool Set(string name) => !string.IsNullOrEmpty(Environment.GetEnvironmentVariable(name));
    return Set("AWS_REGION") && (Set("AWS_ACCESS_KEY_ID") || Set("AWS_PROFILE") || Set("AWS_BEARER_TOKEN_BEDROCK"));
}
