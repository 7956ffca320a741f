using TinyNet.Sweeps.Domain.Export;
using TinyNet.Sweeps.Domain.Ranking;
using TinyNet.Sweeps.Domain.Sweeps;
using TinyNet.Sweeps.Domain.Trials;

namespace TinyNet.Sweeps.Reports;

/// <summary>Everything a report shows, read once from a results folder.</summary>
internal sealed class ReportData
{
    public required string Directory { get; init; }
    public required SweepRanking Ranking { get; init; }
    public required IReadOnlyList<TrialResult> Results { get; init; }

    /// <summary>What went wrong reading the folder (unreadable lines of trials.jsonl, a missing or damaged ranking.json), one sentence each.</summary>
    public required IReadOnlyList<string> Problems { get; init; }

    public string Name => Ranking.Name;
    public MetricSpec Metric => Ranking.Metric;
    public IReadOnlyList<RankedConfiguration> Rows => Ranking.Rows;

    // Indexed once: every plot asks for rows' trials, and scanning all results for each row is quadratic in the sweep's size.
    private ILookup<string, TrialResult>? _trialsByConfigKey;

    /// <summary>The row's trials in seed order.</summary>
    public IEnumerable<TrialResult> TrialsOf(RankedConfiguration row) =>
        (_trialsByConfigKey ??= Results.OrderBy(r => r.Trial.Seed).ToLookup(r => r.Trial.ConfigKey, StringComparer.Ordinal))[row.ConfigKey];

    public IEnumerable<TrialResult> CompletedTrialsOf(RankedConfiguration row) =>
        TrialsOf(row).Where(r => r.Outcome.Status == TrialStatus.Completed);

    public static string DisplayName(RankedConfiguration row) => row.Label ?? row.ConfigKey;

    public static ReportData Load(string directory)
    {
        if (!System.IO.Directory.Exists(directory))
            throw new ReportInputException($"results folder '{directory}' does not exist; pass the folder a sweep wrote (it holds {TrialLog.FileName}).");
        var folder = ResultsFolder.Read(directory);
        if (folder.Results.Count == 0)
            throw new ReportInputException($"results folder '{directory}' has no trials: {TrialLog.FileName} is missing, empty or unreadable." +
                                           (folder.Warnings.Count == 0 ? "" : $" {folder.Warnings.Count} problem(s) reading it; the first: {folder.Warnings[0]}"));
        return new ReportData { Directory = directory, Ranking = folder.Rank(), Results = folder.Results, Problems = folder.Warnings };
    }
}
