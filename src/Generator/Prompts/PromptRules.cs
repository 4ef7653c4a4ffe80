using System;
using System.Collections.Generic;
using System.Globalization;
using Microsoft.CodeAnalysis;
using PromptGen.Generator.Analyzers;
using PromptGen.Generator.Common;

namespace PromptGen.Generator.Prompts
{
    /// <summary>A named argument of <c>[Prompt]</c> a finding is about (where the analyzer puts its squiggle).</summary>
    internal enum PromptArgument
    {
        /// <summary>No argument: the method itself.</summary>
        None,
        UseCase,
        Model,
        Temperature,
        TopP,
        TopK,
        MaxTokens,
        LatencyOptimized,
        CachePrompt,
        CacheResponse,
        CachePromptTtl,
    }

    /// <summary>
    /// A problem with a method's A/B variants or its <c>[VariantKey]</c> parameter (PG0101–PG0103): the variant it is about
    /// (-1 for a parameter problem), the argument (<c>Weight</c>, or null for the name), or the parameter's name.
    /// </summary>
    internal readonly struct VariantFinding
    {
        public VariantFinding(DiagnosticDescriptor descriptor, int variant, string? argument, string? parameter, params object[] args)
        {
            Descriptor = descriptor;
            Variant = variant;
            Argument = argument;
            Parameter = parameter;
            Args = args;
        }

        public DiagnosticDescriptor Descriptor { get; }

        public int Variant { get; }

        public string? Argument { get; }

        public string? Parameter { get; }

        public object[] Args { get; }

        public string Message() => string.Format(CultureInfo.InvariantCulture, Descriptor.MessageFormat.ToString(CultureInfo.InvariantCulture), Args);
    }

    /// <summary>One rule violation: the descriptor, the argument it is about, and the message arguments.</summary>
    internal readonly struct RuleFinding
    {
        public RuleFinding(DiagnosticDescriptor descriptor, PromptArgument argument, params object[] args)
        {
            Descriptor = descriptor;
            Argument = argument;
            Args = args;
        }

        public DiagnosticDescriptor Descriptor { get; }

        public PromptArgument Argument { get; }

        public object[] Args { get; }

        /// <summary>The message as the analyzer would report it.</summary>
        public string Message() => string.Format(CultureInfo.InvariantCulture, Descriptor.MessageFormat.ToString(CultureInfo.InvariantCulture), Args);
    }

    /// <summary>
    /// The settings checks of one prompt method, shared by the generator and the analyzers so they can never disagree:
    /// <see cref="Errors"/> are what make the generator emit a throwing body (and the analyzer report an error);
    /// <see cref="Advice"/> are the analyzer's warnings and suggestions. Both take the method model the parser built, the
    /// model resolution from <see cref="ModelCatalog"/> and the parameters from <see cref="ParameterResolver"/>.
    /// </summary>
    internal static class PromptRules
    {
        /// <summary>The use case a method runs with (Chatbot when none is written, like the emitter).</summary>
        public static UseCase UseCaseOf(MethodModel method) => (UseCase)(method.Settings.UseCase ?? (int)UseCase.Chatbot);

        /// <summary>The user's written values as the resolver wants them.</summary>
        public static WrittenParameters Written(MethodModel method) =>
            new(method.Settings.Temperature, method.Settings.TopP, method.Settings.TopK, method.Settings.MaxTokens);

        /// <summary>Resolves the method's parameters against <paramref name="resolution"/>'s model, as the emitter does.</summary>
        public static ResolvedParameters Resolve(MethodModel method, ModelResolution resolution) =>
            ParameterResolver.Resolve(UseCaseOf(method), Written(method), resolution.Model);

        /// <summary>The method as one of its variants runs it: the variant's written settings over the method's, and no variants.</summary>
        public static MethodModel VariantOf(MethodModel method, VariantModel variant) =>
            method with { Settings = variant.Overrides.Over(method.Settings), Variants = EquatableArray<VariantModel>.Empty };

