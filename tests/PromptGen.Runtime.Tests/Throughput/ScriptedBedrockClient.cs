using System.Collections.Concurrent;
using System.Runtime.CompilerServices;

namespace PromptGen.Runtime.Tests.Throughput;

/// <summary>
/// An <see cref="IBedrockClient"/> whose calls finish when the test says so: each call takes the next scripted outcome
/// (or waits on a gate the test opens), so concurrency and queueing can be observed without sleeps.
/// </summary>
internal sealed class ScriptedBedrockClient : IBedrockClient
{
    private readonly ConcurrentQueue<Func<Task<ConverseResponse>>> _script = new();
    private int _calls;
    private int _active;
    private int _maxActive;

    public int Calls => Volatile.Read(ref _calls);

    public int Active => Volatile.Read(ref _active);

    public int MaxActive => Volatile.Read(ref _maxActive);

    /// <summary>What a call does when the script is empty (default: answer at once with <paramref name="usage"/> total tokens).</summary>
    public Func<Task<ConverseResponse>> Default { get; set; } = () => Task.FromResult(Response(10));

    /// <summary>Events of a stream call; may throw to simulate a failure.</summary>
    public Func<int, IAsyncEnumerable<ConverseStreamEvent>>? Stream { get; set; }

    public void Then(Func<Task<ConverseResponse>> outcome) => _script.Enqueue(outcome);

    public void ThenThrottle() => Then(() => Task.FromException<ConverseResponse>(new BedrockThrottlingException("Too many requests")));

    public TaskCompletionSource<ConverseResponse> ThenWait()
    {
        var gate = new TaskCompletionSource<ConverseResponse>(TaskCreationOptions.RunContinuationsAsynchronously);
        Then(() => gate.Task);
        return gate;
    }

    public async Task<ConverseResponse> ConverseAsync(string modelId, ConverseRequest request, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _calls);
        int active = Interlocked.Increment(ref _active);
        int max;
        while ((max = Volatile.Read(ref _maxActive)) < active && Interlocked.CompareExchange(ref _maxActive, active, max) != max)
        {
        }

        try
        {
            Func<Task<ConverseResponse>> outcome = _script.TryDequeue(out var scripted) ? scripted : Default;
            return await outcome().WaitAsync(cancellationToken);
        }
        finally
        {
            Interlocked.Decrement(ref _active);
        }
    }

    public async IAsyncEnumerable<ConverseStreamEvent> ConverseStreamAsync(
        string modelId, ConverseRequest request, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        int call = Interlocked.Increment(ref _calls);
        await foreach (ConverseStreamEvent e in (Stream ?? (_ => Events(10)))(call).WithCancellation(cancellationToken))
        {
            yield return e;
        }
    }

    public Task<CountTokensResponse> CountTokensAsync(string modelId, CountTokensRequest request, CancellationToken cancellationToken = default) =>
        Task.FromResult(new CountTokensResponse { InputTokens = 3 });

    public static ConverseResponse Response(int totalTokens) => new()
    {
        Output = new ConverseOutput { Message = Message.Assistant("ok") },
        StopReason = StopReason.EndTurn,
        Usage = new TokenUsage { InputTokens = totalTokens / 2, OutputTokens = totalTokens - totalTokens / 2, TotalTokens = totalTokens },
    };

    public static async IAsyncEnumerable<ConverseStreamEvent> Events(int totalTokens, Func<Task>? beforeMetadata = null)
    {
        yield return new MessageStartEvent();
        yield return new ContentBlockDeltaEvent { Delta = new ContentBlockDelta { Text = "ok" } };
        yield return new MessageStopEvent { StopReason = StopReason.EndTurn };
        if (beforeMetadata is not null)
        {
            await beforeMetadata();
        }

        yield return new MetadataEvent { Usage = new TokenUsage { InputTokens = 1, OutputTokens = totalTokens - 1, TotalTokens = totalTokens } };
    }

    public static ConverseRequest Request(string text = "Hello there", int? maxTokens = 100) => new()
    {
        Messages = [Message.User(text)],
        InferenceConfig = maxTokens is null ? null : new InferenceConfiguration { MaxTokens = maxTokens },
    };
}
