using CsCheck;
using TinyNet.Sweeps.Domain.Search;
using TinyNet.Sweeps.Domain.Sweeps;

namespace TinyNet.Sweeps.Domain.Tests.Search;

/// <summary>The deterministic stopper: W&amp;B's rule over trials 0..i, whatever order reports arrive in.</summary>
public class HyperbandStopperTests
{
    private static readonly HyperbandSpec Bands1And3 = new(null, 9, 2, 3); // bands 1, 3

    private static HyperbandStopper Stopper(bool strict = true, MetricGoal goal = MetricGoal.Minimize) =>
        new(Bands1And3 with { Strict = strict }, goal);

    [Fact]
    public void Bands_are_distinct_and_ascending()
    {
        Assert.Equal([1, 3], Stopper().Bands);
        Assert.Equal([80], new HyperbandStopper(new HyperbandSpec(null, 81, 3, 1.0001), MetricGoal.Minimize).Bands); // W&B: [80, 80, 80]
    }

    [Fact] // C5 for the stopper
    public void A_lone_trial_is_never_stopped()
    {
        var stopper = Stopper();
        stopper.Report(0, 1, 100);
        stopper.Report(0, 3, 100);
        Assert.Equal([new HyperbandDecision(0, 1, false), new HyperbandDecision(0, 3, false)], stopper.Decide());
        Assert.Empty(stopper.Decide()); // each decision is delivered once
    }

    [Fact]
    public void Trial_i_is_judged_against_trials_0_to_i_only()
    {
        var stopper = Stopper();
        stopper.Report(0, 1, 5);
        stopper.Report(1, 1, 9); // threshold over [5, 9]: index int(2/3) = 0 -> 5; 9 > 5
        stopper.Report(2, 1, 1); // over [1, 5, 9]: index 1 -> 5; 1 stays
        stopper.Report(3, 1, 7); // over [1, 5, 7, 9]: index 1 -> 5; 7 > 5
        Assert.Equal(
            [new HyperbandDecision(0, 1, false), new HyperbandDecision(1, 1, true), new HyperbandDecision(2, 1, false), new HyperbandDecision(3, 1, true)],
            stopper.Decide());
        Assert.Equal(1, stopper.StoppedAt(1));
        Assert.Null(stopper.StoppedAt(2));
        Assert.Null(stopper.StoppedAt(99));
    }

    [Fact]
    public void A_decision_waits_for_every_lower_index_and_never_for_a_higher_one()
    {
        var stopper = Stopper();
        stopper.Report(2, 1, 1);
        stopper.Report(1, 1, 2);
        Assert.Empty(stopper.Decide()); // trial 0 may still reach band 1
        stopper.Report(0, 1, 3);
        Assert.Equal([0, 1, 2], stopper.Decide().Select(d => d.TrialIndex));
        // Trials 3 and up (not asked for yet) block nothing: trial 0's band 3 is decided alone.
        stopper.Report(0, 3, 3);
        Assert.Equal([new HyperbandDecision(0, 3, false)], stopper.Decide());
    }

    [Fact]
    public void A_trial_that_ended_before_a_band_neither_blocks_nor_counts_there()
    {
        var stopper = Stopper();
        stopper.Report(0, 1, 1);
        stopper.Ended(0, 2); // never reaches band 3
        stopper.Report(1, 1, 0.5);
        stopper.Report(1, 3, 50);
        stopper.Decide();
        Assert.Null(stopper.StoppedAt(1)); // alone at band 3
        stopper.Ended(2, 0); // failed at once: settled at every band
        stopper.Report(3, 1, 3);
        Assert.Equal([new HyperbandDecision(3, 1, true)], stopper.Decide()); // over [0.5, 1, 3]: index 1 -> 1
    }

    [Fact]
    public void A_stopped_trial_reporting_on_before_it_heard_does_not_count_at_later_bands()
    {
        var stopper = Stopper();
        stopper.Report(0, 1, 1);
        stopper.Report(1, 1, 9); // stopped at 1 ...
        stopper.Report(1, 3, 0); // ... but trained on before it heard
        stopper.Ended(1, 3);
        stopper.Report(0, 3, 5);
        stopper.Report(2, 1, 0);
        stopper.Report(2, 3, 6);
        var decisions = stopper.Decide();
        Assert.DoesNotContain(decisions, d => d is { TrialIndex: 1, Band: 3 });
        // Trial 2 at band 3 is judged over [5, 6] (trial 1's 0 does not count): index 0 -> 5; 6 > 5.
        Assert.Contains(new HyperbandDecision(2, 3, true), decisions);
    }

    [Fact]
    public void Non_strict_compares_the_best_band_value_so_far()
    {
        foreach (bool strict in new[] { true, false })
        {
            var stopper = Stopper(strict);
            stopper.Report(0, 1, 5);
            stopper.Report(0, 3, 2);
            stopper.Report(1, 1, 0.5); // the best band value
            stopper.Report(1, 3, 3); // over [2, 3]: index 0 -> 2
            stopper.Decide();
            Assert.Equal(strict ? 3 : null, stopper.StoppedAt(1));
        }
    }

