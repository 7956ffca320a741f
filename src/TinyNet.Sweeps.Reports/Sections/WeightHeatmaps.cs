using System.Text;
using TinyNet.Sweeps.Domain.Ranking;
using TinyNet.Sweeps.Domain.Trials;

namespace TinyNet.Sweeps.Reports.Sections;

/// <summary>
/// The best three configurations' first-layer weights, one 2×2 heatmap per hidden unit as the notebook draws them
/// (reshape(2, 2): [top-left, top-right, bottom-left, bottom-right]; coolwarm centred on 0); the first
/// <see cref="PlotLimits.HiddenUnits"/> units of a wider network.
/// </summary>
internal static class WeightHeatmaps
{
    public const int Best = 3;

    /// <summary>The seed shown for a configuration: its best completed seed by the ranking metric (weights differ per seed).</summary>
    public static TrialResult? ShownTrial(ReportData data, RankedConfiguration row)
    {
        var withWeights = data.CompletedTrialsOf(row).Where(t => t.Outcome.Weights is not null && t.Outcome.Metrics is not null);
        double Score(TrialResult t)
        {
            double v = t.Outcome.Metrics!.Get(data.Metric.Name);
            return data.Metric.Goal == Domain.Sweeps.MetricGoal.Maximize ? -v : v;
        }
        return withWeights.OrderBy(Score).ThenBy(t => t.Trial.Seed).FirstOrDefault();
    }

    /// <summary>The hidden units drawn of a trial's network.</summary>
    public static Capped<IReadOnlyList<double>> ShownUnits(TrialResult trial) =>
        PlotLimits.First(trial.Outcome.Weights!.HiddenWeight, PlotLimits.HiddenUnits);

    /// <summary>"first 16 of 1,024 hidden units", or null when every unit is drawn.</summary>
    public static string? Note(Capped<IReadOnlyList<double>> units) => units.LeavesOut ? $"first {units.Count("hidden units")}" : null;

    public static string Render(ReportData data)
    {
        var shown = data.Rows.Select(r => (Row: r, Trial: ShownTrial(data, r))).Where(x => x.Trial is not null).Take(Best).ToList();
        if (shown.Count == 0) return "<p>No completed trial recorded its weights.</p>\n";
        var html = new StringBuilder("<p class=\"note\">hidden_weight of each hidden unit laid out as the 2×2 input it looks at; blue negative, red positive, colour scale symmetric up to the largest |w| of that configuration (at least 1, as the notebook's vmin/vmax).</p>\n");
        foreach (var (row, trial) in shown)
        {
            var weights = trial!.Outcome.Weights!.HiddenWeight;
            double scale = Math.Max(1, weights.SelectMany(w => w).Where(double.IsFinite).Select(Math.Abs).DefaultIfEmpty(0).Max());
            var units = ShownUnits(trial);
            string note = Note(units) is { } n ? $", {Html.E(n)}" : "";
            html.Append($"<h3>#{row.Rank} {Html.E(ReportData.DisplayName(row))} <small>(seed {trial.Trial.Seed}{note})</small></h3>\n<div class=\"grid\">");
            for (int unit = 0; unit < units.Shown.Count; unit++)
                html.Append($"<figure>{Grid(units.Shown[unit], scale)}<figcaption>hidden unit {unit}</figcaption></figure>");
            html.Append("</div>\n");
        }
        return html.ToString();
    }

    private static string Grid(IReadOnlyList<double> w, double scale)
    {
        const int cell = 56;
        var svg = new StringBuilder($"<svg class=\"weights\" width=\"{2 * cell + 2}\" height=\"{2 * cell + 2}\" viewBox=\"0 0 {2 * cell + 2} {2 * cell + 2}\">");
        for (int p = 0; p < Math.Min(4, w.Count); p++)
        {
            int x = 1 + p % 2 * cell, y = 1 + p / 2 * cell;
            var color = Palette.CoolWarm(w[p] / scale);
            svg.Append($"<rect x=\"{x}\" y=\"{y}\" width=\"{cell}\" height=\"{cell}\" fill=\"{Palette.Css(color)}\" stroke=\"#fff\"/>")
               .Append($"<text x=\"{x + cell / 2}\" y=\"{y + cell / 2 + 4}\" font-size=\"12\" text-anchor=\"middle\" fill=\"{Palette.TextOn(color)}\">{Html.V(w[p], "0.00")}</text>");
        }
        return svg.Append("</svg>").ToString();
    }
}
