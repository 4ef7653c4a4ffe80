using System;
using System.Collections.Generic;
using System.Runtime.CompilerServices;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace PromptGen.Generator.Common
{
    /// <summary>
    /// Everything in a compilation that can change what a declaration-level symbol means: each tree's tokens outside member
    /// bodies, its directives wherever they are, its path and parse options; the trees' order; the references; the
    /// compilation options and assembly name. Two compilations with equal shapes bind every type, member signature,
    /// attribute and constant the same way, so a model read from the symbols of one holds for the other. Edits inside a
    /// method, accessor or property body, comments and whitespace (what most keystrokes change) leave the shape equal.
    /// </summary>
    /// <remarks>
    /// A tree the edit did not touch is the same object in the next compilation and compares by reference; only the trees
    /// that differ are fingerprinted, once each (two independent 64-bit hashes of their tokens). A shape holds its
    /// compilation's trees (not the compilation): the shape that successive equal compilations share keeps, for each file
    /// edited inside bodies since, the version it was first computed with, until a declaration changes. The references
    /// are compared by identity through a number given to each reference object, so a shape never keeps an old
    /// compilation's assemblies alive (weak references would, besides, cost a finalizable handle per reference per
    /// compilation).
    /// </remarks>
    internal sealed class DeclarationShape : IEquatable<DeclarationShape>
    {
        private static readonly ConditionalWeakTable<Compilation, DeclarationShape> s_byCompilation = new ConditionalWeakTable<Compilation, DeclarationShape>();
        private static readonly ConditionalWeakTable<SyntaxTree, TreeShape> s_byTree = new ConditionalWeakTable<SyntaxTree, TreeShape>();
        // A reference's identity without holding it: numbers are never reused, so equal numbers mean the same object.
        private static readonly ConditionalWeakTable<MetadataReference, StrongBox<long>> s_referenceIds = new ConditionalWeakTable<MetadataReference, StrongBox<long>>();
        private static long s_nextReferenceId;

        // The last shape computed. A new compilation whose shape equals it gets that instance back, so the many models read
        // against one shape compare by reference on the next run, not tree by tree. Checked only when few trees differ.
        private static readonly WeakReference<DeclarationShape?> s_last = new WeakReference<DeclarationShape?>(null);

        private readonly SyntaxTree[] _trees;
        private readonly long[] _references;
        private readonly CompilationOptions _options;
        private readonly string? _assemblyName;

        private DeclarationShape(SyntaxTree[] trees, long[] references, CompilationOptions options, string? assemblyName)
        {
            _trees = trees;
            _references = references;
            _options = options;
            _assemblyName = assemblyName;
        }

        /// <summary>The shape of <paramref name="compilation"/>, once per compilation.</summary>
        /// <remarks>
        /// Nothing is hashed here: a shape holds the trees themselves, and a tree's tokens are hashed only when two shapes
        /// hold different tree objects at the same place (the files an edit touched). A cold run, which has nothing to
        /// compare with, pays no hashing at all.
        /// </remarks>
        public static DeclarationShape Of(Compilation compilation, CancellationToken cancellationToken)
        {
            if (s_byCompilation.TryGetValue(compilation, out DeclarationShape? known))
            {
                return known;
            }

            cancellationToken.ThrowIfCancellationRequested();
            SyntaxTree[] trees = System.Linq.Enumerable.ToArray(compilation.SyntaxTrees);

            var references = new List<long>();
            foreach (MetadataReference reference in compilation.References)
            {
                references.Add(s_referenceIds.GetValue(reference, static _ => new StrongBox<long>(Interlocked.Increment(ref s_nextReferenceId))).Value);
            }

            var shape = new DeclarationShape(trees, references.ToArray(), compilation.Options, compilation.AssemblyName);
            if (s_last.TryGetTarget(out DeclarationShape? last) && last is not null && last.DiffersInFewTrees(shape) && last.Equals(shape))
            {
                shape = last;
            }
            else
            {
                s_last.SetTarget(shape);
            }

            return s_byCompilation.GetValue(compilation, _ => shape);
        }

        /// <inheritdoc />
        public bool Equals(DeclarationShape? other)
        {
            if (ReferenceEquals(this, other))
            {
                return true;
            }

            if (other is null || _trees.Length != other._trees.Length || _references.Length != other._references.Length ||
                !string.Equals(_assemblyName, other._assemblyName, StringComparison.Ordinal) ||
                !(ReferenceEquals(_options, other._options) || _options.Equals(other._options)))
            {
                return false;
            }

            for (int i = 0; i < _trees.Length; i++)
            {
                if (!ReferenceEquals(_trees[i], other._trees[i]) && !TreeShape.Of(_trees[i]).Equals(TreeShape.Of(other._trees[i])))
                {
                    return false;
                }
            }

            for (int i = 0; i < _references.Length; i++)
            {
                if (_references[i] != other._references[i])
                {
                    return false;
                }
            }

            return true;
        }

        /// <inheritdoc />
        public override bool Equals(object? obj) => Equals(obj as DeclarationShape);

        /// <summary>
        /// Whether at most a few trees differ by object: what an edit gives. A freshly parsed compilation (a build through the
        /// compiler server, another project) differs in every tree, and comparing it would hash them all for nothing.
        /// </summary>
        private bool DiffersInFewTrees(DeclarationShape other)
        {
            const int Few = 8;
            if (_trees.Length != other._trees.Length)
            {
                return false;
            }

            int differing = 0;
            for (int i = 0; i < _trees.Length && differing <= Few; i++)
            {
                if (!ReferenceEquals(_trees[i], other._trees[i]))
                {
                    differing++;
                }
            }

            return differing <= Few;
        }

        /// <inheritdoc />
        public override int GetHashCode() => _trees.Length;

        /// <summary>Whether a syntax node is a member's body: its content cannot change any declaration's meaning.</summary>
        private static bool IsBody(SyntaxNode node) =>
            node is GlobalStatementSyntax ||
            (node is BlockSyntax or ArrowExpressionClauseSyntax && node.Parent is BaseMethodDeclarationSyntax or AccessorDeclarationSyntax) ||
            (node is ArrowExpressionClauseSyntax && node.Parent is PropertyDeclarationSyntax or IndexerDeclarationSyntax);

        /// <summary>One tree's declarations: its path, parse options and the hash of its tokens outside bodies.</summary>
        private sealed class TreeShape : IEquatable<TreeShape>
        {
            private readonly string _path;
            private readonly ParseOptions _options;
            private readonly ulong _hash1;
            private readonly ulong _hash2;

            private TreeShape(string path, ParseOptions options, ulong hash1, ulong hash2)
            {
                _path = path;
                _options = options;
                _hash1 = hash1;
                _hash2 = hash2;
            }

            /// <summary>The tree's shape, hashed once per tree object.</summary>
            public static TreeShape Of(SyntaxTree tree) => s_byTree.GetValue(tree, static t => Compute(t));

            // Runs inside Equals, for the files an edit touched: one walk over a file's declarations, not worth cancelling.
            private static TreeShape Compute(SyntaxTree tree)
            {
                Hasher hash = Hasher.Create();
                foreach (SyntaxNodeOrToken item in tree.GetRoot().DescendantNodesAndTokens(static node => !IsBody(node)))
                {
                    if (item.IsToken)
                    {
                        SyntaxToken token = item.AsToken();
                        hash.Add(token.RawKind);
                        hash.Add(token.Text);
                        if (token.ContainsDirectives)
                        {
                            AddDirectives(token.LeadingTrivia, ref hash);
                            AddDirectives(token.TrailingTrivia, ref hash);
                        }
                    }
                    else if (item.AsNode() is { } node && IsBody(node))
                    {
                        // A body's presence and kind matter (an interface member with a body is not abstract); its content
                        // does not, except for directives such as #nullable, which change the declarations after them.
                        hash.Add(-node.RawKind);
                        if (node.ContainsDirectives)
                        {
                            foreach (SyntaxTrivia trivia in node.DescendantTrivia())
                            {
                                if (trivia.IsDirective)
                                {
                                    hash.Add(trivia.ToString());
                                }
                            }
                        }
                    }
                }

                return new TreeShape(tree.FilePath, tree.Options, hash.Value1, hash.Value2);
            }

            private static void AddDirectives(SyntaxTriviaList trivia, ref Hasher hash)
            {
                foreach (SyntaxTrivia item in trivia)
                {
                    if (item.IsDirective)
                    {
                        hash.Add(item.ToString());
                    }
                }
            }

            public bool Equals(TreeShape? other) =>
                ReferenceEquals(this, other) ||
                (other is not null && _hash1 == other._hash1 && _hash2 == other._hash2 &&
                 string.Equals(_path, other._path, StringComparison.Ordinal) && _options.Equals(other._options));

            public override bool Equals(object? obj) => Equals(obj as TreeShape);

            public override int GetHashCode() => (int)_hash1;
        }

        /// <summary>Two independent 64-bit hashes over the same sequence (FNV-1a, and a multiply-xorshift mix).</summary>
        private struct Hasher
        {
            private ulong _a;
            private ulong _b;

            public static Hasher Create() => new Hasher { _a = 14695981039346656037UL, _b = 0x9E3779B97F4A7C15UL };

            public ulong Value1 => _a;

            public ulong Value2 => _b;

            public void Add(int value)
            {
                Mix((uint)value);
                Mix(0xFFFF_FFFFu);
            }

            public void Add(string text)
            {
                foreach (char c in text)
                {
                    Mix(c);
                }

                // A separator, so that "ab"+"c" and "a"+"bc" differ.
                Mix(0xFFFF_FFFEu);
            }

            private void Mix(uint value)
            {
                _a = (_a ^ value) * 1099511628211UL;
                _b = (_b ^ value) * 0xBF58476D1CE4E5B9UL;
                _b ^= _b >> 29;
            }
        }
    }
}
