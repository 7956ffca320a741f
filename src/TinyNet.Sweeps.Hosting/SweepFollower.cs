using TinyNet.Sweeps.Abstractions;
using TinyNet.Sweeps.Domain.Export;

namespace TinyNet.Sweeps.Hosting;

/// <summary>Follows a running sweep from a client: long-polls its coordinator and hands each new result on.</summary>
public static class SweepFollower
{
    /// <summary>How long one progress call may wait for news; well under Orleans' 30 s response timeout.</summary>
    private static readonly TimeSpan LongPoll = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Returns true when the sweep is over, false when <paramref name="cancellationToken"/> fired first (the sweep
    /// itself goes on). Results whose ids are in <paramref name="written"/> are not appended again.
    /// </summary>
    public static async Task<bool> FollowAsync(
        ISweepCoordinatorGrain coordinator, TrialLog? log, IReadOnlyDictionary<string, string> labels, ISet<string> written,
        IProgress<SweepProgress>? progress, CancellationToken cancellationToken)
    {
        int cursor = 0;
        while (true)
        {
            var current = await coordinator.GetProgress(cursor, LongPoll);
            foreach (var result in current.NewResults.Where(r => written.Add(r.Trial.Id)))
                log?.Append(result, labels.GetValueOrDefault(result.Trial.ConfigKey));
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
