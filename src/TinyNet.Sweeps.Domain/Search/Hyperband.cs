using System.Diagnostics.CodeAnalysis;
using TinyNet.Sweeps.Domain.Sweeps;

namespace TinyNet.Sweeps.Domain.Search;

/// <summary>
/// W&amp;B's <c>early_terminate: {type: hyperband, ...}</c> as its code (wandb/sweeps,
/// <c>hyperband_stopping.py</c>) reads it. Defaults are the code's, not the docs': eta 3, strict true.
/// </summary>
/// <param name="MinIter">The first band (min_iter form): the bands are int(min_iter·eta^k).</param>
/// <param name="MaxIter">The max_iter form: the bands are int(max_iter/eta^k) for k = 1..s, those ≥ 1. Wins over
/// <paramref name="MinIter"/> when both are given, as in W&amp;B.</param>
/// <param name="S">How many bands the max_iter form counts back from max_iter. W&amp;B's schema says "number",
/// but its code loops <c>range(s)</c>, so only whole numbers work.</param>
/// <param name="Eta">Keep the best 1/eta at each band; greater than 1.</param>
/// <param name="Strict">Compare a run's value at the band (true) or its best value so far (false).</param>
public sealed record HyperbandSpec(int? MinIter, int? MaxIter, double? S, double Eta = 3, bool Strict = true)
{
    public const double DefaultEta = 3;
}

/// <summary>A run as W&amp;B's stop rule sees it: running or not, and the sweep metric each time it was logged.</summary>
/// <param name="MetricHistory">Every logged value in order; non-finite ones (W&amp;B also skips strings, null and
/// booleans, which a double cannot be) are not iterations.</param>
public sealed record HyperbandRun(bool IsRunning, IReadOnlyList<double> MetricHistory);

/// <summary>
/// One evaluation of W&amp;B's stop rule. <see cref="Thresholds"/> are W&amp;B's <c>info["thresholds"]</c>: negated
/// for a maximized metric (lower is better), +∞ for a band no run has reached.
/// </summary>
/// <param name="RunsToStop">Indexes into the runs given, ascending.</param>
public sealed record HyperbandVerdict(IReadOnlyList<int> Bands, IReadOnlyList<double> Thresholds, IReadOnlyList<int> RunsToStop);

/// <summary>What <see cref="Hyperband.MaxSavings"/> found: a bound, not a prediction.</summary>
public sealed record HyperbandSavings(long PlannedEpochs, long MaxEpochsSaved)
{
    public double MaxFractionSaved => PlannedEpochs == 0 ? 0 : (double)MaxEpochsSaved / PlannedEpochs;
}

/// <summary>
/// W&amp;B's hyperband early termination, exactly as its code computes it: the bands, and the stateless rule
/// that picks running runs to stop. <see cref="HyperbandStopper"/> is the deterministic form a sweep uses.
/// </summary>
public static class Hyperband
{
    /// <summary>W&amp;B's error when the bands come out empty.</summary>
    public const string NoBandsMessage =
        "Bands must be an array of length at least 1. Try increasing s, decreasing eta, or increasing min_iter.";

    /// <summary>
    /// The most bands the max_iter form may give: an eta barely above 1 with a huge s would otherwise loop
    /// for hours. W&amp;B has no such limit; no real sweep comes near it.
    /// </summary>
    public const int MaxBands = 10_000;

    /// <summary>How many bands the min_iter form computes (W&amp;B's <c>range(100)</c>).</summary>
    private const int MinIterBandCount = 100;

    /// <summary>The ascending bands; throws <see cref="ArgumentException"/> where <see cref="TryBands"/> fails.</summary>
    public static IReadOnlyList<int> Bands(HyperbandSpec spec) =>
        TryBands(spec, out var bands, out string? problem) ? bands : throw new ArgumentException(problem, nameof(spec));

    /// <summary>
    /// The bands as W&amp;B computes them, ascending (duplicates kept, as W&amp;B keeps them). Fails with
    /// <see cref="NoBandsMessage"/> when there are none, or when there are more than <see cref="MaxBands"/>.
    /// </summary>
    /// <remarks>
    /// The min_iter form stops at int.MaxValue, where W&amp;B goes on to 100 bands: a trial trains an int number
    /// of epochs, so a larger band is never reached (and W&amp;B itself fails on a float band that overflows).
    /// Arithmetic is W&amp;B's: repeated double multiplication or division, then truncation, so a fractional eta
    /// gives the same bands (30, 45, 67, 101 for min_iter 30, eta 1.5).
    /// A spec the sweep reader would refuse (eta ≤ 1, min_iter &lt; 1, max_iter without a whole s, neither form)
    /// is a programming error and throws.
    /// </remarks>
    public static bool TryBands(HyperbandSpec spec, out IReadOnlyList<int> bands, [NotNullWhen(false)] out string? problem)
    {
        CheckSpec(spec);
        var list = new List<int>();
        problem = null;
        if (spec.MaxIter is int maxIter)
        {
            double band = maxIter;
            for (double i = 0; i < spec.S!.Value; i++)
            {
                band /= spec.Eta;
                if (band < 1)
                    break;
                if (list.Count == MaxBands)
                {
                    problem = $"max_iter {maxIter}, s {spec.S.Value:R} and eta {spec.Eta:R} give more than {MaxBands} bands; raise eta or lower s";
                    break;
                }
                list.Add((int)band);
            }
            list.Sort();
        }
        else
        {
            double band = spec.MinIter!.Value;
            for (int k = 0; k < MinIterBandCount && band < 2147483648.0; k++)
            {
                list.Add((int)band);
                band *= spec.Eta;
            }
        }
        if (problem is null && list.Count == 0)
            problem = NoBandsMessage;
        bands = problem is null ? list : [];
        return problem is null;
    }

