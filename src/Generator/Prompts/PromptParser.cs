using PromptGen.Generator.Common;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Runtime.CompilerServices;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using PromptGen.Generator.Structured;
using PromptGen.Generator.Templates;

namespace PromptGen.Generator.Prompts
{
    /// <summary>
    /// The only code that touches Roslyn symbols: turns a [Prompt] interface into an equatable <see cref="InterfaceModel"/>.
    /// It never reports diagnostics (the analyzers do) and never throws; a member it cannot implement is marked unsupported.
    /// </summary>
    internal static class PromptParser
    {
        public const string PromptAttributeName = PromptAttributeReader.PromptAttributeName;
        private const string SystemPromptAttributeName = PromptAttributeReader.SystemPromptAttributeName;
        private const string UserPromptAttributeName = PromptAttributeReader.UserPromptAttributeName;

        /// <summary>
        /// How parameter and return types are spelled in the client: fully qualified, keywords escaped ('@record') and
        /// nullable annotations kept, so each member matches the interface's signature exactly (CS8767 otherwise).
        /// </summary>
        private static readonly SymbolDisplayFormat TypeFormat = SymbolDisplayFormat.FullyQualifiedFormat
            .AddMiscellaneousOptions(SymbolDisplayMiscellaneousOptions.IncludeNullableReferenceTypeModifier);

        /// <summary>The model of an annotated interface, or null when no client can be generated for the type at all.</summary>
        public static InterfaceModel? Parse(GeneratorAttributeSyntaxContext context, CancellationToken cancellationToken)
        {
            if (context.TargetSymbol is not INamedTypeSymbol type || CannotImplement(type) is not null)
            {
                // PG0017 explains these; no client can be written for them.
                return null;
            }

            if (!OwnsFirstPromptAttribute(type, context.TargetNode))
            {
                // [Prompt] on several declarations of one type (partial parts, or a duplicate declaration): one client, from
                // the declaration with the first [Prompt]; a second would repeat its hint name and class.
                return null;
            }

            PromptSettings interfaceSettings = PromptAttributeReader.ReadSettings(context.Attributes.IsDefaultOrEmpty ? null : context.Attributes[0]);
            PromptText? interfaceSystem = PromptAttributeReader.ReadText(type.GetAttributes(), SystemPromptAttributeName);

            var methods = new List<MethodModel>();
            var seen = new HashSet<string>();
            foreach (INamedTypeSymbol declaring in SelfAndBases(type))
            {
                foreach (ISymbol member in declaring.GetMembers())
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    if (!IsPromptMember(member) || member is not IMethodSymbol method)
                    {
                        continue;
                    }

                    if (seen.Add(SignatureKey(method)))
                    {
                        methods.Add(ParseMethod(method, interfaceSettings, interfaceSystem, context.SemanticModel.Compilation, cancellationToken));
                    }
                }
            }

