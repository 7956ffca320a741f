using Microsoft.Extensions.Logging;
using TinyNet.Sweeps.Abstractions;
using TinyNet.Sweeps.Domain.Export;
using TinyNet.Sweeps.Domain.Ranking;
using TinyNet.Sweeps.Domain.Sweeps;
using TinyNet.Sweeps.Domain.Trials;

namespace TinyNet.Sweeps.Hosting;

public sealed record SweepRunOutcome(string SweepId, SweepRanking Ranking, int Reused, int Ran, bool Cancelled, string OutputDirectory);

/// <summary>
/// Client side of a sweep: resumes from the results already in the output folder, hands the rest to a
/// coordinator grain, appends the results to trials.jsonl as they arrive (each batch in one write) and writes the ranking at the end.
/// </summary>
public sealed class SweepRunner(IClusterClient client, ILogger<SweepRunner> logger)
{
    /// <summary>How long a stopped sweep waits for its trials in training to stop (each stops at its next epoch).</summary>
    private static readonly TimeSpan StopGrace = TimeSpan.FromSeconds(10);

    /// <param name="output">The results folder, held by the caller for the whole run.</param>
    /// <param name="prior">Results already in the folder (checked by <see cref="ResumeCheck"/>); those the search asks for are reused.</param>
    /// <param name="stop">Stops the sweep: nothing more is dispatched, trials in training stop at their next epoch
    /// (they are trained again when the sweep is run again), and everything finished is written.</param>
    /// <exception cref="ResultsWriteException">A result could not be written (the sweep is aborted); what was written is whole.</exception>
    public async Task<SweepRunOutcome> RunAsync(
        SweepPlan plan, ResultsFolderLock output, IReadOnlyList<TrialResult> prior, IProgress<SweepProgress>? progress = null,
        CancellationToken stop = default)
    {
        string sweepId = SweepNames.NewSweepId(plan.Name, DateTimeOffset.UtcNow);
        var coordinator = client.GetGrain<ISweepCoordinatorGrain>(sweepId);
        logger.LogInformation("Sweep {SweepId}: {Total} trials, {Reused} already in {Directory}",
            sweepId, plan.Total, prior.Count, output.Directory);

        await coordinator.Start(new SweepLaunch(plan, prior));
        var inFile = prior.Select(r => r.Trial.Id).ToHashSet();
        // Shared by both follows below, so each trial is written (or counted as reused) once. Sized for every trial at
        // once: grown by doubling, a large sweep's set leaves its old arrays to the GC at each step.
        var handedOn = new HashSet<string>(plan.Total);
        int reused = 0, ran = 0;
        bool stopped = false;
        using (var log = TrialLog.OpenForAppend(output))
        {
            void OnResult(IReadOnlyList<TrialResult> results)
            {
                var fresh = results.Where(r => !inFile.Contains(r.Trial.Id)).ToList();
                log.Append(fresh);
                reused += results.Count - fresh.Count;
                ran += fresh.Count;
            }
            try
            {
                if (!await SweepFollower.FollowAsync(coordinator, OnResult, progress, stop, handedOn: handedOn))
                {
                    stopped = true;
                    logger.LogWarning("Stopping sweep {SweepId}: trials in training stop at their next epoch and are trained again when the sweep is run again", sweepId);
                    await coordinator.Abort();
                    using var grace = new CancellationTokenSource(StopGrace);
                    if (!await SweepFollower.FollowAsync(coordinator, OnResult, progress, grace.Token, firstCursor: reused + ran, handedOn: handedOn))
                        logger.LogWarning("Sweep {SweepId}: some trials had not stopped after {Grace} s; leaving them", sweepId, StopGrace.TotalSeconds);
                }
            }
            catch (ResultsWriteException)
            {
                // Nowhere to write results: stop training trials whose results would be lost.
                await coordinator.Abort();
                throw;
            }
        }

        var ranking = await coordinator.GetRanking();
        RankingExporter.WriteAll(ranking, output);
        return new SweepRunOutcome(sweepId, ranking, reused, ran, stopped, output.Directory);
    }
}
