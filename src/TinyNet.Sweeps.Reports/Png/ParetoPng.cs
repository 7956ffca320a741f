using ScottPlot;

namespace TinyNet.Sweeps.Reports.Png;

/// <summary>pareto.png: configurations at (eval_loss, calibration_error), the Pareto front in red; the best ones labelled with their rank.</summary>
internal static class ParetoPng
{
    public static PngPlot? Create(ReportData data)
    {
        var points = ParetoPoints.Of(data);
        if (points.Count == 0) return null;
        var labelled = ParetoPoints.Labelled(points);
        var plot = PngPlots.NewPlot();
        var front = points.Where(p => p.OnFront).OrderBy(p => p.EvalLoss).ToList();
        var others = points.Where(p => !p.OnFront).ToList();
        if (others.Count > 0)
        {
            var dominated = plot.Add.ScatterPoints(others.Select(p => p.EvalLoss).ToArray(), others.Select(p => p.CalibrationError).ToArray(), Colors.SteelBlue);
            dominated.MarkerSize = 9;
            dominated.LegendText = "dominated";
        }
        var line = plot.Add.Scatter(front.Select(p => p.EvalLoss).ToArray(), front.Select(p => p.CalibrationError).ToArray(), Colors.Red);
        line.MarkerSize = 11;
        line.LinePattern = LinePattern.Dashed;
        line.LegendText = "Pareto front";
        foreach (var p in labelled.Shown)
        {
            var label = plot.Add.Text($"#{p.Row.Rank}", p.EvalLoss, p.CalibrationError);
            label.LabelFontSize = 12;
            label.OffsetX = 8;
            label.OffsetY = -8;
        }
        plot.ShowLegend(Alignment.LowerRight);
        PngPlots.Title(plot, "eval_loss vs calibration_error (lower is better on both)", "eval_loss (mean)", "calibration_error (mean)",
            labelled.LeavesOut ? $"ranks of the best {labelled.Count("configurations")}" : null);
        plot.Axes.Margins(0.15, 0.15);
        return new PngPlot(plot, Width: 700);
    }
}
