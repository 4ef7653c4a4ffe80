using System.Collections.Immutable;
using System.Composition;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace PromptGen.CodeFixes
{
    /// <summary>
    /// PG0011: appends <c> {{ name }}</c> to the end of the method's inline <c>[UserPrompt("…")]</c> template, so the
    /// unused parameter reaches the model. Offered for a plain string literal (regular, verbatim or raw); not for file
    /// templates or templates built from constants, which the user edits by hand.
    /// </summary>
    [ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(AddParameterToTemplateCodeFixProvider)), Shared]
    public sealed class AddParameterToTemplateCodeFixProvider : CodeFixProvider
    {
        /// <summary>Equivalence key of "Add the parameter to the template".</summary>
        public const string AddParameterToTemplateKey = "PromptGen.AddParameterToTemplate";

        private const string UserPromptAttributeName = "PromptGen.UserPromptAttribute";

        /// <inheritdoc/>
        public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(DiagnosticIds.UnusedParameter);

        /// <inheritdoc/>
        public override FixAllProvider GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

        /// <inheritdoc/>
        public override async Task RegisterCodeFixesAsync(CodeFixContext context)
        {
            SyntaxNode? root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
            SemanticModel? model = await context.Document.GetSemanticModelAsync(context.CancellationToken).ConfigureAwait(false);
            if (root is null || model is null)
            {
                return;
            }

            foreach (Diagnostic diagnostic in context.Diagnostics)
            {
                if (!root.FullSpan.Contains(diagnostic.Location.SourceSpan))
                {
                    continue;
                }

                SyntaxToken token = root.FindToken(diagnostic.Location.SourceSpan.Start);
                if (token.Parent is not ParameterSyntax parameter || parameter.Identifier != token ||
                    parameter.Parent?.Parent is not MethodDeclarationSyntax method)
                {
                    continue;
                }

                LiteralExpressionSyntax? template = InlineTemplate(model, method, context.CancellationToken);
                ExpressionSyntax? updated = template is null ? null : Append(template, " {{ " + token.ValueText + " }}");
                if (template is null || updated is null)
                {
                    continue;
                }

                Document document = context.Document;
                context.RegisterCodeFix(
                    CodeAction.Create(
                        "Add the parameter to the template",
                        _ => Task.FromResult(document.WithSyntaxRoot(root.ReplaceNode(template, updated))),
                        AddParameterToTemplateKey),
                    diagnostic);
            }
        }

        /// <summary>The string literal that is the first argument of the method's [UserPrompt], or null.</summary>
        private static LiteralExpressionSyntax? InlineTemplate(SemanticModel model, MethodDeclarationSyntax method, CancellationToken cancellationToken)
        {
            foreach (AttributeListSyntax list in method.AttributeLists)
            {
                foreach (AttributeSyntax attribute in list.Attributes)
                {
                    if (attribute.ArgumentList is not { Arguments.Count: > 0 } arguments ||
                        arguments.Arguments[0] is not { NameEquals: null, NameColon: null, Expression: LiteralExpressionSyntax literal } ||
                        !literal.IsKind(SyntaxKind.StringLiteralExpression))
                    {
                        continue;
                    }

                    if (model.GetSymbolInfo(attribute, cancellationToken).Symbol is IMethodSymbol constructor &&
                        constructor.ContainingType.ToDisplayString() == UserPromptAttributeName)
                    {
                        return literal;
                    }
                }
            }

            return null;
        }

        /// <summary><paramref name="literal"/> with <paramref name="text"/> appended to its content, in the literal's own form.</summary>
        private static ExpressionSyntax? Append(LiteralExpressionSyntax literal, string text)
        {
            SyntaxToken token = literal.Token;
            string written = token.Text;
            string? replaced = null;
            switch (token.Kind())
            {
                case SyntaxKind.StringLiteralToken:
                    // Regular ("…") and verbatim (@"…"): the text and the braces need no escaping in either.
                    if (written.Length >= 2 && written[written.Length - 1] == '"')
                    {
                        replaced = written.Substring(0, written.Length - 1) + text + "\"";
                    }

                    break;
                case SyntaxKind.SingleLineRawStringLiteralToken:
                {
                    int close = ClosingQuotes(written);
                    replaced = close > 0 ? written.Substring(0, close) + text + written.Substring(close) : null;
                    break;
                }

                case SyntaxKind.MultiLineRawStringLiteralToken:
                {
                    // The content ends before the line break that precedes the closing quotes' line.
                    int close = ClosingQuotes(written);
                    int lineBreak = close > 0 ? written.LastIndexOf('\n', close - 1) : -1;
                    if (lineBreak > 0 && written[lineBreak - 1] == '\r')
                    {
                        lineBreak--;
                    }

                    replaced = lineBreak > 0 ? written.Substring(0, lineBreak) + text + written.Substring(lineBreak) : null;
                    break;
                }
            }

            if (replaced is null)
            {
                return null;
            }

            ExpressionSyntax parsed = SyntaxFactory.ParseExpression(replaced);
            return parsed is LiteralExpressionSyntax && !parsed.ContainsDiagnostics
                ? parsed.WithTriviaFrom(literal)
                : null;
        }

        /// <summary>Where the run of closing quotes of a raw string starts.</summary>
        private static int ClosingQuotes(string written)
        {
            int end = written.Length;
            while (end > 0 && written[end - 1] == '"')
            {
                end--;
            }

            return end;
        }
    }
}
