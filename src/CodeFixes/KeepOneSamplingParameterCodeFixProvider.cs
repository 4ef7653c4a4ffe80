using System.Collections.Immutable;
using System.Composition;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;

namespace PromptGen.CodeFixes
{
    /// <summary>
    /// PG0005: the model accepts temperature or topP, not both. The diagnostic underlines <c>TopP = …</c> and carries
    /// <c>Temperature = …</c> as its additional location (they may be on the method's and the interface's [Prompt], even in
    /// different files); each fix removes the other one.
    /// </summary>
    [ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(KeepOneSamplingParameterCodeFixProvider)), Shared]
    public sealed class KeepOneSamplingParameterCodeFixProvider : CodeFixProvider
    {
        /// <summary>Equivalence key of "Keep temperature" (removes TopP).</summary>
        public const string KeepTemperatureKey = "PromptGen.KeepTemperature";

        /// <summary>Equivalence key of "Keep topP" (removes Temperature).</summary>
        public const string KeepTopPKey = "PromptGen.KeepTopP";

        /// <inheritdoc/>
        public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(DiagnosticIds.TemperatureAndTopP);

        /// <inheritdoc/>
        public override FixAllProvider GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

        /// <inheritdoc/>
        public override async Task RegisterCodeFixesAsync(CodeFixContext context)
        {
            SyntaxNode? root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
            if (root is null)
            {
                return;
            }

            Solution solution = context.Document.Project.Solution;
            foreach (Diagnostic diagnostic in context.Diagnostics)
            {
                if (AttributeArguments.Find(root, diagnostic.Location.SourceSpan, "TopP") is { } topP)
                {
                    Document document = context.Document;
                    context.RegisterCodeFix(
                        CodeAction.Create(
                            "Keep temperature",
                            _ => Task.FromResult(document.WithSyntaxRoot(AttributeArguments.Remove(root, topP))),
                            KeepTemperatureKey),
                        diagnostic);
                }

                if (diagnostic.AdditionalLocations.Count > 0 && diagnostic.AdditionalLocations[0] is { IsInSource: true } temperature &&
                    await AttributeArguments.RemoveAtAsync(solution, temperature, "Temperature", context.CancellationToken).ConfigureAwait(false) is { } changed)
                {
                    context.RegisterCodeFix(
                        CodeAction.Create(
                            "Keep topP",
                            _ => Task.FromResult(changed),
                            KeepTopPKey),
                        diagnostic);
                }
            }
        }
    }
}
