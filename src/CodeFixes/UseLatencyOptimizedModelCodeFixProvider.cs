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
    /// PG0015: switches the model to one the catalogue says serves latency-optimized inference, which the analyzer puts in
    /// the diagnostic (the same model through the right cross-Region profile where it offers it, else the same provider's
    /// model that does). The <c>Model</c> argument of the attribute that asks for <c>LatencyOptimized</c> is replaced; where
    /// that attribute names no model (it comes from the interface or MSBuild), one is added there, so only the prompts that
    /// ask for latency-optimized inference change model.
    /// </summary>
    [ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(UseLatencyOptimizedModelCodeFixProvider)), Shared]
    public sealed class UseLatencyOptimizedModelCodeFixProvider : CodeFixProvider
    {
        /// <summary>Equivalence key of "Use '…' (latency-optimized)" (PG0015).</summary>
        public const string UseLatencyOptimizedModelKey = "PromptGen.UseLatencyOptimizedModel";

        /// <summary>The diagnostic property the analyzer puts the suggested model ID in.</summary>
        internal const string SuggestedModelProperty = "SuggestedModel";

        /// <inheritdoc/>
        public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(DiagnosticIds.LatencyOptimizedUnavailable);

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
                if (!diagnostic.Properties.TryGetValue(SuggestedModelProperty, out string? suggested) || string.IsNullOrEmpty(suggested))
                {
                    continue;
                }

                AttributeArgumentSyntax? latency = AttributeArguments.Find(root, diagnostic.Location.SourceSpan, "LatencyOptimized");
                if (latency?.Parent is not AttributeArgumentListSyntax list)
                {
                    continue;
                }

                Document document = context.Document;
                string model = suggested!;
                context.RegisterCodeFix(
                    CodeAction.Create(
                        "Use '" + model + "' (latency-optimized)",
                        _ => Task.FromResult(document.WithSyntaxRoot(root.ReplaceNode(list, WithModel(list, model)))),
                        UseLatencyOptimizedModelKey),
                    diagnostic);
            }
        }

        /// <summary><paramref name="list"/> with its <c>Model</c> argument set to <paramref name="model"/>, added first if missing.</summary>
        private static AttributeArgumentListSyntax WithModel(AttributeArgumentListSyntax list, string model)
        {
            LiteralExpressionSyntax literal = SyntaxFactory.LiteralExpression(SyntaxKind.StringLiteralExpression, SyntaxFactory.Literal(model));
            foreach (AttributeArgumentSyntax argument in list.Arguments)
            {
                if (argument.NameEquals?.Name.Identifier.ValueText == "Model")
                {
                    return list.ReplaceNode(argument.Expression, literal.WithTriviaFrom(argument.Expression));
                }
            }

            AttributeArgumentSyntax added = SyntaxFactory.AttributeArgument(
                SyntaxFactory.NameEquals(
                    SyntaxFactory.IdentifierName("Model"),
                    SyntaxFactory.Token(SyntaxKind.EqualsToken).WithLeadingTrivia(SyntaxFactory.Space).WithTrailingTrivia(SyntaxFactory.Space)),
                null,
                literal);
            SyntaxNodeOrTokenList items = list.Arguments.GetWithSeparators()
                .Insert(0, SyntaxFactory.Token(SyntaxKind.CommaToken).WithTrailingTrivia(SyntaxFactory.Space))
                .Insert(0, added);
            return list.WithArguments(SyntaxFactory.SeparatedList<AttributeArgumentSyntax>(items));
        }
    }
}
