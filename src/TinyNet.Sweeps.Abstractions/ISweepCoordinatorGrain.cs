using Orleans.Concurrency;
using TinyNet.Sweeps.Domain.Ranking;
using TinyNet.Sweeps.Domain.Trials;

namespace TinyNet.Sweeps.Abstractions;

/// <summary>
/// One per sweep (keyed by sweep id): creates the sweep's trial grains, keeps every training worker of the
/// cluster busy and no more, collects the results and ranks them.
/// </summary>
[Alias("TinyNet.Sweeps.ISweepCoordinatorGrain")]
public interface ISweepCoordinatorGrain : IGrainWithStringKey
{
    /// <summary>Starts the sweep; returns as soon as the first trials are dispatched. Starting again is a no-op.</summary>
    [Alias("Start")]
    Task Start(SweepLaunch launch);

    /// <summary>Called by a trial grain when its trial has finished, whatever the outcome.</summary>
    [Alias("ReportResult")]
    Task ReportResult(TrialResult result);

    /// <summary>
    /// A silo's finished trials in one call (its trial grains report through a per-silo outbox); each result is recorded
    /// once, whichever batches it comes in and however often. Results are never changed once made, so a call within a silo
    /// passes them as they are instead of copying each.
    /// </summary>
    [Alias("ReportResults")]
    Task ReportResults([Immutable] IReadOnlyList<TrialResult> results);

    /// <summary>Called by a trial grain when its trial reaches one of hyperband's bands, with every metric there.</summary>
    [Alias("ReportBand")]
    Task ReportBand(string trialId, int epoch, TrialMetrics metrics);

    /// <summary>
    /// Counts, plus the results recorded since <paramref name="cursor"/> (the count of results already seen), a page of
    /// at most a few thousand: <see cref="SweepProgress.Cursor"/> is where the next call goes on from.
    /// When there is nothing new it waits up to <paramref name="maxWait"/> for a change (a long poll, so a
    /// client hears of each result at once without polling hard); it interleaves with reports.
    /// </summary>
    [Alias("GetProgress"), AlwaysInterleave]
    Task<SweepProgress> GetProgress(int cursor, TimeSpan maxWait);

    /// <summary>The whole ranking in one answer: for a few rows, or a caller in the coordinator's process.</summary>
    [Alias("GetRanking")]
    Task<SweepRanking> GetRanking();

    /// <summary>
    /// At most <paramref name="count"/> rows of the ranking from <paramref name="offset"/> on (a few thousand at most, whatever
    /// is asked); the ranking is made once and kept for the pages that follow until the next result comes.
    /// </summary>
    [Alias("GetRankingPage")]
    Task<RankingPage> GetRankingPage(int offset, int count);

    /// <summary>What the sweep is, or null when no sweep has this id.</summary>
    [Alias("GetInfo"), AlwaysInterleave]
    Task<SweepInfo?> GetInfo();

    /// <summary>Stops dispatching new trials; trials already training finish and are still recorded.</summary>
    [Alias("Cancel")]
    Task Cancel();

    /// <summary>
    /// Stops dispatching and stops the trials that are training at their next epoch. Stopped trials are not recorded:
    /// they are trained again when the sweep is run again. The sweep is over once every trial has stopped or reported.
    /// </summary>
    [Alias("Abort")]
    Task Abort();

    /// <summary>
    /// Called by a trial grain whose trial stopped before finishing (the sweep was aborted, or its silo is leaving):
    /// nothing to record, and a running sweep dispatches the trial again elsewhere.
    /// </summary>
    [Alias("ReportStopped")]
    Task ReportStopped(string trialId);
}
