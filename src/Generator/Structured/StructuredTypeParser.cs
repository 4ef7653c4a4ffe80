using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Globalization;
using System.Text;
using System.Threading;
using Microsoft.CodeAnalysis;
using PromptGen.Generator.Common;

namespace PromptGen.Generator.Structured
{
    /// <summary>
    /// Turns the T of a structured prompt method into a <see cref="StructuredTypeModel"/>. This is the only
    /// structured-output code that touches symbols; it never throws except to honour cancellation.
    /// </summary>
    internal static class StructuredTypeParser
    {
        /// <summary>How deeply types may nest (properties, elements) before the type is rejected.</summary>
        public const int MaxNestingDepth = 32;

        private static readonly SymbolDisplayFormat TypeNameFormat = SymbolDisplayFormat.FullyQualifiedFormat
            .AddMiscellaneousOptions(SymbolDisplayMiscellaneousOptions.IncludeNullableReferenceTypeModifier);

        private static readonly SymbolDisplayFormat KeyFormat = SymbolDisplayFormat.FullyQualifiedFormat;

        private static readonly SymbolDisplayFormat DisplayFormat = new SymbolDisplayFormat(
            typeQualificationStyle: SymbolDisplayTypeQualificationStyle.NameAndContainingTypes,
            genericsOptions: SymbolDisplayGenericsOptions.IncludeTypeParameters,
            miscellaneousOptions: SymbolDisplayMiscellaneousOptions.UseSpecialTypes);

        /// <summary>Parses <paramref name="type"/> (the T of Task&lt;T&gt;) and every type reachable from it.</summary>
        public static StructuredParseResult Parse(ITypeSymbol type, Compilation compilation, CancellationToken cancellationToken)
        {
            string rootDisplay = SafeDisplay(type);
            try
            {
                var walker = new Walker(compilation, cancellationToken);
                StructuredTypeRef? root = walker.Visit(type, rootDisplay, 0);
                if (root is null || walker.Failure is not null)
                {
                    return new StructuredParseResult(null, walker.Failure ?? new StructuredUnsupported(rootDisplay, rootDisplay, "The type cannot be used as structured output."));
                }

                return new StructuredParseResult(walker.BuildModel(root), null);
            }
            catch (OperationCanceledException)
            {
                throw;
            }
            catch (Exception exception)
            {
                // A generator must never throw; an unexpected symbol shape becomes an unsupported result.
                return new StructuredParseResult(null, new StructuredUnsupported(rootDisplay, rootDisplay, "The type could not be analysed (" + exception.GetType().Name + ")."));
            }
        }

        private static string SafeDisplay(ITypeSymbol? type)
        {
            try
            {
                return type?.ToDisplayString(DisplayFormat) ?? "?";
            }
            catch (Exception)
            {
                return "?";
            }
        }

        private sealed class Walker
        {
            private readonly Compilation compilation;
            private readonly CancellationToken cancellationToken;
            private readonly Dictionary<string, StructuredTypeDefinition?> definitions = new Dictionary<string, StructuredTypeDefinition?>(StringComparer.Ordinal);
            private readonly List<string> inProgress = new List<string>();
            private readonly HashSet<string> recursive = new HashSet<string>(StringComparer.Ordinal);

            public Walker(Compilation compilation, CancellationToken cancellationToken)
            {
                this.compilation = compilation;
                this.cancellationToken = cancellationToken;
            }

            public StructuredUnsupported? Failure { get; private set; }

