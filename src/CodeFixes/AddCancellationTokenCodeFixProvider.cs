using System.Collections.Generic;
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
    /// PG0013: appends <c>CancellationToken cancellationToken = default</c> to the prompt method's parameters. The type is
    /// written <c>CancellationToken</c> when that name already binds to <see cref="CancellationToken"/> at the method, else
    /// fully qualified, so the fix never needs a new using directive.
    /// </summary>
    [ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(AddCancellationTokenCodeFixProvider)), Shared]
    public sealed class AddCancellationTokenCodeFixProvider : CodeFixProvider
    {
        /// <summary>Equivalence key of "Add CancellationToken".</summary>
        public const string AddCancellationTokenKey = "PromptGen.AddCancellationToken";

        private const string CancellationTokenMetadataName = "System.Threading.CancellationToken";

        /// <inheritdoc/>
        public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(DiagnosticIds.NoCancellationToken);

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
                if (!root.FullSpan.Contains(diagnostic.Location.SourceSpan))
                {
                    continue;
                }

                SyntaxToken token = root.FindToken(diagnostic.Location.SourceSpan.Start);
                if (token.Parent is not MethodDeclarationSyntax method || method.Identifier != token)
                {
                    continue;
                }

                Document document = context.Document;
                context.RegisterCodeFix(
                    CodeAction.Create(
                        "Add CancellationToken",
                        ct => AddParameterAsync(document, root, method, ct),
                        AddCancellationTokenKey),
                    diagnostic);
            }
        }

        private static async Task<Document> AddParameterAsync(Document document, SyntaxNode root, MethodDeclarationSyntax method, CancellationToken cancellationToken)
        {
            SemanticModel? model = await document.GetSemanticModelAsync(cancellationToken).ConfigureAwait(false);
            string typeName = "System.Threading.CancellationToken";
            if (model is not null)
            {
                INamedTypeSymbol? wanted = model.Compilation.GetTypeByMetadataName(CancellationTokenMetadataName);
                foreach (ISymbol symbol in model.LookupNamespacesAndTypes(method.ParameterList.SpanStart, name: "CancellationToken"))
                {
                    if (wanted is not null && SymbolEqualityComparer.Default.Equals(symbol, wanted))
                    {
                        typeName = "CancellationToken";
                        break;
                    }
                }
            }

            ParameterListSyntax list = method.ParameterList;
            string name = UniqueName(list, "cancellationToken");
            ParameterSyntax parameter = SyntaxFactory.Parameter(SyntaxFactory.Identifier(name))
                .WithType(SyntaxFactory.ParseTypeName(typeName).WithTrailingTrivia(SyntaxFactory.Space))
                .WithDefault(SyntaxFactory.EqualsValueClause(
                    SyntaxFactory.Token(SyntaxKind.EqualsToken).WithLeadingTrivia(SyntaxFactory.Space).WithTrailingTrivia(SyntaxFactory.Space),
                    SyntaxFactory.LiteralExpression(SyntaxKind.DefaultLiteralExpression, SyntaxFactory.Token(SyntaxKind.DefaultKeyword))));

            var nodes = new List<SyntaxNodeOrToken>(list.Parameters.Count * 2 + 1);
            foreach (SyntaxNodeOrToken item in list.Parameters.GetWithSeparators())
            {
                nodes.Add(item);
            }

            if (list.Parameters.Count > 0)
            {
                nodes.Add(SyntaxFactory.Token(SyntaxKind.CommaToken).WithTrailingTrivia(SyntaxFactory.Space));
            }

            nodes.Add(parameter);
            ParameterListSyntax updated = list.WithParameters(SyntaxFactory.SeparatedList<ParameterSyntax>(nodes));
            return document.WithSyntaxRoot(root.ReplaceNode(list, updated));
        }

        private static string UniqueName(ParameterListSyntax list, string name)
        {
            string candidate = name;
            for (int i = 1; ; i++)
            {
                bool taken = false;
                foreach (ParameterSyntax parameter in list.Parameters)
                {
                    taken |= parameter.Identifier.ValueText == candidate;
                }

                if (!taken)
                {
                    return candidate;
                }

                candidate = name + i.ToString(System.Globalization.CultureInfo.InvariantCulture);
            }
        }
    }
}
