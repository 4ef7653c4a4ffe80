#nullable enable
using System.Globalization;

namespace PromptGen
{
    /// <summary>What a prompt is for. Each use case carries an inference-parameter preset (see <see cref="InferencePreset"/>).</summary>
    public enum UseCase
    {
        /// <summary>Pull structured fields out of text: deterministic, just enough output.</summary>
        Extraction = 0,

        /// <summary>Pick one label: deterministic, short output.</summary>
        Classification = 1,

        /// <summary>Condense text: low randomness, medium output.</summary>
        Summarization = 2,

        /// <summary>Write freely: high randomness, long output.</summary>
        CreativeWriting = 3,

        /// <summary>Write code: low randomness, long output.</summary>
        CodeGeneration = 4,

        /// <summary>Converse: moderate randomness, medium output.</summary>
        Chatbot = 5,
    }

    /// <summary>
    /// The inference-parameter preset of a use case, from the seed study guide (Task 4.2.4). This table is the one
    /// source of truth used by the generator, the analyzers and the runtime.
    /// </summary>
    public sealed class InferencePreset
    {
        private InferencePreset(UseCase useCase, double temperature, double topP, int maxTokens)
        {
            UseCase = useCase;
            Temperature = temperature;
            TopP = topP;
            MaxTokens = maxTokens;
        }

        /// <summary>The use case this preset serves.</summary>
        public UseCase UseCase { get; }

        /// <summary>The preset temperature.</summary>
        public double Temperature { get; }

        /// <summary>The preset topP.</summary>
        public double TopP { get; }

        /// <summary>The preset maximum output tokens.</summary>
        public int MaxTokens { get; }

        /// <summary>The preset for <paramref name="useCase"/> (Chatbot's for an unknown value).</summary>
        public static InferencePreset For(UseCase useCase) => useCase switch
        {
            UseCase.Extraction => Extraction,
            UseCase.Classification => Classification,
            UseCase.Summarization => Summarization,
            UseCase.CreativeWriting => CreativeWriting,
            UseCase.CodeGeneration => CodeGeneration,
            _ => Chatbot,
        };

        /// <summary>Extraction: temperature 0, topP 0.1, 1024 tokens ("just enough").</summary>
        public static InferencePreset Extraction { get; } = new(UseCase.Extraction, 0, 0.1, 1024);

        /// <summary>Classification: temperature 0, topP 0.1, 64 tokens ("short").</summary>
        public static InferencePreset Classification { get; } = new(UseCase.Classification, 0, 0.1, 64);

        /// <summary>Summarization: temperature 0.3, topP 0.5, 1024 tokens ("medium").</summary>
        public static InferencePreset Summarization { get; } = new(UseCase.Summarization, 0.3, 0.5, 1024);

        /// <summary>CreativeWriting: temperature 0.8, topP 0.9, 4096 tokens ("long").</summary>
        public static InferencePreset CreativeWriting { get; } = new(UseCase.CreativeWriting, 0.8, 0.9, 4096);

        /// <summary>CodeGeneration: temperature 0.2, topP 0.3, 4096 tokens ("long").</summary>
        public static InferencePreset CodeGeneration { get; } = new(UseCase.CodeGeneration, 0.2, 0.3, 4096);

        /// <summary>Chatbot: temperature 0.5, topP 0.7, 1024 tokens ("medium").</summary>
        public static InferencePreset Chatbot { get; } = new(UseCase.Chatbot, 0.5, 0.7, 1024);

        /// <inheritdoc />
        public override string ToString() => string.Format(
            CultureInfo.InvariantCulture, "{0}: temperature {1}, topP {2}, maxTokens {3}", UseCase, Temperature, TopP, MaxTokens);
    }
}