    private static void CheckSpec(HyperbandSpec spec)
    {
        if (!(spec.Eta > 1) || double.IsInfinity(spec.Eta))
            throw new ArgumentException($"eta must be a finite number > 1, not {spec.Eta:R}", nameof(spec));
        if (spec.MaxIter is not null)
        {
            if (spec.S is not { } s || s != Math.Floor(s)) // an infinite s is fine: the loop ends when a band drops below 1
                throw new ArgumentException("the max_iter form needs a whole number s (W&B loops range(s))", nameof(spec));
        }
        else if (spec.MinIter is not { } minIter)
            throw new ArgumentException("either max_iter (with s) or min_iter must be given", nameof(spec));
        else if (minIter < 1)
            throw new ArgumentException($"min_iter must be at least 1, not {minIter}", nameof(spec));
    }

    /// <summary>
    /// W&amp;B's stateless stop rule over every run of a sweep. Values are negated for a maximized metric so
    /// lower is better. threshold(B) = the value at index int(B's count / eta) of the sorted B-th values of every
    /// run (any state) with at least B values. A running run with n values is judged at the largest band
    /// B ≤ n, by its B-th value (strict) or its best value so far (not strict), and stopped when that is
    /// strictly worse than threshold(B).
    /// </summary>
    public static HyperbandVerdict StopRuns(IReadOnlyList<HyperbandRun> runs, MetricGoal goal, HyperbandSpec spec)
    {
        var bands = Bands(spec);
        var histories = runs.Select(r => r.MetricHistory.Where(double.IsFinite).Select(v => Oriented(v, goal)).ToArray()).ToList();
        var thresholds = bands
            .Select(band => Threshold([.. histories.Where(h => h.Length >= band).Select(h => h[band - 1])], spec.Eta))
            .ToList();

        var toStop = new List<int>();
        for (int i = 0; i < runs.Count; i++)
        {
            var history = histories[i];
            int closest = -1;
            for (int k = 0; k < bands.Count && bands[k] <= history.Length; k++)
                closest = k;
            if (!runs[i].IsRunning || closest < 0)
                continue;
            double compared = spec.Strict ? history[bands[closest] - 1] : history.Min();
            if (IsWorse(compared, thresholds[closest]))
                toStop.Add(i);
        }
        return new HyperbandVerdict(bands, thresholds, toStop);
    }

    /// <summary>
    /// The most epochs a sweep could save if hyperband stopped, at each band, the fraction 1 − 1/eta of the
    /// trials reaching it. The formula: bands in ascending order; at band B, the n trials still training
    /// whose epochs reach B form the cohort; W&amp;B's threshold is the value at index int(n/eta) of their sorted
    /// values, so at most m = n − int(n/eta) − 1 of them are strictly worse (about n·(1 − 1/eta)); the m with
    /// the most epochs left are stopped, each saving epochs − B. The sum over bands is the bound.
    /// </summary>
    /// <remarks>
    /// A bound under that assumption, not a prediction: how many are stopped depends on the metric. It bounds
    /// W&amp;B's rule applied to each band's whole cohort; the order-deterministic <see cref="HyperbandStopper"/>
    /// judges trial i against trials 0..i only, so an order where each trial is worse than every earlier one
    /// stops more.
    /// </remarks>
    public static HyperbandSavings MaxSavings(IEnumerable<int> trialEpochs, HyperbandSpec spec)
    {
        var bands = Bands(spec).Distinct().ToList();
        // Ascending epochs; stopping takes from the end (the most epochs left).
        var training = trialEpochs.Order().ToList();
        long planned = training.Sum(e => (long)e);
        long saved = 0;
        foreach (int band in bands)
        {
            int firstReaching = LowerBound(training, band);
            int n = training.Count - firstReaching;
            int stopped = n == 0 ? 0 : n - ThresholdIndex(n, spec.Eta) - 1;
            for (int i = training.Count - stopped; i < training.Count; i++)
                saved += training[i] - band;
            training.RemoveRange(training.Count - stopped, stopped);
        }
        return new HyperbandSavings(planned, saved);

        static int LowerBound(List<int> sorted, int value)
        {
            int i = sorted.BinarySearch(value);
            if (i < 0)
                return ~i;
            while (i > 0 && sorted[i - 1] == value)
                i--;
            return i;
        }
    }

    /// <summary>Lower is better after this: W&amp;B negates a maximized metric.</summary>
    internal static double Oriented(double value, MetricGoal goal) => goal == MetricGoal.Maximize ? -value : value;

    /// <summary>W&amp;B's index of the threshold among <paramref name="count"/> sorted values: int(1/eta · count).</summary>
    internal static int ThresholdIndex(int count, double eta) => (int)(1.0 / eta * count);

    /// <summary>W&amp;B stops only when strictly worse: a run equal to the threshold stays.</summary>
    internal static bool IsWorse(double compared, double threshold) => compared > threshold;

    private static double Threshold(List<double> values, double eta)
    {
        if (values.Count == 0)
            return double.PositiveInfinity;
        values.Sort();
        return values[ThresholdIndex(values.Count, eta)];
    }
}
