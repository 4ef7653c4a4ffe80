#nullable enable
using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using PromptGen.Internal;

namespace PromptGen
{
    /// <summary>How a model treats the sampling parameters temperature and topP.</summary>
    public enum SamplingRule
    {
        /// <summary>Temperature and topP may be sent together.</summary>
        Independent,

        /// <summary>At most one of temperature and topP may be sent (Claude 4.5 and later 4.x models).</summary>
        TemperatureXorTopP,

        /// <summary>No sampling parameter is accepted (Claude Opus 4.7 and later).</summary>
        None,
    }

    /// <summary>What kind of model identifier a string is.</summary>
    public enum ModelIdKind
    {
        /// <summary>A base (in-region, on-demand) model ID such as <c>anthropic.claude-3-5-haiku-20241022-v1:0</c>.</summary>
        BaseModel,

        /// <summary>A cross-Region inference profile ID: a geography prefix plus a base ID, such as <c>us.amazon.nova-pro-v1:0</c>.</summary>
        InferenceProfile,

        /// <summary>An ARN (foundation model, inference profile, application inference profile, provisioned or custom model, prompt).</summary>
        Arn,

        /// <summary>Not an ARN and not a model this catalogue knows.</summary>
        Unknown,
    }

    /// <summary>An inclusive range of values a model accepts for one parameter.</summary>
    public sealed class ValueRange
    {
        /// <summary>Creates a range.</summary>
        public ValueRange(double min, double max)
        {
            Min = min;
            Max = max;
        }

        /// <summary>The smallest accepted value.</summary>
        public double Min { get; }

        /// <summary>The largest accepted value.</summary>
        public double Max { get; }

        /// <summary>Whether <paramref name="value"/> lies in the range.</summary>
        public bool Contains(double value) => value >= Min && value <= Max;

        /// <summary>The nearest value inside the range.</summary>
        public double Clamp(double value) => value < Min ? Min : value > Max ? Max : value;

        /// <inheritdoc />
        public override string ToString() =>
            Min.ToString("0.#####", CultureInfo.InvariantCulture) + "–" + Max.ToString("0.#####", CultureInfo.InvariantCulture);
    }

    /// <summary>Prompt-caching facts for a model.</summary>
    public sealed class PromptCachingSupport
    {
        /// <summary>Creates the facts.</summary>
        public PromptCachingSupport(int minTokens, IReadOnlyList<string> ttls, int maxCachePoints)
        {
            MinTokens = minTokens;
            Ttls = ttls;
            MaxCachePoints = maxCachePoints;
        }

        /// <summary>The fewest tokens a cached prefix must hold before a checkpoint takes effect.</summary>
        public int MinTokens { get; }

        /// <summary>The cache TTLs the model accepts (<c>5m</c>, and <c>1h</c> on some models).</summary>
        public IReadOnlyList<string> Ttls { get; }

        /// <summary>The most cache checkpoints one request may hold.</summary>
        public int MaxCachePoints { get; }
    }

    /// <summary>What the catalogue knows about one Bedrock model.</summary>
    public sealed class ModelInfo
    {
        internal ModelInfo(
            string id, string name, string provider, bool streaming, bool toolUse, bool streamingToolUse, bool systemPrompt,
            bool toolChoiceTool, bool nativeStructuredOutput, int? maxOutputTokens, ValueRange? temperature, ValueRange? topP,
            ValueRange? topK, string? topKField, SamplingRule sampling, PromptCachingSupport? promptCaching,
            IReadOnlyList<string> latencyOptimizedRegions, IReadOnlyList<string> inferenceProfileGeos, bool profileOnly, string? notes)
        {
            Id = id;
            Name = name;
            Provider = provider;
            Streaming = streaming;
            ToolUse = toolUse;
            StreamingToolUse = streamingToolUse;
            SystemPrompt = systemPrompt;
            ToolChoiceTool = toolChoiceTool;
            NativeStructuredOutput = nativeStructuredOutput;
            MaxOutputTokens = maxOutputTokens;
            Temperature = temperature;
            TopP = topP;
            TopK = topK;
            TopKField = topKField;
            Sampling = sampling;
            PromptCaching = promptCaching;
            LatencyOptimizedRegions = latencyOptimizedRegions;
            InferenceProfileGeos = inferenceProfileGeos;
            ProfileOnly = profileOnly;
            Notes = notes;
        }

