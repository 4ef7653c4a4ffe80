using System.Runtime.ExceptionServices;

namespace PromptGen;

/// <summary>How a fan-out branch ended.</summary>
public enum FanOutBranchStatus
{
    /// <summary>It returned a value.</summary>
    Succeeded,

    /// <summary>It threw.</summary>
    Failed,

    /// <summary>It was cancelled because another branch failed (<see cref="PromptFanOut.CancelRemainingOnFailure"/>) before finishing.</summary>
    Canceled,

    /// <summary>It never started: another branch failed while it waited for a concurrency slot.</summary>
    NotStarted,
}

/// <summary>A handle to one branch of a <see cref="PromptFanOut"/>, typed by its result; pass it to <see cref="FanOutResult.Get{T}(FanOutBranch{T})"/>.</summary>
/// <typeparam name="T">The branch's result type.</typeparam>
public sealed class FanOutBranch<T>
{
    internal FanOutBranch(string name, int index)
    {
        Name = name;
        Index = index;
    }

    /// <summary>The branch's name.</summary>
    public string Name { get; }

    internal int Index { get; }

    /// <inheritdoc />
    public override string ToString() => Name;
}

/// <summary>The outcome of one branch.</summary>
public sealed class FanOutBranchResult
{
    internal FanOutBranchResult(string name, FanOutBranchStatus status, object? value, Exception? exception, TimeSpan elapsed)
    {
        Name = name;
        Status = status;
        BoxedValue = value;
        Exception = exception;
        Elapsed = elapsed;
    }

    /// <summary>The branch's name.</summary>
    public string Name { get; }

    /// <summary>How it ended.</summary>
    public FanOutBranchStatus Status { get; }

    /// <summary>Whether it returned a value.</summary>
    public bool Succeeded => Status == FanOutBranchStatus.Succeeded;

    /// <summary>The exception it ended with (an <see cref="OperationCanceledException"/> when cancelled or never started), or <see langword="null"/>.</summary>
    public Exception? Exception { get; }

    /// <summary>How long the branch ran (zero if it never started).</summary>
    public TimeSpan Elapsed { get; }

    /// <summary>The value, boxed; <see langword="null"/> unless it succeeded. Prefer <see cref="FanOutResult.Get{T}(FanOutBranch{T})"/>.</summary>
    public object? BoxedValue { get; }
}

/// <summary>The outcomes of a fan-out: every branch's value or exception and elapsed time, and the total time.</summary>
public class FanOutResult
{
    private readonly FanOutBranchResult[] _branches;

    internal FanOutResult(FanOutBranchResult[] branches, TimeSpan total)
    {
        _branches = branches;
        Total = total;
    }

    /// <summary>The branches, in the order they were added.</summary>
    public IReadOnlyList<FanOutBranchResult> Branches => _branches;

    /// <summary>Wall-clock time from the start of the first branch to the end of the last (plus the aggregate step, if any).</summary>
    public TimeSpan Total { get; internal set; }

    /// <summary>The longest branch time: with enough concurrency, <see cref="Total"/> is close to it.</summary>
    public TimeSpan Slowest => _branches.Length == 0 ? TimeSpan.Zero : _branches.Max(static b => b.Elapsed);

    /// <summary>Whether every branch succeeded.</summary>
    public bool AllSucceeded => _branches.All(static b => b.Succeeded);

    /// <summary>The branch named <paramref name="name"/>.</summary>
    /// <param name="name">The branch name.</param>
    /// <exception cref="KeyNotFoundException">No branch has that name.</exception>
    public FanOutBranchResult this[string name] =>
        Array.Find(_branches, b => string.Equals(b.Name, name, StringComparison.Ordinal)) ?? throw new KeyNotFoundException($"No fan-out branch is named '{name}'.");

    /// <summary>The value of <paramref name="branch"/>; rethrows its exception (original stack trace) if it did not succeed.</summary>
    /// <typeparam name="T">The branch's result type.</typeparam>
    /// <param name="branch">The handle <see cref="PromptFanOut.Add{T}"/> returned.</param>
    public T Get<T>(FanOutBranch<T> branch)
    {
        ArgumentNullException.ThrowIfNull(branch);
        FanOutBranchResult result = _branches[branch.Index];
        if (!result.Succeeded)
        {
            ExceptionDispatchInfo.Throw(result.Exception!);
        }

        return (T)result.BoxedValue!;
    }

