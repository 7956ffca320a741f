using TinyNet.Sweeps.Domain.Sweeps;

namespace TinyNet.Sweeps.Domain.Search;

/// <summary>A point of the unit cube and the value its trial gave, to minimise (see <see cref="BayesObjective"/>).</summary>
public sealed record BayesObservation(IReadOnlyList<double> Point, double Value);

/// <summary>
/// A point to try and what the search expected of it, like W&amp;B's search_info. Predictions are in the units
/// of the observations (minimised); the standard deviation and expected improvement are null for a random
/// point, which no model predicted.
/// </summary>
public sealed record BayesSuggestion(
    IReadOnlyList<double> Point,
    double PredictedValue,
    double? PredictedStandardDeviation,
    double SuccessProbability,
    double? ExpectedImprovement,
    string? Warning);

/// <summary>
/// W&amp;B's bayes search (bayes_search.next_sample) in the unit cube. With fewer than two usable observations
/// a point is uniformly random. Otherwise a <see cref="GaussianProcess"/> is fitted to at most
/// <see cref="MaxObservations"/> of them; points in flight get the value it predicts for them (the kriging
/// believer) and the process is fitted again with them; of <see cref="CandidateCount"/> uniformly random
/// candidates the one of greatest expected improvement is suggested, or a random one when the kernel's fit
/// ran into its bounds. Everything random comes from the caller's generator, in a fixed order, and nothing
/// runs in parallel: the same arguments give the same bits on every machine.
/// One departure from W&amp;B: the improvement is over the best of the observed and the believed values, where
/// W&amp;B takes the observed ones only; with W&amp;B's rule a believed value better than every observation keeps
/// its neighbourhood attractive, and the points of a batch crowd together (see the batch test).
/// </summary>
public static class BayesSuggester
{
    /// <summary>W&amp;B's max_samples_for_gp.</summary>
    public const int MaxObservations = 100;

    /// <summary>W&amp;B's num_points_to_try.</summary>
    public const int CandidateCount = 1000;

    /// <summary>W&amp;B keeps at least 5 real observations among the points it fits.</summary>
    public const int MaxPending = MaxObservations - 5;

    public const string NoValidSamplesWarning = "Sweep has no valid samples of the metric.";

    /// <summary>W&amp;B's words, spelling included, so logs read like W&amp;B's.</summary>
    public const string KernelNearBoundsWarning =
        "Some dimmensions of kernel are close to their bounds (bad fit), the next sample will be a random sample within parameter space";

    // W&B's STD_NUMERICAL_STABILITY_EPSILON, added to the predicted standard deviation in the improvement's z.
    private const double StdEpsilon = 1e-6;

    /// <summary>
    /// <paramref name="count"/> points of [0, 1]^<paramref name="dimensions"/>, suggested one at a time, each
    /// joining the points in flight before the next (so a batch equals as many single calls that pass back
    /// the earlier suggestions as pending). Observations with a non-finite coordinate or value are dropped, as
    /// W&amp;B drops NaN rows.
    /// </summary>
    public static IReadOnlyList<BayesSuggestion> Suggest(int dimensions, IReadOnlyList<BayesObservation> observed,
        IReadOnlyList<double[]> pending, int count, Random random)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(dimensions, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        foreach (var point in observed.Select(o => o.Point).Concat(pending))
            if (point.Count != dimensions)
                throw new ArgumentException($"Every point needs {dimensions} coordinates, not {point.Count}");

        var usable = observed.Where(o => o.Point.All(double.IsFinite) && double.IsFinite(o.Value)).ToList();
        var inFlight = pending.Where(p => p.All(double.IsFinite)).ToList();
        var suggestions = new List<BayesSuggestion>(count);
        for (int i = 0; i < count; i++)
        {
            var suggestion = SuggestOne(dimensions, usable, inFlight, random);
            suggestions.Add(suggestion);
            inFlight.Add([.. suggestion.Point]);
        }
        return suggestions;
    }

