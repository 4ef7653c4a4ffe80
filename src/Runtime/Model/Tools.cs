using System.Text.Json.Nodes;

namespace PromptGen;

/// <summary>The tools available to the model and how it must choose among them.</summary>
public sealed class ToolConfiguration
{
    /// <summary>The tools (at least one).</summary>
    public IList<Tool> Tools { get; set; } = new List<Tool>();

    /// <summary>How the model chooses a tool; null means <c>auto</c>.</summary>
    public ToolChoice? ToolChoice { get; set; }
}

/// <summary>A tool (a union: a tool specification, a provider system tool, or a cache point).</summary>
public sealed class Tool
{
    /// <summary>A function-style tool with a JSON input schema.</summary>
    public ToolSpecification? ToolSpec { get; set; }

    /// <summary>A provider-defined tool.</summary>
    public SystemTool? SystemTool { get; set; }

    /// <summary>A prompt-cache checkpoint after the preceding tools.</summary>
    public CachePointBlock? CachePoint { get; set; }

    /// <summary>A function-style tool.</summary>
    /// <param name="name">The tool name (<c>[a-zA-Z0-9_-]{1,64}</c>).</param>
    /// <param name="description">What the tool does.</param>
    /// <param name="inputSchema">The JSON Schema of the input; its top-level type must be <c>object</c>.</param>
    public static Tool FromSpec(string name, string? description, JsonNode inputSchema) => new()
    {
        ToolSpec = new ToolSpecification
        {
            Name = name,
            Description = description,
            InputSchema = new ToolInputSchema { Json = inputSchema },
        },
    };
}

/// <summary>A function-style tool.</summary>
public sealed class ToolSpecification
{
    /// <summary>The tool name.</summary>
    public string Name { get; set; } = string.Empty;

    /// <summary>What the tool does (non-empty when set).</summary>
    public string? Description { get; set; }

    /// <summary>The input schema.</summary>
    public ToolInputSchema InputSchema { get; set; } = new();

    /// <summary>Asks the model to follow the schema strictly.</summary>
    public bool? Strict { get; set; }
}

/// <summary>A tool's input schema (a union).</summary>
public sealed class ToolInputSchema
{
    /// <summary>The JSON Schema document.</summary>
    public JsonNode? Json { get; set; }
}

/// <summary>A provider-defined tool.</summary>
public sealed class SystemTool
{
    /// <summary>The tool name.</summary>
    public string Name { get; set; } = string.Empty;
}

/// <summary>How the model must choose a tool (a union: auto, any or a named tool).</summary>
public sealed class ToolChoice
{
    /// <summary>The model decides whether to call a tool.</summary>
    public AutoToolChoice? Auto { get; set; }

    /// <summary>The model must call at least one tool.</summary>
    public AnyToolChoice? Any { get; set; }

    /// <summary>The model must call this tool.</summary>
    public SpecificToolChoice? Tool { get; set; }

    /// <summary><c>{"auto":{}}</c>.</summary>
    public static ToolChoice ForAuto() => new() { Auto = new AutoToolChoice() };

    /// <summary><c>{"any":{}}</c>.</summary>
    public static ToolChoice ForAny() => new() { Any = new AnyToolChoice() };

    /// <summary><c>{"tool":{"name":...}}</c>.</summary>
    /// <param name="name">The tool the model must call.</param>
    public static ToolChoice ForTool(string name) => new() { Tool = new SpecificToolChoice { Name = name } };
}

/// <summary>The <c>auto</c> tool choice (an empty structure).</summary>
public sealed class AutoToolChoice
{
}

/// <summary>The <c>any</c> tool choice (an empty structure).</summary>
public sealed class AnyToolChoice
{
}

/// <summary>A named tool choice.</summary>
public sealed class SpecificToolChoice
{
    /// <summary>The tool name.</summary>
    public string Name { get; set; } = string.Empty;
}