        /// <summary>PG0101–PG0103: duplicate variant names, unusable weights, and a misused <c>[VariantKey]</c> parameter.</summary>
        public static void VariantErrors(MethodModel method, List<VariantFinding> into)
        {
            var names = new HashSet<string>(StringComparer.Ordinal);
            for (int i = 0; i < method.Variants.Count; i++)
            {
                VariantModel variant = method.Variants[i];
                if (string.IsNullOrWhiteSpace(variant.Name))
                {
                    into.Add(new VariantFinding(Descriptors.DuplicateVariant, i, null, null, method.Name, "has a variant without a name; give each variant a unique, non-empty name"));
                }
                else if (!names.Add(variant.Name))
                {
                    into.Add(new VariantFinding(Descriptors.DuplicateVariant, i, null, null, method.Name,
                        $"has two variants named '{variant.Name}'; give each variant a unique name"));
                }

                if (!(variant.Weight > 0) || double.IsInfinity(variant.Weight))
                {
                    into.Add(new VariantFinding(Descriptors.InvalidVariantWeight, i, "Weight", null, Number(variant.Weight), variant.Name));
                }
            }

            string? firstKey = null;
            foreach (ParameterModel parameter in method.Parameters)
            {
                if (!parameter.IsVariantKey)
                {
                    continue;
                }

                if (!IsString(parameter))
                {
                    into.Add(new VariantFinding(Descriptors.InvalidVariantKey, -1, null, parameter.Name, parameter.Name, method.Name,
                        $"is a {parameter.Type}, not a string; make it a string (for example pass userId.ToString())"));
                }
                else if (firstKey is not null)
                {
                    into.Add(new VariantFinding(Descriptors.InvalidVariantKey, -1, null, parameter.Name, parameter.Name, method.Name,
                        $"is a second [VariantKey] after '{firstKey}'; keep one key parameter"));
                }

                firstKey ??= parameter.Name;
            }
        }

        /// <summary>Whether the parameter is a string, nullable or not (a null key is weighted-random, like no key).</summary>
        private static bool IsString(ParameterModel parameter) => parameter.Type is "string" or "string?";

        /// <summary>The name of the method's <c>[VariantKey]</c> string parameter, or null.</summary>
        public static string? VariantKeyParameter(MethodModel method)
        {
            foreach (ParameterModel parameter in method.Parameters)
            {
                if (parameter.IsVariantKey && IsString(parameter))
                {
                    return parameter.Name;
                }
            }

            return null;
        }

        /// <summary>
        /// The prompt-cache TTL to send: the written <c>CachePromptTtl</c> when prompt caching is on, the value is one Bedrock
        /// knows, and the model offers it (or the catalogue cannot tell); otherwise null, and PG0014 says why.
        /// </summary>
        public static string? EffectiveCacheTtl(PromptSettings settings, ModelResolution resolution)
        {
            string? ttl = settings.CachePromptTtl;
            if (settings.CachePrompt != true || ttl is not ("5m" or "1h"))
            {
                return null;
            }

            if (!resolution.IsCheckable || resolution.Model is null)
            {
                return ttl;
            }

            return resolution.Model.PromptCaching is { } caching && Contains(caching.Ttls, ttl!) ? ttl : null;
        }

        private static bool Contains(IReadOnlyList<string> values, string value)
        {
            foreach (string candidate in values)
            {
                if (string.Equals(candidate, value, StringComparison.Ordinal))
                {
                    return true;
                }
            }

            return false;
        }

        /// <summary>The first error's message (what the generated body's NotSupportedException says), or null.</summary>
        public static string? FirstError(MethodModel method, ModelResolution resolution, ResolvedParameters resolved)
        {
            var findings = new List<RuleFinding>();
            Errors(method, resolution, resolved, findings);
            return findings.Count == 0 ? null : findings[0].Message();
        }

