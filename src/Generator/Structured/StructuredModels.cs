using PromptGen.Generator.Common;

namespace PromptGen.Generator.Structured
{
    /// <summary>What a structured value is on the wire.</summary>
    internal enum StructuredTypeKind
    {
        /// <summary>A JSON string, number or boolean (see <see cref="StructuredPrimitive"/>).</summary>
        Primitive,

        /// <summary>A C# enum, written as a JSON string naming a member.</summary>
        Enum,

        /// <summary>A record, class or struct, written as a JSON object with fixed properties.</summary>
        Object,

        /// <summary>An array, list or read-only collection, written as a JSON array.</summary>
        Collection,

        /// <summary>A string-keyed dictionary, written as a JSON object with free property names.</summary>
        Dictionary,
    }

    /// <summary>The primitives structured output understands.</summary>
    internal enum StructuredPrimitive
    {
        None,
        String,
        Boolean,
        Byte,
        SByte,
        Int16,
        UInt16,
        Int32,
        UInt32,
        Int64,
        UInt64,
        Single,
        Double,
        Decimal,
        DateTime,
        DateTimeOffset,
        DateOnly,
        TimeOnly,
        Guid,
        Uri,
    }

    /// <summary>The collection shapes structured output understands; all are read into a list first.</summary>
    internal enum StructuredCollectionKind
    {
        None,
        Array,
        List,
        IList,
        ICollection,
        IReadOnlyList,
        IReadOnlyCollection,
        IEnumerable,
        ImmutableArray,
        Dictionary,
        IDictionary,
        IReadOnlyDictionary,
    }

    /// <summary>How a property's value gets into the object.</summary>
    internal enum StructuredPropertyBinding
    {
        /// <summary>Passed to the constructor.</summary>
        Constructor,

        /// <summary>Assigned in the object initializer (init accessor or a C# <c>required</c> member).</summary>
        Initializer,

        /// <summary>Assigned after construction, only when present in the JSON (public set accessor).</summary>
        Setter,
    }

    /// <summary>
    /// A use of a type: what it is, how it is spelled in C#, and whether null is allowed.
    /// Object and enum uses point at a <see cref="StructuredTypeDefinition"/> through <see cref="DefinitionKey"/>.
    /// </summary>
    /// <param name="Kind">The wire shape.</param>
    /// <param name="TypeName">The C# type as declared, global::-qualified, with nullable annotations (e.g. <c>global::Acme.Line?</c>).</param>
    /// <param name="NonNullableTypeName">The same type without a top-level <c>?</c> (the underlying type of a <c>Nullable&lt;T&gt;</c>).</param>
    /// <param name="IsNullable">Whether JSON null is accepted (annotated or oblivious reference type, or <c>Nullable&lt;T&gt;</c>).</param>
    /// <param name="Primitive">For <see cref="StructuredTypeKind.Primitive"/>.</param>
    /// <param name="DefinitionKey">For objects and enums: the definition's key.</param>
    /// <param name="CollectionKind">For collections and dictionaries.</param>
    /// <param name="Element">For collections the element; for dictionaries the value.</param>
    internal sealed record StructuredTypeRef(
        StructuredTypeKind Kind,
        string TypeName,
        string NonNullableTypeName,
        bool IsNullable,
        StructuredPrimitive Primitive,
        string? DefinitionKey,
        StructuredCollectionKind CollectionKind,
        StructuredTypeRef? Element)
    {
        /// <summary>True for value types wrapped in <c>Nullable&lt;T&gt;</c>.</summary>
        public bool IsNullableValueType { get; init; }

        /// <summary>The type without any nullable reference annotations, usable in <c>typeof</c> (e.g. <c>global::System.Collections.Generic.List&lt;string&gt;</c>).</summary>
        public string RuntimeTypeName { get; init; } = NonNullableTypeName;
    }

    /// <summary>A property of an object definition.</summary>
    /// <param name="Name">The C# name.</param>
    /// <param name="JsonName">The JSON name: the C# name as written, or [JsonPropertyName].</param>
    /// <param name="Type">The property's type.</param>
    /// <param name="IsRequired">Whether the JSON must contain it.</param>
    /// <param name="Description">From [System.ComponentModel.Description] on the property (or its primary-constructor parameter).</param>
    /// <param name="Binding">How the value is set.</param>
    /// <param name="ConstructorParameterIndex">Position in the constructor when <paramref name="Binding"/> is Constructor, else -1.</param>
    /// <param name="DefaultValueExpression">A C# expression for an optional constructor parameter's default, else null.</param>
    internal sealed record StructuredProperty(
        string Name,
        string JsonName,
        StructuredTypeRef Type,
        bool IsRequired,
        string? Description,
        StructuredPropertyBinding Binding,
        int ConstructorParameterIndex,
        string? DefaultValueExpression);

