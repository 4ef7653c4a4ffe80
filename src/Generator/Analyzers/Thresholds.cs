using System;
using System.Globalization;
using Microsoft.CodeAnalysis.Diagnostics;

namespace PromptGen.Generator.Analyzers
{
    /// <summary>
    /// The risk thresholds of PG0001–PG0003, from the seed guide's advice (Task 4.2.4) and DESIGN.md, overridable per use case
    /// in .editorconfig (or a global AnalyzerConfig):
    /// <code>
    /// [*.cs]
    /// promptgen.max_temperature.classification = 0.2   # PG0001
    /// promptgen.max_top_p.extraction = 0.4              # PG0002
    /// promptgen.max_tokens.classification = 128         # PG0003 (upper bound)
    /// promptgen.min_tokens.code_generation = 1024       # PG0003 (lower bound)
    /// promptgen.max_temperature.chatbot = 0.9           # any use case may get a threshold
    /// promptgen.max_temperature.code_generation = none  # 'none' removes a default threshold
    /// </code>
    /// Use-case keys: extraction, classification, summarization, creative_writing, code_generation, chatbot.
    /// </summary>
    internal sealed class Thresholds
    {
        private static readonly string[] s_keys = { "extraction", "classification", "summarization", "creative_writing", "code_generation", "chatbot" };

        // The option names, built once: Read runs for every [Prompt] type.
        private static readonly string[] s_maxTemperatureKeys = Array.ConvertAll(s_keys, key => "promptgen.max_temperature." + key);
        private static readonly string[] s_maxTopPKeys = Array.ConvertAll(s_keys, key => "promptgen.max_top_p." + key);
        private static readonly string[] s_maxTokensKeys = Array.ConvertAll(s_keys, key => "promptgen.max_tokens." + key);
        private static readonly string[] s_minTokensKeys = Array.ConvertAll(s_keys, key => "promptgen.min_tokens." + key);

        private readonly double?[] _maxTemperature = new double?[6];
        private readonly double?[] _maxTopP = new double?[6];
        private readonly int?[] _maxTokens = new int?[6];
        private readonly int?[] _minTokens = new int?[6];

        private Thresholds()
        {
        }

        /// <summary>DESIGN.md's thresholds: temperature ≤ 0.3 for Extraction/Classification and ≤ 0.5 for CodeGeneration; topP ≤ 0.5 for Extraction/Classification; MaxTokens ≤ 256 for Classification and ≥ 512 for CreativeWriting/CodeGeneration.</summary>
        public static Thresholds Default { get; } = CreateDefault();

        /// <summary>The key suffix of a use case (<c>code_generation</c>).</summary>
        public static string Key(UseCase useCase) => (int)useCase is >= 0 and < 6 ? s_keys[(int)useCase] : useCase.ToString().ToLowerInvariant();

        public double? MaxTemperature(UseCase useCase) => Get(_maxTemperature, useCase);

        public double? MaxTopP(UseCase useCase) => Get(_maxTopP, useCase);

        public int? MaxTokens(UseCase useCase) => Get(_maxTokens, useCase);

        public int? MinTokens(UseCase useCase) => Get(_minTokens, useCase);

        /// <summary>The thresholds for a file: the defaults with whatever <paramref name="options"/> sets.</summary>
        public static Thresholds Read(AnalyzerConfigOptions? options)
        {
            if (options is null)
            {
                return Default;
            }

            Thresholds result = CreateDefault();
            for (int i = 0; i < 6; i++)
            {
                ReadDouble(options, s_maxTemperatureKeys[i], ref result._maxTemperature[i]);
                ReadDouble(options, s_maxTopPKeys[i], ref result._maxTopP[i]);
                ReadInt(options, s_maxTokensKeys[i], ref result._maxTokens[i]);
                ReadInt(options, s_minTokensKeys[i], ref result._minTokens[i]);
            }

            return result;
        }

        private static Thresholds CreateDefault()
        {
            var t = new Thresholds();
            t._maxTemperature[(int)UseCase.Extraction] = 0.3;
            t._maxTemperature[(int)UseCase.Classification] = 0.3;
            t._maxTemperature[(int)UseCase.CodeGeneration] = 0.5;
            t._maxTopP[(int)UseCase.Extraction] = 0.5;
            t._maxTopP[(int)UseCase.Classification] = 0.5;
            t._maxTokens[(int)UseCase.Classification] = 256;
            t._minTokens[(int)UseCase.CreativeWriting] = 512;
            t._minTokens[(int)UseCase.CodeGeneration] = 512;
            return t;
        }

        private static T? Get<T>(T?[] values, UseCase useCase)
            where T : struct => (int)useCase is >= 0 and < 6 ? values[(int)useCase] : null;

        private static void ReadDouble(AnalyzerConfigOptions options, string key, ref double? value)
        {
            if (!options.TryGetValue(key, out string? text))
            {
                return;
            }

            text = text.Trim();
            if (IsNone(text))
            {
                value = null;
            }
            else if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double parsed))
            {
                value = parsed;
            }
        }

        private static void ReadInt(AnalyzerConfigOptions options, string key, ref int? value)
        {
            if (!options.TryGetValue(key, out string? text))
            {
                return;
            }

            text = text.Trim();
            if (IsNone(text))
            {
                value = null;
            }
            else if (int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out int parsed))
            {
                value = parsed;
            }
        }

        private static bool IsNone(string text) =>
            text.Equals("none", StringComparison.OrdinalIgnoreCase) || text.Equals("off", StringComparison.OrdinalIgnoreCase);
    }
}
