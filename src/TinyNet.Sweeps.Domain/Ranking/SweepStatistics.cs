using TinyNet.Sweeps.Domain.Trials;

namespace TinyNet.Sweeps.Domain.Ranking;

/// <summary>Statistics over a ranked sweep: ties with the leader, the Pareto front, confidence intervals.</summary>
public static class SweepStatistics
{
    /// <summary>Significance level of <see cref="TiedWithLeader"/>: p ≥ this is a tie.</summary>
    public const double TieAlpha = 0.05;

    /// <summary>
    /// Config keys of the rows statistically tied with the rank-1 row on the ranking's metric: Welch's t-test over
    /// the per-seed values of completed trials gives two-sided p ≥ 0.05. The leader itself is not in the set.
    /// A row with fewer than two completed seeds is never marked tied, and nothing is when the leader has fewer
    /// than two (there is no variance to test with). Results whose config key is not a row are ignored.
    /// </summary>
    public static IReadOnlySet<string> TiedWithLeader(SweepRanking ranking, IEnumerable<TrialResult> results)
    {
        ArgumentNullException.ThrowIfNull(ranking);
        ArgumentNullException.ThrowIfNull(results);
        var tied = new HashSet<string>(StringComparer.Ordinal);
        if (ranking.Rows.Count == 0) return tied;
        var values = CompletedValues(results, ranking.Metric.Name);
        string leader = ranking.Rows[0].ConfigKey;
        if (!values.TryGetValue(leader, out var leaderValues) || leaderValues.Count < 2) return tied;
        foreach (var row in ranking.Rows.Skip(1))
        {
            if (row.ConfigKey == leader || !values.TryGetValue(row.ConfigKey, out var rowValues) || rowValues.Count < 2)
                continue;
            double p = Statistics.WelchTTestPValue(leaderValues, rowValues);
            if (p >= TieAlpha) tied.Add(row.ConfigKey);
        }
        return tied;
    }

    /// <summary>
    /// Config keys of the rows on the Pareto front of (mean eval_loss, mean calibration_error), both minimized: rows
    /// that no other row matches or beats on both with a strict improvement on at least one. Rows without a
    /// completed seed (or without a finite mean for either metric) are left out. Rows equal on both means are on
    /// the front together or not at all. Keys come in the order of <paramref name="rows"/>.
    /// </summary>
    public static IReadOnlyList<string> ParetoFront(IReadOnlyList<RankedConfiguration> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var points = new List<(string Key, double Loss, double Calibration)>();
        foreach (var row in rows)
        {
            if (row.Completed == 0
                || !row.Metrics.TryGetValue(MetricNames.EvalLoss, out var loss)
                || !row.Metrics.TryGetValue(MetricNames.CalibrationError, out var calibration)
                || !double.IsFinite(loss.Mean) || !double.IsFinite(calibration.Mean))
                continue;
            points.Add((row.ConfigKey, loss.Mean, calibration.Mean));
        }
        return points
            .Where(p => !points.Any(q =>
                q.Loss <= p.Loss && q.Calibration <= p.Calibration && (q.Loss < p.Loss || q.Calibration < p.Calibration)))
            .Select(p => p.Key)
            .ToList();
    }

    /// <summary>
    /// Two-sided 95 % confidence interval of the mean of <paramref name="metric"/> for every row of the ranking,
    /// keyed by config key, over the per-seed values of its completed trials
    /// (<see cref="Statistics.ConfidenceInterval95"/>): (NaN, NaN) for rows with fewer than two completed seeds.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="metric"/> is not one of <see cref="MetricNames.All"/>.</exception>
    public static IReadOnlyDictionary<string, (double Low, double High)> ConfidenceIntervals(
        SweepRanking ranking, IEnumerable<TrialResult> results, string metric)
    {
        ArgumentNullException.ThrowIfNull(ranking);
        ArgumentNullException.ThrowIfNull(results);
        if (!MetricNames.All.Contains(metric))
            throw new ArgumentException($"Unknown metric '{metric}'. Known: {string.Join(", ", MetricNames.All)}.", nameof(metric));
        var values = CompletedValues(results, metric);
        var intervals = new Dictionary<string, (double Low, double High)>(StringComparer.Ordinal);
        foreach (var row in ranking.Rows)
            intervals[row.ConfigKey] = Statistics.ConfidenceInterval95(values.TryGetValue(row.ConfigKey, out var v) ? v : []);
        return intervals;
    }

    /// <summary>Per config key, <paramref name="metric"/> of every completed trial, in seed order.</summary>
    internal static Dictionary<string, List<double>> CompletedValues(IEnumerable<TrialResult> results, string metric) =>
        results
            .Where(r => r.Outcome.Status == TrialStatus.Completed && r.Outcome.Metrics is not null)
            .GroupBy(r => r.Trial.ConfigKey, StringComparer.Ordinal)
            .ToDictionary(
                g => g.Key,
                g => g.OrderBy(r => r.Trial.Seed).Select(r => r.Outcome.Metrics!.Get(metric)).ToList(),
                StringComparer.Ordinal);

    /// <summary>Per config key, seed → <paramref name="metric"/> of its completed trial (the last one listed on duplicates).</summary>
    internal static Dictionary<string, Dictionary<int, double>> CompletedValuesBySeed(IEnumerable<TrialResult> results, string metric)
    {
        var bySeed = new Dictionary<string, Dictionary<int, double>>(StringComparer.Ordinal);
        foreach (var r in results)
        {
            if (r.Outcome.Status != TrialStatus.Completed || r.Outcome.Metrics is null) continue;
            if (!bySeed.TryGetValue(r.Trial.ConfigKey, out var seeds)) bySeed[r.Trial.ConfigKey] = seeds = [];
            seeds[r.Trial.Seed] = r.Outcome.Metrics.Get(metric);
        }
        return bySeed;
    }
}
