namespace PromptGen;

/// <summary>
/// Settings of the response cache registered by <c>services.AddPromptGenResponseCache(...)</c>. The cache's storage
/// (memory, plus any <c>IDistributedCache</c> such as Redis) and size limits are HybridCache's own settings.
/// </summary>
public sealed class PromptResponseCacheOptions
{
    /// <summary>
    /// How long a cached response stays valid when the method does not say (<see cref="PromptAttribute.CacheResponseTtlSeconds"/>).
    /// Default 10 minutes.
    /// </summary>
    public TimeSpan DefaultDuration { get; set; } = TimeSpan.FromMinutes(10);
}
