using System.Runtime.CompilerServices;
using System.Threading;
using Microsoft.CodeAnalysis;
using PromptGen.Generator.Common;

namespace PromptGen.Generator.Prompts
{
    /// <summary>
    /// The parser's front door for the generator: an interface's model is read again only when the new compilation could
    /// have changed it. ForAttributeWithMetadataName runs the transform for every [Prompt] interface on every new
    /// compilation, and reading an interface makes the compiler bind its methods' attributes, signatures and result types
    /// afresh (a new compilation has new symbols), which made a rerun after a keystroke cost several times the lookup itself.
    /// A declaration whose tree the edit did not touch is the same syntax node in the new compilation; when the compilation's
    /// <see cref="DeclarationShape"/> is also unchanged (the edit was inside a body, a comment, whitespace), every symbol the
    /// parser reads binds as before and the model read last time is returned.
    /// </summary>
    /// <remarks>
    /// Entries hang off the syntax node (a weak table), so they live exactly as long as the declaration does; an entry holds
    /// the equatable model and the shape it was read against (the compilation's syntax trees and option values), never a
    /// symbol, a semantic model or a compilation.
    /// </remarks>
    internal static class InterfaceModelCache
    {
        private static readonly ConditionalWeakTable<SyntaxNode, Slot> s_slots = new ConditionalWeakTable<SyntaxNode, Slot>();

        /// <summary>The model of the annotated interface, re-read only when the edit could have changed it.</summary>
        public static InterfaceModel? Parse(GeneratorAttributeSyntaxContext context, CancellationToken cancellationToken)
        {
            DeclarationShape shape = DeclarationShape.Of(context.SemanticModel.Compilation, cancellationToken);
            Slot slot = s_slots.GetValue(context.TargetNode, static _ => new Slot());
            if (slot.Last is { } last && last.Shape.Equals(shape))
            {
                if (!ReferenceEquals(last.Shape, shape))
                {
                    // Equal shapes of successive compilations are one instance (DeclarationShape.Of): holding it makes the
                    // next run's check a reference comparison instead of a tree-by-tree one.
                    slot.Last = new Reading(shape, last.Model);
                }

                return last.Model;
            }

            InterfaceModel? model = PromptParser.Parse(context, cancellationToken);
            slot.Last = new Reading(shape, model);
            return model;
        }

        /// <summary>Whether a rerun on <paramref name="compilation"/> would reuse the model read for <paramref name="declaration"/>.</summary>
        internal static bool WouldReuse(SyntaxNode declaration, Compilation compilation) =>
            s_slots.TryGetValue(declaration, out Slot? slot) && slot.Last is { } last &&
            last.Shape.Equals(DeclarationShape.Of(compilation, CancellationToken.None));

        private sealed class Slot
        {
            // Replaced whole, never mutated: a reader sees a shape and the model read against it.
            public volatile Reading? Last;
        }

        private sealed class Reading
        {
            public Reading(DeclarationShape shape, InterfaceModel? model)
            {
                Shape = shape;
                Model = model;
            }

            public DeclarationShape Shape { get; }

            public InterfaceModel? Model { get; }
        }
    }
}
