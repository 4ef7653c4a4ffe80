namespace PromptGen;

/// <summary>
/// Marks the <see cref="string"/> parameter of a prompt method whose value assigns the call to one of the method's
/// <see cref="PromptVariantAttribute"/>s, for example a user ID: the same value always gets the same variant. The parameter
/// is not a template variable. A <see langword="null"/> value falls back to <see cref="PromptVariants.UseKey(string)"/>'s
/// ambient key, then to a weighted-random choice.
/// </summary>
[AttributeUsage(AttributeTargets.Parameter, AllowMultiple = false, Inherited = false)]
public sealed class VariantKeyAttribute : Attribute
{
}
