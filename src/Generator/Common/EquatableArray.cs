using System;
using System.Collections;
using System.Collections.Generic;
using System.Collections.Immutable;

namespace PromptGen.Generator.Common
{
    /// <summary>
    /// An immutable array with value equality, so that models holding lists stay equatable and the
    /// incremental pipeline can cache them (after CommunityToolkit.Mvvm's EquatableArray{T}).
    /// </summary>
    internal readonly struct EquatableArray<T> : IEquatable<EquatableArray<T>>, IReadOnlyList<T>
        where T : IEquatable<T>
    {
        public static readonly EquatableArray<T> Empty = new EquatableArray<T>(ImmutableArray<T>.Empty);

        private readonly T[]? items;

        public EquatableArray(ImmutableArray<T> items)
        {
            if (items.IsDefaultOrEmpty)
            {
                this.items = null;
                return;
            }

            var copy = new T[items.Length];
            items.CopyTo(copy);
            this.items = copy;
        }

        public EquatableArray(IEnumerable<T> items)
        {
            T[] array;
            if (items is ICollection<T> collection)
            {
                // One copy, not a list's and then its array's (callers mostly pass arrays and lists).
                array = new T[collection.Count];
                collection.CopyTo(array, 0);
            }
            else
            {
                array = new List<T>(items).ToArray();
            }

            this.items = array.Length == 0 ? null : array;
        }

        public int Count => items?.Length ?? 0;

        public bool IsEmpty => Count == 0;

        public T this[int index] => (items ?? Array.Empty<T>())[index];

        public bool Equals(EquatableArray<T> other)
        {
            T[] left = items ?? Array.Empty<T>();
            T[] right = other.items ?? Array.Empty<T>();
            if (left.Length != right.Length)
            {
                return false;
            }

            for (int i = 0; i < left.Length; i++)
            {
                if (!EqualityComparer<T>.Default.Equals(left[i], right[i]))
                {
                    return false;
                }
            }

            return true;
        }

        public override bool Equals(object? obj) => obj is EquatableArray<T> other && Equals(other);

        public override int GetHashCode()
        {
            int hash = 17;
            if (items is not null)
            {
                foreach (T item in items)
                {
                    hash = unchecked((hash * 31) + (item is null ? 0 : item.GetHashCode()));
                }
            }

            return hash;
        }

        /// <summary>A struct enumerator, so a <c>foreach</c> over a model's list allocates nothing.</summary>
        public Enumerator GetEnumerator() => new Enumerator(items ?? Array.Empty<T>());

        IEnumerator<T> IEnumerable<T>.GetEnumerator() => ((IEnumerable<T>)(items ?? Array.Empty<T>())).GetEnumerator();

        IEnumerator IEnumerable.GetEnumerator() => ((IEnumerable<T>)this).GetEnumerator();

        public static bool operator ==(EquatableArray<T> left, EquatableArray<T> right) => left.Equals(right);

        public static bool operator !=(EquatableArray<T> left, EquatableArray<T> right) => !left.Equals(right);

        public struct Enumerator
        {
            private readonly T[] array;
            private int index;

            internal Enumerator(T[] array)
            {
                this.array = array;
                index = -1;
            }

            public T Current => array[index];

            public bool MoveNext() => ++index < array.Length;
        }
    }
}
