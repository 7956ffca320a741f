using ScottPlot;

namespace TinyNet.Sweeps.Reports.Png;

/// <summary>loss-curves.png: mean training loss of the best configurations with a ±1 std band.</summary>
internal static class LossCurvesPng
{
    public static PngPlot? Create(ReportData data)
    {
        var best = PlotLimits.Best(data, PlotLimits.LossCurves);
        var curves = LossCurves.Of(data, best.Shown);
        if (curves.Count == 0) return null;
        var plot = PngPlots.NewPlot();
        for (int i = 0; i < curves.Count; i++)
        {
            var c = curves[i];
            double[] xs = Enumerable.Range(0, c.Mean.Length).Select(e => (double)e).ToArray();
            var color = PngPlots.Rgb(Palette.SeriesRgb(i));
            var band = plot.Add.FillY(xs, c.Mean.Zip(c.Std, (m, s) => Math.Max(0, m - s)).ToArray(), c.Mean.Zip(c.Std, (m, s) => m + s).ToArray());
            band.FillColor = color.WithAlpha(0.15);
            band.LineWidth = 0;
            var line = plot.Add.ScatterLine(xs, c.Mean, color);
            line.LineWidth = 2;
            line.LegendText = $"#{c.Row.Rank} {ReportData.DisplayName(c.Row)}";
        }
        PngPlots.Title(plot, "Training loss (mean ± 1 std over seeds)", "epoch", "loss", PlotLimits.Note(best));
        plot.ShowLegend(Alignment.LowerLeft);
        plot.Axes.SetLimitsY(0, curves.Max(c => c.Mean.Zip(c.Std, (m, s) => m + s).Where(double.IsFinite).DefaultIfEmpty(1).Max()) * 1.05);
        return new PngPlot(plot);
    }
}
