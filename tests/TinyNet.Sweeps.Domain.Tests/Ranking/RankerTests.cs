using TinyNet.Sweeps.Domain.Ranking;
using TinyNet.Sweeps.Domain.Sweeps;
using TinyNet.Sweeps.Domain.Trials;
using static TinyNet.Sweeps.Domain.Tests.Ranking.RankingTestData;

namespace TinyNet.Sweeps.Domain.Tests.Ranking;

public class RankerTests
{
    private static readonly MetricSpec MinCalibration = new(MetricNames.CalibrationError, MetricGoal.Minimize);
    private static readonly MetricSpec MaxAccuracy = new(MetricNames.EvalAccuracy, MetricGoal.Maximize);

    [Fact]
    public void Seeds_of_one_configuration_fold_into_one_row_with_mean_sample_std_and_n()
    {
        var config = Config(Activation.Tanh, OptimizerKind.Adam, 0.01);
        TrialResult[] results =
        [
            Completed("aaa", 2, Metrics(0.4, evalLoss: 0.3), config),
            Completed("aaa", 0, Metrics(0.1, evalLoss: 0.1), config),
            Completed("aaa", 1, Metrics(0.2, evalLoss: 0.2), config),
        ];

        var ranking = Ranker.Rank("s", MinCalibration, results);

        var row = Assert.Single(ranking.Rows);
        Assert.Equal(1, row.Rank);
        Assert.Equal("aaa", row.ConfigKey);
        Assert.Equal(config, row.Config);
        Assert.Equal([0, 1, 2], row.Seeds);
        Assert.Equal(3, row.Completed);
        Assert.Equal(0, row.Diverged);
        Assert.Equal(0, row.Failed);
        Assert.Equal(3, row.Trials);
        // Mean 0.7/3; deviations -0.1333, -0.0333, 0.1667 -> squares sum 0.046667, /2 = 0.023333.
        var ce = row.Metrics[MetricNames.CalibrationError];
        Assert.Equal(0.7 / 3, ce.Mean, 12);
        Assert.Equal(Math.Sqrt(0.07 / 3), ce.StdDev, 12);
        Assert.Equal(0.15275252316519466, ce.StdDev, 12);
        Assert.Equal(3, ce.N);
        var loss = row.Metrics[MetricNames.EvalLoss];
        Assert.Equal(0.2, loss.Mean, 12);
        Assert.Equal(0.1, loss.StdDev, 12);
        // Every metric is summarised.
        Assert.Equal(MetricNames.All.Order(), row.Metrics.Keys.Order());
        Assert.Equal("s", ranking.Name);
        Assert.Same(MinCalibration, ranking.Metric);
    }

    [Fact]
    public void Minimize_orders_by_ascending_mean_of_the_metric()
    {
        TrialResult[] results =
        [
            Completed("a", 0, Metrics(0.30)), Completed("a", 1, Metrics(0.30)),
            Completed("b", 0, Metrics(0.05)), Completed("b", 1, Metrics(0.15)), // mean 0.10
            Completed("c", 0, Metrics(0.25)), Completed("c", 1, Metrics(0.15)), // mean 0.20
        ];

        var ranking = Ranker.Rank("s", MinCalibration, results);

        Assert.Equal(["b", "c", "a"], ranking.Rows.Select(r => r.ConfigKey));
        Assert.Equal([1, 2, 3], ranking.Rows.Select(r => r.Rank));
    }

    [Fact]
    public void Minimize_ranks_by_the_mean_not_by_the_best_seed()
    {
        TrialResult[] results =
        [
            Completed("lucky", 0, Metrics(0.01)), Completed("lucky", 1, Metrics(0.59)), // mean 0.30, best seed 0.01
            Completed("steady", 0, Metrics(0.2)), Completed("steady", 1, Metrics(0.2)),  // mean 0.20
        ];

        var ranking = Ranker.Rank("s", MinCalibration, results);

        Assert.Equal(["steady", "lucky"], ranking.Rows.Select(r => r.ConfigKey));
    }

