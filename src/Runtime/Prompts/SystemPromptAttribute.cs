namespace PromptGen;

/// <summary>
/// The system prompt of a <see cref="PromptAttribute"/> interface (for every method) or of one method (overriding the
/// interface's). Either inline text or, with the parameterless constructor, a <see cref="File"/> passed to the build as an
/// MSBuild <c>AdditionalFiles</c> item. The text is a Scriban template compiled at build time.
/// </summary>
[AttributeUsage(AttributeTargets.Interface | AttributeTargets.Method, AllowMultiple = false, Inherited = false)]
public sealed class SystemPromptAttribute : Attribute
{
    /// <summary>A system prompt read from <see cref="File"/>.</summary>
    public SystemPromptAttribute()
    {
    }

    /// <summary>An inline system prompt.</summary>
    /// <param name="text">The system prompt text (a Scriban template).</param>
    public SystemPromptAttribute(string text)
    {
        Text = text;
    }

    /// <summary>The inline text, or <see langword="null"/> when the prompt comes from <see cref="File"/>.</summary>
    public string? Text { get; }

    /// <summary>The path of a template file, as listed in the project's <c>AdditionalFiles</c> items (relative to the project).</summary>
    public string? File { get; set; }
}
