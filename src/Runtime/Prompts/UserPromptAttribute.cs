namespace PromptGen;

/// <summary>
/// The user-message template of a prompt method: inline, or with the parameterless constructor a <see cref="File"/>
/// passed to the build as an MSBuild <c>AdditionalFiles</c> item. Templates are Scriban (<c>{{ name }}</c>,
/// <c>{{ order.total }}</c>, <c>{{ for x in items }}</c>) over the method's parameters, compiled into C# at build time;
/// argument values are data and are never evaluated as templates.
/// </summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false, Inherited = false)]
public sealed class UserPromptAttribute : Attribute
{
    /// <summary>A template read from <see cref="File"/>.</summary>
    public UserPromptAttribute()
    {
    }

    /// <summary>An inline template.</summary>
    /// <param name="template">The Scriban template of the user message.</param>
    public UserPromptAttribute(string template)
    {
        Template = template;
    }

    /// <summary>The inline template, or <see langword="null"/> when it comes from <see cref="File"/>.</summary>
    public string? Template { get; }

    /// <summary>The path of a template file, as listed in the project's <c>AdditionalFiles</c> items (relative to the project).</summary>
    public string? File { get; set; }
}
