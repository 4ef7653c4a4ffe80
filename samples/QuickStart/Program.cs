// PromptGen QuickStart: a tour of a client generated from an annotated interface (Prompts.cs).
// With no AWS settings it starts the built-in Bedrock emulator on 127.0.0.1; with AWS_REGION plus credentials
// (or AWS_BEARER_TOKEN_BEDROCK) it talks to real Amazon Bedrock.
using System.Diagnostics;
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
        _ => null,
    },
});
using var bedrock = emulator is null
    ? new BedrockClient()
    : new BedrockClient(emulator.ClientOptions());

IDocumentReader reader = new DocumentReaderClient(bedrock);

Console.WriteLine("PromptGen QuickStart");
Console.WriteLine(emulator is null
    ? $"  Talking to Amazon Bedrock at {bedrock.Endpoint}"
    : $"  No AWS settings found: using the built-in Bedrock emulator at {bedrock.Endpoint}");
Console.WriteLine();

// 1. Extraction to a record: JSON schema and parser generated from Invoice; Bedrock's native structured output.
var stopwatch = Stopwatch.StartNew();
Invoice invoice = await reader.ExtractAsync(Document);
Console.WriteLine($"1. Extract       invoice {invoice.Number}: {invoice.Vendor} -> {invoice.Customer}, {invoice.Lines.Count} lines, " +
                  $"total {invoice.Total} {invoice.Currency}   ({stopwatch.Elapsed.TotalMilliseconds:F0} ms, first call includes connecting)");

// 2. Classification to an enum: temperature 0 and 64 tokens come from the Classification preset.
stopwatch.Restart();
DocumentKind kind = await reader.ClassifyAsync(Document);
Console.WriteLine($"2. Classify      {kind}   ({stopwatch.Elapsed.TotalMilliseconds:F0} ms)");

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
Console.WriteLine($"                 {note.Usage.InputTokens} tokens in, {note.Usage.OutputTokens} out, {note.Latency.TotalMilliseconds:F0} ms, " +
                  $"stop reason {note.StopReason}, model {note.ModelId}");
Console.WriteLine();
Console.WriteLine("The client above was generated from Prompts.cs at build time; see the generated DocumentReaderClient.");
return 0;

static bool HasAwsSettings()
{
    static bool Set(string name) => !string.IsNullOrEmpty(Environment.GetEnvironmentVariable(name));
    return Set("AWS_REGION") && (Set("AWS_ACCESS_KEY_ID") || Set("AWS_PROFILE") || Set("AWS_BEARER_TOKEN_BEDROCK"));
}
