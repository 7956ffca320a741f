using TinyNet.Sweeps.Domain.Ranking;
using TinyNet.Sweeps.Domain.Trials;

namespace TinyNet.Sweeps.Reports;

/// <summary>A configuration placed by its mean eval loss and calibration error, and whether it is on the Pareto front.</summary>
internal sealed record ParetoPoint(RankedConfiguration Row, double EvalLoss, double CalibrationError, bool OnFront);

internal static class ParetoPoints
{
    /// <summary>Both metrics are minimised; the front is the Domain's (SweepStatistics), so the report and the CLI agree.</summary>
    public static IReadOnlyList<ParetoPoint> Of(ReportData data)
    {
        var front = SweepStatistics.ParetoFront(data.Rows).ToHashSet(StringComparer.Ordinal);
        var points = data.Rows
            .Where(r => r.Metrics.ContainsKey(MetricNames.EvalLoss) && r.Metrics.ContainsKey(MetricNames.CalibrationError))
            .Select(r => (Row: r, X: r.Metrics[MetricNames.EvalLoss].Mean, Y: r.Metrics[MetricNames.CalibrationError].Mean))
            .Where(p => double.IsFinite(p.X) && double.IsFinite(p.Y))
            .ToList();
        return points.Select(p => new ParetoPoint(p.Row, p.X, p.Y, front.Contains(p.Row.ConfigKey))).ToList();
    }

    /// <summary>The points that carry a rank label: the best ones (points come in rank order).</summary>
    public static Capped<ParetoPoint> Labelled(IReadOnlyList<ParetoPoint> points) => PlotLimits.First(points, PlotLimits.PointLabels);
}
