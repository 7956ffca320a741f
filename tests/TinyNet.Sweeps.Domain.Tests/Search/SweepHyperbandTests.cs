using TinyNet.Sweeps.Domain.Search;
using TinyNet.Sweeps.Domain.Sweeps;
using TinyNet.Sweeps.Domain.Trials;

namespace TinyNet.Sweeps.Domain.Tests.Search;

/// <summary>Hyperband over configurations: seeds are judged together by their mean, and stopped together.</summary>
public sealed class SweepHyperbandTests
{
    // Bands 3, 9, 27, …; with three trials at a band the threshold is the middle value (index int(3 / 3) = 1).
    private static readonly HyperbandSpec Spec = new(MinIter: 3, MaxIter: null, S: null, Eta: 3, Strict: true);
    private static readonly MetricSpec Metric = new(MetricNames.CalibrationError, MetricGoal.Minimize);

    private static TrialSpec Trial(double learningRate, int seed, int index) =>
        TrialIdentity.Create(new TrialConfig { LearningRate = learningRate, Epochs = 12 }, seed, index);

    private static TrialMetrics Calibration(double value) => new(0.1, 0.1, 0.9, 0.1, value, 0.9, 0.6);

    [Fact]
    public void A_configuration_reports_the_mean_of_its_seeds_once_every_seed_reached_the_band_and_is_stopped_whole()
    {
        var hyperband = new SweepHyperband(Spec, Metric);
        TrialSpec a0 = Trial(0.1, 0, 0), a1 = Trial(0.1, 1, 1), b0 = Trial(0.2, 0, 2), b1 = Trial(0.2, 1, 3), c0 = Trial(0.3, 0, 4), c1 = Trial(0.3, 1, 5);
        foreach (var t in new[] { a0, a1, b0, b1, c0, c1 }) hyperband.Asked(t);

        hyperband.Report(a0, 3, Calibration(0.30));
        hyperband.Report(b0, 3, Calibration(0.10));
        hyperband.Report(b1, 3, Calibration(0.10)); // b: mean 0.10
        hyperband.Report(c0, 3, Calibration(0.05));
        hyperband.Report(c1, 3, Calibration(0.95)); // c: mean 0.50, though one seed is the best of all
        Assert.Empty(hyperband.TakeStops()); // nothing is judged before a, the first configuration, has both seeds at the band
        hyperband.Report(a1, 3, Calibration(0.30)); // a: mean 0.30

        // At band 3: a alone (kept), then a and b (kept), then a, b, c: threshold 0.30, and c's 0.50 is worse.
        Assert.Equal([(c0.Id, 3), (c1.Id, 3)], hyperband.TakeStops());
        Assert.Equal(3, hyperband.StoppedAt(c1));
        Assert.True(hyperband.IsSettled(c0));
        Assert.Null(hyperband.StoppedAt(a0));
        Assert.False(hyperband.IsSettled(a0)); // it goes on to the next bands
    }

    [Fact]
    public void With_one_seed_it_is_wandbs_rule_on_single_trials()
    {
        var hyperband = new SweepHyperband(Spec, Metric);
        TrialSpec first = Trial(0.1, 0, 0), second = Trial(0.2, 0, 1), third = Trial(0.3, 0, 2);
        foreach (var t in new[] { first, second, third }) hyperband.Asked(t);

        hyperband.Report(third, 3, Calibration(0.5));
        hyperband.Report(second, 3, Calibration(0.1));
        hyperband.Report(first, 3, Calibration(0.2));

        Assert.Equal([(third.Id, 3)], hyperband.TakeStops());
    }

    [Fact]
    public void A_finished_result_reports_its_snapshots_and_settles_its_configuration_when_every_seed_ended()
    {
        var hyperband = new SweepHyperband(Spec, Metric);
        var only = Trial(0.1, 0, 0);
        hyperband.Asked(only);
        var snapshots = new[] { 3, 9 }.Select(e => new BandSnapshot(e, Calibration(0.2), [], new NetworkWeights([], [], [], []))).ToList();
        var result = new TrialResult(only, new TrainingOutcome(TrialStatus.Completed, [.. Enumerable.Repeat(0.1, 12)], Calibration(0.2), Bands: snapshots), "s", 1, 1);

        hyperband.Finished(result);

        Assert.True(hyperband.IsSettled(only));
        Assert.Null(hyperband.StoppedAt(only));
    }
}
