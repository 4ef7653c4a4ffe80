using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace PromptGen.Telemetry;

/// <summary>
/// The <see cref="ActivitySource"/> and <see cref="Meter"/> named <c>PromptGen</c>, and the instruments of the OpenTelemetry
/// GenAI semantic conventions (v1.41) that every generated client call reports to. Subscribe with
/// <c>.AddSource("PromptGen")</c> and <c>.AddMeter("PromptGen")</c>; nothing is allocated per call while no one listens.
/// </summary>
internal static class PromptTelemetry
{
    /// <summary>The name of the activity source and of the meter.</summary>
    public const string Name = "PromptGen";

    private static readonly string? s_version = typeof(PromptTelemetry).Assembly.GetName().Version?.ToString(3);

    public static ActivitySource Source { get; } = new(Name, s_version);

    public static Meter Meter { get; } = new(Name, s_version);

    // Bucket advice from the conventions: durations double from 10 ms to 81.92 s, token counts grow fourfold from 1 to 2^26.
    // InstrumentAdvice is new in System.Diagnostics.DiagnosticSource 9: net8.0 gets it from the DiagnosticSource package that
    // Microsoft.Extensions.Logging.Abstractions already brings there (net9.0+ have it in the shared framework).
    private static readonly double[] s_durationBuckets = [0.01, 0.02, 0.04, 0.08, 0.16, 0.32, 0.64, 1.28, 2.56, 5.12, 10.24, 20.48, 40.96, 81.92];
    private static readonly int[] s_tokenBuckets = [1, 4, 16, 64, 256, 1024, 4096, 16384, 65536, 262144, 1048576, 4194304, 16777216, 67108864];

    public static Histogram<double> OperationDuration { get; } = Seconds(
        "gen_ai.client.operation.duration", "GenAI operation duration.");

    public static Histogram<int> TokenUsage { get; } = Meter.CreateHistogram(
        "gen_ai.client.token.usage", "{token}", "Number of input and output tokens used.",
        tags: null, advice: new InstrumentAdvice<int> { HistogramBucketBoundaries = s_tokenBuckets });

    public static Histogram<double> TimeToFirstChunk { get; } = Seconds(
        "gen_ai.client.operation.time_to_first_chunk", "Time to receive the first chunk of a streamed response.");

    public static Histogram<double> TimePerOutputChunk { get; } = Seconds(
        "gen_ai.client.operation.time_per_output_chunk", "Time between consecutive output chunks of a streamed response, after the first.");

    /// <summary>Whether anything would see a call's telemetry (a sampled-in trace listener or an enabled instrument).</summary>
    public static bool IsObserved => Source.HasListeners() || OperationDuration.Enabled || TokenUsage.Enabled
        || TimeToFirstChunk.Enabled || TimePerOutputChunk.Enabled;

    private static Histogram<double> Seconds(string name, string description) =>
        Meter.CreateHistogram(name, "s", description, tags: null, advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = s_durationBuckets });
}

/// <summary>Attribute names and values: the GenAI semantic conventions v1.41, and PromptGen's own under <c>promptgen.*</c>.</summary>
internal static class PromptAttributes
{
    public const string OperationName = "gen_ai.operation.name";
    public const string ProviderName = "gen_ai.provider.name";
    public const string RequestModel = "gen_ai.request.model";
    public const string RequestTemperature = "gen_ai.request.temperature";
    public const string RequestTopP = "gen_ai.request.top_p";
    public const string RequestTopK = "gen_ai.request.top_k";
    public const string RequestMaxTokens = "gen_ai.request.max_tokens";
    public const string RequestStopSequences = "gen_ai.request.stop_sequences";
    public const string RequestStream = "gen_ai.request.stream";
    public const string OutputType = "gen_ai.output.type";
    public const string ResponseFinishReasons = "gen_ai.response.finish_reasons";
    public const string ResponseTimeToFirstChunk = "gen_ai.response.time_to_first_chunk";
    public const string UsageInputTokens = "gen_ai.usage.input_tokens";
    public const string UsageOutputTokens = "gen_ai.usage.output_tokens";
    public const string UsageCacheReadInputTokens = "gen_ai.usage.cache_read.input_tokens";
    public const string UsageCacheCreationInputTokens = "gen_ai.usage.cache_creation.input_tokens";
    public const string TokenType = "gen_ai.token.type";
    public const string InputMessages = "gen_ai.input.messages";
    public const string OutputMessages = "gen_ai.output.messages";
    public const string SystemInstructions = "gen_ai.system_instructions";
    public const string ErrorType = "error.type";
    public const string AwsRequestId = "aws.request_id";

    public const string Interface = "promptgen.interface";
    public const string Method = "promptgen.method";
    public const string UseCase = "promptgen.use_case";
    public const string Variant = "promptgen.variant";
    public const string CacheHit = "promptgen.cache_hit";
    public const string LatencyMode = "promptgen.latency_mode";
    public const string Attempts = "promptgen.attempts";

    public const string Chat = "chat";
    public const string AwsBedrock = "aws.bedrock";
    public const string Input = "input";
    public const string Output = "output";
}