    /// <summary>A member of an enum definition.</summary>
    /// <param name="Name">The C# member name.</param>
    /// <param name="JsonName">The string on the wire (the C# name, or [JsonStringEnumMemberName]).</param>
    /// <param name="Value">The constant value, invariant culture.</param>
    /// <param name="Description">From [Description] on the member.</param>
    internal sealed record StructuredEnumMember(string Name, string JsonName, string Value, string? Description);

    /// <summary>An object or enum type reachable from the root.</summary>
    /// <param name="Key">The global::-qualified type name without nullable annotations; unique in a model.</param>
    /// <param name="Id">A C# identifier derived from the name, unique in a model (used for helper names and $defs).</param>
    /// <param name="DisplayName">The type as users know it (<c>Invoice</c>, <c>Page&lt;Invoice&gt;</c>), for error messages.</param>
    /// <param name="Kind">Object or Enum.</param>
    /// <param name="IsValueType">Whether the type is a struct.</param>
    /// <param name="Description">From [Description] on the type.</param>
    /// <param name="Properties">Object properties: base type's first, then declaration order.</param>
    /// <param name="ConstructorParameterCount">Number of constructor parameters (0 for a parameterless constructor).</param>
    /// <param name="EnumMembers">Enum members in declaration order.</param>
    /// <param name="EnumUnderlyingType">The enum's underlying C# keyword type (<c>int</c>, <c>ulong</c>, ...).</param>
    /// <param name="IsRecursive">Whether the type takes part in a cycle (its schema goes to $defs).</param>
    internal sealed record StructuredTypeDefinition(
        string Key,
        string Id,
        string DisplayName,
        StructuredTypeKind Kind,
        bool IsValueType,
        string? Description,
        EquatableArray<StructuredProperty> Properties,
        int ConstructorParameterCount,
        EquatableArray<StructuredEnumMember> EnumMembers,
        string? EnumUnderlyingType,
        bool IsRecursive);

    /// <summary>Everything needed to emit the schema and converters of one structured return type.</summary>
    /// <param name="Root">The return type T itself.</param>
    /// <param name="Definitions">All object and enum types reachable from <paramref name="Root"/>, sorted by key (ordinal).</param>
    /// <param name="SafeName">An identifier naming T (<c>Invoice</c>, <c>ListOfInvoice</c>, <c>NullableInt32</c>); the emitted class is <c>{SafeName}Json</c> by default.</param>
    /// <param name="IsWrapped">Whether T's JSON is not a plain object, so the schema wraps it as <c>{"value": …}</c>.</param>
    /// <param name="HasRecursion">Whether any definition is recursive (the schema then uses $defs/$ref, which some models reject).</param>
    internal sealed record StructuredTypeModel(
        StructuredTypeRef Root,
        EquatableArray<StructuredTypeDefinition> Definitions,
        string SafeName,
        bool IsWrapped,
        bool HasRecursion)
    {
        /// <summary>
        /// Whether any string-keyed dictionary is reachable: its schema uses <c>additionalProperties: {schema}</c>,
        /// which tool input schemas accept but some models' structured-output modes (additionalProperties must be false) reject.
        /// </summary>
        public bool ContainsDictionary()
        {
            if (ContainsDictionary(Root))
            {
                return true;
            }

            foreach (StructuredTypeDefinition definition in Definitions)
            {
                foreach (StructuredProperty property in definition.Properties)
                {
                    if (ContainsDictionary(property.Type))
                    {
                        return true;
                    }
                }
            }

            return false;
        }

        private static bool ContainsDictionary(StructuredTypeRef type)
        {
            for (StructuredTypeRef? current = type; current is not null; current = current.Element)
            {
                if (current.Kind == StructuredTypeKind.Dictionary)
                {
                    return true;
                }
            }

            return false;
        }

        /// <summary>Finds a definition by key, or null.</summary>
        public StructuredTypeDefinition? Find(string? key)
        {
            if (key is null)
            {
                return null;
            }

            foreach (StructuredTypeDefinition definition in Definitions)
            {
                if (definition.Key == key)
                {
                    return definition;
                }
            }

            return null;
        }
    }

    /// <summary>Why a type cannot be used as structured output (reported as PG0012 by the analyzers).</summary>
    /// <param name="TypeName">The offending type as users know it.</param>
    /// <param name="Path">Where it sits, from the root (<c>Invoice.Lines[].Product</c>); the root's display name when it is the root.</param>
    /// <param name="Reason">A sentence saying what is wrong and what to do.</param>
    internal sealed record StructuredUnsupported(string TypeName, string Path, string Reason);

    /// <summary>The parser's answer: a model or the reason there is none.</summary>
    internal sealed record StructuredParseResult(StructuredTypeModel? Model, StructuredUnsupported? Unsupported)
    {
        /// <summary>True when <see cref="Model"/> is set.</summary>
        public bool IsSupported => Model is not null;
    }
}
