using PromptGen.Generator.Common;
namespace PromptGen.Generator.Templates
{
    /// <summary>How the template compiler treats a C# type.</summary>
    internal enum TemplateTypeKind
    {
        /// <summary>A class, struct, record or interface whose public members a template may name (<c>order.Total</c>).</summary>
        Object,

        /// <summary><see cref="string"/>.</summary>
        String,

        /// <summary><see cref="bool"/>: rendered <c>true</c>/<c>false</c>.</summary>
        Boolean,

        /// <summary><see cref="char"/>.</summary>
        Char,

        /// <summary>sbyte, byte, short, ushort, int, uint, long, ulong.</summary>
        Integer,

        /// <summary>float, double.</summary>
        Floating,

        /// <summary>decimal.</summary>
        Decimal,

        /// <summary>An enum: rendered by name.</summary>
        Enum,

        /// <summary><see cref="System.DateTime"/>: rendered <c>dd MMM yyyy</c> like Scriban.</summary>
        DateTime,

        /// <summary><see cref="System.DateTimeOffset"/>.</summary>
        DateTimeOffset,

        /// <summary><see cref="System.TimeSpan"/>.</summary>
        TimeSpan,

        /// <summary><see cref="System.Guid"/>.</summary>
        Guid,

        /// <summary>A sequence (<c>IEnumerable&lt;T&gt;</c>, not a string or dictionary): usable in <c>for</c>, <c>array.join</c>, <c>array.size</c>.</summary>
        Enumerable,

        /// <summary>Anything else (dictionaries, delegates, object, …): a template may pass it nowhere.</summary>
        Other,
    }

    /// <summary>
    /// What the template compiler knows about a C# type. Filled by <see cref="TemplateTypeFactory"/> from Roslyn symbols,
    /// with bounded recursion; equatable so it can sit in incremental-pipeline models.
    /// </summary>
    /// <param name="Name">The <c>global::</c>-qualified type name, without a trailing <c>?</c> (for <c>int?</c>: <c>global::System.Int32</c>).</param>
    /// <param name="Kind">How the compiler treats the type.</param>
    /// <param name="IsValueType">Whether the type (underlying type for <c>Nullable&lt;T&gt;</c>) is a value type.</param>
    /// <param name="IsNullableValueType">Whether the type is <c>Nullable&lt;T&gt;</c> (then <see cref="Name"/> is <c>T</c>).</param>
    /// <param name="Members">For <see cref="TemplateTypeKind.Object"/>: public readable instance properties and fields.</param>
    /// <param name="ElementType">For <see cref="TemplateTypeKind.Enumerable"/>: the element type.</param>
    /// <param name="CountMember">For <see cref="TemplateTypeKind.Enumerable"/>: <c>Length</c> or <c>Count</c> where the type has one.</param>
    /// <param name="EnumMembers">For <see cref="TemplateTypeKind.Enum"/>: the member names.</param>
    /// <param name="MembersTruncated">Whether members were not captured because the nesting limit was reached.</param>
    /// <param name="Indexable">
    /// For <see cref="TemplateTypeKind.Enumerable"/>: an interface with <c>Count</c> and an <c>int</c> indexer (<c>IList&lt;T&gt;</c>,
    /// <c>IReadOnlyList&lt;T&gt;</c>), iterated by index because <c>foreach</c> would box its enumerator.
    /// </param>
    internal sealed record TemplateType(
        string Name,
        TemplateTypeKind Kind,
        bool IsValueType,
        bool IsNullableValueType = false,
        EquatableArray<TemplateMember> Members = default,
        TemplateType? ElementType = null,
        string? CountMember = null,
        EquatableArray<string> EnumMembers = default,
        bool MembersTruncated = false,
        bool Indexable = false)
    {
        /// <summary>Whether a value of the type may be null.</summary>
        public bool CanBeNull => !IsValueType || IsNullableValueType;

        /// <summary>The type as written in C# source (<c>global::System.Int32?</c> for a nullable value type).</summary>
        public string DisplayName => IsNullableValueType ? Name + "?" : Name;

        /// <summary>The member called <paramref name="name"/> (ordinal), or null.</summary>
        public TemplateMember? FindMember(string name)
        {
            foreach (TemplateMember member in Members)
            {
                if (member.Name == name)
                {
                    return member;
                }
            }

            return null;
        }
    }

    /// <summary>A public member of a type as a template sees it: the name as written in C#, and its type.</summary>
    internal sealed record TemplateMember(string Name, TemplateType Type);

    /// <summary>A method parameter as a template sees it: the name as written in C# (no <c>@</c>), and its type.</summary>
    internal sealed record TemplateParameter(string Name, TemplateType Type);

    /// <summary>What went wrong in a template.</summary>
    internal enum TemplateDiagnosticKind
    {
        /// <summary>Scriban cannot parse the template (PG0009).</summary>
        ParseError,

        /// <summary>The template uses a construct the compiler does not turn into C# (PG0009; the message names it).</summary>
        UnsupportedConstruct,

        /// <summary>The template names a variable that is not a parameter, loop variable or member of one (PG0010).</summary>
        UnknownVariable,
    }

    /// <summary>
    /// One problem in a template. The span is within the template text: <see cref="Offset"/> and <see cref="Length"/> in
    /// UTF-16 code units, <see cref="Line"/> and <see cref="Column"/> zero-based (like Roslyn's <c>LinePosition</c>).
    /// </summary>
    internal sealed record TemplateDiagnostic(
        TemplateDiagnosticKind Kind,
        string Message,
        string Subject,
        int Offset,
        int Length,
        int Line,
        int Column);

    /// <summary>
    /// The outcome of compiling a template. On success <see cref="Code"/> holds C# statements that append the rendering to
    /// <c>builder</c>; otherwise it is null and <see cref="Diagnostics"/> says why. <see cref="UsedParameters"/> is filled in
    /// both cases (parameters named before or around an error still count as used).
    /// </summary>
    internal sealed record TemplateCompilation(
        string? Code,
        EquatableArray<string> UsedParameters,
        EquatableArray<TemplateDiagnostic> Diagnostics)
    {
        /// <summary>Whether the template compiled.</summary>
        public bool Success => Code != null && Diagnostics.IsEmpty;
    }

    /// <summary>Options for <see cref="TemplateCompiler.Compile"/>.</summary>
    /// <param name="BuilderName">The <c>StringBuilder</c> the code appends to.</param>
    /// <param name="IndentLevel">How many levels (four spaces each) the emitted lines are indented.</param>
    internal sealed record TemplateCompilerOptions(string BuilderName = "builder", int IndentLevel = 0)
    {
        /// <summary>The defaults: <c>builder</c>, no indentation.</summary>
        public static TemplateCompilerOptions Default { get; } = new();
    }
}
