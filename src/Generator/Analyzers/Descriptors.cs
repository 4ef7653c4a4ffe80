using Microsoft.CodeAnalysis;

namespace PromptGen.Generator.Analyzers
{
    /// <summary>
    /// Every PromptGen diagnostic. IDs, severities and categories are a contract (DESIGN.md); each help link points at
    /// docs/diagnostics/PGxxxx.md. Messages say what to do.
    /// </summary>
    internal static class Descriptors
    {
        /// <summary>The base of every help link; the ID and <c>.md</c> are appended.</summary>
        public const string HelpLinkBase = "https://github.com/promptgen/promptgen/blob/main/docs/diagnostics/";

        /// <summary>Inference parameters that are risky for the use case (PG0001–PG0003, PG0016).</summary>
        public const string ParametersCategory = "PromptGen.Parameters";

        /// <summary>What the model accepts and offers (PG0004–PG0008, PG0014, PG0015, PG0100).</summary>
        public const string ModelCategory = "PromptGen.Model";

        /// <summary>Prompt templates (PG0009–PG0011).</summary>
        public const string TemplateCategory = "PromptGen.Template";

        /// <summary>Prompt interfaces, method signatures and A/B variants (PG0012, PG0013, PG0017, PG0101–PG0103).</summary>
        public const string SignatureCategory = "PromptGen.Signature";

        public static readonly DiagnosticDescriptor TemperatureTooHigh = Create(
            "PG0001", "Temperature too high for the use case",
            "{0} prompts should use temperature ≤ {1}; remove the override to use the preset ({2})",
            ParametersCategory, DiagnosticSeverity.Warning);

        public static readonly DiagnosticDescriptor TopPTooHigh = Create(
            "PG0002", "TopP too high for the use case",
            "{0} prompts should use topP ≤ {1}; remove the override to use the preset ({2})",
            ParametersCategory, DiagnosticSeverity.Warning);

        public static readonly DiagnosticDescriptor MaxTokensOutOfProportion = Create(
            "PG0003", "MaxTokens out of proportion to the use case",
            "{0} prompts should use MaxTokens {1}; remove the override to use the preset ({2})",
            ParametersCategory, DiagnosticSeverity.Info);

        public static readonly DiagnosticDescriptor ValueOutOfRange = Create(
            "PG0004", "Value outside what the model accepts",
            "{0} = {1} is outside what {2} accepts ({3}); use a value in that range",
            ModelCategory, DiagnosticSeverity.Error);

        public static readonly DiagnosticDescriptor TemperatureAndTopP = Create(
            "PG0005", "Model rejects temperature and topP together",
            "{0} accepts temperature or topP, not both; keep only one of Temperature and TopP",
            ModelCategory, DiagnosticSeverity.Error);

        public static readonly DiagnosticDescriptor ParameterNotAccepted = Create(
            "PG0006", "Model does not accept this sampling parameter",
            "{0} does not accept {1}; remove the {1} argument",
            ModelCategory, DiagnosticSeverity.Error);

        public static readonly DiagnosticDescriptor UnknownModel = Create(
            "PG0007", "Model ID not in the catalogue",
            "Model ID '{0}' is not in the PromptGen model catalogue; check the spelling, or use a catalogued base or inference-profile ID, or an ARN",
            ModelCategory, DiagnosticSeverity.Warning);

        public static readonly DiagnosticDescriptor MissingCapability = Create(
            "PG0008", "Model lacks a capability the method needs",
            "{0} does not support {1}, which '{2}' needs; choose a model that supports it or change the method",
            ModelCategory, DiagnosticSeverity.Error);

        public static readonly DiagnosticDescriptor TemplateDoesNotParse = Create(
            "PG0009", "Prompt template does not compile",
            "The template of '{0}' cannot be compiled: {1}",
            TemplateCategory, DiagnosticSeverity.Error);

        public static readonly DiagnosticDescriptor UnknownTemplateVariable = Create(
            "PG0010", "Template names an unknown variable",
            "The template of '{0}' names an unknown variable: {1}",
            TemplateCategory, DiagnosticSeverity.Error);

        public static readonly DiagnosticDescriptor UnusedParameter = Create(
            "PG0011", "Parameter not used by the template",
            "Parameter '{0}' is not used by the template of '{1}'; use it in the template (e.g. {{{{ {0} }}}}) or remove it",
            TemplateCategory, DiagnosticSeverity.Warning);

        public static readonly DiagnosticDescriptor UnsupportedSignature = Create(
            "PG0012", "Unsupported prompt method signature",
            "'{0}' cannot be implemented as a prompt: {1}",
            SignatureCategory, DiagnosticSeverity.Error);

        public static readonly DiagnosticDescriptor NoCancellationToken = Create(
            "PG0013", "Async prompt method takes no CancellationToken",
            "'{0}' takes no CancellationToken; add 'CancellationToken cancellationToken = default' so callers can cancel the Bedrock call",
            SignatureCategory, DiagnosticSeverity.Info);

        public static readonly DiagnosticDescriptor PromptCachingIneffective = Create(
            "PG0014", "Prompt caching has no effect or cannot be used as asked",
            "Prompt caching on '{0}' {1}",
            ModelCategory, DiagnosticSeverity.Warning);

        public static readonly DiagnosticDescriptor LatencyOptimizedUnavailable = Create(
            "PG0015", "Latency-optimized inference not offered",
            "Latency-optimized inference is not offered for '{0}': {1}",
            ModelCategory, DiagnosticSeverity.Warning);

        public static readonly DiagnosticDescriptor ResponseCacheNotDeterministic = Create(
            "PG0016", "Response cache on a non-deterministic prompt",
            "'{0}' caches responses but samples at temperature {1}, so every caller gets one random answer; set Temperature = 0 or remove CacheResponse",
            ParametersCategory, DiagnosticSeverity.Warning);

        public static readonly DiagnosticDescriptor CannotImplementType = Create(
            "PG0017", "Annotated type cannot be implemented",
            "'{0}' cannot get a generated client: {1}; use a non-generic, top-level, public or internal interface",
            SignatureCategory, DiagnosticSeverity.Error);

        public static readonly DiagnosticDescriptor NoModel = Create(
            "PG0100", "Prompt method has no model",
            "'{0}' has no model; write [Prompt(Model = \"...\")] on the method or the interface, or set the MSBuild property PromptGenDefaultModel",
            ModelCategory, DiagnosticSeverity.Error);

        public static readonly DiagnosticDescriptor DuplicateVariant = Create(
            "PG0101", "Duplicate or unnamed A/B variant",
            "'{0}' {1}",
            SignatureCategory, DiagnosticSeverity.Error);

        public static readonly DiagnosticDescriptor InvalidVariantWeight = Create(
            "PG0102", "A/B variant weight is not positive",
            "Weight = {0} of variant '{1}' is not a positive, finite number, so the variant could never be chosen; use a weight above 0 or remove the variant",
            SignatureCategory, DiagnosticSeverity.Error);

        public static readonly DiagnosticDescriptor InvalidVariantKey = Create(
            "PG0103", "Misused [VariantKey] parameter",
            "[VariantKey] parameter '{0}' of '{1}' {2}",
            SignatureCategory, DiagnosticSeverity.Error);

        private static DiagnosticDescriptor Create(string id, string title, string message, string category, DiagnosticSeverity severity) =>
            new(id, title, message, category, severity, isEnabledByDefault: true, helpLinkUri: HelpLinkBase + id + ".md");
    }
}
