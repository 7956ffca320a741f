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

public sealed class SweepHyperbandOrderTests
{
    private static readonly HyperbandSpec Spec = new(MinIter: 2, MaxIter: null, S: null, Eta: 3, Strict: true);
    private static readonly MetricSpec Metric = new(MetricNames.CalibrationError, MetricGoal.Minimize);

    /// <summary>
    /// A sweep of units × seeds trials of 20 epochs (bands 2, 6, 18), each with fixed metric values at every band,
    /// played as the coordinator plays it: band reports and results arrive in the order <paramref name="random"/> makes,
    /// a stop reaches a trial only if it is still training, and a trial that finished first is cut by the coordinator.
    /// Returns each trial's final stop epoch (null: completed).
    /// </summary>
    private static Dictionary<string, int?> Play(int units, int seeds, int valueSeed, Random random)
    {
        var values = new Random(valueSeed);
        var trials = new List<TrialSpec>();
        for (int u = 0; u < units; u++)
            for (int s = 0; s < seeds; s++)
                trials.Add(TrialIdentity.Create(new TrialConfig { LearningRate = 0.001 * (u + 1), Epochs = 20 }, s, trials.Count));
        int[] bands = [2, 6, 18];
        var metric = trials.ToDictionary(t => t.Id, _ => bands.ToDictionary(b => b, _ => Math.Round(values.NextDouble(), 2)));

        var hyperband = new SweepHyperband(Spec, Metric);
        foreach (var t in trials) hyperband.Asked(t);
        var stopAt = new Dictionary<string, int>();      // stops the trial heard of while training
        var position = trials.ToDictionary(t => t.Id, _ => 0); // bands reported so far
        var done = new HashSet<string>();
        var final = new Dictionary<string, int?>();
        var undecided = new Dictionary<string, TrialSpec>();
        while (done.Count < trials.Count || undecided.Count > 0)
        {
            var training = trials.Where(t => !done.Contains(t.Id)).ToList();
            if (training.Count > 0)
            {
                var t = training[random.Next(training.Count)];
                int next = position[t.Id];
                bool stopHere = stopAt.TryGetValue(t.Id, out int stopEpoch) && next > 0 && bands[next - 1] >= stopEpoch;
                if (next < bands.Length && !stopHere)
                {
                    hyperband.Report(t, bands[next], new TrialMetrics(0, 0, 0, 0, metric[t.Id][bands[next]], 0, 0));
                    position[t.Id] = next + 1;
                }
                else
                {
                    // It finishes: completed with every band, or stopped at the band it was told.
                    var snapshots = bands.Take(position[t.Id]).Where(b => !stopHere || b <= stopEpoch)
                        .Select(b => new BandSnapshot(b, new TrialMetrics(0, 0, 0, 0, metric[t.Id][b], 0, 0), [], new NetworkWeights([], [], [], []))).ToList();
                    int epochs = stopHere ? stopEpoch : 20;
                    var status = stopHere ? TrialStatus.Stopped : TrialStatus.Completed;
                    hyperband.Finished(new TrialResult(t, new TrainingOutcome(status, [.. Enumerable.Repeat(0.1, epochs)], Bands: snapshots), "s", 1, 1));
                    done.Add(t.Id);
                    undecided[t.Id] = t;
                }
            }
            foreach (var (id, epoch) in hyperband.TakeStops())
                if (!done.Contains(id)) stopAt[id] = Math.Min(stopAt.GetValueOrDefault(id, int.MaxValue), epoch);
            foreach (var t in undecided.Values.ToList())
            {
                if (!hyperband.IsSettled(t)) continue;
                final[t.Id] = hyperband.StoppedAt(t);
                undecided.Remove(t.Id);
            }
            if (training.Count == 0 && undecided.Count > 0) throw new InvalidOperationException("results left undecided with nothing training");
        }
        return final;
    }

    [Fact]
    public void The_stops_do_not_depend_on_the_order_reports_and_results_arrive_in()
    {
        for (int valueSeed = 0; valueSeed < 40; valueSeed++)
        {
            var expected = Play(units: 6, seeds: 2, valueSeed, new Random(0));
            for (int order = 1; order < 15; order++)
                Assert.Equal(expected, Play(units: 6, seeds: 2, valueSeed, new Random(order)));
        }
    }
}
