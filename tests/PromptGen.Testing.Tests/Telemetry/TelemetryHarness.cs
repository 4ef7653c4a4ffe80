using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.Extensions.Logging;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace PromptGen.Testing.Tests.Telemetry;

public enum Priority
{
    Low,
    Normal,
    High,
}

public sealed record TicketFields(string Customer, string Product);

/// <summary>The generated client the telemetry tests observe; its name keeps other tests' calls out of their data.</summary>
[Prompt(UseCase = UseCase.Summarization, Model = "us.amazon.nova-pro-v1:0")]
[SystemPrompt("You summarize support tickets.")]
public interface ITicketDesk
{
    [Prompt(MaxTokens = 300, TopK = 40, StopSequences = new[] { "END" })]
    [UserPrompt("Summarize ticket:\n{{ ticket }}")]
    Task<PromptResult<string>> SummarizeAsync(string ticket, CancellationToken cancellationToken = default);

    [UserPrompt("Summarize ticket:\n{{ ticket }}")]
    IAsyncEnumerable<string> StreamSummaryAsync(string ticket, CancellationToken cancellationToken = default);

    [Prompt(UseCase = UseCase.Classification, Model = "us.anthropic.claude-haiku-4-5-20251001-v1:0", CacheResponse = true)]
    [UserPrompt("Priority of this ticket, one word:\n{{ ticket }}")]
    Task<PromptResult<Priority>> PriorityAsync(string ticket, CancellationToken cancellationToken = default);

    [Prompt(UseCase = UseCase.Extraction, Model = "us.anthropic.claude-haiku-4-5-20251001-v1:0")]
    [UserPrompt("Extract the ticket's fields:\n{{ ticket }}")]
    Task<TicketFields> ExtractAsync(string ticket, CancellationToken cancellationToken = default);
}

/// <summary>
/// OpenTelemetry SDK providers with in-memory exporters for the <c>PromptGen</c> source and meter, as an application would
/// wire them. Listeners are process-wide, so the tests look only at data of their own <see cref="ITicketDesk"/> method,
/// inside their own trace.
/// </summary>
internal sealed class TelemetryHarness : IDisposable
{
    private static readonly ActivitySource s_testSource = new("PromptGen.Testing.Tests.Telemetry");

    private readonly TracerProvider _tracer;
    private readonly MeterProvider _meter;
    private readonly List<Activity> _spans = [];
    private readonly List<MetricSnapshot> _metrics = [];
    private readonly Activity _root;

    public TelemetryHarness()
    {
        _tracer = Sdk.CreateTracerProviderBuilder()
            .AddSource("PromptGen", s_testSource.Name)
            .SetSampler(new AlwaysOnSampler())
            .AddInMemoryExporter(_spans)
            .Build();
        _meter = Sdk.CreateMeterProviderBuilder()
            .AddMeter("PromptGen")
            .AddInMemoryExporter(_metrics)
            .Build();
        // Every call of a test runs under this root, so its spans are told apart from other tests' by trace ID.
        _root = s_testSource.StartActivity("test")!;
    }

    /// <summary>The PromptGen spans of this test's trace, in the order they ended.</summary>
    public IReadOnlyList<Activity> Spans
    {
        get
        {
            _tracer.ForceFlush();
            lock (_spans)
            {
                return _spans.Where(s => s.Source.Name == "PromptGen" && s.TraceId == _root.TraceId).ToList();
            }
        }
    }

    /// <summary>The call spans (<c>chat {model}</c>) of this test's trace.</summary>
    public IReadOnlyList<Activity> CallSpans => Spans.Where(s => s.OperationName.StartsWith("chat ", StringComparison.Ordinal)).ToList();

    public IReadOnlyList<Activity> ChildrenOf(Activity parent) => Spans.Where(s => s.ParentSpanId == parent.SpanId).ToList();

    /// <summary>The points of one metric whose <c>promptgen.method</c> is <paramref name="method"/>.</summary>
    public IReadOnlyList<(MetricSnapshot Metric, MetricPoint Point, Dictionary<string, object?> Tags)> Points(string metric, string method)
    {
        lock (_metrics)
        {
            _metrics.Clear();
        }

        _meter.ForceFlush();
        var found = new List<(MetricSnapshot, MetricPoint, Dictionary<string, object?>)>();
        lock (_metrics)
        {
            foreach (MetricSnapshot snapshot in _metrics.Where(m => m.Name == metric))
            {
                foreach (MetricPoint point in snapshot.MetricPoints)
                {
                    var tags = new Dictionary<string, object?>(StringComparer.Ordinal);
                    foreach (KeyValuePair<string, object?> tag in point.Tags)
                    {
                        tags[tag.Key] = tag.Value;
                    }

                    if (tags.TryGetValue("promptgen.interface", out object? i) && (string?)i == nameof(ITicketDesk)
                        && tags.TryGetValue("promptgen.method", out object? m) && (string?)m == method)
                    {
                        found.Add((snapshot, point, tags));
                    }
                }
            }
        }

        return found;
    }

    public void Dispose()
    {
        _root.Stop();
        _tracer.Dispose();
        _meter.Dispose();
    }
}

/// <summary>An <see cref="ILoggerProvider"/> that keeps every message, its structured state and its exception.</summary>
internal sealed class CapturingLoggerProvider : ILoggerProvider
{
    public ConcurrentQueue<CapturedLog> Logs { get; } = new();

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void Dispose()
    {
    }

    private sealed class Logger(CapturingLoggerProvider provider, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var values = new Dictionary<string, object?>(StringComparer.Ordinal);
            if (state is IEnumerable<KeyValuePair<string, object?>> pairs)
            {
                foreach (KeyValuePair<string, object?> pair in pairs)
                {
                    values[pair.Key] = pair.Value;
                }
            }

            provider.Logs.Enqueue(new CapturedLog(category, logLevel, eventId, formatter(state, exception), values, exception));
        }
    }
}

internal sealed record CapturedLog(string Category, LogLevel Level, EventId EventId, string Message, Dictionary<string, object?> State, Exception? Exception);