    /// <summary>The value of <paramref name="branch"/> if it succeeded.</summary>
    /// <typeparam name="T">The branch's result type.</typeparam>
    /// <param name="branch">The branch handle.</param>
    /// <param name="value">The value, when it succeeded.</param>
    public bool TryGet<T>(FanOutBranch<T> branch, out T value)
    {
        ArgumentNullException.ThrowIfNull(branch);
        FanOutBranchResult result = _branches[branch.Index];
        value = result.Succeeded ? (T)result.BoxedValue! : default!;
        return result.Succeeded;
    }

    /// <summary>Throws an <see cref="AggregateException"/> of the branches' exceptions unless all succeeded.</summary>
    public void ThrowIfAnyFailed()
    {
        if (!AllSucceeded)
        {
            throw new AggregateException(
                "Fan-out branches failed: " + string.Join(", ", _branches.Where(static b => !b.Succeeded).Select(static b => $"{b.Name} ({b.Status})")),
                _branches.Where(static b => b.Exception is not null).Select(static b => b.Exception!));
        }
    }
}

/// <summary>A <see cref="FanOutResult"/> with the value of the aggregate step.</summary>
/// <typeparam name="TAggregate">The aggregate's type.</typeparam>
public sealed class FanOutResult<TAggregate> : FanOutResult
{
    internal FanOutResult(FanOutResult branches, TAggregate value, TimeSpan aggregateElapsed)
        : base((FanOutBranchResult[])branches.Branches, branches.Total + aggregateElapsed)
    {
        Value = value;
        AggregateElapsed = aggregateElapsed;
    }

    /// <summary>What the aggregate step returned.</summary>
    public TAggregate Value { get; }

    /// <summary>How long the aggregate step took (included in <see cref="FanOutResult.Total"/>).</summary>
    public TimeSpan AggregateElapsed { get; }
}

/// <summary>
/// Runs named branches concurrently — typically one query sent to several models, or one question split into
/// sub-queries — and aggregates their results; the total time is about the slowest branch's. Add branches, then run;
/// a fan-out can run again (each run calls every branch afresh).
/// </summary>
/// <example>
/// <code>
/// var fanOut = new PromptFanOut { CancelRemainingOnFailure = true };
/// FanOutBranch&lt;string&gt; haiku = fanOut.Add("haiku", ct =&gt; fast.SummarizeAsync(text, ct));
/// FanOutBranch&lt;Invoice&gt; fields = fanOut.Add("fields", ct =&gt; reader.ExtractAsync(text, ct));
/// FanOutResult&lt;Report&gt; report = await fanOut.RunAsync(r =&gt; new Report(r.Get(haiku), r.Get(fields)), cancellationToken);
/// Console.WriteLine($"{report.Total} total; slowest branch {report.Slowest}");
/// </code>
/// </example>
public sealed class PromptFanOut
{
    private readonly List<(string Name, Func<CancellationToken, Task<object?>> Run)> _branches = new();

    /// <summary>The most branches running at once; unset (the default) runs them all together.</summary>
    public int? MaxConcurrency { get; set; }

    /// <summary>Whether the first failure cancels the branches still running and skips those not started (default <see langword="false"/>: every branch runs to its end).</summary>
    public bool CancelRemainingOnFailure { get; set; }

    /// <summary>The clock for elapsed times (default <see cref="TimeProvider.System"/>).</summary>
    public TimeProvider? TimeProvider { get; set; }

    /// <summary>The names of the branches added so far.</summary>
    public IReadOnlyList<string> BranchNames => _branches.Select(static b => b.Name).ToArray();

    /// <summary>Adds a branch.</summary>
    /// <typeparam name="T">The branch's result type.</typeparam>
    /// <param name="name">A name unique in this fan-out (used in results and messages).</param>
    /// <param name="call">The branch; it receives a token cancelled by the caller, or by another branch's failure with <see cref="CancelRemainingOnFailure"/>.</param>
    /// <returns>A typed handle for reading the branch's value from the result.</returns>
    public FanOutBranch<T> Add<T>(string name, Func<CancellationToken, Task<T>> call)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(call);
        if (_branches.Exists(b => string.Equals(b.Name, name, StringComparison.Ordinal)))
        {
            throw new ArgumentException($"A fan-out branch named '{name}' already exists.", nameof(name));
        }

