using PromptGen.Generator.Common;
using System.Collections.Generic;
using Microsoft.CodeAnalysis;

namespace PromptGen.Generator.Templates
{
    /// <summary>
    /// Builds <see cref="TemplateType"/> models from Roslyn symbols (the parser's side of the template compiler). Recursion
    /// is bounded three ways: member nesting stops at <see cref="DefaultMaxDepth"/> levels, only members whose names the
    /// template uses after a dot are captured (see <see cref="TemplateCompiler.MemberNames"/>), and one parameter's model
    /// holds at most <see cref="MaxNodes"/> types. A type cut off by a bound has <see cref="TemplateType.MembersTruncated"/>.
    /// </summary>
    internal static class TemplateTypeFactory
    {
        /// <summary>How many levels of member access are captured below a parameter (a collection's element is not a level).</summary>
        public const int DefaultMaxDepth = 6;

        /// <summary>The most members captured per type.</summary>
        public const int MaxMembers = 64;

        /// <summary>The most types one parameter's model holds.</summary>
        public const int MaxNodes = 4096;

        private static readonly SymbolDisplayFormat s_format = SymbolDisplayFormat.FullyQualifiedFormat
            .RemoveMiscellaneousOptions(SymbolDisplayMiscellaneousOptions.UseSpecialTypes);

        /// <summary>
        /// The parameters of <paramref name="method"/> as <paramref name="template"/> sees them. With a template, only the
        /// members it names are captured, which keeps models small and cacheable; without one, every public member is.
        /// </summary>
        public static EquatableArray<TemplateParameter> FromMethod(IMethodSymbol method, string? template = null, int maxDepth = DefaultMaxDepth)
        {
            ICollection<string>? names = template == null ? null : TemplateCompiler.MemberNames(template);
            var result = new TemplateParameter[method.Parameters.Length];
            for (int i = 0; i < result.Length; i++)
            {
                IParameterSymbol parameter = method.Parameters[i];
                result[i] = new TemplateParameter(parameter.Name, FromSymbol(parameter.Type, maxDepth, names));
            }

            return new EquatableArray<TemplateParameter>(result);
        }

        /// <summary>The template view of <paramref name="type"/>, with members to <paramref name="maxDepth"/> levels.</summary>
        /// <param name="type">The type.</param>
        /// <param name="maxDepth">How many levels of members to capture.</param>
        /// <param name="memberNames">Only members with these names are captured; null captures all.</param>
        public static TemplateType FromSymbol(ITypeSymbol type, int maxDepth = DefaultMaxDepth, ICollection<string>? memberNames = null) =>
            Build(type, maxDepth, memberNames, new Budget());

        private sealed class Budget
        {
            public int Remaining = MaxNodes;
        }

