using System.Buffers;
using System.ComponentModel;
using System.IO.Hashing;
using System.Text;
using PromptGen.Generated;

namespace PromptGen
{
    /// <summary>
    /// The ambient A/B assignment key for prompt methods with <see cref="PromptVariantAttribute"/>s that take no
    /// <see cref="VariantKeyAttribute"/> parameter: <c>using (PromptVariants.UseKey(userId)) { … }</c>. The key flows with
    /// the async context (like <see cref="System.Diagnostics.Activity.Current"/>), so every prompt call made inside the
    /// scope, including from awaited code, is assigned by it.
    /// </summary>
    public static class PromptVariants
    {
        private static readonly AsyncLocal<string?> s_key = new();

        /// <summary>The ambient key, or <see langword="null"/> outside any <see cref="UseKey(string)"/> scope.</summary>
        public static string? CurrentKey => s_key.Value;

        /// <summary>
        /// Sets the ambient assignment key until the returned scope is disposed, which restores the previous key (scopes
        /// nest). A <see cref="VariantKeyAttribute"/> parameter with a non-null value takes precedence over it.
        /// </summary>
        /// <param name="key">The key, for example a user or tenant ID; the same key always gets the same variant of a method.</param>
        /// <returns>The scope; dispose it to restore the previous key.</returns>
        public static IDisposable UseKey(string key)
        {
            ArgumentNullException.ThrowIfNull(key);
            var scope = new KeyScope(s_key.Value);
            s_key.Value = key;
            return scope;
        }

        private sealed class KeyScope(string? previous) : IDisposable
        {
            private bool _disposed;

            public void Dispose()
            {
                if (!_disposed)
                {
                    _disposed = true;
                    s_key.Value = previous;
                }
            }
        }
    }
}

namespace PromptGen.Generated
{
    /// <summary>
    /// Picks the variant that serves one call of a prompt method with <see cref="PromptDefinition.Variants"/>. Used by
    /// generated code and <see cref="PromptRunner"/>; not meant to be used by hand.
    /// </summary>
    /// <remarks>
    /// With a key, the choice is a pure function of the key, the method (<see cref="PromptDefinition.InterfaceName"/> and
    /// <see cref="PromptDefinition.MethodName"/>) and the variants' weights: XxHash64 of their UTF-8 bytes, never
    /// <see cref="string.GetHashCode()"/> (randomized per process), so a user keeps their variant across processes, machines
    /// and versions. The hash's top 53 bits give a position in [0, 1) that falls into one variant's slice of the cumulative
    /// weights, in declaration order.
    /// </remarks>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public static class PromptVariantSelector
    {
        private const double TwoToThe53 = 9007199254740992d;

        /// <summary>
        /// The variant of <paramref name="definition"/> that serves a call, or <paramref name="definition"/> itself when it has
        /// no variants (so choosing twice is harmless).
        /// </summary>
        /// <param name="definition">The method's definition.</param>
        /// <param name="key">
        /// The call's assignment key (a <see cref="VariantKeyAttribute"/> parameter); <see langword="null"/> uses
        /// <see cref="PromptVariants.CurrentKey"/>, and without that a weighted-random choice.
        /// </param>
        public static PromptDefinition Choose(PromptDefinition definition, string? key)
        {
            ArgumentNullException.ThrowIfNull(definition);
            IReadOnlyList<PromptDefinition>? variants = definition.Variants;
            if (variants is null || variants.Count == 0)
            {
                return definition;
            }

            key ??= PromptVariants.CurrentKey;
            double position = key is null ? Random.Shared.NextDouble() : Position(definition, key);
            return Pick(variants, position);
        }

        /// <summary>Where <paramref name="key"/> falls for the method of <paramref name="definition"/>, in [0, 1).</summary>
        internal static double Position(PromptDefinition definition, string key)
        {
            // "IChat.AskAsync\n" + key: the method is part of the input so one user's assignments in two experiments are independent.
            int length = Encoding.UTF8.GetMaxByteCount(definition.InterfaceName.Length + definition.MethodName.Length + key.Length + 2);
            byte[]? rented = length > 512 ? ArrayPool<byte>.Shared.Rent(length) : null;
            Span<byte> buffer = rented ?? stackalloc byte[512];
            try
            {
                int written = Encoding.UTF8.GetBytes(definition.InterfaceName, buffer);
                buffer[written++] = (byte)'.';
                written += Encoding.UTF8.GetBytes(definition.MethodName, buffer[written..]);
                buffer[written++] = (byte)'\n';
                written += Encoding.UTF8.GetBytes(key, buffer[written..]);
                ulong hash = XxHash64.HashToUInt64(buffer[..written]);
                return (hash >> 11) / TwoToThe53;
            }
            finally
            {
                if (rented is not null)
                {
                    ArrayPool<byte>.Shared.Return(rented);
                }
            }
        }

        /// <summary>The variant whose slice of the cumulative weights holds <paramref name="position"/> (in [0, 1)).</summary>
        internal static PromptDefinition Pick(IReadOnlyList<PromptDefinition> variants, double position)
        {
            double total = 0;
            for (int i = 0; i < variants.Count; i++)
            {
                total += Usable(variants[i].VariantWeight);
            }

            if (total <= 0)
            {
                // The analyzer (PG0102) rejects such weights; a hand-built definition still gets a defined answer.
                return variants[0];
            }

            double target = position * total;
            double cumulative = 0;
            for (int i = 0; i < variants.Count; i++)
            {
                double weight = Usable(variants[i].VariantWeight);
                cumulative += weight;
                if (weight > 0 && target < cumulative)
                {
                    return variants[i];
                }
            }

            // Rounding can leave target a hair above the last boundary: the last variant with weight owns [.., 1).
            for (int i = variants.Count - 1; i >= 0; i--)
            {
                if (Usable(variants[i].VariantWeight) > 0)
                {
                    return variants[i];
                }
            }

            return variants[0];
        }

        private static double Usable(double weight) => double.IsFinite(weight) && weight > 0 ? weight : 0;
    }
}
