using ScottPlot;
using TinyNet.Sweeps.Reports.Sections;

namespace TinyNet.Sweeps.Reports.Png;

/// <summary>best-weights.png: the best configuration's first hidden units side by side, each its 2×2 input weights (coolwarm).</summary>
internal static class WeightsPng
{
    public static PngPlot? Create(ReportData data)
    {
        var best = data.Rows.Select(r => (Row: r, Trial: WeightHeatmaps.ShownTrial(data, r))).FirstOrDefault(x => x.Trial is not null);
        if (best.Trial is null) return null;
        var weights = best.Trial.Outcome.Weights!.HiddenWeight;
        var units = WeightHeatmaps.ShownUnits(best.Trial);
        // Each unit a 2×2 block (pixel p at row p / 2, column p % 2), one empty column between units.
        int columns = 3 * units.Shown.Count - 1;
        double scale = Math.Max(1, weights.SelectMany(w => w).Where(double.IsFinite).Select(Math.Abs).DefaultIfEmpty(0).Max());
        var plot = PngPlots.NewPlot();
        for (int u = 0; u < units.Shown.Count; u++)
            for (int p = 0; p < Math.Min(4, units.Shown[u].Count); p++)
                Cells.Add(plot, 3 * u + p % 2, 1 - p / 2, Palette.CoolWarm(units.Shown[u][p] / scale),
                    units.Shown[u][p].ToString("0.00", System.Globalization.CultureInfo.InvariantCulture), 14);
        plot.Axes.Bottom.SetTicks(Enumerable.Range(0, units.Shown.Count).Select(u => 3.0 * u + 1).ToArray(),
            Enumerable.Range(0, units.Shown.Count).Select(u => $"hidden unit {u}").ToArray());
        plot.Axes.Left.SetTicks([], []);
        plot.HideGrid();
        PngPlots.Title(plot, $"First-layer weights of #{best.Row.Rank} {ReportData.DisplayName(best.Row)} (seed {best.Trial.Trial.Seed})",
            note: WeightHeatmaps.Note(units));
        plot.Axes.SetLimits(0, columns, 0, 2);
        plot.Axes.SquareUnits();
        // Square cells of at least 50 px, so the values fit in them: wider than the other plots for many units.
        return new PngPlot(plot, Math.Max(PngPlots.Width, 50 * columns + 150), 360);
    }
}
