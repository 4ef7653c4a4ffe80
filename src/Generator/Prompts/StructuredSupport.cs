using Microsoft.CodeAnalysis;

namespace PromptGen.Generator.Prompts
{
    /// <summary>
    /// Structured output (schema + AOT-safe converters for T) plugs in here. Until it lands, a structured return type is an
    /// unsupported member: the generated body throws NotSupportedException with this reason.
    /// </summary>
    internal static class StructuredSupport
    {
        public static string? Problem(ITypeSymbol type, Compilation compilation) =>
            $"structured output to '{type.ToDisplayString()}' is not supported yet; return string, an enum or IAsyncEnumerable<string>";

        public static string TypeInfo(MethodModel method) => "null!";

        public static string Schema(MethodModel method) => "null";

        public static string IsWrapped(MethodModel method) => "false";
    }
}
