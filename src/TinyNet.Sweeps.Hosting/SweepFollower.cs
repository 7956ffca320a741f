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
    /// Hands every result of the sweep from <paramref name="firstCursor"/> on to <paramref name="onResult"/>, in the order the
    /// coordinator recorded them. Returns true when the sweep is over, false when <paramref name="cancellationToken"/>
    /// fired first (the sweep itself goes on).
    /// </summary>
    public static async Task<bool> FollowAsync(
        ISweepCoordinatorGrain coordinator, Action<TrialResult> onResult, IProgress<SweepProgress>? progress,
        CancellationToken cancellationToken, int firstCursor = 0)
    {
        int cursor = firstCursor;
        while (true)
        {
            var current = await coordinator.GetProgress(cursor, LongPoll);
            foreach (var result in current.NewResults) onResult(result);
            cursor = current.Cursor;
            progress?.Report(current);
            if (current.IsOver) return true;
            if (cancellationToken.IsCancellationRequested) return false;
        }
    }

    /// <summary>Every result and the ranking of a sweep, written as the embedded run writes them.</summary>
    public static async Task<SweepProgress> ExportAsync(ISweepCoordinatorGrain coordinator, SweepInfo info, ResultsFolderLock output)
    {
        var all = await coordinator.GetProgress(0, TimeSpan.Zero);
        TrialLog.WriteAll(output, all.NewResults, info.Labels);
        RankingExporter.WriteAll(await coordinator.GetRanking(), output);
        return all;
    }
}