        /// <summary>PG0004, PG0005, PG0006 and PG0008: requests Bedrock would reject.</summary>
        public static void Errors(MethodModel method, ModelResolution resolution, ResolvedParameters resolved, List<RuleFinding> into)
        {
            PromptSettings s = method.Settings;
            ModelInfo? info = resolution.Model;

            if (s.MaxTokens is int tokens && tokens < 1)
            {
                into.Add(new RuleFinding(Descriptors.ValueOutOfRange, PromptArgument.MaxTokens, "MaxTokens", Number(tokens),
                    info?.Name ?? "Bedrock", info?.MaxOutputTokens is int most ? "1–" + Number(most) : "at least 1"));
            }

            if (info is null)
            {
                return;
            }

            if (info.Sampling == SamplingRule.None)
            {
                AddNotAccepted(into, info, s.Temperature.HasValue, PromptArgument.Temperature);
                AddNotAccepted(into, info, s.TopP.HasValue, PromptArgument.TopP);
                AddNotAccepted(into, info, s.TopK.HasValue, PromptArgument.TopK);
            }
            else
            {
                AddNotAccepted(into, info, s.Temperature.HasValue && !info.AcceptsTemperature, PromptArgument.Temperature);
                AddNotAccepted(into, info, s.TopP.HasValue && !info.AcceptsTopP, PromptArgument.TopP);
                AddNotAccepted(into, info, s.TopK.HasValue && !info.AcceptsTopK, PromptArgument.TopK);

                AddRange(into, info, s.Temperature, info.AcceptsTemperature ? info.Temperature : null, PromptArgument.Temperature);
                AddRange(into, info, s.TopP, info.AcceptsTopP ? info.TopP : null, PromptArgument.TopP);
                AddRange(into, info, s.TopK, info.AcceptsTopK ? info.TopK : null, PromptArgument.TopK);
            }

            if (s.MaxTokens is int max && max >= 1 && info.MaxOutputTokens is int limit && max > limit)
            {
                into.Add(new RuleFinding(Descriptors.ValueOutOfRange, PromptArgument.MaxTokens, "MaxTokens", Number(max), info.Name, "1–" + Number(limit)));
            }

            if (resolved.HasSamplingConflict)
            {
                into.Add(new RuleFinding(Descriptors.TemperatureAndTopP, PromptArgument.TopP, info.Name));
            }

            if (!resolution.IsCheckable)
            {
                // ARNs name things the catalogue cannot see (application inference profiles, custom models): no capability checks.
                return;
            }

            if (method.Return == ReturnShape.Stream && !info.Streaming)
            {
                into.Add(new RuleFinding(Descriptors.MissingCapability, PromptArgument.None, info.Name, "streaming (ConverseStream)", method.Name));
            }

            if (method.Value == ValueShape.Structured && !info.ToolUse && !info.NativeStructuredOutput)
            {
                into.Add(new RuleFinding(Descriptors.MissingCapability, PromptArgument.None, info.Name, "structured output (tool use or native JSON output)", method.Name));
            }

            if (method.System is not null && !info.SystemPrompt)
            {
                into.Add(new RuleFinding(Descriptors.MissingCapability, PromptArgument.None, info.Name, "a system prompt", method.Name));
            }
        }

