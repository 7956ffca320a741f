using System.Globalization;
using System.Reflection;
using TinyNet.Sweeps.Domain.Search;
using TinyNet.Sweeps.Domain.Sweeps;

namespace TinyNet.Sweeps.Domain.Tests.Search;

/// <summary>ORACLES.md sections B (bands) and C (W&amp;B's stop rule), checked against wandb/sweeps b1dfc5f.</summary>
public class HyperbandTests
{
    private static HyperbandSpec MinIter(int minIter, double eta = 3, bool strict = true) => new(minIter, null, null, eta, strict);

    private static HyperbandSpec MaxIter(int maxIter, double s, double eta = 3, bool strict = true) => new(null, maxIter, s, eta, strict);

    private static HyperbandRun Running(params double[] history) => new(true, history);

    private static HyperbandRun Finished(params double[] history) => new(false, history);

    // ---- B. Bands ----

    [Fact] // B1
    public void Min_iter_bands_are_min_iter_times_powers_of_eta_up_to_int_max()
    {
        var bands = Hyperband.Bands(MinIter(3, eta: 3));
        Assert.Equal([3, 9, 27, 81], bands.Take(4));
        // W&B computes 100 bands; past int.MaxValue no trial can get, so they are left out: 3^1 .. 3^19.
        Assert.Equal(19, bands.Count);
        Assert.Equal(1_162_261_467, bands[^1]);
    }

    [Fact] // B2
    public void Eta_and_strict_default_to_3_and_true_as_in_wandb_code()
    {
        var spec = new HyperbandSpec(3, null, null);
        Assert.Equal((3.0, true), (spec.Eta, spec.Strict));
        Assert.Equal(HyperbandSpec.DefaultEta, spec.Eta);
        Assert.Equal(Hyperband.Bands(MinIter(3, eta: 3)), Hyperband.Bands(spec));
    }

    [Theory] // B3-B7, B9
    [InlineData(81, 3, 3, new[] { 3, 9, 27 })] // B3
    [InlineData(18, 2, 3, new[] { 2, 6 })] // B4
    [InlineData(27, 2, 3, new[] { 3, 9 })] // B5 (default eta)
    [InlineData(5, 2, 2, new[] { 1, 2 })] // B6
    [InlineData(9, 2, 3, new[] { 1, 3 })] // B6
    [InlineData(1000, 2, 3, new[] { 111, 333 })] // B7
    [InlineData(3, 2, 3, new[] { 1 })] // B7
    [InlineData(10, 3, 2, new[] { 1, 2, 5 })] // B7
    [InlineData(100, 4, 3, new[] { 1, 3, 11, 33 })] // B7
    [InlineData(10, 3, 3, new[] { 1, 3 })] // B7
    public void Max_iter_bands_divide_by_eta_s_times_and_stop_below_one(int maxIter, int s, double eta, int[] expected)
    {
        Assert.Equal(expected, Hyperband.Bands(MaxIter(maxIter, s, eta)));
    }

    [Fact] // B8
    public void Fractional_eta_multiplies_in_floating_point_then_truncates()
    {
        var bands = Hyperband.Bands(MinIter(30, eta: 1.5));
        Assert.Equal([30, 45, 67, 101, 151, 227, 341, 512, 768, 1153, 1729, 2594], bands.Take(12));
        Assert.Equal(45, bands.Count); // the rest of W&B's 100 are beyond int.MaxValue
        Assert.Equal(1_679_332_346, bands[^1]);
    }

    [Fact] // B9
    public void Max_iter_wins_over_min_iter()
    {
        Assert.Equal([5, 16], Hyperband.Bands(new HyperbandSpec(5, 50, 2, 3)));
    }

    [Fact] // B10
    public void No_band_is_wandbs_error_as_a_failure_value_and_as_an_exception()
    {
        const string message = "Bands must be an array of length at least 1. Try increasing s, decreasing eta, or increasing min_iter.";
        Assert.False(Hyperband.TryBands(MaxIter(2, 2, 3), out var bands, out string? problem));
        Assert.Empty(bands);
        Assert.Equal(message, problem);
        Assert.Equal(message, Hyperband.NoBandsMessage);
        Assert.StartsWith(message, Assert.Throws<ArgumentException>(() => Hyperband.Bands(MaxIter(2, 2, 3))).Message);
        Assert.False(Hyperband.TryBands(MaxIter(81, 0), out _, out _)); // range(0) is empty too
    }

