using TinyNet.Sweeps.Domain.Sweeps;
using TinyNet.Sweeps.Domain.Trials;

namespace TinyNet.Sweeps.Domain.Ranking;

/// <summary>
/// Folds trial results into one row per configuration and orders the rows: configurations with at least one
/// completed seed first, by the mean of the sweep's metric (its goal decides the direction), ties broken by the
/// mean eval loss; then those hyperband stopped (every seed stopped or worse), by their metric at the stop; then
/// configurations whose every seed diverged; then those whose every seed failed.
/// </summary>
public static class Ranker
{
    public static SweepRanking Rank(
        string name, MetricSpec metric, IEnumerable<TrialResult> results, IReadOnlyDictionary<string, string>? labels = null)
    {
        var rows = results
            .GroupBy(r => r.Trial.ConfigKey)
            .Select(group => Summarise(group.Key, group.OrderBy(r => r.Trial.Seed).ToList(), labels))
            .OrderBy(row => Tier(row))
            .ThenBy(row => SortValue(row, metric))
            .ThenBy(row => row.Metrics.TryGetValue(MetricNames.EvalLoss, out var loss) ? loss.Mean : double.PositiveInfinity)
            .ThenBy(row => row.ConfigKey, StringComparer.Ordinal)
            .Select((row, index) => row with { Rank = index + 1 })
            .ToList();
        return new SweepRanking(name, metric, rows);
    }

    private static int Tier(RankedConfiguration row) => row.Completed > 0 ? 0 : row.Stopped > 0 ? 1 : row.Diverged > 0 ? 2 : 3;

    private static double SortValue(RankedConfiguration row, MetricSpec metric)
    {
        if (!row.Metrics.TryGetValue(metric.Name, out var summary) || double.IsNaN(summary.Mean))
            return double.PositiveInfinity;
        return metric.Goal == MetricGoal.Maximize ? -summary.Mean : summary.Mean;
    }

    private static RankedConfiguration Summarise(
        string configKey, IReadOnlyList<TrialResult> trials, IReadOnlyDictionary<string, string>? labels)
    {
        var completed = MetricsOf(trials, TrialStatus.Completed);
        // A configuration no seed of which completed is summarised by its seeds' metrics where hyperband stopped them.
        var summarised = completed.Count > 0 ? completed : MetricsOf(trials, TrialStatus.Stopped);
        var metrics = summarised.Count == 0
            ? new Dictionary<string, MetricSummary>()
            : MetricNames.All.ToDictionary(n => n, n => Statistics.Summarise(summarised.Select(m => m.Get(n))));
        return new RankedConfiguration(
            Rank: 0,
            configKey,
            labels is not null && labels.TryGetValue(configKey, out var label) ? label : trials.Select(t => t.Trial.Label).FirstOrDefault(l => l is not null),
            trials[0].Trial.Config,
            trials.Select(t => t.Trial.Seed).ToList(),
            Completed: completed.Count,
            Diverged: trials.Count(t => t.Outcome.Status == TrialStatus.Diverged),
            Failed: trials.Count(t => t.Outcome.Status == TrialStatus.Failed),
            metrics,
            Stopped: trials.Count(t => t.Outcome.Status == TrialStatus.Stopped));
    }

    private static List<TrialMetrics> MetricsOf(IReadOnlyList<TrialResult> trials, TrialStatus status) =>
        [.. trials.Where(t => t.Outcome.Status == status && t.Outcome.Metrics is not null).Select(t => t.Outcome.Metrics!)];
}
