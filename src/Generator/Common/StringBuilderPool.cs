using System;
using System.Text;

namespace PromptGen.Generator.Common
{
    /// <summary>
    /// Two spare <see cref="StringBuilder"/>s per thread, for the emitters and the template compiler: a run writes hundreds
    /// of files of a few thousand characters each, and a new builder per file paid for its growth (chunk after chunk) on
    /// every one of them. A builder given back keeps its capacity, so from the second file on, writing allocates nothing
    /// but the finished string. Two, because the client emitter's writer is open while the template compiler or the schema
    /// emitter writes into a second one.
    /// </summary>
    /// <remarks>
    /// Per thread, so nothing is shared or locked (the IDE runs generators and analyzers on several threads); builders that
    /// grew past <see cref="MaxKeptCapacity"/> are dropped rather than kept for the life of the thread. A builder that is not
    /// given back (an exception, cancellation) is simply collected.
    /// </remarks>
    internal static class StringBuilderPool
    {
        /// <summary>The largest builder kept, in characters (256 KB): far more than a generated client needs.</summary>
        public const int MaxKeptCapacity = 128 * 1024;

        private const int InitialCapacity = 4096;

        [ThreadStatic]
        private static StringBuilder? t_first;

        [ThreadStatic]
        private static StringBuilder? t_second;

        /// <summary>An empty builder: a spare one of this thread, else a new one.</summary>
        public static StringBuilder Get()
        {
            StringBuilder? builder = t_first;
            if (builder is not null)
            {
                t_first = null;
                return builder;
            }

            builder = t_second;
            if (builder is not null)
            {
                t_second = null;
                return builder;
            }

            return new StringBuilder(InitialCapacity);
        }

        /// <summary>The builder's text; the builder goes back to the pool and must not be used again.</summary>
        public static string ToStringAndFree(StringBuilder builder)
        {
            string text = builder.ToString();
            Free(builder);
            return text;
        }

        /// <summary>Gives <paramref name="builder"/> back; it must not be used again.</summary>
        public static void Free(StringBuilder builder)
        {
            if (builder.Capacity > MaxKeptCapacity || ReferenceEquals(builder, t_first) || ReferenceEquals(builder, t_second))
            {
                return;
            }

            // Clear keeps the capacity (in one chunk), so the next file does not grow it again.
            builder.Clear();
            if (t_first is null)
            {
                t_first = builder;
            }
            else if (t_second is null)
            {
                t_second = builder;
            }
        }
    }
}
