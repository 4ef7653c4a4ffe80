using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Text;

namespace PromptGen.CodeFixes
{
    /// <summary>Finds and removes named arguments of PromptGen attributes (<c>Temperature = 0.9</c>).</summary>
    internal static class AttributeArguments
    {
        /// <summary>The named argument the diagnostic underlines, if it is one of <paramref name="names"/>; otherwise null.</summary>
        public static AttributeArgumentSyntax? Find(SyntaxNode root, TextSpan span, params string[] names)
        {
            if (!root.FullSpan.Contains(span))
            {
                return null;
            }

            SyntaxNode node = root.FindNode(span, getInnermostNodeForTie: false);
            AttributeArgumentSyntax? argument = node as AttributeArgumentSyntax ?? node.FirstAncestorOrSelf<AttributeArgumentSyntax>();
            if (argument?.NameEquals is null || argument.Parent is not AttributeArgumentListSyntax || argument.Span != span)
            {
                return null;
            }

            string written = argument.NameEquals.Name.Identifier.ValueText;
            foreach (string name in names)
            {
                if (written == name)
                {
                    return argument;
                }
            }

            return null;
        }

        /// <summary>
        /// <paramref name="root"/> without <paramref name="argument"/> and its separating comma; an argument list left
        /// empty goes too (<c>[Prompt(Temperature = 0.9)]</c> becomes <c>[Prompt]</c>).
        /// </summary>
        public static SyntaxNode Remove(SyntaxNode root, AttributeArgumentSyntax argument)
        {
            var list = (AttributeArgumentListSyntax)argument.Parent!;
            if (list.Arguments.Count == 1 && list.Parent is AttributeSyntax attribute)
            {
                AttributeSyntax bare = attribute.WithArgumentList(null).WithTrailingTrivia(list.GetTrailingTrivia());
                return root.ReplaceNode(attribute, bare);
            }

            return root.ReplaceNode(list, list.WithArguments(list.Arguments.Remove(argument)));
        }

        /// <summary>The document holding <paramref name="location"/>, with the named argument there removed; null if it is not one.</summary>
        public static async Task<Solution?> RemoveAtAsync(Solution solution, Location location, string name, CancellationToken cancellationToken)
        {
            Document? document = location.SourceTree is { } tree ? solution.GetDocument(tree) : null;
            if (document is null)
            {
                return null;
            }

            SyntaxNode? root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
            AttributeArgumentSyntax? argument = root is null ? null : Find(root, location.SourceSpan, name);
            return argument is null ? null : document.WithSyntaxRoot(Remove(root!, argument)).Project.Solution;
        }
    }
}
