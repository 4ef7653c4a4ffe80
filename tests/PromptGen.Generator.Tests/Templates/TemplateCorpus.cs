using PromptGen.Generator.Tests.Templates.Models;

namespace PromptGen.Generator.Tests.Templates;

/// <summary>The differential corpus: every supported construct, with models that exercise null, empty and edge values.</summary>
public static class TemplateCorpus
{
    private const string M = "global::PromptGen.Generator.Tests.Templates.Models.";
    private const string ListOf = "global::System.Collections.Generic.List<";
    private const string EnumerableOf = "global::System.Collections.Generic.IEnumerable<";

    private static Arg S(string name, string? value) => new(name, "string?", value);

    private static Arg I(string name, int value) => new(name, "int", value);

    private static Customer Ada() => new()
    {
        Name = "Ada Lovelace",
        Email = "ada@example.com",
        Address = new Address { Street = "12 St James's Square", City = "London", Zip = "SW1Y 4JH" },
        Age = 36,
        LoyaltyYears = 7,
        IsVip = true,
        Verified = true,
        Priority = Priority.High,
        Since = new DateTime(2019, 11, 4, 9, 5, 7, 123),
        @event = "launch",
    };

    private static Customer Bob() => new()
    {
        Name = "Bob",
        Email = null,
        Address = new Address { City = null },
        Age = 0,
        LoyaltyYears = null,
        IsVip = false,
        Verified = null,
        Priority = Priority.Low,
        Since = new DateTime(2024, 2, 29),
    };

    private static IEnumerable<string> Lazy(params string[] items)
    {
        foreach (string item in items)
        {
            yield return item;
        }
    }

    private static Order SampleOrder() => new()
    {
        Id = "INV-001",
        Customer = Ada(),
        Lines = new List<Line>
        {
            new() { Sku = "A-1", Quantity = 2, Price = 9.99m, Options = new[] { "gift", "express" } },
            new() { Sku = "B-22", Quantity = 1, Price = 120.50m, Options = Array.Empty<string>() },
            new() { Sku = "C-333", Quantity = 10, Price = 0.5m, Options = new[] { "bulk" } },
        },
        Tags = Lazy("new", "priority", "eu"),
        Total = 145.48m,
        Weight = 3.25,
        Placed = new DateTime(2024, 3, 5, 14, 7, 9),
        Notes = new[] { "leave at door", "fragile" },
        Size = new Dimensions { Width = 10.5, Height = 2 },
    };

    private static Order EmptyOrder() => new()
    {
        Id = "",
        Customer = null,
        Lines = new List<Line>(),
        Tags = Lazy(),
        Total = 0m,
        Weight = 0,
        Placed = default,
        Notes = null,
    };

    private static Arg OrderArg(Order order) => new("order", M + "Order", order);

    private static Arg CustomerArg(Customer? customer) => new("customer", M + "Customer?", customer);

    public static IReadOnlyList<TemplateCase> Cases { get; } = Build();

