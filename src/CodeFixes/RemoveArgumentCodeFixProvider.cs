using System.Collections.Immutable;
using System.Composition;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace PromptGen.CodeFixes
{
    /// <summary>
    /// Removes the named argument a diagnostic underlines: a risky override, so the preset applies (PG0001–PG0003); a
    /// sampling parameter the model rejects (PG0006); <c>LatencyOptimized</c> where it is not offered (PG0015);
    /// <c>CacheResponse</c> on a non-deterministic prompt (PG0016).
    /// </summary>
    [ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(RemoveArgumentCodeFixProvider)), Shared]
    public sealed class RemoveArgumentCodeFixProvider : CodeFixProvider
    {
        /// <summary>Equivalence key of "Remove the override (use the preset)" (PG0001–PG0003).</summary>
        public const string RemoveOverrideKey = "PromptGen.RemoveOverride";

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
            }
        }
    }
}
