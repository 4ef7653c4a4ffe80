namespace PromptGen.Generator.Tests.Structured;

/// <summary>Representative user types, and the prompt-method return types the tests parse.</summary>
internal static class StructuredSamples
{
    public const string UserTypes = """
        #nullable enable
        using System;
        using System.Collections.Generic;
        using System.Collections.Immutable;
        using System.ComponentModel;
        using System.Text.Json.Serialization;

        namespace Acme
        {
            [Description("An invoice extracted from a document.")]
            public sealed record Invoice(
                [property: Description("The invoice number as printed.")] string Number,
                DateTimeOffset IssuedAt,
                Party Vendor,
                List<LineItem> Lines,
                decimal Total,
                string? Currency = "EUR")
            {
                [Description("Free-text remarks.")]
                public string? Notes { get; init; }

                public DocumentKind Kind { get; init; }
            }

            public sealed record Party(string Name, [Description("VAT id, if printed.")] string? TaxId);

            public sealed record LineItem(string Description, int Quantity, double UnitPrice, IReadOnlyList<string>? Tags);

            [Description("What the document is.")]
            public enum DocumentKind
            {
                Invoice,
                [Description("A till receipt")] Receipt,
                Other,
            }

            public enum Sentiment { Positive = 1, Negative = -1, Neutral = 0 }

            public class Settings
            {
                public string Name { get; set; } = "";
                public int? Limit { get; set; }
                public bool Enabled { get; set; }
                [JsonPropertyName("max_items")] public long MaxItems { get; set; }
                [JsonIgnore] public string Ignored { get; set; } = "ignored";
                public string Computed => Name + "!";
                public required Sentiment Mood { get; init; }
                public string? Comment { get; set; } = "default comment";
            }

            public readonly record struct Point(double X, double Y);

            public sealed record Node(string Name, List<Node> Children);

            public sealed record Bag(
                int[] Numbers,
                ImmutableArray<string> Words,
                IEnumerable<Point> Points,
                Dictionary<string, int> Counts,
                Guid Id,
                DateOnly Day,
                Uri? Link,
                List<List<DocumentKind?>> Grid,
                byte Small = 7);

            public sealed record Page<T>(List<T> Items, int Total);
        }

        namespace Acme.Prompts
        {
            public interface IRoots
            {
                Acme.Invoice Invoice();
                Acme.DocumentKind Kind();
                int Count();
                List<Acme.LineItem> Lines();
                Acme.Settings Settings();
                Acme.Node Tree();
                Acme.Bag Bag();
                Acme.Point Point();
                string Text();
                Acme.Invoice? MaybeInvoice();
                Acme.DocumentKind? MaybeKind();
                Acme.Party[] Parties();
                Acme.Page<Acme.Party> PartyPage();
                IReadOnlyList<Acme.Sentiment> Sentiments();
                DateTime When();
            }
        }
        """;

    /// <summary>Root methods, with the class name each emitted JSON class gets in the tests.</summary>
    public static readonly (string Method, string ClassName)[] Roots =
    [
        ("Invoice", "InvoiceJson"),
        ("Kind", "DocumentKindJson"),
        ("Count", "Int32Json"),
        ("Lines", "ListOfLineItemJson"),
        ("Settings", "SettingsJson"),
        ("Tree", "NodeJson"),
        ("Bag", "BagJson"),
        ("Point", "PointJson"),
        ("Text", "StringJson"),
        ("MaybeInvoice", "NullableInvoiceJson"),
        ("MaybeKind", "NullableDocumentKindJson"),
        ("Parties", "PartyArrayJson"),
        ("PartyPage", "PageOfPartyJson"),
        ("Sentiments", "IReadOnlyListOfSentimentJson"),
        ("When", "DateTimeJson"),
    ];

    public const string Holder = "Acme.Prompts.IRoots";

    public const string UnsupportedTypes = """
        #nullable enable
        using System;
        using System.Collections.Generic;

        namespace Bad
        {
            public abstract class Shape { public int Sides { get; set; } }
            public sealed class Locked { private Locked() { } public int Value { get; set; } }
            public sealed class TwoWays { public TwoWays(int a) { A = a; } public TwoWays(string b) { B = b; } public int A { get; } public string? B { get; } }
            public sealed class Stray { public Stray(int other) { } public int Value { get; set; } }
            [Flags] public enum Options { None = 0, A = 1, B = 2 }
            public sealed record HasShape(string Name, Shape Shape);
            public sealed record HasDelegate(Action Callback);
            public sealed record Clash(string Name) { [System.Text.Json.Serialization.JsonPropertyName("name")] public string? Other { get; set; } }
            public enum Empty { }
            public sealed class Hidden { private sealed class Secret { public int X { get; set; } } }
            public sealed class Custom : List<int> { }
            public sealed record Deep1(Deep2 Next);
            public sealed record Deep2(Deep1? Back, List<List<List<List<List<List<List<List<List<List<List<List<List<List<List<List<List<List<List<List<List<List<List<List<List<List<List<List<List<List<List<List<List<int>>>>>>>>>>>>>>>>>>>>>>>>>>>>>>>>> Far);

            public interface IBad<T>
            {
                Dictionary<int, string> IntKeys();
                IDisposable Disposable();
                Shape Abstract();
                Action Callback();
                object Anything();
                Locked Locked();
                (int A, int B) Pair();
                List<T> Open();
                TwoWays TwoWays();
                Stray Stray();
                Options Flags();
                HasShape Nested();
                HasDelegate NestedDelegate();
                Clash Clash();
                Empty Empty();
                int[,] Grid();
                Custom Custom();
                Deep1 Deep();
                TimeSpan Span();
                dynamic Dynamic();
            }
        }
        """;
}
