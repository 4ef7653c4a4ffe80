using Microsoft.Extensions.Caching.Hybrid;
using Microsoft.Extensions.Logging;

namespace PromptGen;

/// <summary>
/// What a generated prompt client uses beyond the Bedrock client: the response cache behind
/// <see cref="PromptAttribute.CacheResponse"/>, logging, and whether prompt and response content may be recorded. Pass it
/// as the generated constructor's second argument (<c>new InvoiceReaderClient(bedrock, options)</c>); with dependency
/// injection, <c>services.AddPromptGen(...)</c> builds it from the container.
/// </summary>
/// <remarks>Instances are immutable once built, so one instance can serve every client.</remarks>
public sealed class PromptClientOptions
{
    /// <summary>Options with nothing configured: no response cache, no logging, no content recorded.</summary>
    public static PromptClientOptions Default { get; } = new();

    /// <summary>
    /// The cache of whole responses for methods with <see cref="PromptAttribute.CacheResponse"/>. <see langword="null"/>
    /// (the default) turns response caching off: such methods call Bedrock every time. Use the
    /// <see cref="HybridCache"/> from dependency injection (in memory, plus Redis or any <c>IDistributedCache</c> shared
    /// between instances), with stampede protection: concurrent identical calls make one Bedrock request.
    /// </summary>
    public HybridCache? ResponseCache { get; init; }

    /// <summary>
    /// How long a cached response stays valid when the method does not say (<see cref="PromptAttribute.CacheResponseTtlSeconds"/>).
    /// Default 10 minutes.
    /// </summary>
    public TimeSpan ResponseCacheDuration { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>
    /// The prices behind <see cref="PromptResult{T}.EstimatedCost"/>: <see cref="ModelPrices.Default"/> (Bedrock's on-demand
    /// list prices for common models) unless set. Use <c>ModelPrices.Default.With(...)</c> to add or override models.
    /// </summary>
    public ModelPrices Prices { get; init; } = ModelPrices.Default;

    /// <summary>Where log messages go; <see langword="null"/> (the default) logs nothing. Credentials are never logged.</summary>
    public ILoggerFactory? LoggerFactory { get; init; }

    /// <summary>
    /// Whether prompt and response text may appear in logs and telemetry. Off by default: prompts often carry personal
    /// or confidential data, so recording them is an explicit choice.
    /// </summary>
    public bool RecordContent { get; init; }
}
