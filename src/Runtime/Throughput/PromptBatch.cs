using System.Runtime.CompilerServices;
using System.Runtime.ExceptionServices;
using System.Threading.Channels;

namespace PromptGen;

/// <summary>Settings of <see cref="PromptBatch"/>.</summary>
public sealed class PromptBatchOptions
{
    /// <summary>The most items in progress at once (default 8). Put a <see cref="RateLimitedBedrockClient"/> underneath for per-model quotas.</summary>
    public int MaxConcurrency { get; set; } = 8;

    /// <summary>The clock for <see cref="BatchItem{TIn, TOut}.Elapsed"/> (default <see cref="TimeProvider.System"/>).</summary>
    public TimeProvider? TimeProvider { get; set; }
}

/// <summary>The outcome of one input of a batch: its value, or the exception its call ended with.</summary>
/// <typeparam name="TIn">The input type.</typeparam>
/// <typeparam name="TOut">The result type.</typeparam>
public sealed class BatchItem<TIn, TOut>
{
    private readonly TOut _value;

    internal BatchItem(int index, TIn input, TOut value, Exception? exception, TimeSpan elapsed)
    {
        Index = index;
        Input = input;
        _value = value;
        Exception = exception;
        Elapsed = elapsed;
    }

    /// <summary>The input's position in the sequence, from 0.</summary>
    public int Index { get; }

    /// <summary>The input.</summary>
    public TIn Input { get; }

    /// <summary>Whether the call returned a value.</summary>
    public bool Succeeded => Exception is null;

    /// <summary>The exception the call ended with, or <see langword="null"/> when it succeeded.</summary>
    public Exception? Exception { get; }

    /// <summary>How long the call took.</summary>
    public TimeSpan Elapsed { get; }

    /// <summary>The value; rethrows the call's exception (with its original stack trace) if it failed.</summary>
    public TOut Value
    {
        get
        {
            if (Exception is not null)
            {
                ExceptionDispatchInfo.Throw(Exception);
            }

            return _value;
        }
    }

    /// <summary>The value, or <paramref name="fallback"/> if the call failed.</summary>
    /// <param name="fallback">What to return for a failed item.</param>
    public TOut GetValueOrDefault(TOut fallback) => Exception is null ? _value : fallback;
}

/// <summary>The outcomes of a batch, in input order.</summary>
/// <typeparam name="TIn">The input type.</typeparam>
/// <typeparam name="TOut">The result type.</typeparam>
public sealed class PromptBatchResult<TIn, TOut> : IReadOnlyList<BatchItem<TIn, TOut>>
{
    private readonly BatchItem<TIn, TOut>[] _items;

    internal PromptBatchResult(BatchItem<TIn, TOut>[] items, TimeSpan elapsed)
    {
        _items = items;
        Elapsed = elapsed;
        foreach (BatchItem<TIn, TOut> item in items)
        {
            if (!item.Succeeded)
            {
                FailedCount++;
            }
        }
    }

    /// <summary>The number of items.</summary>
    public int Count => _items.Length;

    /// <summary>How many calls failed.</summary>
    public int FailedCount { get; }

    /// <summary>How many calls succeeded.</summary>
    public int SucceededCount => _items.Length - FailedCount;

    /// <summary>How long the whole batch took.</summary>
    public TimeSpan Elapsed { get; }

    /// <summary>The outcome of input number <paramref name="index"/>.</summary>
    /// <param name="index">The input's position.</param>
    public BatchItem<TIn, TOut> this[int index] => _items[index];

    /// <summary>The items that failed, in input order.</summary>
    public IEnumerable<BatchItem<TIn, TOut>> Failures => _items.Where(static i => !i.Succeeded);

    /// <summary>The values in input order; throws an <see cref="AggregateException"/> of every failure if any call failed.</summary>
    public IReadOnlyList<TOut> Values()
    {
        if (FailedCount > 0)
        {
            throw new AggregateException($"{FailedCount} of {Count} batch items failed.", Failures.Select(static i => i.Exception!));
        }

        return _items.Select(static i => i.Value).ToArray();
    }

    /// <inheritdoc />
    public IEnumerator<BatchItem<TIn, TOut>> GetEnumerator() => ((IEnumerable<BatchItem<TIn, TOut>>)_items).GetEnumerator();

    System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
}