    [Fact]
    public void An_eta_barely_above_one_cannot_make_the_max_iter_form_loop_for_hours()
    {
        Assert.False(Hyperband.TryBands(MaxIter(1000, 1e15, eta: 1.000000001), out _, out string? problem));
        Assert.Contains($"more than {Hyperband.MaxBands} bands", problem);
    }

    [Fact]
    public void A_spec_the_reader_refuses_is_a_programming_error()
    {
        Assert.Throws<ArgumentException>(() => Hyperband.Bands(MinIter(3, eta: 1)));
        Assert.Throws<ArgumentException>(() => Hyperband.Bands(MinIter(0)));
        Assert.Throws<ArgumentException>(() => Hyperband.Bands(new HyperbandSpec(null, 27, null)));
        Assert.Throws<ArgumentException>(() => Hyperband.Bands(MaxIter(27, 2.5)));
        Assert.Throws<ArgumentException>(() => Hyperband.Bands(new HyperbandSpec(null, null, null)));
    }

    // ---- C. W&B's stateless stop rule ----

    [Theory] // C1, and the same with strict false
    [InlineData(true)]
    [InlineData(false)]
    public void Five_runs_stop_the_one_below_the_first_band_threshold(bool strict)
    {
        var verdict = Hyperband.StopRuns(
            [Finished(10, 9), Running(10, 10), Running(10, 8, 8), Running(10, 7, 7), Finished(10, 6, 6)],
            MetricGoal.Minimize, MaxIter(5, 2, eta: 2, strict));
        Assert.Equal([1, 2], verdict.Bands);
        Assert.Equal([10.0, 8.0], verdict.Thresholds);
        Assert.Equal([1], verdict.RunsToStop);
    }

    [Fact] // C2
    public void A_run_short_of_a_band_is_judged_at_the_band_below()
    {
        var verdict = Hyperband.StopRuns(
            [Finished(10), Running(11), Running(10, 8, 8), Running(10, 7, 7), Finished(10, 6, 6)],
            MetricGoal.Minimize, MaxIter(5, 2, eta: 2));
        Assert.Equal([10.0, 7.0], verdict.Thresholds);
        Assert.Equal([1, 2], verdict.RunsToStop);
    }

    [Fact] // C3 (the upstream comment's "7 and 4" is stale: the thresholds are 10 and 4)
    public void Non_strict_compares_the_best_value_so_far()
    {
        var verdict = Hyperband.StopRuns(
            [Finished(9, 8), Running(11, 11), Running(10, 8, 3), Running(10, 7, 4), Running(10, 6, 6)],
            MetricGoal.Minimize, MaxIter(9, 2, eta: 3, strict: false));
        Assert.Equal([1, 3], verdict.Bands);
        Assert.Equal([10.0, 4.0], verdict.Thresholds);
        Assert.Equal([1, 4], verdict.RunsToStop);
    }

    [Fact] // C4
    public void Maximize_negates_every_value()
    {
        var verdict = Hyperband.StopRuns(
            [Finished(-10, -9), Running(-11, -11), Running(-10, -8, -5, -3), Running(-10, -6, -2), Running(-10, -6, -6, -6)],
            MetricGoal.Maximize, MaxIter(9, 2, eta: 3, strict: false));
        Assert.Equal([10.0, 5.0], verdict.Thresholds); // negated, as W&B's info["thresholds"]
        Assert.Equal([1, 4], verdict.RunsToStop);
    }

    [Theory] // C5
    [InlineData(true)]
    [InlineData(false)]
    public void A_single_run_is_its_own_threshold_and_never_stopped(bool strict)
    {
        var verdict = Hyperband.StopRuns([Running(10, 9, 8, 7, 6, 5, 4, 3, 2, 1)], MetricGoal.Minimize, MaxIter(18, 2, 3, strict));
        Assert.Empty(verdict.RunsToStop);
    }

    [Fact] // C6
    public void Two_runs_that_tie_at_the_first_band_both_pass()
    {
        var verdict = Hyperband.StopRuns(
            [Running(10, 10, 6), Running(10, 9, 8, 7, 6, 5, 4, 3, 2, 1)],
            MetricGoal.Minimize, MaxIter(18, 2, 3, strict: false));
        Assert.Empty(verdict.RunsToStop);
    }

