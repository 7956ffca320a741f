using ScottPlot;
using TinyNet.Sweeps.Domain.Evaluation;

namespace TinyNet.Sweeps.Reports.Png;

/// <summary>stress-heatmap.png: the best configurations (rows, best on top) × the seven cases' H and V outputs, 0 white to 1 blue.</summary>
internal static class StressHeatmapPng
{
    public static PngPlot? Create(ReportData data)
    {
        var best = PlotLimits.Best(data, PlotLimits.StressRows);
        var rows = StressMeans.Of(data, best.Shown);
        if (rows.Count == 0) return null;
        int cases = StressCases.All.Count;
        var values = new double[rows.Count, 2 * cases];
        for (int r = 0; r < rows.Count; r++)
            for (int c = 0; c < cases; c++)
            {
                values[r, 2 * c] = rows[r].H[c];
                values[r, 2 * c + 1] = rows[r].V[c];
            }
        var plot = PngPlots.NewPlot();
        // Row r (rank r + 1) from the top: best configuration on top, as in the HTML table.
        for (int r = 0; r < rows.Count; r++)
            for (int c = 0; c < 2 * cases; c++)
                if (double.IsFinite(values[r, c]))
                    Cells.Add(plot, c, rows.Count - r - 1, Palette.Blues(values[r, c]), values[r, c].ToString("0.00", System.Globalization.CultureInfo.InvariantCulture), 11);
        plot.Axes.Bottom.SetTicks(
            Enumerable.Range(0, cases).Select(c => 2.0 * c + 1).ToArray(),
            StressCases.All.Select(c => $"{c.Name}\n{c.Expected} (H | V)").ToArray());
        plot.Axes.Left.SetTicks(
            Enumerable.Range(0, rows.Count).Select(r => rows.Count - r - 0.5).ToArray(),
            rows.Select(r => $"#{r.Row.Rank} {ReportData.DisplayName(r.Row)}").ToArray());
        plot.HideGrid();
        PngPlots.Title(plot, "Stress tests: H | V outputs, mean over seeds", note: PlotLimits.Note(best));
        plot.Axes.SetLimits(0, 2 * cases, 0, rows.Count);
        // 40 px a row under 160 px of title and case labels; PlotLimits.StressRows bounds the height.
        return new PngPlot(plot, 1250, 160 + 40 * rows.Count);
    }
}
