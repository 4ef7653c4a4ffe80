using System.Collections.Immutable;
using System.Composition;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace PromptGen.CodeFixes
{
    /// <summary>
    /// Removes the named argument a diagnostic underlines: a risky override, so the preset applies (PG0001–PG0003); a
    /// sampling parameter the model rejects (PG0006); <c>LatencyOptimized</c> where it is not offered (PG0015);
    /// <c>CacheResponse</c> on a non-deterministic prompt (PG0016). For PG0001–PG0003 it also offers to write the preset
    /// value instead (<c>Temperature = 0</c>), for code that wants the value visible.
    /// </summary>
    [ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(RemoveArgumentCodeFixProvider)), Shared]
    public sealed class RemoveArgumentCodeFixProvider : CodeFixProvider
    {
        /// <summary>Equivalence key of "Remove the override (use the preset)" (PG0001–PG0003).</summary>
        public const string RemoveOverrideKey = "PromptGen.RemoveOverride";

        /// <summary>Equivalence key of "Set the preset value" (PG0001–PG0003, when the diagnostic carries the preset).</summary>
        public const string SetPresetKey = "PromptGen.SetPreset";

        /// <summary>The diagnostic property the analyzer puts the preset value of PG0001–PG0003 in.</summary>
        internal const string PresetProperty = "Preset";

        /// <summary>Equivalence key of "Remove the rejected parameter" (PG0006).</summary>
        public const string RemoveRejectedParameterKey = "PromptGen.RemoveRejectedParameter";

        /// <summary>Equivalence key of "Remove LatencyOptimized" (PG0015).</summary>
        public const string RemoveLatencyOptimizedKey = "PromptGen.RemoveLatencyOptimized";

        /// <summary>Equivalence key of "Remove CacheResponse" (PG0016).</summary>
        public const string RemoveCacheResponseKey = "PromptGen.RemoveCacheResponse";

        /// <inheritdoc/>
        public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(
            DiagnosticIds.TemperatureTooHigh,
            DiagnosticIds.TopPTooHigh,
            DiagnosticIds.MaxTokensOutOfProportion,
            DiagnosticIds.ParameterNotAccepted,
            DiagnosticIds.LatencyOptimizedUnavailable,
            DiagnosticIds.ResponseCacheNotDeterministic);

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

            foreach (Diagnostic diagnostic in context.Diagnostics)
            {
                (string Title, string Key, string[] Names)? fix = diagnostic.Id switch
                {
                    DiagnosticIds.TemperatureTooHigh => ("Remove the override (use the preset)", RemoveOverrideKey, new[] { "Temperature" }),
                    DiagnosticIds.TopPTooHigh => ("Remove the override (use the preset)", RemoveOverrideKey, new[] { "TopP" }),
                    DiagnosticIds.MaxTokensOutOfProportion => ("Remove the override (use the preset)", RemoveOverrideKey, new[] { "MaxTokens" }),
                    DiagnosticIds.ParameterNotAccepted => ("Remove the rejected parameter", RemoveRejectedParameterKey, new[] { "Temperature", "TopP", "TopK" }),
                    DiagnosticIds.LatencyOptimizedUnavailable => ("Remove LatencyOptimized", RemoveLatencyOptimizedKey, new[] { "LatencyOptimized" }),
                    DiagnosticIds.ResponseCacheNotDeterministic => ("Remove CacheResponse", RemoveCacheResponseKey, new[] { "CacheResponse" }),
                    _ => null,
                };
                if (fix is not { } f)
                {
                    continue;
                }

                AttributeArgumentSyntax? argument = AttributeArguments.Find(root, diagnostic.Location.SourceSpan, f.Names);
                if (argument is null)
                {
                    continue;
                }

                Document document = context.Document;
                context.RegisterCodeFix(
                    CodeAction.Create(
                        f.Title,
                        _ => Task.FromResult(document.WithSyntaxRoot(AttributeArguments.Remove(root, argument))),
                        f.Key),
                    diagnostic);

                if (f.Key == RemoveOverrideKey && diagnostic.Properties.TryGetValue(PresetProperty, out string? preset) &&
                    preset is not null && PresetLiteral(preset) is { } literal)
                {
                    context.RegisterCodeFix(
                        CodeAction.Create(
                            "Set the preset value (" + preset + ")",
                            _ => Task.FromResult(document.WithSyntaxRoot(root.ReplaceNode(argument.Expression, literal.WithTriviaFrom(argument.Expression)))),
                            SetPresetKey),
                        diagnostic);
                }
            }
        }

        /// <summary>The preset as a numeric literal (<c>0</c>, <c>0.1</c>, <c>64</c>); null if it is not one.</summary>
        private static ExpressionSyntax? PresetLiteral(string preset)
        {
            ExpressionSyntax parsed = SyntaxFactory.ParseExpression(preset);
            return parsed.IsKind(SyntaxKind.NumericLiteralExpression) && !parsed.ContainsDiagnostics && parsed.FullSpan.Length == preset.Length
                ? parsed
                : null;
        }
    }
}
