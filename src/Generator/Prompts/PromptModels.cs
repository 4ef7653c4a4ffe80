using PromptGen.Generator.Common;
using PromptGen.Generator.Structured;
using PromptGen.Generator.Templates;

namespace PromptGen.Generator.Prompts
{
    /// <summary>How a prompt method hands back its answer.</summary>
    internal enum ReturnShape
    {
        /// <summary>The member cannot be implemented; the generated body throws <see cref="System.NotSupportedException"/>.</summary>
        Unsupported,

        /// <summary><c>Task&lt;T&gt;</c>.</summary>
        Task,

        /// <summary><c>ValueTask&lt;T&gt;</c>.</summary>
        ValueTask,

        /// <summary><c>Task&lt;PromptResult&lt;T&gt;&gt;</c>.</summary>
        TaskResult,

        /// <summary><c>ValueTask&lt;PromptResult&lt;T&gt;&gt;</c>.</summary>
        ValueTaskResult,

        /// <summary><c>IAsyncEnumerable&lt;string&gt;</c>: text deltas as they arrive.</summary>
        Stream,
    }

    /// <summary>What the answer is parsed into.</summary>
    internal enum ValueShape
    {
        /// <summary>The model's text as is.</summary>
        Text,

        /// <summary>An enum matched case-insensitively on the trimmed text.</summary>
        Enum,

        /// <summary>Structured output: JSON for a record, class, primitive or collection.</summary>
        Structured,
    }

    /// <summary>The <c>[Prompt]</c> named arguments written at one level (null = not written).</summary>
    internal sealed record PromptSettings(
        int? UseCase,
        string? Model,
        double? Temperature,
        double? TopP,
        int? TopK,
        int? MaxTokens,
        EquatableArray<string>? StopSequences,
        bool? LatencyOptimized,
        bool? CachePrompt,
        bool? CacheResponse,
        int? CacheResponseTtlSeconds = null,
        string? CachePromptTtl = null)
    {
        public static PromptSettings Empty { get; } = new(null, null, null, null, null, null, null, null, null, null);

        /// <summary>This level's values where written, else <paramref name="outer"/>'s.</summary>
        public PromptSettings Over(PromptSettings outer) => new(
            UseCase ?? outer.UseCase,
            Model ?? outer.Model,
            Temperature ?? outer.Temperature,
            TopP ?? outer.TopP,
            TopK ?? outer.TopK,
            MaxTokens ?? outer.MaxTokens,
            StopSequences ?? outer.StopSequences,
            LatencyOptimized ?? outer.LatencyOptimized,
            CachePrompt ?? outer.CachePrompt,
            CacheResponse ?? outer.CacheResponse,
            CacheResponseTtlSeconds ?? outer.CacheResponseTtlSeconds,
            CachePromptTtl ?? outer.CachePromptTtl);
    }

    /// <summary>A prompt text from an attribute: inline, or the path of an AdditionalFiles item.</summary>
    internal sealed record PromptText(string? Inline, string? File);

    /// <summary>One parameter of a prompt method; <see cref="DefaultValue"/> is the C# expression of its default, if it has one.</summary>
    internal sealed record ParameterModel(string Name, string Type, bool IsCancellationToken, string? DefaultValue, bool IsVariantKey = false, string RefKind = "");

    /// <summary>One <c>[PromptVariant]</c> of a method: its name, weight and the settings it writes (over the method's).</summary>
    internal sealed record VariantModel(string Name, double Weight, PromptSettings Overrides);

    /// <summary>One member of a [Prompt] interface, as the parser saw it.</summary>
    internal sealed record MethodModel(
        string Name,
        string ReturnType,
        ReturnShape Return,
        ValueShape Value,
        string? ValueType,
        EquatableArray<ParameterModel> Parameters,
        PromptSettings Settings,
        PromptText? System,
        PromptText? User,
        EquatableArray<TemplateParameter> TemplateParameters,
        StructuredTypeModel? Structured,
        string? UnsupportedReason,
        EquatableArray<VariantModel> Variants = default);

    /// <summary>A [Prompt] interface: everything the emitter needs, with no symbols or syntax.</summary>
    internal sealed record InterfaceModel(
        string Namespace,
        string Name,
        string ClientName,
        string Accessibility,
        string FullName,
        EquatableArray<MethodModel> Methods);

    /// <summary>Compilation-wide settings read from MSBuild (<c>CompilerVisibleProperty</c>).</summary>
    internal sealed record GeneratorOptions(string? DefaultModel);

    /// <summary>A template file passed as an AdditionalFiles item.</summary>
    internal sealed record TemplateFile(string Path, string? Text);
}
