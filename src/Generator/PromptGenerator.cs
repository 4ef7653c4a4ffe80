using PromptGen.Generator.Common;
using System.Collections.Generic;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;
using PromptGen.Generator.Prompts;
using PromptGen.Generator.Templates;

namespace PromptGen.Generator
{
    /// <summary>
    /// Turns [Prompt] interfaces into typed Bedrock clients. The pipeline only wires steps:
    /// ForAttributeWithMetadataName → equatable <see cref="InterfaceModel"/> (parser, behind <see cref="InterfaceModelCache"/>,
    /// which skips the re-read when an edit cannot have changed any declaration) ⊕ MSBuild options ⊕ template files →
    /// source (emitter). Diagnostics come from the analyzers, which share the parser's resolution code.
    /// </summary>
    [Generator(LanguageNames.CSharp)]
    public sealed class PromptGenerator : IIncrementalGenerator
    {
        /// <summary>Tracking names of the pipeline steps (for incrementality tests).</summary>
        public static class Steps
        {
            /// <summary>The parsed interface models.</summary>
            public const string Interfaces = nameof(Interfaces);

            /// <summary>The MSBuild options.</summary>
            public const string Options = nameof(Options);

            /// <summary>The template files from AdditionalFiles.</summary>
            public const string TemplateFiles = nameof(TemplateFiles);
        }

        /// <inheritdoc />
        public void Initialize(IncrementalGeneratorInitializationContext context)
        {
            IncrementalValuesProvider<InterfaceModel> interfaces = context.SyntaxProvider
                .ForAttributeWithMetadataName(
                    PromptParser.PromptAttributeName,
                    static (node, _) => node is InterfaceDeclarationSyntax,
                    static (ctx, ct) => InterfaceModelCache.Parse(ctx, ct))
                .Where(static model => model is not null)
                .Select(static (model, _) => model!)
                .WithTrackingName(Steps.Interfaces);

            IncrementalValueProvider<GeneratorOptions> options = context.AnalyzerConfigOptionsProvider
                .Select(static (provider, _) => new GeneratorOptions(
                    provider.GlobalOptions.TryGetValue("build_property.PromptGenDefaultModel", out string? model) && !string.IsNullOrWhiteSpace(model)
                        ? model.Trim()
                        : null))
                .WithTrackingName(Steps.Options);

            IncrementalValueProvider<EquatableArray<TemplateFile>> files = context.AdditionalTextsProvider
                .Where(static text => TemplateFiles.IsTemplateFile(text.Path))
                .Select(static (text, ct) => new TemplateFile(text.Path, text.GetText(ct)?.ToString()))
                .Collect()
                .Select(static (items, _) => new EquatableArray<TemplateFile>(System.Linq.ImmutableArrayExtensions.ToArray(items)))
                .WithTrackingName(Steps.TemplateFiles);

            context.RegisterSourceOutput(interfaces.Combine(options).Combine(files), static (spc, input) =>
            {
                InterfaceModel model = input.Left.Left;
                string source = PromptEmitter.Emit(model, input.Left.Right, input.Right, spc.CancellationToken);
                // '@' (namespace @class) is an escape, not part of the name, and hint names reject it.
                string hint = (model.Namespace.Length > 0 ? model.Namespace.Replace("@", string.Empty) + "." : string.Empty) + model.ClientName + ".g.cs";
                spc.AddSource(hint, SourceText.From(source, System.Text.Encoding.UTF8));
                if (StructuredSupport.EmitConverters(model, spc.CancellationToken) is { } converters)
                {
                    spc.AddSource(hint.Substring(0, hint.Length - ".g.cs".Length) + ".Json.g.cs", SourceText.From(converters, System.Text.Encoding.UTF8));
                }
            });
        }
    }
}
