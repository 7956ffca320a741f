using TinyNet.Sweeps.Domain.Ranking;
using TinyNet.Sweeps.Domain.Sweeps;
using TinyNet.Sweeps.Domain.Trials;
using static TinyNet.Sweeps.Domain.Tests.Ranking.RankingTestData;

namespace TinyNet.Sweeps.Domain.Tests.Stats;

public class SweepComparisonTests
{
    private static readonly MetricSpec ByCalibration = new(MetricNames.CalibrationError, MetricGoal.Minimize);

    // Sweep A: k2 (mean 0.15) rank 1, k1 (0.4) rank 2, k3 (only in A) rank 3.
    private static readonly List<TrialResult> ResultsA =
    [
        Completed("k1", 0, Metrics(0.3, evalLoss: 0.4)), Completed("k1", 1, Metrics(0.4, evalLoss: 0.4)),
        Completed("k1", 2, Metrics(0.5, evalLoss: 0.4)),
        Completed("k2", 0, Metrics(0.1)), Completed("k2", 1, Metrics(0.15)), Completed("k2", 2, Metrics(0.2)),
        Completed("k3", 0, Metrics(0.9)),
    ];

    // Sweep B: k1 (mean 0.2333) rank 1, k2 (one completed seed, 0.3) rank 2, k4 (only in B) rank 3.
    // k1's seeds are listed out of order: pairing must go by seed, not by position.
    private static readonly List<TrialResult> ResultsB =
    [
        Completed("k1", 2, Metrics(0.3, evalLoss: 0.3)), Completed("k1", 0, Metrics(0.2, evalLoss: 0.3)),
        Completed("k1", 1, Metrics(0.2, evalLoss: 0.3)),
        Completed("k2", 0, Metrics(0.3)), Diverged("k2", 1),
        Completed("k4", 0, Metrics(0.5)),
    ];

    private static IReadOnlyList<ComparedConfiguration> Compare() =>
        SweepComparison.Compare(
            Ranker.Rank("a", ByCalibration, ResultsA), Ranker.Rank("b", ByCalibration, ResultsB), ResultsA, ResultsB);

    [Fact]
    public void Only_configurations_in_both_sweeps_in_A_rank_order()
    {
        var compared = Compare();
        Assert.Equal(["k2", "k1"], compared.Select(c => c.ConfigKey));
    }

    [Fact]
    public void Ranks_and_rank_change()
    {
        var compared = Compare().ToDictionary(c => c.ConfigKey);
        Assert.Equal((2, 1, 1), (compared["k1"].RankA, compared["k1"].RankB, compared["k1"].RankChange));
        Assert.Equal((1, 2, -1), (compared["k2"].RankA, compared["k2"].RankB, compared["k2"].RankChange));
    }

    [Fact]
    public void Metric_means_and_differences()
    {
        var k1 = Compare().Single(c => c.ConfigKey == "k1");
        Assert.Equal(MetricNames.All, k1.Metrics.Select(m => m.Metric));

        var calibration = k1.Metrics.Single(m => m.Metric == MetricNames.CalibrationError);
        Assert.Equal(0.4, calibration.MeanA!.Value, 12);
        Assert.Equal(0.7 / 3, calibration.MeanB!.Value, 12);
        Assert.Equal(0.7 / 3 - 0.4, calibration.Difference!.Value, 12);

        var loss = k1.Metrics.Single(m => m.Metric == MetricNames.EvalLoss);
        Assert.Equal(0.4, loss.MeanA!.Value, 12);
        Assert.Equal(0.3, loss.MeanB!.Value, 12);
        Assert.Equal(-0.1, loss.Difference!.Value, 12);
    }

    [Fact]
    public void Paired_p_value_over_shared_seeds()
    {
        var k1 = Compare().Single(c => c.ConfigKey == "k1");
        Assert.Equal(MetricNames.CalibrationError, k1.PairedMetric);
        Assert.Equal([0, 1, 2], k1.SharedSeeds);
        // Differences by seed 0.1, 0.2, 0.2: t = 5 with df 2, so p = 1 − 5/√27 (df-2 closed form). Paired by
        // position instead (0.3−0.3, 0.4−0.2, 0.5−0.2) it would be different.
        Assert.NotNull(k1.PairedPValue);
        Assert.Equal(1 - 5 / Math.Sqrt(27), k1.PairedPValue!.Value, 1e-9);
    }

    [Fact]
    public void Fewer_than_two_shared_completed_seeds_give_no_p_value()
    {
        var k2 = Compare().Single(c => c.ConfigKey == "k2");
        Assert.Equal([0], k2.SharedSeeds);
        Assert.Null(k2.PairedPValue);
        var calibration = k2.Metrics.Single(m => m.Metric == MetricNames.CalibrationError);
        Assert.Equal(0.3 - 0.15, calibration.Difference!.Value, 12);
    }

    [Fact]
    public void A_configuration_without_completed_seeds_in_one_sweep_has_null_means()
    {
        List<TrialResult> b = [Diverged("k3", 0), Diverged("k3", 1)];
        var compared = SweepComparison.Compare(
            Ranker.Rank("a", ByCalibration, ResultsA), Ranker.Rank("b", ByCalibration, b), ResultsA, b);

        var k3 = Assert.Single(compared);
        Assert.Equal("k3", k3.ConfigKey);
        var calibration = k3.Metrics.Single(m => m.Metric == MetricNames.CalibrationError);
        Assert.Equal(0.9, calibration.MeanA!.Value, 12);
        Assert.Null(calibration.MeanB);
        Assert.Null(calibration.Difference);
        Assert.Empty(k3.SharedSeeds);
        Assert.Null(k3.PairedPValue);
    }
}