            string ns = type.ContainingNamespace is { IsGlobalNamespace: false } n ? n.ToDisplayString() : string.Empty;
            string clientName = (type.Name.Length > 1 && type.Name[0] == 'I' && char.IsUpper(type.Name[1]) ? type.Name.Substring(1) : type.Name) + "Client";
            return new InterfaceModel(
                ns,
                type.Name,
                clientName,
                type.DeclaredAccessibility == Accessibility.Public ? "public" : "internal",
                type.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat),
                new EquatableArray<MethodModel>(methods.ToArray()));
        }

        /// <summary>
        /// What tells an inherited method from one already parsed: the method's fully qualified display, which for a method is
        /// its (escaped) name and type parameters. A non-generic method's display is its name, escaped when a keyword, so the
        /// name itself tells them apart equally well without building a display string per method.
        /// </summary>
        private static string SignatureKey(IMethodSymbol method) =>
            method.IsGenericMethod ? method.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat) : method.Name;

        /// <summary>
        /// Why no client can be generated for <paramref name="type"/> (PG0017), or null when one can. Shared with the
        /// analyzer so the two agree.
        /// </summary>
        public static string? CannotImplement(INamedTypeSymbol type)
        {
            if (type.TypeKind != TypeKind.Interface)
            {
                return $"it is {Article(type.TypeKind)}, not an interface";
            }

            if (type.IsGenericType)
            {
                return "it is generic";
            }

            if (type.ContainingType is not null)
            {
                return $"it is nested in '{type.ContainingType.ToDisplayString()}'";
            }

            if (type.DeclaredAccessibility is not (Accessibility.Public or Accessibility.Internal))
            {
                return "it is not public or internal";
            }

            if (type.IsFileLocal)
            {
                // The client lives in a generated file, which cannot see a file-local type.
                return "it is file-local";
            }

            foreach (INamedTypeSymbol declaring in SelfAndBases(type))
            {
                foreach (ISymbol member in declaring.GetMembers())
                {
                    // A client implements abstract instance methods only; any other abstract member would leave it
                    // not implementing the interface (CS0535).
                    if (member.IsAbstract && member is not IMethodSymbol { MethodKind: MethodKind.PropertyGet or MethodKind.PropertySet or MethodKind.EventAdd or MethodKind.EventRemove } &&
                        !IsPromptMember(member))
                    {
                        return $"its {(member.IsStatic ? "static abstract " : string.Empty)}{Kind(member)} '{member.Name}' is not something a client can implement";
                    }
                }
            }

            if (type.Name.Length > 0 && char.IsUpper(type.Name[0]) && !(type.Name.Length > 1 && type.Name[0] == 'I' && char.IsUpper(type.Name[1])))
            {
                // 'Ask' and 'IAsk' would both get 'AskClient': the conventional I-name keeps it.
                foreach (INamedTypeSymbol other in type.ContainingNamespace.GetTypeMembers("I" + type.Name, 0))
                {
                    if (other.TypeKind == TypeKind.Interface && HasPromptAttribute(other))
                    {
                        return $"its client name '{type.Name}Client' is taken by the client of '{other.Name}'";
                    }
                }
            }

            return null;
        }

        /// <summary>The modifier a by-reference parameter is declared with: the throwing stub must repeat it to implement the member.</summary>
        private static string RefKindModifier(RefKind kind) => kind switch
        {
            RefKind.Ref => "ref ",
            RefKind.Out => "out ",
            RefKind.In => "in ",
            RefKind.RefReadOnlyParameter => "ref readonly ",
            _ => string.Empty,
        };

        private static string Kind(ISymbol member) => member switch
        {
            IPropertySymbol { IsIndexer: true } => "indexer",
            IPropertySymbol => "property",
            IEventSymbol => "event",
            IMethodSymbol { MethodKind: MethodKind.UserDefinedOperator or MethodKind.Conversion } => "operator",
            _ => "member",
        };

        private static bool HasPromptAttribute(INamedTypeSymbol type)
        {
            foreach (AttributeData attribute in type.GetAttributes())
            {
                if (AttributeClass.Is(attribute, PromptAttributeName))
                {
                    return true;
                }
            }

            return false;
        }

        private static bool OwnsFirstPromptAttribute(INamedTypeSymbol type, SyntaxNode declaration)
        {
            foreach (AttributeData attribute in type.GetAttributes())
            {
                if (AttributeClass.Is(attribute, PromptAttributeName))
                {
                    return attribute.ApplicationSyntaxReference is not { } reference ||
                        (reference.SyntaxTree == declaration.SyntaxTree && declaration.Span.Contains(reference.Span));
                }
            }

            return true;
        }

        private static string Article(TypeKind kind) => kind switch
        {
            TypeKind.Class => "a class",
            TypeKind.Struct => "a struct",
            TypeKind.Enum => "an enum",
            TypeKind.Delegate => "a delegate",
            _ => "a " + kind.ToString().ToLowerInvariant(),
        };

        /// <summary>Whether the parser turns <paramref name="member"/> into a prompt method (abstract, ordinary, instance).</summary>
        public static bool IsPromptMember(ISymbol member) =>
            member is IMethodSymbol { MethodKind: MethodKind.Ordinary, IsStatic: false, IsAbstract: true };

        private static IEnumerable<INamedTypeSymbol> SelfAndBases(INamedTypeSymbol type)
        {
            yield return type;
            foreach (INamedTypeSymbol inherited in type.AllInterfaces)
            {
                yield return inherited;
            }
        }

        /// <summary>The model of one prompt method (shared with the analyzer: PG0012 reports its <see cref="MethodModel.UnsupportedReason"/>).</summary>
        public static MethodModel ParseMethod(IMethodSymbol method, PromptSettings interfaceSettings, PromptText? interfaceSystem, Compilation compilation, CancellationToken cancellationToken)
        {
            ImmutableArray<AttributeData> attributes = method.GetAttributes();
            PromptSettings settings = PromptAttributeReader.ReadSettings(PromptAttributeReader.Find(attributes, PromptAttributeName)).Over(interfaceSettings);
            PromptText? system = PromptAttributeReader.ReadText(attributes, SystemPromptAttributeName) ?? interfaceSystem;
            PromptText? user = PromptAttributeReader.ReadText(attributes, UserPromptAttributeName);

            var parameters = new List<ParameterModel>();
            HashSet<string>? variantKeys = null;
            string? unsupported = null;
            foreach (IParameterSymbol parameter in method.Parameters)
            {
                if (parameter.RefKind != RefKind.None)
                {
                    unsupported ??= $"parameter '{parameter.Name}' is passed by reference ({parameter.RefKind.ToString().ToLowerInvariant()})";
                }

                string typeName = parameter.Type.ToDisplayString(TypeFormat);
                // The fully qualified spelling of what displays as System.Threading.CancellationToken (a struct: no '?' to add).
                bool isToken = typeName == "global::System.Threading.CancellationToken";
                bool isKey = PromptAttributeReader.Find(parameter.GetAttributes(), PromptAttributeReader.VariantKeyAttributeName) is not null;
                if (isKey)
                {
                    (variantKeys ??= new HashSet<string>()).Add(parameter.Name);
                }

                parameters.Add(new ParameterModel(parameter.Name, typeName, isToken, DefaultValue(parameter, typeName), isKey, RefKindModifier(parameter.RefKind)));
            }

            if (method.IsGenericMethod)
            {
                unsupported ??= "generic methods cannot be prompts";
            }

            if (user is null)
            {
                unsupported ??= "it has no [UserPrompt] template";
            }

            (ReturnShape shape, ValueShape value, string? valueType, ITypeSymbol? valueSymbol, string? returnProblem) = ClassifyReturn(method.ReturnType);
            unsupported ??= returnProblem;
            StructuredTypeModel? structured = null;
            if (unsupported is null && value == ValueShape.Structured && valueSymbol is not null)
            {
                StructuredParseResult parsed = StructuredTypeParser.Parse(valueSymbol, compilation, cancellationToken);
                structured = parsed.Model;
                if (parsed.Unsupported is { } why)
                {
                    unsupported = $"its result type cannot be read from JSON ({why.Path}: {why.Reason})";
                }
            }

            EquatableArray<TemplateParameter> templateParameters = TemplateTypeFactory.FromMethod(method, user?.Inline);
            if (variantKeys is not null)
            {
                // A [VariantKey] parameter assigns the A/B variant; it is not a template variable.
                var kept = new List<TemplateParameter>(templateParameters.Count);
                foreach (TemplateParameter parameter in templateParameters)
                {
                    if (!variantKeys.Contains(parameter.Name))
                    {
                        kept.Add(parameter);
                    }
                }

                templateParameters = new EquatableArray<TemplateParameter>(kept.ToArray());
            }

            List<AttributeData> variantAttributes = PromptAttributeReader.FindVariants(attributes);
            var variants = new VariantModel[variantAttributes.Count];
            for (int i = 0; i < variants.Length; i++)
            {
                variants[i] = PromptAttributeReader.ReadVariant(variantAttributes[i]);
            }

            return new MethodModel(
                method.Name,
                method.ReturnType.ToDisplayString(TypeFormat),
                unsupported is null ? shape : ReturnShape.Unsupported,
                value,
                valueType,
                new EquatableArray<ParameterModel>(parameters.ToArray()),
                settings,
                system,
                user,
                templateParameters,
                structured,
                unsupported,
                new EquatableArray<VariantModel>(variants));
        }

        /// <summary>
        /// The display strings of generic definitions (Task&lt;TResult&gt;, PromptResult&lt;T&gt;), kept per symbol. Those come
        /// from referenced assemblies, whose symbols every compilation over the same references shares, so each is built once
        /// per session rather than once or twice per method and run; an entry goes when its symbol does.
        /// </summary>
        private static readonly ConditionalWeakTable<INamedTypeSymbol, string> s_definitionDisplay = new ConditionalWeakTable<INamedTypeSymbol, string>();

        private static string DefinitionDisplay(INamedTypeSymbol definition) =>
            s_definitionDisplay.GetValue(definition, static symbol => symbol.ToDisplayString());

        /// <summary>Which supported return type a method has, and what its value is parsed into.</summary>
        private static (ReturnShape, ValueShape, string?, ITypeSymbol?, string?) ClassifyReturn(ITypeSymbol returnType)
        {
            if (returnType is not INamedTypeSymbol { IsGenericType: true, TypeArguments.Length: 1 } named)
            {
                return (ReturnShape.Unsupported, ValueShape.Text, null, null,
                    $"its return type '{returnType.ToDisplayString()}' is not Task<T>, ValueTask<T>, Task<PromptResult<T>> or IAsyncEnumerable<string>");
            }

            string definition = DefinitionDisplay(named.ConstructedFrom);
            ITypeSymbol argument = named.TypeArguments[0];
            if (definition == "System.Collections.Generic.IAsyncEnumerable<T>")
            {
                return argument.SpecialType == SpecialType.System_String
                    ? (ReturnShape.Stream, ValueShape.Text, "string", null, null)
                    : (ReturnShape.Unsupported, ValueShape.Text, null, null, "a streamed prompt must return IAsyncEnumerable<string>");
            }

            bool isTask = definition == "System.Threading.Tasks.Task<TResult>";
            bool isValueTask = definition == "System.Threading.Tasks.ValueTask<TResult>";
            if (!isTask && !isValueTask)
            {
                return (ReturnShape.Unsupported, ValueShape.Text, null, null,
                    $"its return type '{returnType.ToDisplayString()}' is not Task<T>, ValueTask<T>, Task<PromptResult<T>> or IAsyncEnumerable<string>");
            }

            bool isResult = false;
            if (argument is INamedTypeSymbol { IsGenericType: true, TypeArguments.Length: 1 } wrapper &&
                DefinitionDisplay(wrapper.ConstructedFrom) == "PromptGen.PromptResult<T>")
            {
                isResult = true;
                argument = wrapper.TypeArguments[0];
            }

            ReturnShape shape = (isTask, isResult) switch
            {
                (true, false) => ReturnShape.Task,
                (false, false) => ReturnShape.ValueTask,
                (true, true) => ReturnShape.TaskResult,
                _ => ReturnShape.ValueTaskResult,
            };

            string valueType = argument.ToDisplayString(TypeFormat);
            if (argument.SpecialType == SpecialType.System_String)
            {
                return (shape, ValueShape.Text, valueType, null, null);
            }

            if (argument.TypeKind == TypeKind.Enum)
            {
                return (shape, ValueShape.Enum, valueType, null, null);
            }

            return (shape, ValueShape.Structured, valueType, argument, null);
        }

        /// <summary>
        /// Whether <paramref name="parameter"/> is written '= default' and its type has no constants (a reference type, or a
        /// struct that is not an enum or a built-in primitive), so its default value is null whatever the binder says.
        /// </summary>
        private static bool IsDefaultLiteralOfNonConstantType(IParameterSymbol parameter)
        {
            ITypeSymbol type = parameter.Type;
            if (!(type.IsReferenceType || (type.TypeKind == TypeKind.Struct && type.SpecialType == SpecialType.None)))
            {
                return false;
            }

            // Read once: each read of DeclaringSyntaxReferences builds a new array of new references.
            ImmutableArray<SyntaxReference> references = parameter.DeclaringSyntaxReferences;
            return references.Length == 1
                && references[0].GetSyntax() is ParameterSyntax { Default.Value: LiteralExpressionSyntax literal }
                && literal.IsKind(SyntaxKind.DefaultLiteralExpression);
        }

        /// <summary>The parameter's default as a C# expression, so calls on the concrete client can omit it too.</summary>
        private static string? DefaultValue(IParameterSymbol parameter, string typeName)
        {
            if (IsDefaultLiteralOfNonConstantType(parameter))
            {
                // What the binder would give (a null default, emitted as "default"), read from syntax: binding a default value
                // runs nullable analysis over it, the largest single cost of parsing a method with 'CancellationToken
                // cancellationToken = default'.
                return "default";
            }

            if (!parameter.HasExplicitDefaultValue)
            {
                return null;
            }

            object? value = parameter.ExplicitDefaultValue;
            if (value is null)
            {
                return "default";
            }

            string literal = Microsoft.CodeAnalysis.CSharp.SymbolDisplay.FormatPrimitive(value, quoteStrings: true, useHexadecimalNumbers: false);
            return value is string or bool or char ? literal : "(" + typeName + ")(" + literal + ")";
        }
    }
}