            public StructuredTypeModel BuildModel(StructuredTypeRef root)
            {
                var keys = new List<string>(definitions.Keys);
                keys.Sort(StringComparer.Ordinal);

                // Ids: the simple name when unique, otherwise the sanitized full name; always distinct.
                var simpleCounts = new Dictionary<string, int>(StringComparer.Ordinal);
                foreach (string key in keys)
                {
                    string simple = Sanitize(definitions[key]!.DisplayName);
                    simpleCounts[simple] = simpleCounts.TryGetValue(simple, out int n) ? n + 1 : 1;
                }

                var usedIds = new HashSet<string>(StringComparer.Ordinal);
                var built = ImmutableArray.CreateBuilder<StructuredTypeDefinition>(keys.Count);
                foreach (string key in keys)
                {
                    StructuredTypeDefinition definition = definitions[key]!;
                    string id = Sanitize(definition.DisplayName);
                    if (simpleCounts[id] > 1)
                    {
                        id = Sanitize(key.StartsWith("global::", StringComparison.Ordinal) ? key.Substring(8) : key);
                    }

                    string unique = id;
                    for (int i = 2; !usedIds.Add(unique); i++)
                    {
                        unique = id + i.ToString(CultureInfo.InvariantCulture);
                    }

                    built.Add(definition with { Id = unique, IsRecursive = recursive.Contains(key) });
                }

                StructuredTypeRef unwrapped = root;
                bool wrapped = root.Kind != StructuredTypeKind.Object || root.IsNullable;
                return new StructuredTypeModel(root, new EquatableArray<StructuredTypeDefinition>(built.ToImmutable()), SafeName(root), wrapped, recursive.Count > 0);
            }

            private string SafeName(StructuredTypeRef type)
            {
                string core = type.Kind switch
                {
                    StructuredTypeKind.Primitive => type.Primitive.ToString(),
                    StructuredTypeKind.Object or StructuredTypeKind.Enum => Sanitize(definitions[type.DefinitionKey!]!.DisplayName),
                    StructuredTypeKind.Collection when type.CollectionKind == StructuredCollectionKind.Array => SafeName(type.Element!) + "Array",
                    _ => type.CollectionKind.ToString() + "Of" + SafeName(type.Element!),
                };
                return type.IsNullable ? "Nullable" + core : core;
            }

            public StructuredTypeRef? Visit(ITypeSymbol? type, string path, int depth)
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (Failure is not null)
                {
                    return null;
                }

                if (type is null || type.TypeKind == TypeKind.Error || type is IErrorTypeSymbol)
                {
                    return Fail(type, path, "The type could not be resolved; check the using directives and references.");
                }

                if (depth > MaxNestingDepth)
                {
                    return Fail(type, path, "Types nest more than " + MaxNestingDepth.ToString(CultureInfo.InvariantCulture) + " levels deep; flatten the structure.");
                }

                string typeName = type.ToDisplayString(TypeNameFormat);

                // Nullable<T>: the underlying type, marked nullable.
                if (type is INamedTypeSymbol { OriginalDefinition.SpecialType: SpecialType.System_Nullable_T } nullableValue)
                {
                    StructuredTypeRef? inner = Visit(nullableValue.TypeArguments[0], path, depth);
                    return inner is null ? null : inner with { TypeName = inner.TypeName + "?", IsNullable = true, IsNullableValueType = true, RuntimeTypeName = inner.RuntimeTypeName + "?" };
                }

                bool isNullable = type.IsReferenceType && type.NullableAnnotation != NullableAnnotation.NotAnnotated;
                // The three spellings differ only by '?' marks, so each display string is built only when it can differ.
                string nonNullableName = type.NullableAnnotation == NullableAnnotation.Annotated
                    ? type.WithNullableAnnotation(NullableAnnotation.NotAnnotated).ToDisplayString(TypeNameFormat)
                    : typeName;
                string runtimeName = nonNullableName.IndexOf('?') < 0
                    ? nonNullableName
                    : type.WithNullableAnnotation(NullableAnnotation.NotAnnotated).ToDisplayString(KeyFormat);
                StructuredTypeRef? result = VisitCore(type, path, depth, typeName, nonNullableName, runtimeName, isNullable);
                if (result is null)
                {
                    return null;
                }

                // Oblivious reference types (#nullable disable) are nullable; spell them with '?' so the
                // emitted code, which is #nullable enable, states what it does.
                if (result.IsNullable && !result.IsNullableValueType && !result.TypeName.EndsWith("?", StringComparison.Ordinal))
                {
                    result = result with { TypeName = result.TypeName + "?" };
                }

                return result with { RuntimeTypeName = runtimeName };
            }