    private static List<TemplateCase> Build()
    {
        var cases = new List<TemplateCase>
        {
            // ---------------------------------------------------------------- text, variables, scalars
            new("raw-only", "Hello, world! No code here."),
            new("raw-empty", ""),
            new("variable", "Hello {{ name }}!", S("name", "Ada")),
            new("variable-null", "Hello {{ name }}!", S("name", null)),
            new("variable-twice-no-spaces", "{{name}}/{{ name }}/{{  name  }}", S("name", "x")),
            new(
                "raw-special-characters",
                "Quotes \" and 'single', backslash \\ and \\n literally, tab\there, unicode é ✓ 😀 ß, braces { } }} {, percent %, hash #\r\nCRLF line\nLF line\u2028LS\u0001ctl {{ name }} end",
                S("name", "N")),
            new("value-is-data", "Value: {{ text }} / {{ text | string.upcase }}", S("text", "{{ x }} and {% raw %} and {{ 1 + 1 }}")),
            new("value-special-characters", "[{{ text }}]", S("text", "line1\nline2 \"quoted\" \\ é 😀")),
            new("integers", "{{ a }} {{ b }} {{ c }} {{ d }} {{ e }} {{ f }}",
                I("a", -42), new Arg("b", "long", long.MinValue), new Arg("c", "byte", (byte)255), new Arg("d", "short", (short)-7),
                new Arg("e", "uint", uint.MaxValue), new Arg("f", "ulong", ulong.MaxValue)),
            new("doubles", "{{ a }}|{{ b }}|{{ c }}|{{ d }}|{{ e }}|{{ f }}|{{ g }}",
                new Arg("a", "double", 0.1), new Arg("b", "double", 1.0), new Arg("c", "double", 1e20), new Arg("d", "double", -2.5),
                new Arg("e", "double", double.NaN), new Arg("f", "float", 1.5f), new Arg("g", "double", 1.0 / 3)),
            new("decimals", "{{ a }}|{{ b }}|{{ c }}", new Arg("a", "decimal", 1.50m), new Arg("b", "decimal", 2m), new Arg("c", "decimal", -1234567.891m)),
            new("booleans", "{{ a }} {{ b }}", new Arg("a", "bool", true), new Arg("b", "bool", false)),
            new("char", "[{{ c }}]", new Arg("c", "char", 'x')),
            new("enums", "{{ p }} {{ a }} {{ n }}", new Arg("p", M + "Priority", Priority.High), new Arg("a", M + "Access", Access.Read | Access.Write),
                new Arg("n", M + "Access", Access.None)),
            new("datetime-default", "{{ d }}", new Arg("d", "global::System.DateTime", new DateTime(2024, 3, 5, 14, 7, 9))),
            new("other-structs", "{{ o }}|{{ t }}|{{ g }}",
                new Arg("o", "global::System.DateTimeOffset", new DateTimeOffset(2024, 3, 5, 14, 7, 9, TimeSpan.FromHours(2))),
                new Arg("t", "global::System.TimeSpan", TimeSpan.FromMinutes(90.5)),
                new Arg("g", "global::System.Guid", new Guid("0f8fad5b-d9cb-469f-a165-70867728950e"))),
            new("nullable-values", "[{{ a }}][{{ b }}][{{ c }}][{{ d }}][{{ e }}]",
                new Arg("a", "int?", null), new Arg("b", "int?", 5), new Arg("c", "bool?", null), new Arg("d", "double?", 2.5),
                new Arg("e", M + "Priority?", null)),
            new("string-literals", "{{ \"double \\\"quoted\\\" \\n\" }}|{{ 'single' }}|{{ 42 }}|{{ 1.5 }}|{{ true }}|{{ null }}"),
            new("comment", "a{{ # just a comment }}b"),
            new("escape-block", "{%{Use {{ name }} in templates}%} and {{ name }}", S("name", "real")),
            new("nested-parentheses", "{{ (name) }} {{ ((a)) }}", S("name", "p"), I("a", 3)),

            // ---------------------------------------------------------------- members
            new("members", "{{ customer.Name }} <{{ customer.Email }}> from {{ customer.Address.City }}, age {{ customer.Age }}", CustomerArg(Ada())),
            new("members-null-values", "[{{ customer.Email }}][{{ customer.Address.City }}][{{ customer.LoyaltyYears }}][{{ customer.Verified }}]", CustomerArg(Bob())),
            new("members-deep", "{{ order.Customer.Address.City }} / {{ order.Customer.Address.Zip }} / {{ order.Customer.Priority }}", OrderArg(SampleOrder())),
            new("members-value-types", "{{ order.Size.Width }}x{{ order.Size.Height }} {{ order.Total }} {{ order.Weight }} {{ order.Placed }}", OrderArg(SampleOrder())),
            new("record-members", "({{ p.X }}, {{ p.Y }})", new Arg("p", M + "Point", new Point(3, -4))),
            new("keyword-member", "event: {{ customer.event }}", CustomerArg(Ada())),
            new("struct-parameter", "{{ size.Width }} by {{ size.Height }}", new Arg("size", M + "Dimensions", new Dimensions { Width = 1.25, Height = 3 })),

            // ---------------------------------------------------------------- conditions
            new("if-true", "{{ if flag }}yes{{ else }}no{{ end }}", new Arg("flag", "bool", true)),
            new("if-false", "{{ if flag }}yes{{ else }}no{{ end }}", new Arg("flag", "bool", false)),
        };

        foreach (int score in new[] { 95, 85, 75, 10 })
        {
            cases.Add(new(
                "else-if-chain-" + score,
                "{{ if score >= 90 }}A{{ else if score >= 80 }}B{{ else if score > 70 }}C{{ else }}F{{ end }}",
                I("score", score)));
        }

        cases.AddRange(new TemplateCase[]
        {
            new("string-equality", "{{ if kind == \"invoice\" }}I{{ else if kind != \"receipt\" }}O{{ else }}R{{ end }}", S("kind", "receipt")),
            new("string-equality-null", "{{ if kind == \"invoice\" }}I{{ else }}not{{ end }} {{ kind == null }}", S("kind", null)),
            new("string-ordering", "{{ a < b }} {{ a > b }} {{ a <= a }} {{ b >= a }}", S("a", "B"), S("b", "a")),
            new("boolean-logic", "{{ if a && !b || c }}T{{ else }}F{{ end }} {{ a && b }} {{ a || b }} {{ !a }}",
                new Arg("a", "bool", true), new Arg("b", "bool", true), new Arg("c", "bool", false)),
            new("truthiness", "[{{ if s }}s{{ end }}][{{ if e }}e{{ end }}][{{ if n }}n{{ end }}][{{ if z }}z{{ end }}][{{ if o }}o{{ end }}][{{ if !n }}!n{{ end }}]",
                S("s", "x"), S("e", ""), S("n", null), I("z", 0), new Arg("o", M + "Order?", null)),
            new("null-comparisons", "{{ a == null }} {{ a != null }} {{ b == null }} {{ s == null }} {{ customer == null }} {{ null == null }}",
                new Arg("a", "int?", null), new Arg("b", "int?", 3), S("s", "v"), CustomerArg(null)),
            new("nullable-comparisons", "{{ a > 1 }} {{ a < 1 }} {{ a == 1 }} {{ b > 1 }} {{ b == 3 }}", new Arg("a", "int?", null), new Arg("b", "int?", 3)),
            new("enum-comparisons", "{{ if p == \"High\" }}high{{ else }}other{{ end }} {{ p != \"Low\" }} {{ p == q }}",
                new Arg("p", M + "Priority", Priority.High), new Arg("q", M + "Priority", Priority.High)),
            new("nullable-bool", "{{ if a }}A{{ end }}{{ if b }}B{{ end }}{{ if c }}C{{ end }} {{ a == true }} {{ c == false }}",
                new Arg("a", "bool?", null), new Arg("b", "bool?", true), new Arg("c", "bool?", false)),
            new("number-comparisons", "{{ total > 100.5 }} {{ weight >= 2 }} {{ count == 2.0 }} {{ total < count }} {{ weight != 3.25 }}",
                new Arg("total", "decimal", 145.48m), new Arg("weight", "double", 3.25), I("count", 2)),
            new("member-comparisons", "{{ if customer.IsVip && customer.Age >= 18 }}VIP adult{{ end }}{{ if customer.LoyaltyYears > 5 }} loyal{{ end }}", CustomerArg(Ada())),
            new("comparison-rendered", "{{ a == b }}/{{ a != b }}", I("a", 1), I("b", 1)),
            new("arithmetic", "{{ a + 1 }} {{ a * 2 - b }} {{ -a }} {{ a - -b }} {{ 2 * a }}", I("a", 5), I("b", 3)),
            new("arithmetic-overflow-widens", "{{ big * 2 }}|{{ big + 1 }}|{{ small - 1 }}|{{ maybe + 1 }}|{{ u + 1 }}",
                I("big", int.MaxValue), I("small", int.MinValue), new Arg("maybe", "int?", null), new Arg("u", "uint", uint.MaxValue)),
            new("null-string-ordering", "{{ n < 'a' }}|{{ n > 'a' }}|{{ n <= 'a' }}|{{ 'a' >= n }}|{{ n == n }}", S("n", null)),
            new("char-comparisons", "{{ c == 'x' }}|{{ c != \"y\" }}|{{ 'x' == c }}|{{ c == '\\'' }}", new Arg("c", "char", 'x')),
            new("nullable-enum-comparisons", "{{ e == 'High' }}|{{ e != 'High' }}|{{ e == null }}", new Arg("e", M + "Priority?", null)),
            new("ulong-comparisons", "{{ u > 5 }}|{{ u == 9223372036854775807 }}|{{ u > w }}", new Arg("u", "ulong", 1000UL), new Arg("w", "uint", 7u)),

            // ---------------------------------------------------------------- loops
            new("for-index", "{{ for item in items }}{{ for.index }}:{{ item }} {{ end }}",
                new Arg("items", ListOf + "string>", new List<string> { "a", "b", "c" })),
            new("for-first-last-count", "{{ for item in items }}{{ if for.first }}[{{ end }}{{ item }}{{ if for.last }}]{{ else }}, {{ end }}{{ end }}",
                new Arg("items", ListOf + "string>", new List<string> { "x", "y", "z" })),
            new("for-last-lookahead", "{{ for tag in tags }}{{ tag }}{{ if !for.last }} | {{ end }}{{ end }}",
                new Arg("tags", EnumerableOf + "string>", Lazy("one", "two", "three"))),
            new("for-last-lookahead-single", "{{ for tag in tags }}{{ tag }}{{ for.last }}{{ for.first }}{{ for.index }}{{ end }}",
                new Arg("tags", EnumerableOf + "string>", Lazy("only"))),
            new("for-even-odd-array", "{{ for n in numbers }}{{ n }}{{ if for.even }}e{{ else }}o{{ end }}{{ for.odd }} {{ end }}",
                new Arg("numbers", "int[]", new[] { 10, 20, 30, 40, 50 })),
            new("for-length-rindex", "{{ for n in numbers }}{{ for.rindex }}/{{ for.length }} {{ end }}",
                new Arg("numbers", "int[]", new[] { 1, 2, 3 })),
            new("for-null", "a{{ for n in numbers }}{{ n }}{{ end }}b", new Arg("numbers", "int[]?", null)),
            new("for-else-empty", "{{ for n in numbers }}{{ n }}{{ else }}none{{ end }}", new Arg("numbers", ListOf + "int>", new List<int>())),
            new("for-else-null", "{{ for n in numbers }}{{ n }}{{ else }}none{{ end }}", new Arg("numbers", ListOf + "int>?", null)),
            new("for-else-items", "{{ for n in numbers }}{{ n }};{{ else }}none{{ end }}", new Arg("numbers", ListOf + "int>", new List<int> { 1, 2 })),
            new("for-objects", "{{ for line in order.Lines }}{{ line.Sku }} x{{ line.Quantity }} @ {{ line.Price }}\n{{ end }}", OrderArg(SampleOrder())),
            new("for-nested", "{{ for line in order.Lines }}{{ line.Sku }}({{ for o in line.Options }}{{ for.index }}={{ o }}{{ if !for.last }},{{ end }}{{ end }}){{ for.index }};{{ end }}",
                OrderArg(SampleOrder())),
            new("for-nested-same-name", "{{ for x in a }}<{{ for x in b }}{{ x }}{{ end }}{{ x }}>{{ end }}",
                new Arg("a", "string[]", new[] { "A", "B" }), new Arg("b", "int[]", new[] { 1, 2 })),
            new("for-shadows-parameter", "{{ line }}:{{ for line in lines }}{{ line }}{{ end }}:{{ line }}",
                S("line", "outer"), new Arg("lines", "string[]", new[] { "i1", "i2" })),
            new("for-sequential-same-name", "{{ for x in a }}{{ x }}{{ end }}-{{ for x in a }}{{ x }}{{ for.index }}{{ end }}",
                new Arg("a", "string[]", new[] { "p", "q" })),
            new("for-break-continue", "{{ for n in numbers }}{{ if n == 2 }}{{ continue }}{{ end }}{{ if n == 4 }}{{ break }}{{ end }}{{ n }}{{ end }}",
                new Arg("numbers", "int[]", new[] { 1, 2, 3, 4, 5 })),
            new("for-lazy-member", "{{ for tag in order.Tags }}#{{ tag }}{{ if for.last }}.{{ end }}{{ end }}", OrderArg(SampleOrder())),
            new("for-over-null-parent", "[{{ for n in order.Notes }}{{ n }}{{ end }}]", OrderArg(EmptyOrder())),
            new("for-index-arithmetic", "{{ for n in notes }}{{ for.index + 1 }}. {{ n }}\n{{ end }}", new Arg("notes", "string[]", new[] { "first", "second" })),
            new("for-nullable-elements", "{{ for v in values }}[{{ v }}]{{ end }}", new Arg("values", "int?[]", new int?[] { 1, null, 3 })),
            new("for-recursive-type", "{{ for c in node.Children }}{{ c.Label }}<{{ c.Parent.Label }}>{{ for g in c.Children }}{{ g.Label }}{{ end }};{{ end }}",
                new Arg("node", M + "TreeNode", Tree())),

            new("for-readonly-list-indexed", "{{ for x in list }}{{ if x == \"b\" }}{{ continue }}{{ end }}{{ for.index }}{{ x }}{{ if for.last }}!{{ end }}{{ else }}empty{{ end }}",
                new Arg("list", "global::System.Collections.Generic.IReadOnlyList<string>", new[] { "a", "b", "c" })),
            new("for-ilist-empty-else", "{{ for x in list }}{{ x }}{{ else }}empty{{ end }}|{{ list | array.join ',' }}|{{ list | array.size }}",
                new Arg("list", "global::System.Collections.Generic.IList<int>", new List<int>())),
            new("join-ilist", "{{ list | array.join ', ' }}|{{ for x in list }}{{ for.rindex }}{{ end }}",
                new Arg("list", "global::System.Collections.Generic.IList<int?>", new List<int?> { 3, null, 5 })),

            // ---------------------------------------------------------------- whitespace control
            new("ws-tilde", "Items:\n  {{~ for item in items ~}}\n  - {{ item }}\n  {{~ end ~}}\nDone", new Arg("items", "string[]", new[] { "a", "b" })),
            new("ws-dash", "Items:\n  {{- for item in items -}}\n  - {{ item }}\n  {{- end -}}\nDone", new Arg("items", "string[]", new[] { "a", "b" })),
            new("ws-mixed", "a  \n  {{~ b ~}}  \n  c  {{- b }}  \n{{ b -}}   d", S("b", "B")),
            new("ws-if-lines", "Start\n{{~ if flag ~}}\nyes line\n{{~ else ~}}\nno line\n{{~ end ~}}\nEnd", new Arg("flag", "bool", false)),
            new("ws-crlf", "One\r\n{{~ for x in xs ~}}\r\n* {{ x }}\r\n{{~ end ~}}\r\nTwo", new Arg("xs", "string[]", new[] { "p", "q" })),
            new("ws-no-control", "Items:\n{{ for item in items }}\n- {{ item }}\n{{ end }}\nDone", new Arg("items", "string[]", new[] { "a", "b" })),

            // ---------------------------------------------------------------- built-ins
            new("upcase-downcase", "{{ name | string.upcase }} {{ string.downcase name }} {{ 'MiXeD' | string.downcase }}", S("name", "Ada Lovelace")),
            new("upcase-null-and-values", "[{{ name | string.upcase }}][{{ n | string.upcase }}][{{ b | string.upcase }}][{{ d | string.upcase }}][{{ p | string.downcase }}]",
                S("name", null), I("n", -3), new Arg("b", "bool", true), new Arg("d", "double", 0.5), new Arg("p", M + "Priority", Priority.Normal)),
            new("upcase-unicode", "{{ a | string.upcase }} {{ a | string.downcase }}", S("a", "ÄbÇ straße ǅ i")),
            new("upcase-member-chain", "{{ order.Customer.Address.City | string.upcase }}|{{ order.Customer.LoyaltyYears | string.upcase }}", OrderArg(SampleOrder())),
            new("pipe-chain", "{{ name | string.downcase | string.upcase }}", S("name", "MiXeD")),
            new("string-size", "{{ name | string.size }} {{ string.size empty }} {{ n | string.size }}", S("name", "hello"), S("empty", null), I("n", 1234)),
            new("array-join", "{{ items | array.join ', ' }}|{{ array.join numbers '-' }}|{{ flags | array.join ',' }}|{{ values | array.join ';' }}|{{ levels | array.join '/' }}",
                new Arg("items", "string?[]", new[] { "a", null, "c" }), new Arg("numbers", ListOf + "int>", new List<int> { 1, 2, 3 }),
                new Arg("flags", "bool[]", new[] { true, false }), new Arg("values", "double[]", new[] { 1.0, 2.5 }),
                new Arg("levels", M + "Priority[]", new[] { Priority.Low, Priority.High })),
            new("array-join-null-and-lazy", "[{{ missing | array.join ', ' }}][{{ tags | array.join ' ' }}][{{ order.Notes | array.join '; ' }}]",
                new Arg("missing", "string[]?", null), new Arg("tags", EnumerableOf + "string>", Lazy("x", "y")), OrderArg(SampleOrder())),
            new("array-size", "{{ items | array.size }} {{ array.size numbers }} {{ missing | array.size }} {{ order.Lines | array.size }} {{ if (items | array.size) > 1 }}many{{ end }}",
                new Arg("items", "string[]", new[] { "a", "b" }), new Arg("numbers", ListOf + "int>", new List<int> { 1 }),
                new Arg("missing", "string[]?", null), OrderArg(SampleOrder())),
            new("object-default", "[{{ a | object.default 'none' }}][{{ b | object.default 'none' }}][{{ c | object.default 'none' }}][{{ z | object.default 'none' }}][{{ f | object.default 'none' }}][{{ n | object.default 7 }}]",
                S("a", null), S("b", ""), S("c", "set"), I("z", 0), new Arg("f", "bool", false), new Arg("n", "int?", null)),
            new("object-default-members", "{{ customer.Email | object.default 'no email' }} {{ customer.LoyaltyYears | object.default 'new' }} {{ customer.Address.City | object.default customer.Name }}",
                CustomerArg(Bob())),
            new("null-coalescing", "[{{ a ?? 'dflt' }}][{{ b ?? 'dflt' }}][{{ c ?? 'dflt' }}][{{ n ?? 0 }}]", S("a", null), S("b", ""), S("c", "x"), new Arg("n", "int?", null)),
            new("math-format", "{{ d | math.format '0.00' }}|{{ i | math.format 'X4' }}|{{ big | math.format 'N2' }}|{{ m | math.format 'C' }}|{{ p | math.format 'P1' }}|{{ nothing | math.format '0.0' }}",
                new Arg("d", "double", 0.1), I("i", 255), new Arg("big", "double", 1234567.891), new Arg("m", "decimal", 12.5m),
                new Arg("p", "double", 0.256), new Arg("nothing", "double?", null)),
            new("math-format-upcase", "{{ i | math.format 'x' | string.upcase }}", I("i", 48879)),
            new("date-to-string", "{{ d | date.to_string '%Y-%m-%d' }}|{{ date.to_string d '%d %b %Y %H:%M:%S' }}|{{ d | date.to_string '%A, %B %d' }}|{{ d | date.to_string '%I:%M %p' }}|{{ d | date.to_string '%F %T' }}",
                new Arg("d", "global::System.DateTime", new DateTime(2024, 3, 5, 14, 7, 9, 45))),
            new("date-to-string-literals", "{{ d | date.to_string 'Date: %Y/%m/%d at %H.%M (%a) 100%% %y %L \\'q\\' %D %R %h%n%t|' }}",
                new Arg("d", "global::System.DateTime", new DateTime(2001, 12, 31, 23, 59, 58, 7))),
            new("date-to-string-members", "{{ order.Placed | date.to_string '%d/%m/%Y' }} {{ customer.Since | date.to_string '%Y' }}|{{ none | date.to_string '%Y' }}",
                OrderArg(SampleOrder()), CustomerArg(Bob()), new Arg("none", "global::System.DateTime?", null)),

            // ---------------------------------------------------------------- realistic prompts
            new(
                "prompt-invoice",
                "Extract the invoice fields from the document below.\n" +
                "Customer: {{ order.Customer.Name }}{{ if order.Customer.IsVip }} (VIP){{ end }}\n" +
                "Placed: {{ order.Placed | date.to_string '%Y-%m-%d' }}\n" +
                "Lines:\n" +
                "{{~ for line in order.Lines ~}}\n" +
                "{{ for.index + 1 }}. {{ line.Sku }} x {{ line.Quantity }} at {{ line.Price | math.format '0.00' }}{{ if line.Options | array.size > 0 }} [{{ line.Options | array.join ', ' }}]{{ end }}\n" +
                "{{~ end ~}}\n" +
                "Total: {{ order.Total }}\n" +
                "Notes: {{ order.Notes | array.join '; ' | object.default 'none' }}",
                OrderArg(SampleOrder())),
            new(
                "prompt-classify",
                "Classify the following review as positive, negative or neutral.\n\nReview:\n\"\"\"\n{{ review }}\n\"\"\"\n{{ if examples | array.size > 0 }}Examples:\n{{ for e in examples }}- {{ e }}\n{{ end }}{{ end }}Answer with one word.",
                S("review", "Great \"value\" — but {{ shipping }} was slow\\late."),
                new Arg("examples", ListOf + "string>", new List<string> { "I love it => positive", "Broken => negative" })),
        });

        return cases;
    }

    private static TreeNode Tree()
    {
        var root = new TreeNode { Label = "root" };
        var a = new TreeNode { Label = "a", Parent = root };
        var b = new TreeNode { Label = "b", Parent = root };
        a.Children.Add(new TreeNode { Label = "a1", Parent = a });
        a.Children.Add(new TreeNode { Label = "a2", Parent = a });
        root.Children.Add(a);
        root.Children.Add(b);
        return root;
    }
}