    public static TheoryData<HyperbandSpec> C7Specs => new() { MinIter(3, eta: 3), MaxIter(81, 3, eta: 3), MaxIter(18, 2, eta: 3) };

    [Theory] // C7
    [MemberData(nameof(C7Specs))]
    public void A_flat_run_is_stopped_beside_an_improving_one(HyperbandSpec spec)
    {
        double[] improving = [.. Enumerable.Range(0, 10).Select(i => 10.0 - i)];
        Assert.Equal([0], Hyperband.StopRuns([Running(10, 10, 10, 10), Running(improving)], MetricGoal.Minimize, spec).RunsToStop);

        double[] rising = [.. Enumerable.Range(0, 10).Select(i => 10.0 + i)];
        Assert.Equal([0], Hyperband.StopRuns([Running(10, 10, 10, 10), Running(rising)], MetricGoal.Maximize, spec).RunsToStop);
    }

    [Fact] // C8
    public void Strict_and_non_strict_differ_on_a_run_that_was_good_earlier()
    {
        HyperbandRun[] runs = [Finished(5, 1), Finished(5, 2), Running(0.5, 3)];
        var strict = Hyperband.StopRuns(runs, MetricGoal.Minimize, MinIter(2, eta: 2));
        Assert.Equal(2.0, strict.Thresholds[0]); // band 2
        Assert.Equal([2], strict.RunsToStop); // 3 > 2
        Assert.Empty(Hyperband.StopRuns(runs, MetricGoal.Minimize, MinIter(2, eta: 2, strict: false)).RunsToStop); // best 0.5 <= 2
    }

    [Fact] // C9
    public void A_run_before_the_first_band_or_equal_to_the_threshold_stays()
    {
        Assert.Empty(Hyperband.StopRuns([Finished(1, 1, 1), Running(9, 9)], MetricGoal.Minimize, MinIter(3)).RunsToStop);
        var tie = Hyperband.StopRuns([Finished(5), Running(5)], MetricGoal.Minimize, MinIter(1, eta: 2));
        Assert.Equal(5.0, tie.Thresholds[0]);
        Assert.Empty(tie.RunsToStop); // strictly greater stops, equal does not
    }

    [Fact] // C10
    public void Non_finite_values_are_not_iterations()
    {
        // W&B's test: a running run logged 19.69 then "NaN" 56 times, beside two finished runs of 61 values.
        double[] diverged = [19.68895149230957, .. Enumerable.Repeat(double.NaN, 56)];
        double[] Finished61(double start) => [.. Enumerable.Range(0, 61).Select(i => start - 0.03 * i)];
        var verdict = Hyperband.StopRuns([Running(diverged), Finished(Finished61(6.2)), Finished(Finished61(6.8))],
            MetricGoal.Minimize, MaxIter(300, 2, eta: 3));
        Assert.Equal([33, 100], verdict.Bands);
        Assert.Empty(verdict.RunsToStop);

        // NaN and infinities are skipped, so the finite values shift down: [5, 1] is two iterations, and 1 is the 2nd.
        var shifted = Hyperband.StopRuns([Finished(0, 0.5), Running(5, double.NaN, 1, double.PositiveInfinity)],
            MetricGoal.Minimize, MinIter(2, eta: 2));
        Assert.Equal(1.0, shifted.Thresholds[0]);
        Assert.Empty(shifted.RunsToStop);
    }

    [Fact] // C11: rows without the metric are not in a run's history
    public void Iterations_count_the_metric_history_only()
    {
        // W&B turns rows [{loss:10},{a:9},{loss:6},{a:1},{loss:1}] into [10, 6, 1]; HyperbandRun takes that history
        // itself, so the third value is the one at band 3.
        var verdict = Hyperband.StopRuns([Finished(10, 6, 0.5), Running(10, 6, 1)], MetricGoal.Minimize, MinIter(3, eta: 2));
        Assert.Equal(1.0, verdict.Thresholds[0]);
        Assert.Empty(verdict.RunsToStop);
    }

    [Fact] // C12, the rule's part (the reader's part is in EarlyTerminateReaderTests)
    public void No_runs_means_nothing_to_stop()
    {
        var verdict = Hyperband.StopRuns([], MetricGoal.Minimize, MinIter(100));
        Assert.Empty(verdict.RunsToStop);
        Assert.All(verdict.Thresholds, t => Assert.Equal(double.PositiveInfinity, t));
    }