        /// <summary>
        /// PG0001–PG0003, PG0007, PG0014–PG0016: settings Bedrock accepts but that are risky or ineffective.
        /// <paramref name="systemText"/> is the system prompt's text where known (null when there is none or it cannot be read);
        /// <paramref name="region"/> is the AWS Region the app calls (the MSBuild property PromptGenRegion), or null when unknown.
        /// </summary>
        public static void Advice(
            MethodModel method,
            string? modelId,
            ModelResolution resolution,
            Thresholds thresholds,
            string? systemText,
            bool systemUnreadable,
            string? region,
            List<RuleFinding> into)
        {
            PromptSettings s = method.Settings;
            ModelInfo? info = resolution.Model;
            UseCase useCase = UseCaseOf(method);
            InferencePreset preset = InferencePreset.For(useCase);

            if (resolution.Kind == ModelIdKind.Unknown && !string.IsNullOrWhiteSpace(modelId))
            {
                into.Add(new RuleFinding(Descriptors.UnknownModel, PromptArgument.Model, modelId!));
            }

            bool sampling = info is null || info.Sampling != SamplingRule.None;
            if (s.Temperature is double temperature && sampling && (info is null || info.AcceptsTemperature) &&
                thresholds.MaxTemperature(useCase) is double maxTemperature && temperature > maxTemperature)
            {
                into.Add(new RuleFinding(Descriptors.TemperatureTooHigh, PromptArgument.Temperature, useCase.ToString(), Number(maxTemperature), Number(preset.Temperature)));
            }

            if (s.TopP is double topP && sampling && (info is null || info.AcceptsTopP) &&
                thresholds.MaxTopP(useCase) is double maxTopP && topP > maxTopP)
            {
                into.Add(new RuleFinding(Descriptors.TopPTooHigh, PromptArgument.TopP, useCase.ToString(), Number(maxTopP), Number(preset.TopP)));
            }

            if (s.MaxTokens is int tokens && tokens >= 1 && (info?.MaxOutputTokens is not int limit || tokens <= limit))
            {
                if (thresholds.MaxTokens(useCase) is int most && tokens > most)
                {
                    into.Add(new RuleFinding(Descriptors.MaxTokensOutOfProportion, PromptArgument.MaxTokens, useCase.ToString(), "≤ " + Number(most), Number(preset.MaxTokens)));
                }
                else if (thresholds.MinTokens(useCase) is int least && tokens < least)
                {
                    into.Add(new RuleFinding(Descriptors.MaxTokensOutOfProportion, PromptArgument.MaxTokens, useCase.ToString(), "≥ " + Number(least), Number(preset.MaxTokens)));
                }
            }

            if (s.CacheResponse == true)
            {
                double effective = s.Temperature ?? preset.Temperature;
                if (info is { Sampling: SamplingRule.None } || effective > 0)
                {
                    string shown = info is { Sampling: SamplingRule.None } ? "(the model's default)" : Number(effective);
                    into.Add(new RuleFinding(Descriptors.ResponseCacheNotDeterministic, PromptArgument.CacheResponse, method.Name, shown));
                }
            }

            if (s.CachePromptTtl is string ttl)
            {
                if (s.CachePrompt != true)
                {
                    into.Add(new RuleFinding(Descriptors.PromptCachingIneffective, PromptArgument.CachePromptTtl, method.Name,
                        $"has no effect: CachePromptTtl = \"{ttl}\" is set but CachePrompt is not; add CachePrompt = true or remove CachePromptTtl"));
                }
                else if (ttl is not ("5m" or "1h"))
                {
                    into.Add(new RuleFinding(Descriptors.PromptCachingIneffective, PromptArgument.CachePromptTtl, method.Name,
                        $"cannot use CachePromptTtl = \"{ttl}\": Bedrock accepts \"5m\" or \"1h\", so no TTL is sent; write one of those or remove CachePromptTtl"));
                }
                else if (resolution.IsCheckable && info?.PromptCaching is { } caching && !Contains(caching.Ttls, ttl))
                {
                    into.Add(new RuleFinding(Descriptors.PromptCachingIneffective, PromptArgument.CachePromptTtl, method.Name,
                        $"cannot use CachePromptTtl = \"{ttl}\": {info.Name} keeps cache checkpoints for {string.Join(" or ", caching.Ttls)} only, so no TTL is sent (the default, 5 minutes, applies); remove CachePromptTtl or choose a model that offers {ttl}"));
                }
            }

            if (!resolution.IsCheckable || info is null)
            {
                return;
            }

            if (s.CachePrompt == true)
            {
                if (info.PromptCaching is null)
                {
                    into.Add(new RuleFinding(Descriptors.PromptCachingIneffective, PromptArgument.CachePrompt, method.Name,
                        "has no effect: " + info.Name + " has no prompt caching; remove CachePrompt"));
                }
                else if (!systemUnreadable)
                {
                    int estimate = EstimateTokens(systemText);
                    if (estimate < info.PromptCaching.MinTokens)
                    {
                        into.Add(new RuleFinding(Descriptors.PromptCachingIneffective, PromptArgument.CachePrompt, method.Name,
                            $"has no effect: the cached prefix (the system prompt) is about {Number(estimate)} tokens, below {info.Name}'s minimum of {Number(info.PromptCaching.MinTokens)} tokens per cache checkpoint; lengthen the system prompt or remove CachePrompt"));
                    }
                }
            }

            if (s.LatencyOptimized == true)
            {
                string? reason = LatencyProblem(info, resolution, region);
                if (reason is not null)
                {
                    into.Add(new RuleFinding(Descriptors.LatencyOptimizedUnavailable, PromptArgument.LatencyOptimized, modelId!, reason));
                }
            }
        }