        _branches.Add((name, async ct => await call(ct).ConfigureAwait(false)));
        return new FanOutBranch<T>(name, _branches.Count - 1);
    }

    /// <summary>Runs every branch and returns their outcomes; a branch's failure is in its result, not thrown.</summary>
    /// <param name="cancellationToken">Cancels every branch; the run then throws <see cref="OperationCanceledException"/>.</param>
    public async Task<FanOutResult> RunAsync(CancellationToken cancellationToken = default)
    {
        if (MaxConcurrency is < 1)
        {
            throw new InvalidOperationException("PromptFanOut.MaxConcurrency must be at least 1 (or unset).");
        }

        TimeProvider time = TimeProvider ?? TimeProvider.System;
        var branches = _branches.ToArray();
        var results = new FanOutBranchResult[branches.Length];
        using var cancelRest = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var slots = MaxConcurrency is int max && max < branches.Length ? new SemaphoreSlim(max, max) : null;
        long start = time.GetTimestamp();

        var running = new Task[branches.Length];
        for (int i = 0; i < branches.Length; i++)
        {
            running[i] = RunBranchAsync(i);
        }

        await Task.WhenAll(running).ConfigureAwait(false);
        TimeSpan total = time.GetElapsedTime(start);
        cancellationToken.ThrowIfCancellationRequested();
        return new FanOutResult(results, total);

        async Task RunBranchAsync(int i)
        {
            (string name, Func<CancellationToken, Task<object?>> run) = branches[i];
            CancellationToken token = cancelRest.Token;
            if (slots is not null)
            {
                try
                {
                    await slots.WaitAsync(token).ConfigureAwait(false);
                }
                catch (OperationCanceledException ex)
                {
                    results[i] = new FanOutBranchResult(name, FanOutBranchStatus.NotStarted, null, ex, TimeSpan.Zero);
                    return;
                }

                // A cancelled branch that releases its slot from inside Cancel() can hand that slot to a waiter
                // whose own cancellation has not run yet; a branch that had not started must not start now.
                if (token.IsCancellationRequested)
                {
                    slots.Release();
                    results[i] = new FanOutBranchResult(name, FanOutBranchStatus.NotStarted, null, new OperationCanceledException(token), TimeSpan.Zero);
                    return;
                }
            }

            long started = time.GetTimestamp();
            try
            {
                // Yield first so a branch that blocks before its first await does not hold up the others' start.
                await Task.Yield();
                object? value = await run(token).ConfigureAwait(false);
                results[i] = new FanOutBranchResult(name, FanOutBranchStatus.Succeeded, value, null, time.GetElapsedTime(started));
            }
            catch (OperationCanceledException ex) when (token.IsCancellationRequested)
            {
                results[i] = new FanOutBranchResult(name, FanOutBranchStatus.Canceled, null, ex, time.GetElapsedTime(started));
            }
            catch (Exception ex)
            {
                results[i] = new FanOutBranchResult(name, FanOutBranchStatus.Failed, null, ex, time.GetElapsedTime(started));
                if (CancelRemainingOnFailure)
                {
                    cancelRest.Cancel();
                }
            }
            finally
            {
                slots?.Release();
            }
        }
    }

    /// <summary>Runs every branch, then <paramref name="aggregate"/> over the outcomes (it decides what a failed branch means, e.g. by calling <see cref="FanOutResult.Get{T}(FanOutBranch{T})"/>, which rethrows).</summary>
    /// <typeparam name="TAggregate">The aggregate's type.</typeparam>
    /// <param name="aggregate">Combines the branch results.</param>
    /// <param name="cancellationToken">Cancels every branch.</param>
    public async Task<FanOutResult<TAggregate>> RunAsync<TAggregate>(Func<FanOutResult, TAggregate> aggregate, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(aggregate);
        FanOutResult branches = await RunAsync(cancellationToken).ConfigureAwait(false);
        TimeProvider time = TimeProvider ?? TimeProvider.System;
        long start = time.GetTimestamp();
        TAggregate value = aggregate(branches);
        return new FanOutResult<TAggregate>(branches, value, time.GetElapsedTime(start));
    }

    /// <summary>Runs every branch, then the asynchronous <paramref name="aggregate"/> (for example one more model call that merges the answers).</summary>
    /// <typeparam name="TAggregate">The aggregate's type.</typeparam>
    /// <param name="aggregate">Combines the branch results.</param>
    /// <param name="cancellationToken">Cancels the branches and the aggregate step.</param>
    public async Task<FanOutResult<TAggregate>> RunAsync<TAggregate>(Func<FanOutResult, CancellationToken, Task<TAggregate>> aggregate, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(aggregate);
        FanOutResult branches = await RunAsync(cancellationToken).ConfigureAwait(false);
        TimeProvider time = TimeProvider ?? TimeProvider.System;
        long start = time.GetTimestamp();
        TAggregate value = await aggregate(branches, cancellationToken).ConfigureAwait(false);
        return new FanOutResult<TAggregate>(branches, value, time.GetElapsedTime(start));
    }
}
