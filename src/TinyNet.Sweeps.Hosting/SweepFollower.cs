using TinyNet.Sweeps.Abstractions;
using TinyNet.Sweeps.Domain.Export;
using TinyNet.Sweeps.Domain.Trials;

namespace TinyNet.Sweeps.Hosting;

/// <summary>Follows a running sweep from a client: long-polls its coordinator and hands each new result on.</summary>
public static class SweepFollower
{
    /// <summary>How long one progress call may wait for news; well under Orleans' 30 s response timeout.</summary>
    private static readonly TimeSpan LongPoll = TimeSpan.FromSeconds(1);

    /// <summary>
    /// How long results gather after a poll that brought some: a call and a write per batch of results rather than per
    /// result when trials finish fast, and still a live view (at most this late).
    /// </summary>
    private static readonly TimeSpan GatherWindow = TimeSpan.FromMilliseconds(20);

    /// <summary>
    /// Hands every result of the sweep from <paramref name="firstCursor"/> on to <paramref name="onResult"/>, each once, in the
    /// order the coordinator recorded them. Returns true when the sweep is over, false when <paramref name="cancellationToken"/>
    /// fired first (the sweep itself goes on).
    /// </summary>
    public static Task<bool> FollowAsync(
        ISweepCoordinatorGrain coordinator, Action<TrialResult> onResult, IProgress<SweepProgress>? progress,
        CancellationToken cancellationToken, int firstCursor = 0) =>
        FollowAsync(coordinator, (IReadOnlyList<TrialResult> results) => { foreach (var result in results) onResult(result); },
            progress, cancellationToken, firstCursor);

    /// <summary>As above, with the results each progress call brought in one batch (for one write of many records).</summary>
    /// <param name="handedOn">The trials already handed on, to skip; pass the same set to a follow that goes on from an
    /// earlier one, so that each trial is handed on once across both.</param>
    public static async Task<bool> FollowAsync(
        ISweepCoordinatorGrain coordinator, Action<IReadOnlyList<TrialResult>> onResults, IProgress<SweepProgress>? progress,
        CancellationToken cancellationToken, int firstCursor = 0, ISet<string>? handedOn = null)
    {
        int cursor = firstCursor;
        string? activation = null;
        handedOn ??= new HashSet<string>();
        while (true)
        {
            var current = await ProgressAsync(coordinator, cursor, cancellationToken);
            if (current is null) return false;
            // A coordinator that does not know its sweep: the cluster's state was lost (its Redis restarted empty).
            if (current.State == SweepState.NotStarted) throw new SweepStateLostException(coordinator.GetPrimaryKeyString());
            if (activation is not null && current.Activation != activation)
            {
                // The coordinator was reactivated (its silo was lost): it has recorded the results again, in another order,
                // so the cursor into the old order could skip some. Read them all again; those already handed on are skipped.
                activation = current.Activation;
                cursor = 0;
                continue;
            }
            activation = current.Activation;
            var fresh = current.NewResults.Where(r => handedOn.Add(r.Trial.Id)).ToList();
            if (fresh.Count > 0) onResults(fresh);
            cursor = current.Cursor;
            progress?.Report(current);
            // Over once the sweep is and every result has been handed on (a client far behind catches up in pages).
            if (current.IsOver && cursor >= current.Finished) return true;
            if (cancellationToken.IsCancellationRequested) return false;
            if (current.NewResults.Count > 0)
            {
                try { await Task.Delay(GatherWindow, cancellationToken); }
                catch (OperationCanceledException) { return false; }
            }
        }
    }

    /// <summary>How long a follower keeps asking a cluster that does not answer (its gateway silo restarting, a failover).</summary>
    public static readonly TimeSpan ReconnectPatience = TimeSpan.FromSeconds(90);

    /// <summary>
    /// One progress call, asked again while the cluster does not answer (the sweep goes on without this client) for up to
    /// <see cref="ReconnectPatience"/>; null when <paramref name="cancellationToken"/> fired meanwhile.
    /// </summary>
    private static async Task<SweepProgress?> ProgressAsync(ISweepCoordinatorGrain coordinator, int cursor, CancellationToken cancellationToken)
    {
        var giveUpAt = DateTime.UtcNow + ReconnectPatience;
        while (true)
        {
            try
            {
                return await coordinator.GetProgress(cursor, LongPoll);
            }
            catch (Exception) when (DateTime.UtcNow < giveUpAt && !cancellationToken.IsCancellationRequested)
            {
                try { await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken); }
                catch (OperationCanceledException) { return null; }
            }
        }
    }

    /// <summary>
    /// Every result and the ranking of a sweep, written as the embedded run writes them, a page at a time as they come (a
    /// coordinator hands over at most a few thousand a call): a client exporting 100,000 trials never holds them all.
    /// Returns the last progress, its <see cref="SweepProgress.Cursor"/> the count of results written.
    /// </summary>
    public static async Task<SweepProgress> ExportAsync(ISweepCoordinatorGrain coordinator, SweepInfo info, ResultsFolderLock output)
    {
        SweepProgress page;
        using (var log = TrialLog.Replace(output))
        {
            int written = 0;
            string? activation = null;
            while (true)
            {
                page = await coordinator.GetProgress(written, TimeSpan.Zero);
                if (activation is not null && page.Activation != activation)
                {
                    // Reactivated meanwhile: its pages are in another order; write them again from the first.
                    log.Restart();
                    written = 0;
                    activation = page.Activation;
                    continue;
                }
                activation = page.Activation;
                log.Append(page.NewResults, info.Labels);
                written += page.NewResults.Count;
                if (page.NewResults.Count == 0 || written >= page.Finished) break;
            }
            log.Complete();
            page = page with { NewResults = [], Cursor = written };
        }
        await RankingReader.ExportAsync(coordinator, output, top: 0);
        return page;
    }
}

/// <summary>The cluster no longer knows a sweep it was running: its state in Redis is gone.</summary>
public sealed class SweepStateLostException(string sweepId) : Exception(
    $"Sweep {sweepId} is gone from the cluster: its state in Redis was lost (Redis restarted empty or was flushed; keep Redis " +
    "persistence on, as deploy/ does). Submit the sweep file again (tinynet-sweeps submit FILE --wait); the results this client " +
    "already wrote stay in their folder.")
{
    public string SweepId { get; } = sweepId;
}
