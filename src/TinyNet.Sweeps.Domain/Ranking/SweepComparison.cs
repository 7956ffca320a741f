using TinyNet.Sweeps.Domain.Trials;

namespace TinyNet.Sweeps.Domain.Ranking;

/// <summary>One metric of a configuration in sweeps A and B: the means over completed seeds and B − A.</summary>
/// <param name="MeanA">Mean in A; null when the configuration has no completed seed in A.</param>
/// <param name="MeanB">Mean in B; null when the configuration has no completed seed in B.</param>
/// <param name="Difference"><c>MeanB − MeanA</c>; null when either mean is.</param>
public sealed record MetricComparison(string Metric, double? MeanA, double? MeanB, double? Difference);

/// <summary>A configuration (same config key) that appears in both sweeps of a comparison.</summary>
/// <param name="RankA">Its rank in A (1 is best).</param>
/// <param name="RankB">Its rank in B.</param>
/// <param name="RankChange"><c>RankA − RankB</c>: positive when it moved up (towards rank 1) in B.</param>
/// <param name="Metrics">Every metric of <see cref="MetricNames.All"/>, in that order.</param>
/// <param name="PairedMetric">The metric of the paired test: A's ranking metric.</param>
/// <param name="SharedSeeds">Seeds completed in both A and B, ascending.</param>
/// <param name="PairedPValue">
/// Two-sided paired t-test p-value of <see cref="PairedMetric"/> over <see cref="SharedSeeds"/> (seed i in A paired
/// with seed i in B); null with fewer than two shared seeds.
/// </param>
public sealed record ComparedConfiguration(
    string ConfigKey,
    string? Label,
    int RankA,
    int RankB,
    int RankChange,
    IReadOnlyList<MetricComparison> Metrics,
    string PairedMetric,
    IReadOnlyList<int> SharedSeeds,
    double? PairedPValue);

public static class SweepComparison
{
    /// <summary>
    /// Compares the configurations present in both rankings (matched by config key), in A's rank order. The paired
    /// test uses A's ranking metric and the per-seed values of completed trials in <paramref name="resultsA"/> and
    /// <paramref name="resultsB"/> (on a duplicate trial of one seed, the last listed counts). The label is A's,
    /// or B's when A has none.
    /// </summary>
    public static IReadOnlyList<ComparedConfiguration> Compare(
        SweepRanking a, SweepRanking b, IEnumerable<TrialResult> resultsA, IEnumerable<TrialResult> resultsB)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        ArgumentNullException.ThrowIfNull(resultsA);
        ArgumentNullException.ThrowIfNull(resultsB);
        string metric = a.Metric.Name;
        var seedsA = SweepStatistics.CompletedValuesBySeed(resultsA, metric);
        var seedsB = SweepStatistics.CompletedValuesBySeed(resultsB, metric);
        var rowsB = new Dictionary<string, RankedConfiguration>(StringComparer.Ordinal);
        foreach (var row in b.Rows) rowsB.TryAdd(row.ConfigKey, row);

        var compared = new List<ComparedConfiguration>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var rowA in a.Rows)
        {
            if (!seen.Add(rowA.ConfigKey) || !rowsB.TryGetValue(rowA.ConfigKey, out var rowB)) continue;
            var metrics = MetricNames.All.Select(name =>
            {
                double? meanA = Mean(rowA, name), meanB = Mean(rowB, name);
                return new MetricComparison(name, meanA, meanB, meanA is { } x && meanB is { } y ? y - x : null);
            }).ToList();

            var inA = seedsA.GetValueOrDefault(rowA.ConfigKey) ?? [];
            var inB = seedsB.GetValueOrDefault(rowA.ConfigKey) ?? [];
            var shared = inA.Keys.Where(inB.ContainsKey).Order().ToList();
            double? p = shared.Count < 2
                ? null
                : Statistics.PairedTTestPValue(shared.Select(s => inA[s]).ToList(), shared.Select(s => inB[s]).ToList());

            compared.Add(new ComparedConfiguration(
                rowA.ConfigKey, rowA.Label ?? rowB.Label, rowA.Rank, rowB.Rank, rowA.Rank - rowB.Rank,
                metrics, metric, shared, p));
        }
        return compared;
    }

    private static double? Mean(RankedConfiguration row, string metric) =>
        row.Metrics.TryGetValue(metric, out var s) && s.N > 0 && !double.IsNaN(s.Mean) ? s.Mean : null;
}
