using Microsoft.CodeAnalysis;

namespace PromptGen.Generator.Common
{
    /// <summary>Matching an attribute's class by name, shared by the prompt and structured-output readers.</summary>
    internal static class AttributeClass
    {
        /// <summary>
        /// Whether the attribute's class displays as <paramref name="fullName"/> (a namespace-qualified, non-generic name).
        /// The simple name is compared first, without building a string: a display string is built only for a class with
        /// the right simple name, not for every attribute the parser and the analyzers look at.
        /// </summary>
        public static bool Is(AttributeData attribute, string fullName)
        {
            if (attribute.AttributeClass is not { } type)
            {
                return false;
            }

            string simple = type.Name;
            int start = fullName.LastIndexOf('.') + 1;
            return simple.Length == fullName.Length - start
                && string.CompareOrdinal(simple, 0, fullName, start, simple.Length) == 0
                && type.ToDisplayString() == fullName;
        }
    }
}
