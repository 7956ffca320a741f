using Microsoft.Extensions.Logging;
using TinyNet.Sweeps.Abstractions;
using TinyNet.Sweeps.Domain.Export;
using TinyNet.Sweeps.Domain.Ranking;
using TinyNet.Sweeps.Domain.Sweeps;
using TinyNet.Sweeps.Domain.Trials;

namespace TinyNet.Sweeps.Hosting;

/// <summary>A sweep as the client hands it to a cluster: its trials in order, and labels of named configurations.</summary>
public sealed record SweepRequest(string Name, MetricSpec Metric, IReadOnlyList<TrialSpec> Trials, IReadOnlyDictionary<string, string> Labels);

public sealed record SweepRunOutcome(string SweepId, SweepRanking Ranking, int Reused, int Ran, bool Cancelled, string OutputDirectory);

/// <summary>
/// Client side of a sweep: resumes from the results already in the output folder, hands the rest to a
/// coordinator grain, appends each result to trials.jsonl as it arrives and writes the ranking at the end.
/// </summary>
public sealed class SweepRunner(IClusterClient client, ILogger<SweepRunner> logger)
{
    public async Task<SweepRunOutcome> RunAsync(
        SweepRequest request, string outputDirectory, IProgress<SweepProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        var prior = ReadReusableResults(request, outputDirectory);
        string sweepId = $"{request.Name}-{Guid.NewGuid():N}";
        var coordinator = client.GetGrain<ISweepCoordinatorGrain>(sweepId);
        logger.LogInformation("Sweep {SweepId}: {Total} trials, {Reused} already in {Directory}",
            sweepId, request.Trials.Count, prior.Count, outputDirectory);

        await coordinator.Start(new SweepLaunch(request.Name, request.Metric, request.Trials, prior, request.Labels));
        var written = prior.Select(r => r.Trial.Id).ToHashSet();
        bool cancelled = false;
        using (var log = TrialLog.OpenForAppend(outputDirectory))
        {
            if (!await SweepFollower.FollowAsync(coordinator, log, request.Labels, written, progress, cancellationToken))
            {
                // The cluster lives in this process: stop dispatching, let the trials already training finish and be written.
                cancelled = true;
                logger.LogWarning("Cancelling sweep {SweepId}: waiting for the running trials to finish", sweepId);
                await coordinator.Cancel();
                await SweepFollower.FollowAsync(coordinator, log, request.Labels, written, progress, CancellationToken.None);
            }
        }

        var ranking = await coordinator.GetRanking();
        RankingExporter.WriteAll(ranking, outputDirectory);
        return new SweepRunOutcome(sweepId, ranking, prior.Count, written.Count - prior.Count, cancelled, outputDirectory);
    }

    /// <summary>Completed and diverged trials of this sweep already on disk; failed ones are tried again.</summary>
    private List<TrialResult> ReadReusableResults(SweepRequest request, string outputDirectory)
    {
        var contents = TrialLog.Read(outputDirectory);
        foreach (string problem in contents.Problems) logger.LogWarning("{Problem}", problem);
        var planned = request.Trials.ToDictionary(t => t.Id);
        return contents.Results
            .Where(r => r.Outcome.Status != TrialStatus.Failed && planned.ContainsKey(r.Trial.Id))
            // Keep this run's index so the order of the sweep file still decides the order of trials.
            .Select(r => r with { Trial = planned[r.Trial.Id] })
            .ToList();
    }
}
