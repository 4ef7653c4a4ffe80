using Microsoft.CodeAnalysis;

namespace PromptGen.Generator
{
    /// <summary>
    /// Turns [Prompt] interfaces into typed Bedrock clients. The pipeline arrives with the generated-client issue;
    /// until then the generator registers nothing, so consumers referencing it build unchanged.
    /// </summary>
    [Generator(LanguageNames.CSharp)]
    public sealed class PromptGenerator : IIncrementalGenerator
    {
        /// <inheritdoc />
        public void Initialize(IncrementalGeneratorInitializationContext context)
        {
        }
    }
}