        /// <summary>The base model ID.</summary>
        public string Id { get; }

        /// <summary>The model's display name.</summary>
        public string Name { get; }

        /// <summary>The provider prefix of the ID (<c>anthropic</c>, <c>amazon</c>, <c>meta</c>, …).</summary>
        public string Provider { get; }

        /// <summary>Whether ConverseStream is supported.</summary>
        public bool Streaming { get; }

        /// <summary>Whether Converse tool use is supported.</summary>
        public bool ToolUse { get; }

        /// <summary>Whether tool use is supported in ConverseStream.</summary>
        public bool StreamingToolUse { get; }

        /// <summary>Whether a system prompt is accepted.</summary>
        public bool SystemPrompt { get; }

        /// <summary>Whether <c>toolChoice.tool</c> (forcing one named tool) is accepted.</summary>
        public bool ToolChoiceTool { get; }

        /// <summary>Whether <c>outputConfig.textFormat</c> json_schema structured output is accepted.</summary>
        public bool NativeStructuredOutput { get; }

        /// <summary>The most output tokens one response may hold, or <see langword="null"/> where unknown.</summary>
        public int? MaxOutputTokens { get; }

        /// <summary>The accepted temperature range, or <see langword="null"/> where temperature is not accepted.</summary>
        public ValueRange? Temperature { get; }

        /// <summary>The accepted topP range, or <see langword="null"/> where topP is not accepted.</summary>
        public ValueRange? TopP { get; }

        /// <summary>The accepted top-k range, or <see langword="null"/> where top-k cannot be sent.</summary>
        public ValueRange? TopK { get; }

        /// <summary>
        /// Where top-k goes inside <c>additionalModelRequestFields</c>, as a dotted path
        /// (<c>top_k</c> for Claude, <c>inferenceConfig.topK</c> for Nova), or <see langword="null"/>.
        /// </summary>
        public string? TopKField { get; }

        /// <summary>How the model treats temperature and topP together.</summary>
        public SamplingRule Sampling { get; }

        /// <summary>Prompt-caching facts, or <see langword="null"/> where the model has no prompt caching.</summary>
        public PromptCachingSupport? PromptCaching { get; }

        /// <summary>Regions whose cross-Region profile offers latency-optimized inference for this model.</summary>
        public IReadOnlyList<string> LatencyOptimizedRegions { get; }

        /// <summary>Geography prefixes of the cross-Region inference profiles for this model.</summary>
        public IReadOnlyList<string> InferenceProfileGeos { get; }

        /// <summary>Whether the model is reachable only through an inference profile (the base ID is refused on demand).</summary>
        public bool ProfileOnly { get; }

        /// <summary>Sources and the readings taken where sources disagree.</summary>
        public string? Notes { get; }

        /// <summary>Whether temperature may be sent to this model.</summary>
        public bool AcceptsTemperature => Sampling != SamplingRule.None && Temperature != null;

        /// <summary>Whether topP may be sent to this model.</summary>
        public bool AcceptsTopP => Sampling != SamplingRule.None && TopP != null;

        /// <summary>Whether top-k may be sent to this model.</summary>
        public bool AcceptsTopK => Sampling != SamplingRule.None && TopK != null && TopKField != null;

        /// <inheritdoc />
        public override string ToString() => Name + " (" + Id + ")";
    }