        /// <summary>
        /// A deliberately low token estimate of static prompt text: UTF-16 characters outside <c>{{ … }}</c> blocks divided by
        /// 4, rounded down. English prose runs at about 3.5–4 characters per token on Claude's and Nova's tokenizers, so this
        /// under-counts typical text and PG0014 errs towards warning; text in scripts with fewer characters per token
        /// (code, CJK) is under-counted more.
        /// </summary>
        public static int EstimateTokens(string? text)
        {
            if (string.IsNullOrEmpty(text))
            {
                return 0;
            }

            int chars = 0;
            int i = 0;
            string value = text!;
            while (i < value.Length)
            {
                int open = value.IndexOf("{{", i, StringComparison.Ordinal);
                if (open < 0)
                {
                    chars += value.Length - i;
                    break;
                }

                chars += open - i;
                int close = value.IndexOf("}}", open + 2, StringComparison.Ordinal);
                if (close < 0)
                {
                    break;
                }

                i = close + 2;
            }

            return chars / 4;
        }

        private static string? LatencyProblem(ModelInfo info, ModelResolution resolution, string? region)
        {
            IReadOnlyList<string> regions = info.LatencyOptimizedRegions;
            if (regions.Count == 0)
            {
                return info.Name + " has no latency-optimized inference in any Region; remove LatencyOptimized";
            }

            string suggestedGeo = GeoOf(regions[0]);
            if (resolution.Kind == ModelIdKind.BaseModel)
            {
                return $"it is served only through cross-Region inference profiles; use '{suggestedGeo}.{info.Id}' (Regions {string.Join(", ", regions)})";
            }

            string geo = resolution.Geo ?? string.Empty;
            bool geoServesIt = false;
            foreach (string offered in regions)
            {
                geoServesIt |= GeoOf(offered) == geo;
            }

            if (!geoServesIt)
            {
                return $"the '{geo}.' profile serves no Region that offers it ({string.Join(", ", regions)}); use '{suggestedGeo}.{info.Id}' or remove LatencyOptimized";
            }

            // Latency-optimized inference is offered per source Region: called from another one, Bedrock silently serves
            // standard latency (and charges standard), which only the response's performanceConfig would show.
            if (region is not null && GeoOf(region) == geo && !Contains(regions, region))
            {
                return $"the app calls {region} (PromptGenRegion), which does not offer it; it is offered in {string.Join(", ", regions)}: call from one of them or remove LatencyOptimized";
            }

            return null;
        }


        /// <summary>
        /// A model ID the catalogue says serves latency-optimized inference, for the PG0015 code fix: the same model through
        /// the profile of its first latency-optimized Region's geography (<c>us.anthropic.claude-3-5-haiku-…</c>), else the
        /// first catalogue model of the same provider that offers it (Claude 3.5 Haiku for Claude, Nova Pro for Nova, Llama 3.1
        /// 70B for Llama); null when the provider has none.
        /// </summary>
        public static string? LatencyOptimizedAlternative(ModelInfo info, ModelCatalog catalog)
        {
            ModelInfo? target = info.LatencyOptimizedRegions.Count > 0 ? info : null;
            if (target is null)
            {
                foreach (ModelInfo candidate in catalog.Models)
                {
                    if (candidate.Provider == info.Provider && candidate.LatencyOptimizedRegions.Count > 0)
                    {
                        target = candidate;
                        break;
                    }
                }
            }

            return target is null ? null : GeoOf(target.LatencyOptimizedRegions[0]) + "." + target.Id;
        }

        private static string GeoOf(string region)
        {
            int dash = region.IndexOf('-');
            string prefix = dash > 0 ? region.Substring(0, dash) : region;
            return prefix == "ap" ? "apac" : prefix;
        }

        private static void AddNotAccepted(List<RuleFinding> into, ModelInfo info, bool condition, PromptArgument argument)
        {
            if (condition)
            {
                into.Add(new RuleFinding(Descriptors.ParameterNotAccepted, argument, info.Name, argument.ToString()));
            }
        }

        private static void AddRange(List<RuleFinding> into, ModelInfo info, double? value, ValueRange? range, PromptArgument argument)
        {
            if (value is double v && range is not null && !range.Contains(v))
            {
                into.Add(new RuleFinding(Descriptors.ValueOutOfRange, argument, argument.ToString(), Number(v), info.Name, range.ToString()));
            }
        }

        /// <summary>A number as users write it, culture-invariant (0.3, never 0,3).</summary>
        public static string Number(double value) => value.ToString("0.#####", CultureInfo.InvariantCulture);

        /// <summary>An integer as users write it.</summary>
        public static string Number(int value) => value.ToString(CultureInfo.InvariantCulture);
    }
}
