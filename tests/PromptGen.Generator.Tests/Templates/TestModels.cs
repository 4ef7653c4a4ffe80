// Types the differential corpus passes to templates. Public, so the compiled template methods (another assembly) can use them.
namespace PromptGen.Generator.Tests.Templates.Models;

public enum Priority
{
    Low,
    Normal,
    High,
}

[Flags]
public enum Access
{
    None = 0,
    Read = 1,
    Write = 2,
}

public sealed class Address
{
    public string? Street { get; set; }

    public string? City { get; set; }

    public string? Zip;
}

public sealed class Customer
{
    public string Name { get; set; } = "";

    public string? Email { get; set; }

    public Address? Address { get; set; }

    public int Age { get; set; }

    public int? LoyaltyYears { get; set; }

    public bool IsVip { get; set; }

    public bool? Verified { get; set; }

    public Priority Priority { get; set; }

    public DateTime Since { get; set; }

    public string? @event { get; set; }
}

public sealed class Line
{
    public string Sku { get; set; } = "";

    public int Quantity { get; set; }

    public decimal Price { get; set; }

    public IReadOnlyList<string> Options { get; set; } = Array.Empty<string>();
}

public sealed class Order
{
    public string Id { get; set; } = "";

    public Customer? Customer { get; set; }

    public List<Line> Lines { get; set; } = new();

    public IEnumerable<string> Tags { get; set; } = Array.Empty<string>();

    public decimal Total { get; set; }

    public double Weight { get; set; }

    public DateTime Placed { get; set; }

    public string[]? Notes { get; set; }

    public Dimensions Size { get; set; }
}

public struct Dimensions
{
    public double Width { get; set; }

    public double Height { get; set; }
}

public sealed record Point(int X, int Y);

public sealed class TreeNode
{
    public string Label { get; set; } = "";

    public TreeNode? Parent { get; set; }

    public List<TreeNode> Children { get; set; } = new();
}