    /// <summary>The result of resolving a model identifier against the catalogue.</summary>
    public sealed class ModelResolution
    {
        internal ModelResolution(string modelId, ModelIdKind kind, ModelInfo? model, string? geo)
        {
            ModelId = modelId;
            Kind = kind;
            Model = model;
            Geo = geo;
        }

        /// <summary>The identifier as written.</summary>
        public string ModelId { get; }

        /// <summary>What kind of identifier it is.</summary>
        public ModelIdKind Kind { get; }

        /// <summary>The catalogue model behind the identifier, where one is known.</summary>
        public ModelInfo? Model { get; }

        /// <summary>The inference-profile geography prefix (<c>us</c>, <c>eu</c>, <c>global</c>, …), if any.</summary>
        public string? Geo { get; }

        /// <summary>
        /// Whether catalogue checks (unknown model, capabilities) apply. ARNs (application inference profiles,
        /// provisioned and custom models, prompts) name things the catalogue cannot see, so they are exempt.
        /// </summary>
        public bool IsCheckable => Kind == ModelIdKind.BaseModel || Kind == ModelIdKind.InferenceProfile;
    }

    /// <summary>
    /// The Bedrock model catalogue: capabilities, parameter ranges, output limits and constraints per model.
    /// One data file (models.json) feeds the runtime, the emulator, the generator and the analyzers.
    /// </summary>
    public sealed class ModelCatalog
    {
        private static ModelCatalog? s_default;
        private readonly Dictionary<string, ModelInfo> _byId;
        private readonly HashSet<string> _geos;

        private ModelCatalog(List<ModelInfo> models, List<string> geos)
        {
            Models = models;
            InferenceProfileGeos = geos;
            _byId = new Dictionary<string, ModelInfo>(StringComparer.Ordinal);
            foreach (ModelInfo model in models)
            {
                _byId[model.Id] = model;
            }

            _geos = new HashSet<string>(geos, StringComparer.Ordinal);
        }

        /// <summary>The catalogue shipped with PromptGen.</summary>
        public static ModelCatalog Default => s_default ??= LoadEmbedded();

        /// <summary>Every model in the catalogue.</summary>
        public IReadOnlyList<ModelInfo> Models { get; }

        /// <summary>Geography prefixes of cross-Region inference profile IDs.</summary>
        public IReadOnlyList<string> InferenceProfileGeos { get; }

        /// <summary>Finds a model by its base ID.</summary>
        public ModelInfo? FindBaseModel(string baseModelId) =>
            _byId.TryGetValue(baseModelId, out ModelInfo? model) ? model : null;

        /// <summary>
        /// Resolves a model ID, inference-profile ID or ARN. Profile IDs resolve to their base model; foundation-model
        /// and inference-profile ARNs resolve to their model where it can be read from the ARN, but stay exempt from checks.
        /// </summary>
        public ModelResolution Resolve(string? modelId)
        {
            string id = modelId ?? string.Empty;
            if (id.StartsWith("arn:", StringComparison.Ordinal))
            {
                int slash = id.LastIndexOf('/');
                ModelResolution? inner = slash >= 0 && slash < id.Length - 1 ? Resolve(id.Substring(slash + 1)) : null;
                return new ModelResolution(id, ModelIdKind.Arn, inner?.Model, inner?.Geo);
            }

            if (_byId.TryGetValue(id, out ModelInfo? direct))
            {
                return new ModelResolution(id, ModelIdKind.BaseModel, direct, null);
            }

            int dot = id.IndexOf('.');
            if (dot > 0)
            {
                string geo = id.Substring(0, dot);
                if (_geos.Contains(geo) && _byId.TryGetValue(id.Substring(dot + 1), out ModelInfo? profiled))
                {
                    return new ModelResolution(id, ModelIdKind.InferenceProfile, profiled, geo);
                }
            }

            return new ModelResolution(id, ModelIdKind.Unknown, null, null);
        }