    private static BayesSuggestion SuggestOne(int dimensions, List<BayesObservation> usable, List<double[]> inFlight, Random random)
    {
        if (usable.Count < 2)
        {
            // W&B: success probability 1, the one value seen (or 0) as the prediction.
            return new BayesSuggestion(RandomPoint(dimensions, random), usable.Count == 0 ? 0 : usable[0].Value, null, 1, null,
                usable.Count == 0 ? NoValidSamplesWarning : null);
        }

        var (process, best) = Model(usable, inFlight, random);
        var candidates = new double[CandidateCount][];
        for (int i = 0; i < CandidateCount; i++)
            candidates[i] = RandomPoint(dimensions, random);
        var scores = candidates.Select(c => Evaluate(process, c, best)).ToArray();

        int chosen = IndexOfMax(scores.Select(s => s.ExpectedImprovement));
        string? warning = null;
        if (process.KernelNearBounds)
        {
            warning = KernelNearBoundsWarning;
            chosen = random.Next(CandidateCount - 1); // W&B's randint(0, n - 1) never takes the last one
        }

        var score = scores[chosen];
        var scale = process.Scale;
        return new BayesSuggestion(candidates[chosen], scale.Restore(score.Prediction.Mean),
            score.Prediction.StandardDeviation * scale.StandardDeviation, score.SuccessProbability, score.ExpectedImprovement, warning);
    }

    /// <summary>
    /// The process fitted to the observations (at most <see cref="MaxObservations"/>), or, with points in
    /// flight, fitted again with the values the first fit predicts for them; and the best value to improve on.
    /// </summary>
    private static (GaussianProcess Process, double Best) Model(List<BayesObservation> usable, List<double[]> inFlight, Random random)
    {
        var training = usable.Count > MaxObservations ? Subset(usable, MaxObservations, random) : usable;
        var points = training.Select(o => o.Point).ToList();
        var values = training.Select(o => o.Value).ToList();
        var process = GaussianProcess.Fit(points, values, random);
        double best = usable.Min(o => o.Value);
        if (inFlight.Count == 0)
            return (process, best);
        foreach (var point in inFlight.Take(MaxPending))
        {
            double believed = process.Predict(point).Mean;
            points.Add(point);
            values.Add(believed);
            best = Math.Min(best, believed);
        }
        return (GaussianProcess.Fit(points, values, random), best);
    }

    /// <summary>
    /// W&amp;B's expected improvement over the best value and probability of improvement, both in the process's
    /// standardized units.
    /// </summary>
    private static Score Evaluate(GaussianProcess process, double[] candidate, double best)
    {
        var prediction = process.PredictStandardized(candidate);
        double improvement = (best - process.Scale.Mean) / process.Scale.StandardDeviation - prediction.Mean;
        double z = improvement / (prediction.StandardDeviation + StdEpsilon);
        double probability = PortableMath.NormalCdf(z);
        return new Score(prediction, probability, improvement * probability + prediction.StandardDeviation * PortableMath.NormalPdf(z));
    }

    private readonly record struct Score(GaussianPrediction Prediction, double SuccessProbability, double ExpectedImprovement);

    private static double[] RandomPoint(int dimensions, Random random)
    {
        var point = new double[dimensions];
        for (int i = 0; i < dimensions; i++)
            point[i] = RandomSearch.NextOpen(random); // 0 would map a normal parameter to -infinity
        return point;
    }

    /// <summary>
    /// <paramref name="size"/> observations drawn without repeats (a partial Fisher-Yates shuffle), kept in
    /// their order. W&amp;B draws with repeats, which only wastes some of the 100 places.
    /// </summary>
    private static List<BayesObservation> Subset(List<BayesObservation> all, int size, Random random)
    {
        int[] order = [.. Enumerable.Range(0, all.Count)];
        for (int i = 0; i < size; i++)
        {
            int j = random.Next(i, all.Count);
            (order[i], order[j]) = (order[j], order[i]);
        }
        return [.. order.Take(size).Order().Select(i => all[i])];
    }

    // The first of equal maxima, as numpy.argmax; NaN never wins.
    private static int IndexOfMax(IEnumerable<double> values)
    {
        int best = 0, index = 0;
        double max = double.NegativeInfinity;
        foreach (double value in values)
        {
            if (value > max)
                (max, best) = (value, index);
            index++;
        }
        return best;
    }
}