    [Fact]
    public void Maximize_orders_by_descending_mean_of_the_metric()
    {
        TrialResult[] results =
        [
            Completed("a", 0, Metrics(0.1, evalAccuracy: 0.70)),
            Completed("b", 0, Metrics(0.2, evalAccuracy: 0.95)),
            Completed("c", 0, Metrics(0.3, evalAccuracy: 0.80)),
        ];

        var ranking = Ranker.Rank("s", MaxAccuracy, results);

        Assert.Equal(["b", "c", "a"], ranking.Rows.Select(r => r.ConfigKey));
        Assert.Equal([1, 2, 3], ranking.Rows.Select(r => r.Rank));
    }

    [Fact]
    public void Same_results_rank_in_opposite_orders_for_minimize_and_maximize()
    {
        TrialResult[] results =
        [
            Completed("low", 0, Metrics(0.1)),
            Completed("high", 0, Metrics(0.9)),
        ];

        var min = Ranker.Rank("s", new MetricSpec(MetricNames.CalibrationError, MetricGoal.Minimize), results);
        var max = Ranker.Rank("s", new MetricSpec(MetricNames.CalibrationError, MetricGoal.Maximize), results);

        Assert.Equal(["low", "high"], min.Rows.Select(r => r.ConfigKey));
        Assert.Equal(["high", "low"], max.Rows.Select(r => r.ConfigKey));
    }

    [Fact]
    public void Ties_on_the_metric_are_broken_by_lower_eval_loss()
    {
        TrialResult[] results =
        [
            Completed("a", 0, Metrics(0.2, evalLoss: 0.9)),
            Completed("b", 0, Metrics(0.2, evalLoss: 0.1)),
            Completed("c", 0, Metrics(0.2, evalLoss: 0.5)),
        ];

        var ranking = Ranker.Rank("s", MinCalibration, results);

        Assert.Equal(["b", "c", "a"], ranking.Rows.Select(r => r.ConfigKey));
    }

    [Fact]
    public void Ties_under_maximize_are_still_broken_by_lower_eval_loss()
    {
        TrialResult[] results =
        [
            Completed("a", 0, Metrics(0.2, evalLoss: 0.9, evalAccuracy: 0.8)),
            Completed("b", 0, Metrics(0.2, evalLoss: 0.1, evalAccuracy: 0.8)),
        ];

        var ranking = Ranker.Rank("s", MaxAccuracy, results);

        Assert.Equal(["b", "a"], ranking.Rows.Select(r => r.ConfigKey));
    }

    [Fact]
    public void All_diverged_ranks_after_every_completed_config_and_all_failed_after_all_diverged()
    {
        TrialResult[] results =
        [
            Failed("failed", 0), Failed("failed", 1),
            Diverged("diverged", 0), Diverged("diverged", 1),
            // One completed seed, with a terrible metric, is enough to rank among the completed.
            Completed("bad", 0, Metrics(0.99, evalLoss: 9)), Diverged("bad", 1),
            Completed("good", 0, Metrics(0.01)), Completed("good", 1, Metrics(0.03)),
        ];

        foreach (var metric in new[] { MinCalibration, MaxAccuracy })
        {
            var ranking = Ranker.Rank("s", metric, results);
            Assert.Equal(4, ranking.Rows.Count);
            Assert.Equal(["diverged", "failed"], ranking.Rows.Skip(2).Select(r => r.ConfigKey));
            Assert.Equal(["bad", "good"], ranking.Rows.Take(2).Select(r => r.ConfigKey).Order());
            Assert.Equal([1, 2, 3, 4], ranking.Rows.Select(r => r.Rank));
        }

        var byCalibration = Ranker.Rank("s", MinCalibration, results);
        Assert.Equal(["good", "bad", "diverged", "failed"], byCalibration.Rows.Select(r => r.ConfigKey));

        var bad = byCalibration.Rows[1];
        Assert.Equal((1, 1, 0, 2), (bad.Completed, bad.Diverged, bad.Failed, bad.Trials));
        Assert.Equal(1, bad.Metrics[MetricNames.CalibrationError].N);
        Assert.Equal(0.99, bad.Metrics[MetricNames.CalibrationError].Mean);
        Assert.Equal(0.0, bad.Metrics[MetricNames.CalibrationError].StdDev);

        var diverged = byCalibration.Rows[2];
        Assert.Equal((0, 2, 0), (diverged.Completed, diverged.Diverged, diverged.Failed));
        Assert.Empty(diverged.Metrics);
        var failed = byCalibration.Rows[3];
        Assert.Equal((0, 0, 2), (failed.Completed, failed.Diverged, failed.Failed));
        Assert.Empty(failed.Metrics);
    }

