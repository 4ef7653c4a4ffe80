#nullable enable
using System;
using System.Globalization;
using System.Text;

namespace PromptGen
{
    /// <summary>Where a resolved inference parameter came from.</summary>
    public enum ParameterSource
    {
        /// <summary>The use case's <see cref="InferencePreset"/> (possibly clamped into the model's range).</summary>
        Preset,

        /// <summary>Written by the user as a named argument of <c>[Prompt]</c>; never clamped.</summary>
        Written,
    }

    /// <summary>
    /// The inference parameters a user wrote as named arguments of <c>[Prompt]</c>. A null property means "not written", so
    /// the preset applies; the generator reads which named arguments are present, so no sentinel values are needed.
    /// </summary>
    public sealed class WrittenParameters : IEquatable<WrittenParameters>
    {
        /// <summary>Creates the set of written values (null for each one not written).</summary>
        public WrittenParameters(double? temperature = null, double? topP = null, int? topK = null, int? maxTokens = null)
        {
            Temperature = temperature;
            TopP = topP;
            TopK = topK;
            MaxTokens = maxTokens;
        }

        /// <summary>Nothing written: every parameter comes from the preset.</summary>
        public static WrittenParameters None { get; } = new WrittenParameters();

        /// <summary>The written temperature, or null.</summary>
        public double? Temperature { get; }

        /// <summary>The written topP, or null.</summary>
        public double? TopP { get; }

        /// <summary>The written top-k, or null.</summary>
        public int? TopK { get; }

        /// <summary>The written maximum output tokens, or null.</summary>
        public int? MaxTokens { get; }

        /// <inheritdoc />
        public bool Equals(WrittenParameters? other) =>
            other is not null
            && Nullable.Equals(Temperature, other.Temperature)
            && Nullable.Equals(TopP, other.TopP)
            && TopK == other.TopK
            && MaxTokens == other.MaxTokens;

        /// <inheritdoc />
        public override bool Equals(object? obj) => Equals(obj as WrittenParameters);

        /// <inheritdoc />
        public override int GetHashCode() => ParameterHash.Combine(Temperature, TopP, TopK, MaxTokens);

        /// <inheritdoc />
        public override string ToString() => ParameterHash.Describe(
            "written", Temperature, null, TopP, null, TopK, null, MaxTokens, null);
    }

    /// <summary>
    /// The inference parameters to send for one prompt method: the use case's preset, overridden by what the user wrote, and
    /// fitted to what the model accepts. A null value means "do not send". Equatable, so generator models can hold it.
    /// </summary>
    public sealed class ResolvedParameters : IEquatable<ResolvedParameters>
    {
        /// <summary>Creates a resolution (normally made by <see cref="ParameterResolver.Resolve"/>).</summary>
        public ResolvedParameters(
            double? temperature,
            ParameterSource temperatureSource,
            double? topP,
            ParameterSource topPSource,
            int? topK,
            string? topKField,
            int maxTokens,
            ParameterSource maxTokensSource,
            bool hasSamplingConflict)
        {
            Temperature = temperature;
            TemperatureSource = temperatureSource;
            TopP = topP;
            TopPSource = topPSource;
            TopK = topK;
            TopKField = topKField;
            MaxTokens = maxTokens;
            MaxTokensSource = maxTokensSource;
            HasSamplingConflict = hasSamplingConflict;
        }

        /// <summary>The temperature to send, or null to send none.</summary>
        public double? Temperature { get; }

        /// <summary>Where <see cref="Temperature"/> came from (meaningful when it is not null).</summary>
        public ParameterSource TemperatureSource { get; }

        /// <summary>The topP to send, or null to send none.</summary>
        public double? TopP { get; }

        /// <summary>Where <see cref="TopP"/> came from (meaningful when it is not null).</summary>
        public ParameterSource TopPSource { get; }

        /// <summary>The top-k to send, or null. Top-k has no preset: it is only ever <see cref="ParameterSource.Written"/>.</summary>
        public int? TopK { get; }

        /// <summary>
        /// Where top-k goes inside <c>additionalModelRequestFields</c> (see <see cref="ModelInfo.TopKField"/>), or null where
        /// the placement is unknown (a model the catalogue cannot see): the caller then drops <see cref="TopK"/>.
        /// </summary>
        public string? TopKField { get; }