    /// <summary>W&amp;B's tests/data/hyper-data.yaml: 116 runs of up to 100 values of 'metric', maximized.</summary>
    private static List<double[]> HyperData()
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("hyper-data.txt")!;
        using var reader = new StreamReader(stream);
        return [.. reader.ReadToEnd().Split('\n')
            .Where(line => line.Length > 0 && !line.StartsWith('#'))
            .Select(line => line.Split(',').Select(v => double.Parse(v, CultureInfo.InvariantCulture)).ToArray())];
    }

    [Fact] // C13, test_hyperband_extensive_relaxed
    public void Extensive_data_relaxed_stops_15_then_10_then_5()
    {
        var data = HyperData();
        Assert.Equal(116, data.Count);
        var spec = MinIter(30, eta: 1.5, strict: false); // bands 30, 45, 67
        var stopped = new HashSet<int>();
        int?[] cuts = [30 + 2, 45 + 2, null];
        int[] expected = [15, 10, 5];
        for (int round = 0; round < cuts.Length; round++)
        {
            var alive = Enumerable.Range(0, data.Count).Where(i => !stopped.Contains(i)).ToList();
            var runs = alive.Select(i => Running(cuts[round] is int cut ? data[i][..Math.Min(cut, data[i].Length)] : data[i])).ToList();
            var verdict = Hyperband.StopRuns(runs, MetricGoal.Maximize, spec);
            Assert.Equal(expected[round], verdict.RunsToStop.Count);
            stopped.UnionWith(verdict.RunsToStop.Select(r => alive[r]));
        }
        Assert.Equal(30, stopped.Count);
    }

    [Theory] // C13, test_hyperband_extensive_strict, forward and shuffled
    [InlineData(false)]
    [InlineData(true)]
    public void Extensive_data_strict_stops_about_the_fraction_one_minus_one_over_eta_per_band(bool shuffled)
    {
        var data = HyperData();
        if (shuffled)
            new Random(7).Shuffle(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(data));
        var spec = MinIter(30, eta: 1.5);
        var stopped = new HashSet<int>();
        var counts = new List<int>();
        foreach (int band in new[] { 30, 45, 67 })
        {
            var alive = Enumerable.Range(0, data.Count).Where(i => !stopped.Contains(i)).ToList();
            var verdict = Hyperband.StopRuns([.. alive.Select(i => Running(data[i][..(band + 5)]))], MetricGoal.Maximize, spec);
            int fraction = (int)(alive.Count * (1 - 1 / 1.5)); // W&B's calculate_correct_stopped
            Assert.InRange(verdict.RunsToStop.Count, fraction - 1, fraction + 1);
            counts.Add(verdict.RunsToStop.Count);
            stopped.UnionWith(verdict.RunsToStop.Select(r => alive[r]));
        }
        // Exactly what a replica of W&B's code (Python, from hyperband_stopping.py at b1dfc5f) gives; order does not matter.
        Assert.Equal([38, 25, 17], counts);
    }

    // ---- The bound on savings, for validate ----

    [Fact]
    public void Max_savings_stops_the_longest_trials_at_each_band()
    {
        // 9 trials of 81 epochs, bands 3, 9, 27: stop 9 - int(9/3) - 1 = 5 at 3 (78 each), 4 - 1 - 1 = 2 at 9 (72 each),
        // 2 - 0 - 1 = 1 at 27 (54).
        var savings = Hyperband.MaxSavings(Enumerable.Repeat(81, 9), MaxIter(81, 3));
        Assert.Equal(729, savings.PlannedEpochs);
        Assert.Equal(5 * 78 + 2 * 72 + 54, savings.MaxEpochsSaved);
        Assert.Equal(588.0 / 729, savings.MaxFractionSaved, 12);
    }

    [Fact]
    public void Max_savings_is_zero_when_no_trial_trains_past_a_band()
    {
        Assert.Equal(new HyperbandSavings(20, 0), Hyperband.MaxSavings([10, 10], MinIter(27)));
        Assert.Equal(new HyperbandSavings(0, 0), Hyperband.MaxSavings([], MinIter(3)));
        Assert.Equal(new HyperbandSavings(100, 0), Hyperband.MaxSavings([100], MinIter(3))); // a lone trial is never stopped
    }
}