    [Fact]
    public void Maximize_stops_the_lower_values()
    {
        var stopper = Stopper(goal: MetricGoal.Maximize);
        stopper.Report(0, 1, 0.9);
        stopper.Report(1, 1, 0.1);
        stopper.Decide();
        Assert.Equal(1, stopper.StoppedAt(1));
    }

    [Fact]
    public void A_non_finite_value_keeps_the_trial_and_stays_out_of_the_threshold()
    {
        var stopper = Stopper();
        stopper.Report(0, 1, double.NaN);
        stopper.Report(1, 1, double.PositiveInfinity);
        stopper.Report(2, 1, 4);
        stopper.Report(3, 1, 5); // over [4, 5] only: index 0 -> 4; 5 > 4
        Assert.Equal([false, false, false, true], stopper.Decide().Select(d => d.Stop));
    }

    [Fact]
    public void Reports_are_idempotent_and_a_different_value_is_a_bug()
    {
        var stopper = Stopper();
        stopper.Report(0, 1, 0.25);
        stopper.Report(0, 1, 0.25); // retrained after a silo loss
        stopper.Report(0, 3, double.NaN);
        stopper.Report(0, 3, double.NaN);
        stopper.Ended(0, 5);
        stopper.Ended(0, 5);
        Assert.Equal(2, stopper.Decide().Count);
        stopper.Report(0, 1, 0.25); // after the decision too
        Assert.Empty(stopper.Decide());

        var e = Assert.Throws<InvalidOperationException>(() => stopper.Report(0, 1, 0.5));
        Assert.Equal("trial 0 reported band 1 twice with different values (0.25, then 0.5); a retrained trial must reproduce its values", e.Message);
        Assert.Throws<InvalidOperationException>(() => stopper.Ended(0, 6));
    }

