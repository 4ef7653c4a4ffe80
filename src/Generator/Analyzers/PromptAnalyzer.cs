using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;
using PromptGen.Generator.Prompts;
using PromptGen.Generator.Templates;

namespace PromptGen.Generator.Analyzers
{
    /// <summary>
    /// Reports every PromptGen diagnostic (PG0001–PG0017, PG0100–PG0103) on <c>[Prompt]</c> interfaces. It reads attributes with
    /// the generator's <see cref="PromptAttributeReader"/>, builds each method's model with the generator's
    /// <see cref="PromptParser"/>, compiles templates with the generator's <see cref="TemplateCompiler"/> and checks
    /// settings with <see cref="PromptRules"/> over the one <see cref="ModelCatalog"/>, so analyzer and generator agree:
    /// every member the generator cannot implement gets an error here, and every error here is a member it does not implement.
    /// </summary>
    [DiagnosticAnalyzer(LanguageNames.CSharp)]
    public sealed class PromptAnalyzer : DiagnosticAnalyzer
    {
        private const string DefaultModelProperty = "build_property.PromptGenDefaultModel";
        private const string RegionProperty = "build_property.PromptGenRegion";

        /// <summary>The diagnostic property holding the preset value of PG0001–PG0003 (read by PromptGen.CodeFixes).</summary>
        internal const string PresetProperty = "Preset";

        /// <summary>The diagnostic property of PG0015 holding a model ID that offers latency-optimized inference (read by PromptGen.CodeFixes).</summary>
        internal const string SuggestedModelProperty = "SuggestedModel";

        /// <inheritdoc />
        public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(
            Descriptors.TemperatureTooHigh,
            Descriptors.TopPTooHigh,
            Descriptors.MaxTokensOutOfProportion,
            Descriptors.ValueOutOfRange,
            Descriptors.TemperatureAndTopP,
            Descriptors.ParameterNotAccepted,
            Descriptors.UnknownModel,
            Descriptors.MissingCapability,
            Descriptors.TemplateDoesNotParse,
            Descriptors.UnknownTemplateVariable,
            Descriptors.UnusedParameter,
            Descriptors.UnsupportedSignature,
            Descriptors.NoCancellationToken,
            Descriptors.PromptCachingIneffective,
            Descriptors.LatencyOptimizedUnavailable,
            Descriptors.ResponseCacheNotDeterministic,
            Descriptors.CannotImplementType,
            Descriptors.NoModel,
            Descriptors.DuplicateVariant,
            Descriptors.InvalidVariantWeight,
            Descriptors.InvalidVariantKey);

        /// <inheritdoc />
        public override void Initialize(AnalysisContext context)
        {
            context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
            context.EnableConcurrentExecution();
            context.RegisterCompilationStartAction(static start =>
            {
                // Resolved once per compilation; a compilation without PromptGen costs nothing more.
                INamedTypeSymbol? prompt = start.Compilation.GetTypeByMetadataName(PromptAttributeReader.PromptAttributeName);
                if (prompt is null)
                {
                    return;
                }

                var facts = new CompilationFacts(start.Compilation, prompt, start.Options);
                start.RegisterSymbolAction(symbolContext => AnalyzeType(symbolContext, facts), SymbolKind.NamedType);
            });
        }

        private static void AnalyzeType(SymbolAnalysisContext context, CompilationFacts facts)
        {
            if (context.Symbol is not INamedTypeSymbol type)
            {
                return;
            }

            AttributeData? typePrompt = null;
            ImmutableArray<AttributeData> typeAttributes = type.GetAttributes();
            foreach (AttributeData attribute in typeAttributes)
            {
                if (SymbolEqualityComparer.Default.Equals(attribute.AttributeClass, facts.PromptAttribute))
                {
                    typePrompt = attribute;
                    break;
                }
            }

            if (typePrompt is null)
            {
                return;
            }

            CancellationToken cancellationToken = context.CancellationToken;
            Location typeLocation = type.Locations.IsDefaultOrEmpty ? Location.None : type.Locations[0];
            string? cannot = PromptParser.CannotImplement(type);
            if (cannot is not null)
            {
                context.ReportDiagnostic(Diagnostic.Create(Descriptors.CannotImplementType, typeLocation, type.Name, cannot));
                return;
            }

            SyntaxTree? tree = typePrompt.ApplicationSyntaxReference?.SyntaxTree ?? typeLocation.SourceTree;
            Thresholds thresholds = Thresholds.Read(tree is null ? null : context.Options.AnalyzerConfigOptionsProvider.GetOptions(tree));

            var state = new TypeState(context, facts, typePrompt, PromptAttributeReader.ReadSettings(typePrompt), thresholds);
            AttributeData? typeSystem = PromptAttributeReader.Find(typeAttributes, PromptAttributeReader.SystemPromptAttributeName);
            PromptText? interfaceSystem = PromptAttributeReader.ReadText(typeSystem);

            foreach (ISymbol member in type.GetMembers())
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (PromptParser.IsPromptMember(member) && member is IMethodSymbol method)
                {
                    AnalyzeMethod(state, method, interfaceSystem, typeLocation);
                }
            }