        private static TemplateType Build(ITypeSymbol type, int maxDepth, ICollection<string>? memberNames, Budget budget)
        {
            budget.Remaining--;
            if (type is INamedTypeSymbol { OriginalDefinition.SpecialType: SpecialType.System_Nullable_T } nullable)
            {
                TemplateType inner = Build(nullable.TypeArguments[0], maxDepth, memberNames, budget);
                return inner with { IsNullableValueType = true };
            }

            string name = type.WithNullableAnnotation(NullableAnnotation.NotAnnotated).ToDisplayString(s_format);
            bool isValueType = type.IsValueType;

            switch (type.SpecialType)
            {
                case SpecialType.System_String:
                    return new TemplateType(name, TemplateTypeKind.String, false);
                case SpecialType.System_Boolean:
                    return new TemplateType(name, TemplateTypeKind.Boolean, true);
                case SpecialType.System_Char:
                    return new TemplateType(name, TemplateTypeKind.Char, true);
                case SpecialType.System_SByte:
                case SpecialType.System_Byte:
                case SpecialType.System_Int16:
                case SpecialType.System_UInt16:
                case SpecialType.System_Int32:
                case SpecialType.System_UInt32:
                case SpecialType.System_Int64:
                case SpecialType.System_UInt64:
                    return new TemplateType(name, TemplateTypeKind.Integer, true);
                case SpecialType.System_Single:
                case SpecialType.System_Double:
                    return new TemplateType(name, TemplateTypeKind.Floating, true);
                case SpecialType.System_Decimal:
                    return new TemplateType(name, TemplateTypeKind.Decimal, true);
                case SpecialType.System_DateTime:
                    return new TemplateType(name, TemplateTypeKind.DateTime, true);
                case SpecialType.System_Object:
                    return new TemplateType(name, TemplateTypeKind.Other, false);
            }

            if (type.TypeKind == TypeKind.Enum)
            {
                var names = new List<string>();
                foreach (ISymbol member in type.GetMembers())
                {
                    if (member is IFieldSymbol { IsConst: true } field)
                    {
                        names.Add(field.Name);
                    }
                }

                return new TemplateType(name, TemplateTypeKind.Enum, true, EnumMembers: new EquatableArray<string>(names));
            }

            switch (name)
            {
                case "global::System.DateTimeOffset":
                    return new TemplateType(name, TemplateTypeKind.DateTimeOffset, true);
                case "global::System.TimeSpan":
                    return new TemplateType(name, TemplateTypeKind.TimeSpan, true);
                case "global::System.Guid":
                    return new TemplateType(name, TemplateTypeKind.Guid, true);
            }

            if (type.TypeKind == TypeKind.Delegate || type.TypeKind == TypeKind.Pointer || type.TypeKind == TypeKind.FunctionPointer
                || type.TypeKind == TypeKind.TypeParameter || type.TypeKind == TypeKind.Dynamic || type.TypeKind == TypeKind.Error)
            {
                return new TemplateType(name, TemplateTypeKind.Other, isValueType);
            }

            if (type is IArrayTypeSymbol array)
            {
                if (array.Rank != 1)
                {
                    return new TemplateType(name, TemplateTypeKind.Other, false);
                }

                return new TemplateType(
                    name, TemplateTypeKind.Enumerable, false, ElementType: Build(array.ElementType, maxDepth, memberNames, budget), CountMember: "Length");
            }

            ITypeSymbol? element = null;
            bool dictionary = false;
            foreach (INamedTypeSymbol candidate in SelfAndInterfaces(type))
            {
                if (IsGenericDictionaryInterface(candidate.OriginalDefinition))
                {
                    dictionary = true;
                }
                else if (candidate.OriginalDefinition.SpecialType == SpecialType.System_Collections_Generic_IEnumerable_T && element == null)
                {
                    element = candidate.TypeArguments[0];
                }
            }

            if (dictionary || (element == null && Implements(type, SpecialType.System_Collections_IEnumerable)))
            {
                return new TemplateType(name, TemplateTypeKind.Other, isValueType);
            }

            if (element != null)
            {
                string? count = FindCount(type);
                return new TemplateType(
                    name, TemplateTypeKind.Enumerable, isValueType,
                    ElementType: Build(element, maxDepth, memberNames, budget),
                    CountMember: count,
                    Indexable: count != null && type.TypeKind == TypeKind.Interface && IsList(type, element));
            }

            if (maxDepth <= 0 || budget.Remaining <= 0)
            {
                return new TemplateType(name, TemplateTypeKind.Object, isValueType, MembersTruncated: true);
            }

            if (memberNames is { Count: 0 })
            {
                // The template names no member at all (no dot anywhere), so none would be captured: skip the walk.
                return new TemplateType(name, TemplateTypeKind.Object, isValueType, Members: EquatableArray<TemplateMember>.Empty);
            }

            var members = new List<TemplateMember>();
            var seen = new HashSet<string>();
            foreach (ITypeSymbol level in SelfBasesAndInterfaces(type))
            {
                foreach (ISymbol member in level.GetMembers())
                {
                    if (members.Count >= MaxMembers)
                    {
                        break;
                    }

                    if (member.IsStatic || member.DeclaredAccessibility != Accessibility.Public || member.IsImplicitlyDeclared
                        || (memberNames != null && !memberNames.Contains(member.Name)) || !seen.Add(member.Name))
                    {
                        continue;
                    }

                    ITypeSymbol? memberType = member switch
                    {
                        IPropertySymbol { IsIndexer: false, GetMethod: { DeclaredAccessibility: Accessibility.Public } } p => p.Type,
                        IFieldSymbol { IsImplicitlyDeclared: false } f => f.Type,
                        _ => null,
                    };

                    if (memberType != null && !(member.Name == "EqualityContract"))
                    {
                        members.Add(new TemplateMember(member.Name, Build(memberType, maxDepth - 1, memberNames, budget)));
                    }
                }
            }

            return new TemplateType(name, TemplateTypeKind.Object, isValueType, Members: new EquatableArray<TemplateMember>(members));
        }

