using System;
using System.Collections;
using System.Collections.Generic;

namespace PromptGen.Generator.Templates
{
    /// <summary>An immutable array with value equality, so that models holding it stay cacheable in the pipeline.</summary>
    internal readonly struct EquatableArray<T> : IEquatable<EquatableArray<T>>, IReadOnlyList<T>
        where T : IEquatable<T>
    {
        private readonly T[]? _items;

        public EquatableArray(T[] items)
        {
            _items = items;
        }

        public EquatableArray(IReadOnlyCollection<T> items)
        {
            var copy = new T[items.Count];
            int i = 0;
            foreach (T item in items)
            {
                copy[i++] = item;
            }

            _items = copy;
        }

        public static EquatableArray<T> Empty => default;

        public int Count => _items?.Length ?? 0;

        public bool IsEmpty => Count == 0;

        public T this[int index] => _items![index];

        public bool Equals(EquatableArray<T> other)
        {
            T[]? a = _items;
            T[]? b = other._items;
            int length = a?.Length ?? 0;
            if (length != (b?.Length ?? 0))
            {
                return false;
            }

            for (int i = 0; i < length; i++)
            {
                if (!EqualityComparer<T>.Default.Equals(a![i], b![i]))
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
            if (_items != null)
            {
                foreach (T item in _items)
                {
                    hash = unchecked((hash * 31) + (item is null ? 0 : item.GetHashCode()));
                }
            }

            return hash;
        }

        public static bool operator ==(EquatableArray<T> left, EquatableArray<T> right) => left.Equals(right);

        public static bool operator !=(EquatableArray<T> left, EquatableArray<T> right) => !left.Equals(right);

        public IEnumerator<T> GetEnumerator() => ((IEnumerable<T>)(_items ?? Array.Empty<T>())).GetEnumerator();

        IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
    }
}
