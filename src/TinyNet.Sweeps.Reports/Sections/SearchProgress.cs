using System.Text;
using TinyNet.Sweeps.Domain.Sweeps;
using TinyNet.Sweeps.Domain.Trials;

namespace TinyNet.Sweeps.Reports.Sections;

/// <summary>
/// The search as it went: each configuration in the order its first trial was asked for (for bayes, the order of its
/// suggestions) at the mean of the ranking metric over its seeds, and the best so far as a step line. A search that
/// learns shows the line falling faster than a random one's. Configurations hyperband stopped are drawn hollow, at their
/// metric where they were stopped; those with no metric at all (every seed diverged or failed) are left out.
/// </summary>
internal static class SearchProgress
{
    public static string Render(ReportData data)
    {
        var points = data.Rows
            .Select(row => (Row: row, First: data.TrialsOf(row).Min(t => t.Trial.Index),
                            Value: row.Metrics.TryGetValue(data.Metric.Name, out var s) ? s.Mean : double.NaN,
                            Stopped: row.Completed == 0 && row.Stopped > 0))
            .Where(p => double.IsFinite(p.Value))
            .OrderBy(p => p.First)
            .ToList();
        if (points.Count == 0) return "<p>No configuration has a value of the ranking metric yet.</p>\n";
        bool maximize = data.Metric.Goal == MetricGoal.Maximize;
        var (y0, y1) = SvgAxes.Padded(points.Select(p => p.Value), 0.05);
        var axes = new SvgAxes(0, Math.Max(1, points.Count - 1), y0, y1, 860, 360);
        var svg = new StringBuilder($"<svg id=\"progress-svg\" width=\"{axes.Width}\" height=\"{axes.Height}\" viewBox=\"0 0 {axes.Width} {axes.Height}\">\n");
        axes.Draw(svg, "configurations in the order the search asked for them", $"{data.Metric.Name} (mean over seeds)");

        double best = maximize ? double.NegativeInfinity : double.PositiveInfinity;
        var line = new List<string>();
        for (int i = 0; i < points.Count; i++)
        {
            double before = best;
            if (!points[i].Stopped) best = maximize ? Math.Max(best, points[i].Value) : Math.Min(best, points[i].Value);
            // A step: level until the configuration that improves it, then down (or up) at that configuration.
            if (double.IsFinite(before) && before != best) line.Add($"{Html.N(axes.X(i))},{Html.N(axes.Y(before))}");
            if (double.IsFinite(best)) line.Add($"{Html.N(axes.X(i))},{Html.N(axes.Y(best))}");
        }
        svg.Append($"<polyline class=\"best-so-far\" points=\"{string.Join(' ', line)}\" fill=\"none\" stroke=\"#d62728\" stroke-width=\"2\"/>\n");
        for (int i = 0; i < points.Count; i++)
        {
            var (row, _, value, stopped) = points[i];
            string fill = stopped ? "none" : "#1f77b4";
            svg.Append($"<circle cx=\"{Html.N(axes.X(i))}\" cy=\"{Html.N(axes.Y(value))}\" r=\"3.5\" fill=\"{fill}\" stroke=\"#1f77b4\">" +
                       $"<title>#{row.Rank} {Html.E(ReportData.DisplayName(row))}: {Html.E(data.Metric.Name)} {Html.V(value)}{(stopped ? " (stopped by hyperband)" : "")}</title></circle>\n");
        }
        svg.Append("</svg>\n");
        int stoppedCount = points.Count(p => p.Stopped);
        string hollow = stoppedCount > 0 ? $" Hollow: {stoppedCount} configurations hyperband stopped, at their value where it stopped them (not counted in the best so far)." : "";
        return $"<p class=\"note\">Red: the best completed configuration so far ({(maximize ? "higher" : "lower")} is better).{hollow}</p>\n{svg}";
    }
}