    [Fact]
    public void Reports_that_break_the_protocol_throw()
    {
        var stopper = Stopper();
        Assert.Throws<ArgumentException>(() => stopper.Report(0, 2, 1)); // not a band
        Assert.Throws<ArgumentOutOfRangeException>(() => stopper.Report(-1, 1, 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => stopper.Ended(0, -1));
        stopper.Ended(0, 2);
        Assert.Equal("trial 0 ended after 2 epochs but reports band 3",
            Assert.Throws<InvalidOperationException>(() => stopper.Report(0, 3, 1)).Message);
        stopper.Report(1, 3, 1);
        Assert.Equal("trial 1 reported band 3 but ended after 2 epochs",
            Assert.Throws<InvalidOperationException>(() => stopper.Ended(1, 2)).Message);
    }

    [Fact]
    public void A_spec_without_bands_cannot_make_a_stopper()
    {
        Assert.Throws<ArgumentException>(() => new HyperbandStopper(new HyperbandSpec(null, 2, 2, 3), MetricGoal.Minimize));
    }

    // ---- Order independence ----

    /// <summary>A sweep's trials as they would train if never stopped: epochs and the value at each band.</summary>
    public sealed record Scenario(HyperbandSpec Spec, MetricGoal Goal, int[] Epochs, double[][] Values, int Known, int ArrivalSeed, bool[] Prompt)
    {
        public override string ToString() =>
            $"{Spec}, {Goal}, known {Known}, seed {ArrivalSeed}\n" + string.Join("\n", Epochs.Select((e, i) =>
                $"  trial {i}: {e} epochs, values [{string.Join(", ", Values[i])}]{(Prompt[i] ? ", ends when stopped" : "")}"));
    }

    private static readonly Gen<Scenario> Scenarios =
        from spec in Gen.OneOf(Gen.Const(new HyperbandSpec(1, null, null, 2)), Gen.Const(new HyperbandSpec(null, 9, 2, 3)),
            Gen.Const(new HyperbandSpec(2, null, null, 1.5)), Gen.Const(new HyperbandSpec(null, 10, 3, 2)))
        from strict in Gen.Bool
        from goal in Gen.OneOf(Gen.Const(MetricGoal.Minimize), Gen.Const(MetricGoal.Maximize))
        from n in Gen.Int[1, 8]
        from epochs in Gen.Int[0, 10].Array[n]
        from values in Gen.Frequency((12, Gen.Int[0, 4].Select(v => (double)v)), (1, Gen.Const(double.NaN)), (1, Gen.Const(double.PositiveInfinity)))
            .Array[6].Array[n]
        from known in Gen.Int[1, n]
        from seed in Gen.Int
        from prompt in Gen.Bool.Array[n]
        select new Scenario(spec with { Strict = strict }, goal, epochs, values, known, seed, prompt);

    /// <summary>W&amp;B's rule applied band by band, trial by trial, with a sort per decision: the reference.</summary>
    private static Dictionary<(int Trial, int Band), bool> SequentialReplay(Scenario s)
    {
        var bands = Hyperband.Bands(s.Spec).Distinct().ToList();
        var decisions = new Dictionary<(int, int), bool>();
        var stopped = new HashSet<int>();
        var best = Enumerable.Repeat(double.PositiveInfinity, s.Epochs.Length).ToArray();
        for (int k = 0; k < bands.Count; k++)
        {
            var reached = new List<double>();
            for (int i = 0; i < s.Epochs.Length; i++)
            {
                if (stopped.Contains(i) || s.Epochs[i] < bands[k])
                    continue;
                double value = s.Values[i][k];
                bool stop = false;
                if (double.IsFinite(value))
                {
                    double oriented = s.Goal == MetricGoal.Maximize ? -value : value;
                    reached.Add(oriented);
                    best[i] = Math.Min(best[i], oriented);
                    var sorted = reached.Order().ToList();
                    stop = (s.Spec.Strict ? oriented : best[i]) > sorted[(int)(1.0 / s.Spec.Eta * sorted.Count)];
                }
                decisions[(i, bands[k])] = stop;
                if (stop)
                    stopped.Add(i);
            }
        }
        return decisions;
    }

    [Fact]
    public void The_decisions_are_the_same_whatever_order_reports_arrive_in()
    {
        Scenarios.Sample(s =>
        {
            var expected = SequentialReplay(s).Where(d => d.Key.Trial < s.Known).ToDictionary();
            var bands = Hyperband.Bands(s.Spec).Distinct().ToList();
            var random = new Random(s.ArrivalSeed);

            // Every report a known trial makes: up to its last epoch, or, when it ends promptly, up to its stop.
            var events = new List<Action<HyperbandStopper>>();
            for (int i = 0; i < s.Known; i++)
            {
                int trial = i;
                int? stopBand = expected.Where(d => d.Key.Trial == trial && d.Value).Select(d => (int?)d.Key.Band).FirstOrDefault();
                int last = s.Prompt[trial] && stopBand is int b ? b : s.Epochs[trial];
                for (int k = 0; k < bands.Count && bands[k] <= last; k++)
                {
                    int band = bands[k];
                    double value = s.Values[trial][k];
                    events.Add(stopper => stopper.Report(trial, band, value));
                    if (random.Next(4) == 0)
                        events.Add(stopper => stopper.Report(trial, band, value)); // a retrained trial
                }
                events.Add(stopper => stopper.Ended(trial, last));
            }
            random.Shuffle(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(events));

            var stopperUnderTest = new HyperbandStopper(s.Spec, s.Goal);
            var made = new List<HyperbandDecision>();
            foreach (var report in events)
            {
                report(stopperUnderTest);
                if (random.Next(3) == 0)
                    made.AddRange(stopperUnderTest.Decide());
            }
            made.AddRange(stopperUnderTest.Decide());

            Assert.Equal(made.Count, made.Select(d => (d.TrialIndex, d.Band)).Distinct().Count()); // each made once
            Assert.Equal(expected.OrderBy(d => d.Key), made.Select(d => KeyValuePair.Create((d.TrialIndex, d.Band), d.Stop)).OrderBy(d => d.Key));
        }, iter: 3000);
    }

    // ---- The savings bound ----

    [Fact]
    public void Max_savings_is_the_most_any_choice_of_stopped_trials_saves()
    {
        var gen =
            from epochs in Gen.Int[1, 12].Array[0, 5]
            from spec in Gen.OneOf(Gen.Const(new HyperbandSpec(1, null, null, 2)), Gen.Const(new HyperbandSpec(null, 9, 2, 3)),
                Gen.Const(new HyperbandSpec(2, null, null, 1.5)), Gen.Const(new HyperbandSpec(1, null, null, 3)))
            select (epochs, spec);
        gen.Sample((epochs, spec) =>
        {
            var bands = Hyperband.Bands(spec).Distinct().ToList();
            Assert.Equal(BruteForceMax([.. epochs], bands, 0, spec.Eta), Hyperband.MaxSavings(epochs, spec).MaxEpochsSaved);
        }, iter: 200);

        // Every subset of at most n - int(n/eta) - 1 of each band's cohort, over every band.
        static long BruteForceMax(List<int> training, List<int> bands, int k, double eta)
        {
            if (k == bands.Count)
                return 0;
            var cohort = Enumerable.Range(0, training.Count).Where(i => training[i] >= bands[k]).ToList();
            int most = cohort.Count == 0 ? 0 : cohort.Count - (int)(1.0 / eta * cohort.Count) - 1;
            long best = 0;
            for (int mask = 0; mask < 1 << cohort.Count; mask++)
            {
                var chosen = cohort.Where((_, bit) => (mask >> bit & 1) == 1).ToList();
                if (chosen.Count > most)
                    continue;
                long saved = chosen.Sum(i => (long)training[i] - bands[k]);
                var rest = training.Where((_, i) => !chosen.Contains(i)).ToList();
                best = Math.Max(best, saved + BruteForceMax(rest, bands, k + 1, eta));
            }
            return best;
        }
    }
}