            private StructuredTypeRef? VisitCore(ITypeSymbol type, string path, int depth, string typeName, string nonNullableName, string runtimeName, bool isNullable)
            {

                switch (type.TypeKind)
                {
                    case TypeKind.TypeParameter:
                        return Fail(type, path, "Open generic types have no schema; use a concrete type argument.");
                    case TypeKind.Pointer:
                    case TypeKind.FunctionPointer:
                        return Fail(type, path, "Pointers cannot be structured output.");
                    case TypeKind.Delegate:
                        return Fail(type, path, "Delegates cannot be structured output.");
                    case TypeKind.Dynamic:
                        return Fail(type, path, "'dynamic' has no schema; use a record or class.");
                }

                StructuredPrimitive primitive = PrimitiveOf(type);
                if (primitive != StructuredPrimitive.None)
                {
                    return new StructuredTypeRef(StructuredTypeKind.Primitive, typeName, nonNullableName, isNullable, primitive, null, StructuredCollectionKind.None, null);
                }

                if (type.SpecialType == SpecialType.System_Object)
                {
                    return Fail(type, path, "'object' has no schema; use a record or class.");
                }

                if (type is IArrayTypeSymbol array)
                {
                    if (array.Rank != 1)
                    {
                        return Fail(type, path, "Multi-dimensional arrays are not supported; use T[] or List<T>.");
                    }

                    StructuredTypeRef? element = Visit(array.ElementType, path + "[]", depth + 1);
                    if (element is null)
                    {
                        return null;
                    }

                    // Collection names are built from their element's name so annotations agree all the way down.
                    string arrayName = element.TypeName + "[]";
                    return new StructuredTypeRef(StructuredTypeKind.Collection, arrayName, arrayName, isNullable, StructuredPrimitive.None, null, StructuredCollectionKind.Array, element);
                }

                if (type is not INamedTypeSymbol named)
                {
                    return Fail(type, path, "This kind of type cannot be structured output.");
                }

                if (named.IsUnboundGenericType)
                {
                    return Fail(type, path, "Open generic types have no schema; use a concrete type argument.");
                }

                StructuredCollectionKind collectionKind = CollectionKindOf(named);
                if (collectionKind >= StructuredCollectionKind.Dictionary)
                {
                    if (named.TypeArguments[0].SpecialType != SpecialType.System_String)
                    {
                        return Fail(type, path, "Dictionaries must have string keys; a JSON object's property names are strings.");
                    }

                    StructuredTypeRef? value = Visit(named.TypeArguments[1], path + "[]", depth + 1);
                    if (value is null)
                    {
                        return null;
                    }

                    string dictionaryName = GenericName(named) + "<string, " + value.TypeName + ">";
                    return new StructuredTypeRef(StructuredTypeKind.Dictionary, dictionaryName, dictionaryName, isNullable, StructuredPrimitive.None, null, collectionKind, value);
                }

                if (collectionKind != StructuredCollectionKind.None)
                {
                    StructuredTypeRef? element = Visit(named.TypeArguments[0], path + "[]", depth + 1);
                    if (element is null)
                    {
                        return null;
                    }

                    string collectionName = GenericName(named) + "<" + element.TypeName + ">";
                    return new StructuredTypeRef(StructuredTypeKind.Collection, collectionName, collectionName, isNullable, StructuredPrimitive.None, null, collectionKind, element);
                }

                if (named.IsTupleType)
                {
                    return Fail(type, path, "Tuples have no property names; use a record.");
                }

                if (named.IsAnonymousType)
                {
                    return Fail(type, path, "Anonymous types cannot be structured output.");
                }

                if (named.IsRefLikeType)
                {
                    return Fail(type, path, "ref structs cannot be structured output.");
                }

                if (ContainsTypeParameter(named))
                {
                    return Fail(type, path, "Open generic types have no schema; use a concrete type argument.");
                }

                if (!compilation.IsSymbolAccessibleWithin(named.OriginalDefinition, compilation.Assembly))
                {
                    return Fail(type, path, "The type is not accessible from generated code; make it public or internal (and not private-nested).");
                }

                string key = runtimeName;

                if (named.TypeKind == TypeKind.Enum)
                {
                    if (!definitions.ContainsKey(key))
                    {
                        StructuredTypeDefinition? enumDefinition = BuildEnum(named, key, path);
                        if (enumDefinition is null)
                        {
                            return null;
                        }

                        definitions[key] = enumDefinition;
                    }

                    return new StructuredTypeRef(StructuredTypeKind.Enum, typeName, nonNullableName, isNullable, StructuredPrimitive.None, key, StructuredCollectionKind.None, null);
                }

                if (named.TypeKind == TypeKind.Interface)
                {
                    return Fail(type, path, "Interfaces other than IList<T>, IReadOnlyList<T>, ICollection<T>, IReadOnlyCollection<T>, IEnumerable<T> and string-keyed IDictionary/IReadOnlyDictionary cannot be created; use a record or class.");
                }

                if (named.TypeKind != TypeKind.Class && named.TypeKind != TypeKind.Struct)
                {
                    return Fail(type, path, "This kind of type cannot be structured output.");
                }

                if (named.IsStatic)
                {
                    return Fail(type, path, "Static classes cannot be created.");
                }

                if (named.IsAbstract)
                {
                    return Fail(type, path, "Abstract classes cannot be created; use a concrete record or class.");
                }

                if (IsSystemType(named) || ImplementsEnumerable(named))
                {
                    return Fail(type, path, ImplementsEnumerable(named)
                        ? "This collection type is not supported; use T[], List<T>, IList<T>, IReadOnlyList<T>, IEnumerable<T>, ImmutableArray<T> or Dictionary<string, T>."
                        : "This framework type is not supported as structured output; use a primitive, a collection or your own record.");
                }

                if (definitions.ContainsKey(key))
                {
                    if (definitions[key] is null)
                    {
                        // A cycle: every type from the first visit of this one to here is recursive.
                        for (int i = inProgress.IndexOf(key); i >= 0 && i < inProgress.Count; i++)
                        {
                            recursive.Add(inProgress[i]);
                        }
                    }

                    return new StructuredTypeRef(StructuredTypeKind.Object, typeName, nonNullableName, isNullable, StructuredPrimitive.None, key, StructuredCollectionKind.None, null);
                }

                definitions[key] = null;
                inProgress.Add(key);
                StructuredTypeDefinition? objectDefinition = BuildObject(named, key, path, depth);
                inProgress.RemoveAt(inProgress.Count - 1);
                if (objectDefinition is null)
                {
                    return null;
                }

                definitions[key] = objectDefinition;
                return new StructuredTypeRef(StructuredTypeKind.Object, typeName, nonNullableName, isNullable, StructuredPrimitive.None, key, StructuredCollectionKind.None, null);
            }