    [Fact]
    public void A_config_with_diverged_and_failed_seeds_but_none_completed_ranks_with_the_diverged()
    {
        TrialResult[] results =
        [
            Failed("all-failed", 0),
            Diverged("mixed", 0), Failed("mixed", 1),
            Completed("ok", 0, Metrics(0.5)),
        ];

        var ranking = Ranker.Rank("s", MinCalibration, results);

        Assert.Equal(["ok", "mixed", "all-failed"], ranking.Rows.Select(r => r.ConfigKey));
    }

    [Fact]
    public void A_completed_config_with_a_nan_metric_ranks_after_finite_ones_but_before_diverged()
    {
        TrialResult[] results =
        [
            Diverged("diverged", 0),
            Completed("nan", 0, Metrics(double.NaN)),
            Completed("finite", 0, Metrics(0.9)),
        ];

        foreach (var goal in new[] { MetricGoal.Minimize, MetricGoal.Maximize })
        {
            var ranking = Ranker.Rank("s", new MetricSpec(MetricNames.CalibrationError, goal), results);
            Assert.Equal(["finite", "nan", "diverged"], ranking.Rows.Select(r => r.ConfigKey));
        }
    }

    [Fact]
    public void Labels_are_carried_onto_their_rows_and_unlabelled_rows_have_none()
    {
        TrialResult[] results =
        [
            Completed("k1", 0, Metrics(0.1)),
            Completed("k2", 0, Metrics(0.2)),
            Diverged("k3", 0),
        ];
        var labels = new Dictionary<string, string> { ["k1"] = "relu-sgd", ["k3"] = "sigmoid-sgd", ["unused"] = "x" };

        var ranking = Ranker.Rank("s", MinCalibration, results, labels);

        Assert.Equal(["relu-sgd", null, "sigmoid-sgd"], ranking.Rows.Select(r => r.Label));
        Assert.All(Ranker.Rank("s", MinCalibration, results).Rows, r => Assert.Null(r.Label));
    }

    [Fact]
    public void Ranking_does_not_depend_on_input_order()
    {
        TrialResult[] results =
        [
            Completed("a", 0, Metrics(0.3)), Completed("b", 0, Metrics(0.1)), Diverged("c", 0),
            Completed("a", 1, Metrics(0.2)), Completed("b", 1, Metrics(0.4)), Failed("d", 0),
            Completed("e", 0, Metrics(0.25, evalLoss: 0.1)), Completed("f", 0, Metrics(0.25, evalLoss: 0.1)),
        ];

        var forward = Ranker.Rank("s", MinCalibration, results);
        var backward = Ranker.Rank("s", MinCalibration, results.Reverse());

        Assert.Equal(forward.Rows.Select(r => r.ConfigKey), backward.Rows.Select(r => r.ConfigKey));
        Assert.Equal(forward.Rows.Select(r => r.Metrics[MetricNames.CalibrationError].Mean).Take(4),
                     backward.Rows.Select(r => r.Metrics[MetricNames.CalibrationError].Mean).Take(4));
    }

    [Fact]
    public void No_results_give_an_empty_ranking()
    {
        var ranking = Ranker.Rank("empty", MinCalibration, []);
        Assert.Empty(ranking.Rows);
        Assert.Equal("empty", ranking.Name);
    }
}
