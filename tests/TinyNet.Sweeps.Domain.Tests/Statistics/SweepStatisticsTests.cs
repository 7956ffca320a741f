using TinyNet.Sweeps.Domain.Ranking;
using TinyNet.Sweeps.Domain.Sweeps;
using TinyNet.Sweeps.Domain.Trials;
using static TinyNet.Sweeps.Domain.Tests.Ranking.RankingTestData;

namespace TinyNet.Sweeps.Domain.Tests.Stats;

public class SweepStatisticsTests
{
    private static readonly MetricSpec ByCalibration = new(MetricNames.CalibrationError, MetricGoal.Minimize);

    /// <summary>
    /// k-a leads (0.10, 0.11, 0.12); k-b (0.105, 0.115, 0.125) is close: Welch t = −0.612, df 4, p = 0.573 (mpmath);
    /// k-c (0.30, 0.31, 0.32) is far: p = 1.6e-5; k-d has one seed; k-e diverged on every seed.
    /// </summary>
    private static List<TrialResult> Results() =>
    [
        Completed("k-a", 0, Metrics(0.10)), Completed("k-a", 1, Metrics(0.11)), Completed("k-a", 2, Metrics(0.12)),
        Completed("k-b", 0, Metrics(0.105)), Completed("k-b", 1, Metrics(0.115)), Completed("k-b", 2, Metrics(0.125)),
        Completed("k-c", 0, Metrics(0.30)), Completed("k-c", 1, Metrics(0.31)), Completed("k-c", 2, Metrics(0.32)),
        Completed("k-d", 0, Metrics(0.11)), Diverged("k-d", 1),
        Diverged("k-e", 0), Diverged("k-e", 1),
    ];

    [Fact]
    public void Close_rows_are_tied_with_the_leader_and_far_or_single_seed_rows_are_not()
    {
        var results = Results();
        var ranking = Ranker.Rank("ties", ByCalibration, results);
        Assert.Equal("k-a", ranking.Rows[0].ConfigKey);

        var tied = SweepStatistics.TiedWithLeader(ranking, results);

        Assert.Equal(["k-b"], tied.Order());
    }

    [Fact]
    public void Nothing_is_tied_when_the_leader_has_one_seed()
    {
        List<TrialResult> results =
        [
            Completed("k-lead", 0, Metrics(0.05)),
            Completed("k-b", 0, Metrics(0.10)), Completed("k-b", 1, Metrics(0.30)),
        ];
        var ranking = Ranker.Rank("ties", ByCalibration, results);
        Assert.Equal("k-lead", ranking.Rows[0].ConfigKey);

        Assert.Empty(SweepStatistics.TiedWithLeader(ranking, results));
    }

    [Fact]
    public void Ties_use_the_ranking_metric()
    {
        // Same calibration as k-b of Results (tied there), but ranked by eval_loss where k-b is far off.
        List<TrialResult> results =
        [
            Completed("k-a", 0, Metrics(0.10, evalLoss: 0.10)), Completed("k-a", 1, Metrics(0.11, evalLoss: 0.11)),
            Completed("k-a", 2, Metrics(0.12, evalLoss: 0.12)),
            Completed("k-b", 0, Metrics(0.105, evalLoss: 0.90)), Completed("k-b", 1, Metrics(0.115, evalLoss: 0.91)),
            Completed("k-b", 2, Metrics(0.125, evalLoss: 0.92)),
        ];
        var byLoss = Ranker.Rank("ties", new MetricSpec(MetricNames.EvalLoss, MetricGoal.Minimize), results);
        var byCalibration = Ranker.Rank("ties", ByCalibration, results);

        Assert.Empty(SweepStatistics.TiedWithLeader(byLoss, results));
        Assert.Equal(["k-b"], SweepStatistics.TiedWithLeader(byCalibration, results).Order());
    }

    [Fact]
    public void Empty_ranking_has_no_ties()
    {
        var ranking = Ranker.Rank("empty", ByCalibration, []);
        Assert.Empty(SweepStatistics.TiedWithLeader(ranking, []));
    }