            private StructuredTypeDefinition? BuildEnum(INamedTypeSymbol type, string key, string path)
            {
                if (HasAttribute(type, "System.FlagsAttribute"))
                {
                    Fail(type, path, "[Flags] enums are not supported; use a list of a plain enum.");
                    return null;
                }

                var members = ImmutableArray.CreateBuilder<StructuredEnumMember>();
                var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
                foreach (ISymbol member in type.GetMembers())
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    if (member is not IFieldSymbol { HasConstantValue: true } field)
                    {
                        continue;
                    }

                    string jsonName = AttributeString(field, "System.Text.Json.Serialization.JsonStringEnumMemberNameAttribute") ?? field.Name;
                    if (!names.Add(jsonName))
                    {
                        Fail(type, path, "Enum members '" + jsonName + "' differ only by case; JSON values are matched case-insensitively.");
                        return null;
                    }

                    string value = Convert.ToString(field.ConstantValue, CultureInfo.InvariantCulture) ?? "0";
                    members.Add(new StructuredEnumMember(field.Name, jsonName, value, AttributeString(field, "System.ComponentModel.DescriptionAttribute")));
                }

                if (members.Count == 0)
                {
                    Fail(type, path, "The enum has no members, so no value can be valid.");
                    return null;
                }

                string underlying = type.EnumUnderlyingType?.ToDisplayString(KeyFormat) ?? "int";
                return new StructuredTypeDefinition(
                    key,
                    string.Empty,
                    type.ToDisplayString(DisplayFormat),
                    StructuredTypeKind.Enum,
                    true,
                    AttributeString(type, "System.ComponentModel.DescriptionAttribute"),
                    EquatableArray<StructuredProperty>.Empty,
                    0,
                    new EquatableArray<StructuredEnumMember>(members.ToImmutable()),
                    underlying,
                    false);
            }

