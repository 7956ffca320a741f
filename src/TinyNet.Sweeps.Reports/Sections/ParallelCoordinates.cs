using System.Text;
using TinyNet.Sweeps.Domain.Export;

namespace TinyNet.Sweeps.Reports.Sections;

/// <summary>
/// One vertical axis per hyperparameter the sweep varies, then the ranking metric; one polyline per configuration,
/// coloured by the metric (blue best, red worst). Hyperparameter values sit at evenly spaced positions in sorted order,
/// which keeps words (activation) and log-spread numbers (learning_rate) readable alike. Every configuration is drawn;
/// beyond the best <see cref="PlotLimits.ParallelLines"/>, faintly and beneath them, and an axis with many values labels
/// <see cref="PlotLimits.AxisLabels"/> of them, evenly spaced.
/// </summary>
internal static class ParallelCoordinates
{
    public static string Render(ReportData data)
    {
        var rows = data.Rows.Where(r => r.Metrics.TryGetValue(data.Metric.Name, out var s) && double.IsFinite(s.Mean)).ToList();
        if (rows.Count == 0) return "<p>No completed configuration to plot.</p>\n";
        var parameters = rows.Select(r => RankingExporter.Parameters(r.Config)).ToList();
        var varied = RankingExporter.ParameterNames.Where(p => parameters.Select(x => x[p]).Distinct().Count() > 1).ToList();
        if (varied.Count == 0) varied = ["activation"];

        int width = Math.Max(500, 140 * (varied.Count + 1)), height = 360, top = 30, bottom = 40;
        double AxisX(int i) => 70 + i * (width - 140.0) / varied.Count;
        double Ypos(double t) => height - bottom - t * (height - top - bottom);
        var metric = rows.Select(r => r.Metrics[data.Metric.Name].Mean).ToList();
        double lo = metric.Min(), hi = metric.Max();
        double Norm(double v) => hi > lo ? (v - lo) / (hi - lo) : 0.5;
        bool lowerIsBetter = data.Metric.Goal == Domain.Sweeps.MetricGoal.Minimize;

        // Ordinal positions per axis: sorted numerically when the values are numbers.
        var positions = varied.Select(p =>
        {
            var values = parameters.Select(x => x[p]).Distinct()
                .OrderBy(v => double.TryParse(v, System.Globalization.CultureInfo.InvariantCulture, out double d) ? d : double.NaN)
                .ThenBy(v => v, StringComparer.Ordinal).ToList();
            return values.Select((v, i) => (v, t: values.Count == 1 ? 0.5 : (double)i / (values.Count - 1))).ToDictionary(x => x.v, x => x.t);
        }).ToList();

        var svg = new StringBuilder($"<svg id=\"parallel-svg\" width=\"{width}\" height=\"{height}\" viewBox=\"0 0 {width} {height}\">\n");
        void Line(int r, bool faint)
        {
            double quality = lowerIsBetter ? Norm(metric[r]) : 1 - Norm(metric[r]);
            var points = varied.Select((p, i) => $"{Html.N(AxisX(i))},{Html.N(Ypos(positions[i][parameters[r][p]]))}")
                .Append($"{Html.N(AxisX(varied.Count))},{Html.N(Ypos(Norm(metric[r])))}");
            string stroke = $"points=\"{string.Join(' ', points)}\" fill=\"none\" stroke=\"{Palette.Css(Palette.CoolWarm(quality * 2 - 1))}\"";
            svg.Append(faint
                ? $"<polyline {stroke} stroke-width=\"1\" stroke-opacity=\"0.15\"/>\n"
                : $"<polyline {stroke} stroke-width=\"2\" stroke-opacity=\"0.85\"><title>#{rows[r].Rank} {Html.E(ReportData.DisplayName(rows[r]))}: {Html.V(metric[r])}</title></polyline>\n");
        }
        // The rest only shape the cloud: worst first, so that the best lines are drawn last, on top, and stay visible.
        var best = PlotLimits.First(rows, PlotLimits.ParallelLines);
        for (int r = rows.Count - 1; r >= best.Shown.Count; r--) Line(r, faint: true);
        for (int r = 0; r < best.Shown.Count; r++) Line(r, faint: false);
        for (int i = 0; i <= varied.Count; i++)
        {
            double x = AxisX(i);
            string name = i < varied.Count ? varied[i] : data.Metric.Name;
            svg.Append($"<line x1=\"{Html.N(x)}\" x2=\"{Html.N(x)}\" y1=\"{top}\" y2=\"{height - bottom}\" stroke=\"#333\"/>")
               .Append($"<text x=\"{Html.N(x)}\" y=\"{height - bottom + 20}\" font-size=\"12\" font-weight=\"bold\" text-anchor=\"middle\">{Html.E(name)}</text>\n");
            var ticks = i < varied.Count
                ? Spread(positions[i].Select(kv => (Label: kv.Key, T: kv.Value)).ToList())
                : new[] { (Label: Html.V(lo), T: 0.0), (Label: Html.V(hi), T: 1.0) }.Distinct();
            foreach (var (label, t) in ticks)
                svg.Append($"<text x=\"{Html.N(x + 5)}\" y=\"{Html.N(Ypos(t) + 4)}\" font-size=\"11\" fill=\"#333\" stroke=\"#fff\" stroke-width=\"3\" paint-order=\"stroke\">{Html.E(label)}</text>");
            svg.Append('\n');
        }
        svg.Append("</svg>\n");
        string goal = lowerIsBetter ? "lower" : "higher";
        string faint = best.LeavesOut ? $" The best {Html.E(best.Count("configurations"))} are drawn on top; the others faintly beneath them." : "";
        string labelled = positions.Any(p => p.Count > PlotLimits.AxisLabels) ? $" An axis with more than {PlotLimits.AxisLabels} values labels {PlotLimits.AxisLabels} of them, evenly spaced." : "";
        return $"<p class=\"note\">Hyperparameters that vary across configurations, then <code>{Html.E(data.Metric.Name)}</code> (mean over seeds; {goal} is better). Blue lines are the best configurations, red the worst.{faint}{labelled}</p>\n" + svg;
    }

    /// <summary>At most <see cref="PlotLimits.AxisLabels"/> of an axis's labels, evenly spaced from its first to its last.</summary>
    private static IEnumerable<(string Label, double T)> Spread(IReadOnlyList<(string Label, double T)> ticks)
    {
        if (ticks.Count <= PlotLimits.AxisLabels) return ticks;
        return Enumerable.Range(0, PlotLimits.AxisLabels)
            .Select(i => ticks[(int)Math.Round(i * (ticks.Count - 1.0) / (PlotLimits.AxisLabels - 1))]);
    }
}