        /// <summary>IDictionary&lt;TKey, TValue&gt; or IReadOnlyDictionary&lt;TKey, TValue&gt;, matched by name (no display string per interface).</summary>
        private static bool IsGenericDictionaryInterface(INamedTypeSymbol definition) =>
            (definition.MetadataName == "IDictionary`2" || definition.MetadataName == "IReadOnlyDictionary`2")
            && definition.ContainingNamespace is { Name: "Generic" } generic
            && generic.ContainingNamespace is { Name: "Collections" } collections
            && collections.ContainingNamespace is { Name: "System" } system
            && system.ContainingNamespace is { IsGlobalNamespace: true };

        private static string? FindCount(ITypeSymbol type)
        {
            // Classes and structs: a public Count of their own or a base's (an explicit ICollection<T>.Count is not callable).
            // Interfaces: Count from any inherited interface (IReadOnlyCollection<T>, ICollection<T>).
            foreach (ITypeSymbol level in SelfBasesAndInterfaces(type))
            {
                foreach (ISymbol member in level.GetMembers("Count"))
                {
                    if (member is IPropertySymbol { IsStatic: false, IsIndexer: false, DeclaredAccessibility: Accessibility.Public } p
                        && p.Type.SpecialType == SpecialType.System_Int32)
                    {
                        return "Count";
                    }
                }
            }

            return null;
        }

        /// <summary>Whether an interface is, or derives from, IList&lt;T&gt; or IReadOnlyList&lt;T&gt; of <paramref name="element"/>.</summary>
        private static bool IsList(ITypeSymbol type, ITypeSymbol element)
        {
            foreach (INamedTypeSymbol candidate in SelfAndInterfaces(type))
            {
                SpecialType special = candidate.OriginalDefinition.SpecialType;
                if ((special == SpecialType.System_Collections_Generic_IList_T || special == SpecialType.System_Collections_Generic_IReadOnlyList_T)
                    && SymbolEqualityComparer.Default.Equals(candidate.TypeArguments[0], element))
                {
                    return true;
                }
            }

            return false;
        }

        private static bool Implements(ITypeSymbol type, SpecialType special)
        {
            if (type.SpecialType == special)
            {
                return true;
            }

            foreach (INamedTypeSymbol item in type.AllInterfaces)
            {
                if (item.SpecialType == special)
                {
                    return true;
                }
            }

            return false;
        }

        private static IEnumerable<INamedTypeSymbol> SelfAndInterfaces(ITypeSymbol type)
        {
            if (type is INamedTypeSymbol named && type.TypeKind == TypeKind.Interface)
            {
                yield return named;
            }

            foreach (INamedTypeSymbol item in type.AllInterfaces)
            {
                yield return item;
            }
        }

        private static IEnumerable<ITypeSymbol> SelfBasesAndInterfaces(ITypeSymbol type)
        {
            for (ITypeSymbol? current = type; current != null && current.SpecialType != SpecialType.System_Object
                && current.SpecialType != SpecialType.System_ValueType; current = current.BaseType)
            {
                yield return current;
            }

            if (type.TypeKind == TypeKind.Interface)
            {
                foreach (INamedTypeSymbol item in type.AllInterfaces)
                {
                    yield return item;
                }
            }
        }
    }
}