    private static RankedConfiguration Row(string key, double? loss, double? calibration, int rank = 1)
    {
        var metrics = new Dictionary<string, MetricSummary>();
        if (loss is { } l) metrics[MetricNames.EvalLoss] = new MetricSummary(l, 0.01, 3);
        if (calibration is { } c) metrics[MetricNames.CalibrationError] = new MetricSummary(c, 0.01, 3);
        return new RankedConfiguration(rank, key, null, Config(), [0, 1, 2], Completed: metrics.Count > 0 ? 3 : 0,
            Diverged: metrics.Count > 0 ? 0 : 3, Failed: 0, metrics);
    }

    [Fact]
    public void Pareto_front_keeps_non_dominated_points_in_row_order()
    {
        RankedConfiguration[] rows =
        [
            Row("d-dominated", 0.3, 0.3),     // B beats it on both
            Row("a-low-loss", 0.1, 0.5),
            Row("f-same-loss-worse", 0.1, 0.6), // equal loss to A, worse calibration: dominated
            Row("b-middle", 0.2, 0.2),
            Row("c-low-cal", 0.5, 0.1),
            Row("e-duplicate-of-b", 0.2, 0.2), // equal to B on both: on the front with it
            Row("g-worst", 0.9, 0.9),
        ];

        Assert.Equal(["a-low-loss", "b-middle", "c-low-cal", "e-duplicate-of-b"], SweepStatistics.ParetoFront(rows));
    }

    [Fact]
    public void Pareto_front_excludes_rows_without_completed_seeds()
    {
        RankedConfiguration[] rows =
        [
            Row("diverged", null, null),
            Row("only", 0.4, 0.4),
        ];
        Assert.Equal(["only"], SweepStatistics.ParetoFront(rows));
    }

    [Fact]
    public void Pareto_front_of_duplicated_dominated_points_drops_both()
    {
        RankedConfiguration[] rows = [Row("x1", 0.5, 0.5), Row("x2", 0.5, 0.5), Row("best", 0.1, 0.1)];
        Assert.Equal(["best"], SweepStatistics.ParetoFront(rows));
    }

    [Fact]
    public void Pareto_front_of_no_rows_is_empty()
    {
        Assert.Empty(SweepStatistics.ParetoFront([]));
        Assert.Empty(SweepStatistics.ParetoFront([Row("diverged", null, null)]));
    }

    [Fact]
    public void Confidence_intervals_per_configuration()
    {
        var results = Results();
        var ranking = Ranker.Rank("ci", ByCalibration, results);

        var ci = SweepStatistics.ConfidenceIntervals(ranking, results, MetricNames.CalibrationError);

        Assert.Equal(["k-a", "k-b", "k-c", "k-d", "k-e"], ci.Keys.Order());
        // k-a: mean 0.11, s = 0.01, n = 3: 0.11 ± 4.3026527297494639·0.01/√3.
        double half = 4.3026527297494639 * 0.01 / Math.Sqrt(3);
        Assert.Equal(0.11 - half, ci["k-a"].Low, 1e-9);
        Assert.Equal(0.11 + half, ci["k-a"].High, 1e-9);
        Assert.Equal(0.31 - half, ci["k-c"].Low, 1e-9);
        Assert.True(double.IsNaN(ci["k-d"].Low) && double.IsNaN(ci["k-d"].High)); // one completed seed
        Assert.True(double.IsNaN(ci["k-e"].Low) && double.IsNaN(ci["k-e"].High)); // none
    }

    [Fact]
    public void Confidence_intervals_of_another_metric_and_unknown_metric_throws()
    {
        var results = Results();
        var ranking = Ranker.Rank("ci", ByCalibration, results);

        // RankingTestData gives every trial eval_loss 0.5, so the interval is the point 0.5.
        var ci = SweepStatistics.ConfidenceIntervals(ranking, results, MetricNames.EvalLoss);
        Assert.Equal(0.5, ci["k-a"].Low, 12);
        Assert.Equal(0.5, ci["k-a"].High, 12);

        Assert.Throws<ArgumentException>(() => SweepStatistics.ConfidenceIntervals(ranking, results, "nope"));
    }
}