            private StructuredTypeDefinition? BuildObject(INamedTypeSymbol type, string key, string path, int depth)
            {
                string display = type.ToDisplayString(DisplayFormat);
                IAssemblySymbol assembly = compilation.Assembly;

                // Properties, most derived first while collecting so overrides win; emitted base first.
                var levels = new List<List<IPropertySymbol>>();
                var seen = new HashSet<string>(StringComparer.Ordinal);
                for (INamedTypeSymbol? current = type; current is not null && current.SpecialType != SpecialType.System_Object && current.SpecialType != SpecialType.System_ValueType; current = current.BaseType)
                {
                    var level = new List<IPropertySymbol>();
                    foreach (ISymbol member in current.GetMembers())
                    {
                        cancellationToken.ThrowIfCancellationRequested();
                        if (member is not IPropertySymbol property || property.IsStatic || property.IsIndexer || !property.ExplicitInterfaceImplementations.IsEmpty)
                        {
                            continue;
                        }

                        if (property.GetMethod is null || !compilation.IsSymbolAccessibleWithin(property.GetMethod, assembly) || !seen.Add(property.Name))
                        {
                            continue;
                        }

                        if (IsJsonIgnored(property))
                        {
                            continue;
                        }

                        level.Add(property);
                    }

                    levels.Insert(0, level);
                }

                var candidates = new List<IPropertySymbol>();
                foreach (List<IPropertySymbol> level in levels)
                {
                    candidates.AddRange(level);
                }

                IMethodSymbol? constructor = ChooseConstructor(type, out string? constructorProblem);
                if (constructor is null)
                {
                    Fail(type, path, constructorProblem ?? "The type has no accessible constructor.");
                    return null;
                }

                // Bind constructor parameters to properties, case-insensitively.
                var parameterFor = new Dictionary<string, IParameterSymbol>(StringComparer.Ordinal);
                var indexFor = new Dictionary<string, int>(StringComparer.Ordinal);
                for (int i = 0; i < constructor.Parameters.Length; i++)
                {
                    IParameterSymbol parameter = constructor.Parameters[i];
                    IPropertySymbol? match = null;
                    foreach (IPropertySymbol candidate in candidates)
                    {
                        if (string.Equals(candidate.Name, parameter.Name, StringComparison.OrdinalIgnoreCase))
                        {
                            match = candidate;
                            break;
                        }
                    }

                    if (match is null || parameter.RefKind != RefKind.None || parameter.IsParams)
                    {
                        Fail(type, path, "Constructor parameter '" + parameter.Name + "' does not match a public property; every constructor parameter must.");
                        return null;
                    }

                    if (!SymbolEqualityComparer.Default.Equals(match.Type, parameter.Type))
                    {
                        Fail(type, path, "Constructor parameter '" + parameter.Name + "' has a different type from property '" + match.Name + "'.");
                        return null;
                    }

                    parameterFor[match.Name] = parameter;
                    indexFor[match.Name] = i;
                }

                var properties = ImmutableArray.CreateBuilder<StructuredProperty>();
                var jsonNames = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
                foreach (IPropertySymbol property in candidates)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    parameterFor.TryGetValue(property.Name, out IParameterSymbol? parameter);
                    StructuredPropertyBinding binding;
                    if (parameter is not null)
                    {
                        binding = StructuredPropertyBinding.Constructor;
                    }
                    else if (property.SetMethod is not null && compilation.IsSymbolAccessibleWithin(property.SetMethod, assembly))
                    {
                        binding = property.SetMethod.IsInitOnly || property.IsRequired ? StructuredPropertyBinding.Initializer : StructuredPropertyBinding.Setter;
                    }
                    else
                    {
                        continue; // computed or read-only: not part of the data contract
                    }

                    string jsonName = AttributeString(property, "System.Text.Json.Serialization.JsonPropertyNameAttribute") ?? property.Name;
                    if (jsonNames.TryGetValue(jsonName, out string? other))
                    {
                        Fail(type, path, "Properties '" + other + "' and '" + property.Name + "' have the same JSON name '" + jsonName + "' (names are matched case-insensitively).");
                        return null;
                    }

                    jsonNames[jsonName] = property.Name;

                    StructuredTypeRef? propertyType = Visit(property.Type, display + "." + property.Name, depth + 1);
                    if (propertyType is null)
                    {
                        return null;
                    }

                    bool required;
                    string? defaultExpression = null;
                    if (parameter is not null)
                    {
                        required = !parameter.HasExplicitDefaultValue && !parameter.IsOptional;
                        if (parameter.HasExplicitDefaultValue)
                        {
                            defaultExpression = DefaultValueExpression(parameter, propertyType);
                        }
                    }
                    else
                    {
                        required = property.IsRequired || !propertyType.IsNullable;
                    }

                    string? description = AttributeString(property, "System.ComponentModel.DescriptionAttribute")
                        ?? (parameter is null ? null : AttributeString(parameter, "System.ComponentModel.DescriptionAttribute"));

                    properties.Add(new StructuredProperty(
                        property.Name,
                        jsonName,
                        propertyType,
                        required,
                        description,
                        binding,
                        parameter is null ? -1 : indexFor[property.Name],
                        defaultExpression));
                }

