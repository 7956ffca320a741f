using TinyNet.Sweeps.Domain.Sweeps;

namespace TinyNet.Sweeps.Domain.Search;

/// <summary>A point of the unit cube and the metric its trial reported; null when it reported none.</summary>
public sealed record MeasuredPoint(IReadOnlyList<double> Point, double? Metric);

/// <summary>
/// W&amp;B's rule for what the bayes search minimises: a trial without a finite metric (missing, NaN, ±∞)
/// counts as the worst finite metric of the trials (0 when none has one: W&amp;B's impute "worst"), and
/// for a maximised metric the values are negated.
/// </summary>
public static class BayesObjective
{
    public static IReadOnlyList<BayesObservation> Observations(IReadOnlyList<MeasuredPoint> measured, MetricGoal goal)
    {
        double worst = Worst(measured.Select(m => m.Metric), goal);
        double sign = goal == MetricGoal.Maximize ? -1 : 1;
        return [.. measured.Select(m => new BayesObservation(m.Point, sign * (m.Metric is { } v && double.IsFinite(v) ? v : worst)))];
    }

    /// <summary>The worst finite metric for the goal (the largest when minimising), or 0 when there is none.</summary>
    public static double Worst(IEnumerable<double?> metrics, MetricGoal goal)
    {
        var finite = metrics.Where(m => m is { } v && double.IsFinite(v)).Select(m => m!.Value).ToList();
        if (finite.Count == 0)
            return 0;
        return goal == MetricGoal.Maximize ? finite.Min() : finite.Max();
    }
}