            // The generator also implements members inherited from base interfaces, with this interface's settings. A base
            // that carries [Prompt] itself is analyzed on its own; the others are analyzed here (diagnostics go to the
            // member where it is in source, else to this interface's name).
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (INamedTypeSymbol inherited in type.AllInterfaces)
            {
                if (HasPrompt(inherited, facts))
                {
                    continue;
                }

                foreach (ISymbol member in inherited.GetMembers())
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    if (PromptParser.IsPromptMember(member) && member is IMethodSymbol method &&
                        seen.Add(method.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat)))
                    {
                        AnalyzeMethod(state, method, interfaceSystem, typeLocation);
                    }
                }
            }

            state.ReportInterfaceCaching(type.Name, cancellationToken);
        }

        private static bool HasPrompt(INamedTypeSymbol type, CompilationFacts facts)
        {
            foreach (AttributeData attribute in type.GetAttributes())
            {
                if (SymbolEqualityComparer.Default.Equals(attribute.AttributeClass, facts.PromptAttribute))
                {
                    return true;
                }
            }

            return false;
        }

        private static void AnalyzeMethod(TypeState state, IMethodSymbol method, PromptText? interfaceSystem, Location fallback)
        {
            CancellationToken cancellationToken = state.Context.CancellationToken;
            ImmutableArray<AttributeData> attributes = method.GetAttributes();
            AttributeData? methodPrompt = PromptAttributeReader.Find(attributes, PromptAttributeReader.PromptAttributeName);
            AttributeData? methodUser = PromptAttributeReader.Find(attributes, PromptAttributeReader.UserPromptAttributeName);
            MethodModel model = PromptParser.ParseMethod(method, state.InterfaceSettings, interfaceSystem, state.Facts.Compilation, cancellationToken);
            Location methodLocation = !method.Locations.IsDefaultOrEmpty && method.Locations[0].IsInSource ? method.Locations[0] : fallback;

            if (model.UnsupportedReason is not null)
            {
                state.Report(Descriptors.UnsupportedSignature, methodLocation, null, method.Name, model.UnsupportedReason);
            }

            if (IsAsync(method.ReturnType) && !HasCancellationToken(method, state.Facts.CancellationToken))
            {
                state.Report(Descriptors.NoCancellationToken, methodLocation, null, method.Name);
            }

            if (model.User is not null && methodUser is not null)
            {
                AnalyzeTemplate(state, method, model, methodUser, methodLocation);
            }

            string? modelId = model.Settings.Model ?? state.Facts.DefaultModel;
            if (string.IsNullOrWhiteSpace(modelId))
            {
                state.Report(Descriptors.NoModel, methodLocation, null, method.Name);
            }

            ModelResolution resolution = ModelCatalog.Default.Resolve(modelId);
            ResolvedParameters resolved = PromptRules.Resolve(model, resolution);
            var findings = new List<RuleFinding>();
            PromptRules.Errors(model, resolution, resolved, findings);

            string? systemText = null;
            bool systemUnreadable = false;
            if (model.System is not null)
            {
                systemText = model.System.Inline ?? state.Facts.ReadFile(model.System.File!, cancellationToken)?.ToString();
                systemUnreadable = systemText is null;
            }

            PromptRules.Advice(model, modelId, resolution, state.Thresholds, systemText, systemUnreadable, state.Facts.Region, findings);

            foreach (RuleFinding finding in findings)
            {
                if (finding.Descriptor == Descriptors.PromptCachingIneffective && finding.Argument == PromptArgument.CachePrompt
                    && !PromptAttributeReader.Writes(methodPrompt, nameof(PromptArgument.CachePrompt)))
                {
                    // Inherited from the interface's [Prompt]: one diagnostic there for all its methods, not one per method.
                    state.AddInterfaceCaching((string)finding.Args[1]);
                    continue;
                }

                Location location = finding.Argument == PromptArgument.None
                    ? methodLocation
                    : state.ArgumentLocation(methodPrompt, finding.Argument, cancellationToken) ?? methodLocation;
                Location? additional = finding.Descriptor == Descriptors.TemperatureAndTopP
                    ? state.ArgumentLocation(methodPrompt, PromptArgument.Temperature, cancellationToken)
                    : null;
                ImmutableDictionary<string, string?>? properties = finding.Descriptor == Descriptors.LatencyOptimizedUnavailable
                    ? LatencyProperties(resolution)
                    : PresetProperties(finding);
                state.Report(finding.Descriptor, location, additional, properties, finding.Args);
            }

            AnalyzeVariants(state, method, model, attributes, findings, systemText, systemUnreadable, methodLocation);
        }

        /// <summary>
        /// PG0101–PG0103, and every settings rule again for each variant as it runs (the variant's arguments over the
        /// method's). A variant's finding goes to the variant's own argument when the variant writes it; one the method's
        /// settings already cause is not repeated; any other goes to the variant's attribute.
        /// </summary>
        private static void AnalyzeVariants(TypeState state, IMethodSymbol method, MethodModel model, ImmutableArray<AttributeData> attributes,
            List<RuleFinding> methodFindings, string? systemText, bool systemUnreadable, Location methodLocation)
        {
            CancellationToken cancellationToken = state.Context.CancellationToken;
            List<AttributeData> variantAttributes = PromptAttributeReader.FindVariants(attributes);
            var variantFindings = new List<VariantFinding>();
            PromptRules.VariantErrors(model, variantFindings);
            foreach (VariantFinding finding in variantFindings)
            {
                Location location = methodLocation;
                if (finding.Parameter is not null)
                {
                    foreach (IParameterSymbol parameter in method.Parameters)
                    {
                        if (parameter.Name == finding.Parameter && !parameter.Locations.IsDefaultOrEmpty && parameter.Locations[0].IsInSource)
                        {
                            location = parameter.Locations[0];
                        }
                    }
                }
                else if (finding.Variant >= 0 && finding.Variant < variantAttributes.Count)
                {
                    AttributeData attribute = variantAttributes[finding.Variant];
                    location = (finding.Argument is not null
                        ? PromptAttributeReader.ArgumentLocation(attribute, finding.Argument, cancellationToken)
                        : PromptAttributeReader.PositionalArgumentSyntax(attribute, 0, cancellationToken)?.GetLocation()
                          ?? PromptAttributeReader.Syntax(attribute, cancellationToken)?.GetLocation()) ?? methodLocation;
                }

                state.Report(finding.Descriptor, location, null, finding.Args);
            }

            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (RuleFinding finding in methodFindings)
            {
                seen.Add(finding.Descriptor.Id + "|" + finding.Message());
            }

            for (int i = 0; i < model.Variants.Count && i < variantAttributes.Count; i++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                AttributeData attribute = variantAttributes[i];
                MethodModel variant = PromptRules.VariantOf(model, model.Variants[i]);
                string? modelId = variant.Settings.Model ?? state.Facts.DefaultModel;
                if (string.IsNullOrWhiteSpace(modelId))
                {
                    continue;
                }

                ModelResolution resolution = ModelCatalog.Default.Resolve(modelId);
                var findings = new List<RuleFinding>();
                PromptRules.Errors(variant, resolution, PromptRules.Resolve(variant, resolution), findings);
                PromptRules.Advice(variant, modelId, resolution, state.Thresholds, systemText, systemUnreadable, state.Facts.Region, findings);
                Location attributeLocation = PromptAttributeReader.Syntax(attribute, cancellationToken)?.GetLocation() ?? methodLocation;
                foreach (RuleFinding finding in findings)
                {
                    string name = finding.Argument.ToString();
                    Location location;
                    if (finding.Argument != PromptArgument.None && PromptAttributeReader.Writes(attribute, name))
                    {
                        location = PromptAttributeReader.ArgumentLocation(attribute, name, cancellationToken) ?? attributeLocation;
                    }
                    else if (seen.Contains(finding.Descriptor.Id + "|" + finding.Message()))
                    {
                        continue;
                    }
                    else
                    {
                        location = PromptAttributeReader.Writes(attribute, "Model")
                            ? PromptAttributeReader.ArgumentLocation(attribute, "Model", cancellationToken) ?? attributeLocation
                            : attributeLocation;
                    }

                    state.Report(finding.Descriptor, location, null, PresetProperties(finding), finding.Args);
                }
            }
        }

        /// <summary>
        /// For PG0001–PG0003, the preset value as written in the message (invariant, e.g. <c>0</c>, <c>0.1</c>, <c>64</c>) under
        /// <see cref="PresetProperty"/>, for the "set the preset value" code fix; null for other rules.
        /// </summary>
        private static ImmutableDictionary<string, string?>? PresetProperties(RuleFinding finding) =>
            (finding.Descriptor == Descriptors.TemperatureTooHigh || finding.Descriptor == Descriptors.TopPTooHigh ||
             finding.Descriptor == Descriptors.MaxTokensOutOfProportion) && finding.Args.Length > 2 && finding.Args[2] is string preset
                ? ImmutableDictionary<string, string?>.Empty.Add(PresetProperty, preset)
                : null;

        /// <summary>For PG0015, a model ID that offers latency-optimized inference under <see cref="SuggestedModelProperty"/>, for the "switch model" code fix.</summary>
        private static ImmutableDictionary<string, string?>? LatencyProperties(ModelResolution resolution) =>
            resolution.Model is { } info && PromptRules.LatencyOptimizedAlternative(info, ModelCatalog.Default) is { } suggested
                ? ImmutableDictionary<string, string?>.Empty.Add(SuggestedModelProperty, suggested)
                : null;

        private static void AnalyzeTemplate(TypeState state, IMethodSymbol method, MethodModel model, AttributeData userAttribute, Location methodLocation)
        {
            CancellationToken cancellationToken = state.Context.CancellationToken;
            string? text = model.User!.Inline;
            ExpressionSyntax? inlineExpression = null;
            AdditionalText? file = null;
            SourceText? fileText = null;
            if (text is not null)
            {
                inlineExpression = PromptAttributeReader.PositionalArgumentSyntax(userAttribute, 0, cancellationToken)?.Expression
                    ?? PromptAttributeReader.ArgumentSyntax(userAttribute, "Template", cancellationToken)?.Expression;
            }
            else
            {
                Location fileArgument = PromptAttributeReader.ArgumentLocation(userAttribute, "File", cancellationToken) ?? methodLocation;
                file = state.Facts.FindFile(model.User.File!);
                fileText = file?.GetText(cancellationToken);
                if (file is null || fileText is null)
                {
                    string reason = file is null
                        ? $"the template file '{model.User.File}' is not an AdditionalFiles item; add <AdditionalFiles Include=\"{model.User.File}\" /> to the project"
                        : $"the template file '{model.User.File}' could not be read";
                    state.Report(Descriptors.UnsupportedSignature, fileArgument, null, method.Name, reason);
                    return;
                }

                text = fileText.ToString();
            }

            TemplateCompilation compiled = TemplateCompiler.Compile(text, model.TemplateParameters, null, cancellationToken);
            bool parseFailed = false;
            bool unsupported = false;
            foreach (TemplateDiagnostic diagnostic in compiled.Diagnostics)
            {
                parseFailed |= diagnostic.Kind == TemplateDiagnosticKind.ParseError;
                unsupported |= diagnostic.Kind == TemplateDiagnosticKind.UnsupportedConstruct;
            }

            foreach (TemplateDiagnostic diagnostic in compiled.Diagnostics)
            {
                if (parseFailed && diagnostic.Kind != TemplateDiagnosticKind.ParseError)
                {
                    // A template that does not parse gets PG0009 alone: no cascade of unknown names.
                    continue;
                }

                Location location = inlineExpression is not null
                    ? TemplateLocations.Map(inlineExpression, diagnostic.Offset, diagnostic.Length)
                    : file is not null && fileText is not null
                        ? FileLocation(file, fileText, diagnostic.Offset, diagnostic.Length)
                        : methodLocation;
                DiagnosticDescriptor descriptor = diagnostic.Kind == TemplateDiagnosticKind.UnknownVariable
                    ? Descriptors.UnknownTemplateVariable
                    : Descriptors.TemplateDoesNotParse;
                state.Report(descriptor, location, null, method.Name, diagnostic.Message);
            }

            if (parseFailed || unsupported)
            {
                return;
            }

            var used = new HashSet<string>(compiled.UsedParameters, StringComparer.Ordinal);
            foreach (IParameterSymbol parameter in method.Parameters)
            {
                if (SymbolEqualityComparer.Default.Equals(parameter.Type, state.Facts.CancellationToken) || used.Contains(parameter.Name) ||
                    PromptAttributeReader.Find(parameter.GetAttributes(), PromptAttributeReader.VariantKeyAttributeName) is not null)
                {
                    continue;
                }

                Location location = !parameter.Locations.IsDefaultOrEmpty && parameter.Locations[0].IsInSource ? parameter.Locations[0] : methodLocation;
                state.Report(Descriptors.UnusedParameter, location, null, parameter.Name, method.Name);
            }
        }

        private static Location FileLocation(AdditionalText file, SourceText text, int offset, int length)
        {
            int start = Math.Max(0, Math.Min(offset, text.Length));
            int end = Math.Max(start, Math.Min(start + Math.Max(0, length), text.Length));
            var span = TextSpan.FromBounds(start, end);
            return Location.Create(file.Path, span, text.Lines.GetLinePositionSpan(span));
        }

        private static bool IsAsync(ITypeSymbol returnType)
        {
            if (returnType is not INamedTypeSymbol named)
            {
                return false;
            }

            string name = named.ConstructedFrom.ToDisplayString();
            return name is "System.Threading.Tasks.Task" or "System.Threading.Tasks.Task<TResult>" or "System.Threading.Tasks.ValueTask"
                or "System.Threading.Tasks.ValueTask<TResult>" or "System.Collections.Generic.IAsyncEnumerable<T>";
        }

        private static bool HasCancellationToken(IMethodSymbol method, INamedTypeSymbol? token)
        {
            foreach (IParameterSymbol parameter in method.Parameters)
            {
                if (token is not null ? SymbolEqualityComparer.Default.Equals(parameter.Type, token) : parameter.Type.Name == "CancellationToken")
                {
                    return true;
                }
            }

            return false;
        }

        /// <summary>What one compilation resolves once: the attribute symbol, CancellationToken, template files, the MSBuild default model.</summary>
        private sealed class CompilationFacts
        {
            private readonly ImmutableArray<AdditionalText> _files;

            public CompilationFacts(Compilation compilation, INamedTypeSymbol promptAttribute, AnalyzerOptions options)
            {
                Compilation = compilation;
                PromptAttribute = promptAttribute;
                CancellationToken = compilation.GetTypeByMetadataName("System.Threading.CancellationToken");
                DefaultModel = options.AnalyzerConfigOptionsProvider.GlobalOptions.TryGetValue(DefaultModelProperty, out string? model) &&
                    !string.IsNullOrWhiteSpace(model)
                    ? model.Trim()
                    : null;
                Region = options.AnalyzerConfigOptionsProvider.GlobalOptions.TryGetValue(RegionProperty, out string? region) &&
                    !string.IsNullOrWhiteSpace(region)
                    ? region.Trim().ToLowerInvariant()
                    : null;

                ImmutableArray<AdditionalText>.Builder files = ImmutableArray.CreateBuilder<AdditionalText>();
                foreach (AdditionalText file in options.AdditionalFiles)
                {
                    if (TemplateFiles.IsTemplateFile(file.Path))
                    {
                        files.Add(file);
                    }
                }

                _files = files.ToImmutable();
            }

            public Compilation Compilation { get; }

            public INamedTypeSymbol PromptAttribute { get; }

            public INamedTypeSymbol? CancellationToken { get; }

            public string? DefaultModel { get; }

            /// <summary>The AWS Region the app calls (MSBuild property PromptGenRegion), lower case, or null when not set.</summary>
            public string? Region { get; }

            /// <summary>The template file the generator would pick for <c>File = "<paramref name="file"/>"</c>, or null.</summary>
            public AdditionalText? FindFile(string file)
            {
                foreach (AdditionalText candidate in _files)
                {
                    if (TemplateFiles.Matches(file, candidate.Path))
                    {
                        return candidate;
                    }
                }

                return null;
            }

            public SourceText? ReadFile(string file, CancellationToken cancellationToken) => FindFile(file)?.GetText(cancellationToken);
        }

        /// <summary>One interface's context: its [Prompt], thresholds, and the diagnostics already reported (interface-level arguments are shared by every method).</summary>
        private sealed class TypeState
        {
            private readonly HashSet<string> _reported = new(StringComparer.Ordinal);
            private List<string>? _interfaceCaching;

            public TypeState(SymbolAnalysisContext context, CompilationFacts facts, AttributeData typePrompt, PromptSettings interfaceSettings, Thresholds thresholds)
            {
                Context = context;
                Facts = facts;
                TypePrompt = typePrompt;
                InterfaceSettings = interfaceSettings;
                Thresholds = thresholds;
            }

            public SymbolAnalysisContext Context { get; }

            public CompilationFacts Facts { get; }

            public AttributeData TypePrompt { get; }

            public PromptSettings InterfaceSettings { get; }

            public Thresholds Thresholds { get; }

            /// <summary>Where <paramref name="argument"/> was written: on the method's [Prompt] if there, else on the interface's; null if nowhere.</summary>
            public Location? ArgumentLocation(AttributeData? methodPrompt, PromptArgument argument, CancellationToken cancellationToken)
            {
                string name = argument.ToString();
                if (PromptAttributeReader.Writes(methodPrompt, name))
                {
                    return PromptAttributeReader.ArgumentLocation(methodPrompt!, name, cancellationToken);
                }

                return PromptAttributeReader.Writes(TypePrompt, name)
                    ? PromptAttributeReader.ArgumentLocation(TypePrompt, name, cancellationToken)
                    : null;
            }

            /// <summary>Why the interface-level CachePrompt has no effect for one of its methods (PG0014, reported once per interface).</summary>
            public void AddInterfaceCaching(string reason)
            {
                _interfaceCaching ??= new List<string>();
                if (!_interfaceCaching.Contains(reason))
                {
                    _interfaceCaching.Add(reason);
                }
            }

            /// <summary>PG0014 at the interface's CachePrompt argument, with every distinct reason its methods gave.</summary>
            public void ReportInterfaceCaching(string interfaceName, CancellationToken cancellationToken)
            {
                if (_interfaceCaching is null)
                {
                    return;
                }

                Location? location = PromptAttributeReader.ArgumentLocation(TypePrompt, nameof(PromptArgument.CachePrompt), cancellationToken);
                Location fallback = TypePrompt.ApplicationSyntaxReference is { } reference
                    ? reference.SyntaxTree.GetLocation(reference.Span)
                    : Location.None;
                Report(Descriptors.PromptCachingIneffective, location ?? fallback, null, interfaceName, JoinReasons(_interfaceCaching));
            }

            /// <summary>Reasons joined with "; ", the shared "has no effect: " lead written once, so the message reads as one sentence.</summary>
            private static string JoinReasons(List<string> reasons)
            {
                const string Lead = "has no effect: ";
                var joined = new System.Text.StringBuilder(reasons[0]);
                bool shared = reasons[0].StartsWith(Lead, StringComparison.Ordinal);
                for (int i = 1; i < reasons.Count; i++)
                {
                    string reason = reasons[i];
                    joined.Append("; ").Append(shared && reason.StartsWith(Lead, StringComparison.Ordinal) ? reason.Substring(Lead.Length) : reason);
                }

                return joined.ToString();
            }

            public void Report(DiagnosticDescriptor descriptor, Location location, Location? additional, params object[] args) =>
                Report(descriptor, location, additional, null, args);

            public void Report(DiagnosticDescriptor descriptor, Location location, Location? additional, ImmutableDictionary<string, string?>? properties, params object[] args)
            {
                Diagnostic diagnostic = additional is null
                    ? Diagnostic.Create(descriptor, location, properties, args)
                    : Diagnostic.Create(descriptor, location, new[] { additional }, properties, args);
                string key = descriptor.Id + "|" + location.GetLineSpan().Path + "|" + location.SourceSpan.Start.ToString(System.Globalization.CultureInfo.InvariantCulture) +
                    "|" + location.SourceSpan.Length.ToString(System.Globalization.CultureInfo.InvariantCulture) + "|" + diagnostic.GetMessage(System.Globalization.CultureInfo.InvariantCulture);
                if (_reported.Add(key))
                {
                    Context.ReportDiagnostic(diagnostic);
                }
            }
        }
    }
}
