using System.Text;

namespace TinyNet.Sweeps.Reports.Sections;

/// <summary>
/// Each configuration at (mean eval_loss, mean calibration_error); the Pareto front (best trade-offs) in red, joined by a line.
/// Every point is drawn; the best <see cref="PlotLimits.PointLabels"/> carry their rank (every point has it as a tooltip).
/// </summary>
internal static class ParetoScatter
{
    public static string Render(ReportData data)
    {
        var points = ParetoPoints.Of(data);
        if (points.Count == 0) return "<p>No completed configuration to plot.</p>\n";
        var (x0, x1) = SvgAxes.Padded(points.Select(p => p.EvalLoss), 0.1);
        var (y0, y1) = SvgAxes.Padded(points.Select(p => p.CalibrationError), 0.1);
        var axes = new SvgAxes(x0, x1, y0, y1, 700, 420);
        var svg = new StringBuilder($"<svg id=\"pareto-svg\" width=\"{axes.Width}\" height=\"{axes.Height}\" viewBox=\"0 0 {axes.Width} {axes.Height}\">\n");
        axes.Draw(svg, "eval_loss (mean)", "calibration_error (mean)");
        var front = points.Where(p => p.OnFront).OrderBy(p => p.EvalLoss).ToList();
        var labelled = ParetoPoints.Labelled(points);
        svg.Append($"<polyline points=\"{string.Join(' ', front.Select(p => $"{Html.N(axes.X(p.EvalLoss))},{Html.N(axes.Y(p.CalibrationError))}"))}\" fill=\"none\" stroke=\"#d62728\" stroke-width=\"1.5\" stroke-dasharray=\"5 3\"/>\n");
        foreach (var p in points.OrderBy(p => p.OnFront))
        {
            string cx = Html.N(axes.X(p.EvalLoss)), cy = Html.N(axes.Y(p.CalibrationError));
            string fill = p.OnFront ? "#d62728" : "#1f77b4";
            svg.Append($"<circle class=\"{(p.OnFront ? "front" : "dominated")}\" cx=\"{cx}\" cy=\"{cy}\" r=\"{(p.OnFront ? 6 : 4.5)}\" fill=\"{fill}\" fill-opacity=\"0.85\"><title>#{p.Row.Rank} {Html.E(ReportData.DisplayName(p.Row))}: eval_loss {Html.V(p.EvalLoss)}, calibration_error {Html.V(p.CalibrationError)}</title></circle>");
            if (labelled.Shown.Contains(p))
                svg.Append($"<text x=\"{Html.N(axes.X(p.EvalLoss) + 8)}\" y=\"{Html.N(axes.Y(p.CalibrationError) - 6)}\" font-size=\"11\">#{p.Row.Rank}</text>");
            svg.Append('\n');
        }
        svg.Append("</svg>\n");
        string names = string.Join(", ", front.Select(p => $"#{p.Row.Rank} {Html.E(ReportData.DisplayName(p.Row))}"));
        string labels = labelled.LeavesOut
            ? $"The best {Html.E(labelled.Count("configurations"))} are labelled with their rank; hover over a point for any other."
            : "Points are labelled with their rank.";
        return $"<p class=\"note\">Both lower is better. Red: the Pareto front, configurations no other one beats on both metrics at once. {labels}</p>\n"
               + svg + $"<p>Pareto front: {names}</p>\n";
    }
}