                return new StructuredTypeDefinition(
                    key,
                    string.Empty,
                    display,
                    StructuredTypeKind.Object,
                    type.IsValueType,
                    AttributeString(type, "System.ComponentModel.DescriptionAttribute"),
                    new EquatableArray<StructuredProperty>(properties.ToImmutable()),
                    constructor.Parameters.Length,
                    EquatableArray<StructuredEnumMember>.Empty,
                    null,
                    false);
            }

            private IMethodSymbol? ChooseConstructor(INamedTypeSymbol type, out string? problem)
            {
                problem = null;
                IMethodSymbol? parameterless = null;
                IMethodSymbol? marked = null;
                var withParameters = new List<IMethodSymbol>();
                foreach (IMethodSymbol constructor in type.InstanceConstructors)
                {
                    if (!compilation.IsSymbolAccessibleWithin(constructor, compilation.Assembly))
                    {
                        continue;
                    }

                    // The record copy constructor is not a way to create a value from JSON.
                    if (type.IsRecord && constructor.Parameters.Length == 1 && SymbolEqualityComparer.Default.Equals(constructor.Parameters[0].Type, type))
                    {
                        continue;
                    }

                    if (HasAttribute(constructor, "System.Text.Json.Serialization.JsonConstructorAttribute"))
                    {
                        marked = constructor;
                    }

                    if (constructor.Parameters.Length == 0)
                    {
                        parameterless = constructor;
                    }
                    else
                    {
                        withParameters.Add(constructor);
                    }
                }

                if (marked is not null)
                {
                    return marked;
                }

                if (type.IsValueType)
                {
                    // A struct always has a parameterless constructor; a single declared one (record struct) wins.
                    return withParameters.Count == 1 ? withParameters[0] : parameterless ?? FirstImplicit(type);
                }

                if (parameterless is not null)
                {
                    return parameterless;
                }

                if (withParameters.Count == 1)
                {
                    return withParameters[0];
                }

                problem = withParameters.Count == 0
                    ? "The type has no accessible constructor."
                    : "The type has several public constructors; mark the one to use with [JsonConstructor].";
                return null;
            }

            private static IMethodSymbol? FirstImplicit(INamedTypeSymbol type)
            {
                foreach (IMethodSymbol constructor in type.InstanceConstructors)
                {
                    if (constructor.Parameters.Length == 0)
                    {
                        return constructor;
                    }
                }

                return null;
            }

            private StructuredTypeRef? Fail(ITypeSymbol? type, string path, string reason)
            {
                Failure ??= new StructuredUnsupported(SafeDisplay(type), path, reason);
                return null;
            }

            private static string? DefaultValueExpression(IParameterSymbol parameter, StructuredTypeRef type)
            {
                object? value = parameter.ExplicitDefaultValue;
                if (value is null)
                {
                    return type.IsNullable ? (type.IsNullableValueType ? "default" : "null") : "default!";
                }

                if (type.Kind == StructuredTypeKind.Enum)
                {
                    return "(" + type.NonNullableTypeName + ")(" + Convert.ToString(value, CultureInfo.InvariantCulture) + ")";
                }

                switch (value)
                {
                    case string s:
                        return Microsoft.CodeAnalysis.CSharp.SymbolDisplay.FormatLiteral(s, quote: true);
                    case bool b:
                        return b ? "true" : "false";
                    case double d:
                        return double.IsNaN(d) ? "double.NaN" : double.IsPositiveInfinity(d) ? "double.PositiveInfinity" : double.IsNegativeInfinity(d) ? "double.NegativeInfinity" : d.ToString("R", CultureInfo.InvariantCulture) + "D";
                    case float f:
                        return float.IsNaN(f) ? "float.NaN" : float.IsPositiveInfinity(f) ? "float.PositiveInfinity" : float.IsNegativeInfinity(f) ? "float.NegativeInfinity" : f.ToString("R", CultureInfo.InvariantCulture) + "F";
                    case decimal m:
                        return m.ToString(CultureInfo.InvariantCulture) + "M";
                    case long l:
                        return l.ToString(CultureInfo.InvariantCulture) + "L";
                    case ulong ul:
                        return ul.ToString(CultureInfo.InvariantCulture) + "UL";
                    case uint ui:
                        return ui.ToString(CultureInfo.InvariantCulture) + "U";
                    case char c:
                        return Microsoft.CodeAnalysis.CSharp.SymbolDisplay.FormatLiteral(c, quote: true);
                    default:
                        return "(" + type.NonNullableTypeName + ")(" + Convert.ToString(value, CultureInfo.InvariantCulture) + ")";
                }
            }

            private static string GenericName(INamedTypeSymbol type) =>
                "global::" + type.ContainingNamespace.ToDisplayString() + "." + type.Name;

            private static StructuredPrimitive PrimitiveOf(ITypeSymbol type)
            {
                switch (type.SpecialType)
                {
                    case SpecialType.System_String: return StructuredPrimitive.String;
                    case SpecialType.System_Boolean: return StructuredPrimitive.Boolean;
                    case SpecialType.System_Byte: return StructuredPrimitive.Byte;
                    case SpecialType.System_SByte: return StructuredPrimitive.SByte;
                    case SpecialType.System_Int16: return StructuredPrimitive.Int16;
                    case SpecialType.System_UInt16: return StructuredPrimitive.UInt16;
                    case SpecialType.System_Int32: return StructuredPrimitive.Int32;
                    case SpecialType.System_UInt32: return StructuredPrimitive.UInt32;
                    case SpecialType.System_Int64: return StructuredPrimitive.Int64;
                    case SpecialType.System_UInt64: return StructuredPrimitive.UInt64;
                    case SpecialType.System_Single: return StructuredPrimitive.Single;
                    case SpecialType.System_Double: return StructuredPrimitive.Double;
                    case SpecialType.System_Decimal: return StructuredPrimitive.Decimal;
                    case SpecialType.System_DateTime: return StructuredPrimitive.DateTime;
                }

                if (type is INamedTypeSymbol { ContainingNamespace: { Name: "System", ContainingNamespace.IsGlobalNamespace: true } } named && named.Arity == 0)
                {
                    switch (named.Name)
                    {
                        case "DateTimeOffset": return StructuredPrimitive.DateTimeOffset;
                        case "DateOnly": return StructuredPrimitive.DateOnly;
                        case "TimeOnly": return StructuredPrimitive.TimeOnly;
                        case "Guid": return StructuredPrimitive.Guid;
                        case "Uri": return StructuredPrimitive.Uri;
                    }
                }

                return StructuredPrimitive.None;
            }

            private static StructuredCollectionKind CollectionKindOf(INamedTypeSymbol type)
            {
                if (!type.IsGenericType)
                {
                    return StructuredCollectionKind.None;
                }

                string ns = type.ContainingNamespace?.ToDisplayString() ?? string.Empty;
                string name = type.OriginalDefinition.MetadataName;
                if (ns == "System.Collections.Generic")
                {
                    switch (name)
                    {
                        case "List`1": return StructuredCollectionKind.List;
                        case "IList`1": return StructuredCollectionKind.IList;
                        case "ICollection`1": return StructuredCollectionKind.ICollection;
                        case "IReadOnlyList`1": return StructuredCollectionKind.IReadOnlyList;
                        case "IReadOnlyCollection`1": return StructuredCollectionKind.IReadOnlyCollection;
                        case "IEnumerable`1": return StructuredCollectionKind.IEnumerable;
                        case "Dictionary`2": return StructuredCollectionKind.Dictionary;
                        case "IDictionary`2": return StructuredCollectionKind.IDictionary;
                        case "IReadOnlyDictionary`2": return StructuredCollectionKind.IReadOnlyDictionary;
                    }
                }
                else if (ns == "System.Collections.Immutable" && name == "ImmutableArray`1")
                {
                    return StructuredCollectionKind.ImmutableArray;
                }

                return StructuredCollectionKind.None;
            }

            private static bool ContainsTypeParameter(INamedTypeSymbol type)
            {
                for (INamedTypeSymbol? current = type; current is not null; current = current.ContainingType)
                {
                    foreach (ITypeSymbol argument in current.TypeArguments)
                    {
                        if (argument.TypeKind == TypeKind.TypeParameter || (argument is INamedTypeSymbol namedArgument && ContainsTypeParameter(namedArgument)))
                        {
                            return true;
                        }
                    }
                }

                return false;
            }

            private static bool IsSystemType(INamedTypeSymbol type)
            {
                INamespaceSymbol? ns = type.ContainingNamespace;
                while (ns is not null && !ns.IsGlobalNamespace && !ns.ContainingNamespace.IsGlobalNamespace)
                {
                    ns = ns.ContainingNamespace;
                }

                return ns is not null && !ns.IsGlobalNamespace && (ns.Name == "System" || ns.Name == "Microsoft");
            }

            private static bool ImplementsEnumerable(INamedTypeSymbol type)
            {
                foreach (INamedTypeSymbol implemented in type.AllInterfaces)
                {
                    if (implemented.SpecialType == SpecialType.System_Collections_IEnumerable)
                    {
                        return true;
                    }
                }

                return false;
            }

            private static bool IsJsonIgnored(IPropertySymbol property)
            {
                foreach (AttributeData attribute in property.GetAttributes())
                {
                    if (!AttributeClass.Is(attribute, "System.Text.Json.Serialization.JsonIgnoreAttribute"))
                    {
                        continue;
                    }

                    foreach (KeyValuePair<string, TypedConstant> argument in attribute.NamedArguments)
                    {
                        // Condition = Always (1) ignores; Never (0) keeps; the When* conditions keep the property on reads.
                        if (argument.Key == "Condition" && argument.Value.Value is int condition && condition != 1)
                        {
                            return false;
                        }
                    }

                    return true;
                }

                return false;
            }

            private static bool HasAttribute(ISymbol symbol, string fullName)
            {
                foreach (AttributeData attribute in symbol.GetAttributes())
                {
                    if (AttributeClass.Is(attribute, fullName))
                    {
                        return true;
                    }
                }

                return false;
            }

            private static string? AttributeString(ISymbol symbol, string fullName)
            {
                foreach (AttributeData attribute in symbol.GetAttributes())
                {
                    if (AttributeClass.Is(attribute, fullName)
                        && attribute.ConstructorArguments.Length == 1
                        && attribute.ConstructorArguments[0].Value is string text)
                    {
                        return text;
                    }
                }

                return null;
            }
        }

        /// <summary>Turns a type display name into an identifier: <c>Page&lt;Invoice&gt;</c> → <c>PageOfInvoice</c>.</summary>
        internal static string Sanitize(string name)
        {
            var builder = new StringBuilder(name.Length);
            for (int i = 0; i < name.Length; i++)
            {
                char c = name[i];
                if (c == '<')
                {
                    builder.Append("Of");
                }
                else if (c == ',')
                {
                    builder.Append("And");
                }
                else if (char.IsLetterOrDigit(c) || c == '_')
                {
                    builder.Append(c);
                }
                else if (c == '.' || c == ':')
                {
                    if (builder.Length > 0 && builder[builder.Length - 1] != '_')
                    {
                        builder.Append('_');
                    }
                }
            }

            if (builder.Length == 0 || char.IsDigit(builder[0]))
            {
                builder.Insert(0, '_');
            }

            return builder.ToString();
        }
    }
}