        /// <summary>The maximum output tokens to send (always sent).</summary>
        public int MaxTokens { get; }

        /// <summary>Where <see cref="MaxTokens"/> came from.</summary>
        public ParameterSource MaxTokensSource { get; }

        /// <summary>
        /// Whether both temperature and topP were written for a model that accepts only one of them
        /// (<see cref="SamplingRule.TemperatureXorTopP"/>). Both are kept; the analyzer reports PG0005 and the generator emits
        /// nothing for the member.
        /// </summary>
        public bool HasSamplingConflict { get; }

        /// <inheritdoc />
        public bool Equals(ResolvedParameters? other) =>
            other is not null
            && Nullable.Equals(Temperature, other.Temperature)
            && TemperatureSource == other.TemperatureSource
            && Nullable.Equals(TopP, other.TopP)
            && TopPSource == other.TopPSource
            && TopK == other.TopK
            && string.Equals(TopKField, other.TopKField, StringComparison.Ordinal)
            && MaxTokens == other.MaxTokens
            && MaxTokensSource == other.MaxTokensSource
            && HasSamplingConflict == other.HasSamplingConflict;

        /// <inheritdoc />
        public override bool Equals(object? obj) => Equals(obj as ResolvedParameters);

        /// <inheritdoc />
        public override int GetHashCode()
        {
            int hash = ParameterHash.Combine(Temperature, TopP, TopK, MaxTokens);
            hash = unchecked((hash * 31) + (int)TemperatureSource);
            hash = unchecked((hash * 31) + (int)TopPSource);
            hash = unchecked((hash * 31) + (int)MaxTokensSource);
            hash = unchecked((hash * 31) + (TopKField == null ? 0 : StringComparer.Ordinal.GetHashCode(TopKField)));
            return unchecked((hash * 31) + (HasSamplingConflict ? 1 : 0));
        }

        /// <inheritdoc />
        public override string ToString() => ParameterHash.Describe(
            "resolved", Temperature, TemperatureSource, TopP, TopPSource, TopK, TopKField, MaxTokens, MaxTokensSource);
    }