/// <summary>
/// Runs a generated prompt method (or any async call) over many inputs with bounded concurrency. Every input gets an
/// outcome: one failure does not lose or stop the rest. Inputs are read lazily, as capacity frees up.
/// </summary>
/// <example>
/// <code>
/// PromptBatchResult&lt;string, DocumentKind&gt; kinds = await PromptBatch.RunAsync(
///     documents, (text, ct) =&gt; reader.ClassifyAsync(text, ct), new PromptBatchOptions { MaxConcurrency = 16 });
/// foreach (var item in kinds.Failures) Console.WriteLine($"#{item.Index}: {item.Exception!.Message}");
/// </code>
/// </example>
public static class PromptBatch
{
    /// <summary>Calls <paramref name="call"/> for every input, at most <see cref="PromptBatchOptions.MaxConcurrency"/> at once; outcomes in input order.</summary>
    /// <typeparam name="TIn">The input type.</typeparam>
    /// <typeparam name="TOut">The result type.</typeparam>
    /// <param name="inputs">The inputs.</param>
    /// <param name="call">The call for one input; it receives the batch's cancellation token.</param>
    /// <param name="options">Concurrency and clock; default 8 at once.</param>
    /// <param name="cancellationToken">Cancels the batch: calls in progress see it, and the batch throws <see cref="OperationCanceledException"/>.</param>
    public static async Task<PromptBatchResult<TIn, TOut>> RunAsync<TIn, TOut>(
        IEnumerable<TIn> inputs, Func<TIn, CancellationToken, Task<TOut>> call, PromptBatchOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentNullException.ThrowIfNull(call);
        TimeProvider time = options?.TimeProvider ?? TimeProvider.System;
        long start = time.GetTimestamp();
        var items = new List<BatchItem<TIn, TOut>?>();
        await foreach (BatchItem<TIn, TOut> item in StreamAsync(inputs, call, options, cancellationToken).ConfigureAwait(false))
        {
            while (items.Count <= item.Index)
            {
                items.Add(null);
            }

            items[item.Index] = item;
        }

        return new PromptBatchResult<TIn, TOut>(items.Select(static i => i!).ToArray(), time.GetElapsedTime(start));
    }

    /// <summary>
    /// Like <see cref="RunAsync{TIn, TOut}"/>, but yields each outcome as soon as its call completes (completion order;
    /// <see cref="BatchItem{TIn, TOut}.Index"/> says which input it belongs to). Stopping the enumeration cancels the calls in progress.
    /// </summary>
    /// <typeparam name="TIn">The input type.</typeparam>
    /// <typeparam name="TOut">The result type.</typeparam>
    /// <param name="inputs">The inputs.</param>
    /// <param name="call">The call for one input.</param>
    /// <param name="options">Concurrency and clock; default 8 at once.</param>
    /// <param name="cancellationToken">Cancels the batch.</param>
    public static async IAsyncEnumerable<BatchItem<TIn, TOut>> StreamAsync<TIn, TOut>(
        IEnumerable<TIn> inputs, Func<TIn, CancellationToken, Task<TOut>> call, PromptBatchOptions? options = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentNullException.ThrowIfNull(call);
        int concurrency = options?.MaxConcurrency ?? 8;
        if (concurrency < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(options), concurrency, "PromptBatchOptions.MaxConcurrency must be at least 1.");
        }

        TimeProvider time = options?.TimeProvider ?? TimeProvider.System;
        var results = Channel.CreateBounded<BatchItem<TIn, TOut>>(new BoundedChannelOptions(concurrency) { SingleReader = true });
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        Task producer = ProduceAsync();
        try
        {
            await foreach (BatchItem<TIn, TOut> item in results.Reader.ReadAllAsync(stop.Token).ConfigureAwait(false))
            {
                yield return item;
            }

            await producer.ConfigureAwait(false);
        }
        finally
        {
            stop.Cancel();
            try
            {
                await producer.ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
            }
        }

        async Task ProduceAsync()
        {
            try
            {
                var parallel = new ParallelOptions { MaxDegreeOfParallelism = concurrency, CancellationToken = stop.Token };
                await Parallel.ForEachAsync(inputs.Select(static (input, index) => (input, index)), parallel, async (entry, token) =>
                {
                    long started = time.GetTimestamp();
                    TOut value = default!;
                    Exception? failure = null;
                    try
                    {
                        value = await call(entry.input, token).ConfigureAwait(false);
                    }
                    catch (OperationCanceledException) when (token.IsCancellationRequested)
                    {
                        throw;
                    }
                    catch (Exception ex)
                    {
                        failure = ex;
                    }

                    await results.Writer.WriteAsync(new BatchItem<TIn, TOut>(entry.index, entry.input, value, failure, time.GetElapsedTime(started)), token).ConfigureAwait(false);
                }).ConfigureAwait(false);
                results.Writer.TryComplete();
            }
            catch (Exception ex)
            {
                results.Writer.TryComplete(ex);
                throw;
            }
        }
    }
}
