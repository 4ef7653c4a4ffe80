namespace PromptGen.CodeFixes
{
    /// <summary>The analyzer's diagnostic IDs this assembly fixes (a contract, DESIGN.md); kept as strings so the fixes need not load the analyzer.</summary>
    internal static class DiagnosticIds
    {
        public const string TemperatureTooHigh = "PG0001";
        public const string TopPTooHigh = "PG0002";
        public const string MaxTokensOutOfProportion = "PG0003";
        public const string TemperatureAndTopP = "PG0005";
        public const string ParameterNotAccepted = "PG0006";
        public const string UnusedParameter = "PG0011";
        public const string NoCancellationToken = "PG0013";
        public const string LatencyOptimizedUnavailable = "PG0015";
        public const string ResponseCacheNotDeterministic = "PG0016";
    }
}