    /// <summary>
    /// Resolves the inference parameters of a prompt method: one implementation shared by the generator, the analyzers and
    /// the runtime, so they can never disagree.
    /// </summary>
    public static class ParameterResolver
    {
        /// <summary>
        /// Resolves <paramref name="useCase"/>'s preset, the user's <paramref name="written"/> values and the
        /// <paramref name="model"/>'s rules into the parameters to send.
        /// </summary>
        /// <remarks>
        /// <list type="bullet">
        /// <item>A written value overrides the preset. Written values are never clamped or changed (out-of-range values are
        /// the analyzer's PG0004); preset values are clamped into the model's ranges and output limit, so a preset never
        /// triggers a diagnostic.</item>
        /// <item><paramref name="model"/> null (an unknown ID, or an ARN the catalogue cannot see): temperature, topP and
        /// maxTokens are sent as they are; top-k only if written, with <see cref="ResolvedParameters.TopKField"/> null.</item>
        /// <item><see cref="SamplingRule.None"/>: no temperature, topP or top-k at all, written or not (PG0006).</item>
        /// <item>A parameter the model does not accept (no range in the catalogue) is not sent, written or not (PG0006).</item>
        /// <item><see cref="SamplingRule.TemperatureXorTopP"/>: only temperature written keeps it and drops the preset topP;
        /// only topP written keeps it and drops the preset temperature; neither written keeps the preset temperature only
        /// (temperature is the guide's primary knob); both written keeps both and sets
        /// <see cref="ResolvedParameters.HasSamplingConflict"/> (PG0005).</item>
        /// <item>Top-k is sent only if written and the model accepts it, with the model's <see cref="ModelInfo.TopKField"/>.</item>
        /// </list>
        /// </remarks>
        public static ResolvedParameters Resolve(UseCase useCase, WrittenParameters? written, ModelInfo? model)
        {
            InferencePreset preset = InferencePreset.For(useCase);
            written ??= WrittenParameters.None;

            double? temperature = written.Temperature ?? preset.Temperature;
            ParameterSource temperatureSource = written.Temperature.HasValue ? ParameterSource.Written : ParameterSource.Preset;
            double? topP = written.TopP ?? preset.TopP;
            ParameterSource topPSource = written.TopP.HasValue ? ParameterSource.Written : ParameterSource.Preset;
            int maxTokens = written.MaxTokens ?? preset.MaxTokens;
            ParameterSource maxTokensSource = written.MaxTokens.HasValue ? ParameterSource.Written : ParameterSource.Preset;

            if (model == null)
            {
                return new ResolvedParameters(
                    temperature, temperatureSource, topP, topPSource, written.TopK, null, maxTokens, maxTokensSource, false);
            }

            if (maxTokensSource == ParameterSource.Preset && model.MaxOutputTokens is int limit && maxTokens > limit)
            {
                maxTokens = limit;
            }

            if (model.Sampling == SamplingRule.None)
            {
                return new ResolvedParameters(
                    null, temperatureSource, null, topPSource, null, null, maxTokens, maxTokensSource, false);
            }

            temperature = Fit(temperature, temperatureSource, model.AcceptsTemperature ? model.Temperature : null);
            topP = Fit(topP, topPSource, model.AcceptsTopP ? model.TopP : null);

            bool conflict = false;
            if (model.Sampling == SamplingRule.TemperatureXorTopP && temperature.HasValue && topP.HasValue)
            {
                bool temperatureWritten = temperatureSource == ParameterSource.Written;
                bool topPWritten = topPSource == ParameterSource.Written;
                if (temperatureWritten && topPWritten)
                {
                    conflict = true;
                }
                else if (topPWritten)
                {
                    temperature = null;
                }
                else
                {
                    // Only temperature written, or neither: temperature is the guide's primary knob.
                    topP = null;
                }
            }

            int? topK = written.TopK.HasValue && model.AcceptsTopK ? written.TopK : null;
            string? topKField = topK.HasValue ? model.TopKField : null;

            return new ResolvedParameters(
                temperature, temperatureSource, topP, topPSource, topK, topKField, maxTokens, maxTokensSource, conflict);
        }

        private static double? Fit(double? value, ParameterSource source, ValueRange? range)
        {
            if (range == null)
            {
                return null;
            }

            return source == ParameterSource.Preset && value.HasValue ? range.Clamp(value.Value) : value;
        }
    }

    internal static class ParameterHash
    {
        public static int Combine(double? a, double? b, int? c, int? d)
        {
            int hash = 17;
            hash = unchecked((hash * 31) + (a?.GetHashCode() ?? 0));
            hash = unchecked((hash * 31) + (b?.GetHashCode() ?? 0));
            hash = unchecked((hash * 31) + (c?.GetHashCode() ?? 0));
            return unchecked((hash * 31) + (d?.GetHashCode() ?? 0));
        }

        public static string Describe(
            string label,
            double? temperature,
            ParameterSource? temperatureSource,
            double? topP,
            ParameterSource? topPSource,
            int? topK,
            string? topKField,
            int? maxTokens,
            ParameterSource? maxTokensSource)
        {
            var builder = new StringBuilder(label).Append(':');
            Append(builder, "temperature", temperature?.ToString("R", CultureInfo.InvariantCulture), temperatureSource);
            Append(builder, "topP", topP?.ToString("R", CultureInfo.InvariantCulture), topPSource);
            Append(builder, "topK", topK?.ToString(CultureInfo.InvariantCulture) + (topKField == null ? string.Empty : " at " + topKField), null);
            Append(builder, "maxTokens", maxTokens?.ToString(CultureInfo.InvariantCulture), maxTokensSource);
            return builder.ToString();
        }

        private static void Append(StringBuilder builder, string name, string? value, ParameterSource? source)
        {
            if (string.IsNullOrEmpty(value))
            {
                return;
            }

            builder.Append(' ').Append(name).Append(' ').Append(value);
            if (source.HasValue)
            {
                builder.Append(source.Value == ParameterSource.Written ? " (written)" : " (preset)");
            }
        }
    }
}