        /// <summary>Parses a catalogue from its JSON text (the models.json format).</summary>
        public static ModelCatalog Parse(string json)
        {
            if (MiniJson.Parse(json) is not Dictionary<string, object?> root)
            {
                throw new FormatException("The model catalogue must be a JSON object.");
            }

            var geos = new List<string>();
            foreach (object? geo in AsList(Get(root, "inferenceProfileGeos")))
            {
                geos.Add((string)geo!);
            }

            var providers = Get(root, "providers") as Dictionary<string, object?> ?? new Dictionary<string, object?>();
            var models = new List<ModelInfo>();
            foreach (object? item in AsList(Get(root, "models")))
            {
                var entry = (Dictionary<string, object?>)item!;
                string id = (string)entry["id"]!;
                string provider = id.Substring(0, id.IndexOf('.'));
                var defaults = providers.TryGetValue(provider, out object? d) && d is Dictionary<string, object?> dict
                    ? dict
                    : new Dictionary<string, object?>();
                models.Add(ReadModel(id, provider, entry, defaults));
            }

            return new ModelCatalog(models, geos);
        }

        private static ModelInfo ReadModel(string id, string provider, Dictionary<string, object?> entry, Dictionary<string, object?> defaults)
        {
            object? Field(string name) => entry.TryGetValue(name, out object? v) ? v : Get(defaults, name);
            bool Flag(string name) => Field(name) is bool b && b;

            int maxCachePoints = Field("maxCachePoints") is double mcp ? (int)mcp : 4;
            PromptCachingSupport? caching = null;
            if (Field("promptCaching") is Dictionary<string, object?> pc && maxCachePoints > 0)
            {
                var ttls = new List<string>();
                foreach (object? ttl in AsList(Get(pc, "ttls")))
                {
                    ttls.Add((string)ttl!);
                }

                caching = new PromptCachingSupport((int)(double)pc["minTokens"]!, ttls, maxCachePoints);
            }

            string sampling = Field("sampling") as string ?? "independent";
            return new ModelInfo(
                id,
                entry.TryGetValue("name", out object? name) && name is string n ? n : id,
                provider,
                Flag("streaming"),
                Flag("toolUse"),
                Flag("toolUse") && Flag("streamingToolUse"),
                Flag("systemPrompt"),
                Flag("toolUse") && Flag("toolChoiceTool"),
                Flag("nativeStructuredOutput"),
                Field("maxOutputTokens") is double max ? (int)max : null,
                Range(Field("temperature")),
                Range(Field("topP")),
                Range(Field("topK")),
                Field("topKField") as string,
                sampling switch
                {
                    "temperatureXorTopP" => SamplingRule.TemperatureXorTopP,
                    "none" => SamplingRule.None,
                    _ => SamplingRule.Independent,
                },
                caching,
                Strings(Field("latencyOptimizedRegions")),
                Strings(Field("geos")),
                Flag("profileOnly"),
                Field("notes") as string);
        }

        private static ValueRange? Range(object? value) =>
            value is List<object?> pair && pair.Count == 2 ? new ValueRange((double)pair[0]!, (double)pair[1]!) : null;

        private static IReadOnlyList<string> Strings(object? value)
        {
            var list = new List<string>();
            foreach (object? item in AsList(value))
            {
                list.Add((string)item!);
            }

            return list;
        }

        private static object? Get(Dictionary<string, object?> dict, string key) => dict.TryGetValue(key, out object? v) ? v : null;

        private static List<object?> AsList(object? value) => value as List<object?> ?? new List<object?>();

        private static ModelCatalog LoadEmbedded()
        {
            using Stream stream = typeof(ModelCatalog).Assembly.GetManifestResourceStream("PromptGen.models.json")
                ?? throw new InvalidOperationException("The embedded model catalogue PromptGen.models.json is missing.");
            using var reader = new StreamReader(stream);
            return Parse(reader.ReadToEnd());
        }
    }
}
