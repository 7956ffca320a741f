using System.Text;

namespace TinyNet.Sweeps.Reports.Sections;

/// <summary>One line per configuration (mean over seeds) with a ±1 std band, as the notebook's loss plots but the best ones at once.</summary>
internal static class LossCurvesSvg
{
    public static string Render(ReportData data)
    {
        var best = PlotLimits.Best(data, PlotLimits.LossCurves);
        var curves = LossCurves.Of(data, best.Shown);
        if (curves.Count == 0) return "<p>No loss history recorded.</p>\n";
        int epochs = curves.Max(c => c.Mean.Length);
        var (_, yMax) = SvgAxes.Padded(curves.SelectMany(c => c.Mean.Zip(c.Std, (m, s) => m + s)));
        var axes = new SvgAxes(0, Math.Max(1, epochs - 1), 0, yMax, 900, 380);
        var svg = new StringBuilder($"<svg id=\"loss-svg\" width=\"{axes.Width}\" height=\"{axes.Height}\" viewBox=\"0 0 {axes.Width} {axes.Height}\" role=\"img\" aria-label=\"loss curves\">\n");
        axes.Draw(svg, "epoch", "training loss");
        for (int i = 0; i < curves.Count; i++)
        {
            var c = curves[i];
            string color = Palette.Series(i);
            var upper = c.Mean.Select((m, e) => $"{Html.N(axes.X(e))},{Html.N(axes.Y(m + c.Std[e]))}");
            var lower = c.Mean.Select((m, e) => $"{Html.N(axes.X(e))},{Html.N(axes.Y(Math.Max(0, m - c.Std[e])))}").Reverse();
            svg.Append($"<polygon points=\"{string.Join(' ', upper.Concat(lower))}\" fill=\"{color}\" fill-opacity=\"0.15\" stroke=\"none\"/>\n");
            svg.Append($"<polyline points=\"{string.Join(' ', c.Mean.Select((m, e) => $"{Html.N(axes.X(e))},{Html.N(axes.Y(m))}"))}\" fill=\"none\" stroke=\"{color}\" stroke-width=\"2\"><title>{Html.E(ReportData.DisplayName(c.Row))}</title></polyline>\n");
        }
        svg.Append("</svg>\n");
        var legend = new StringBuilder("<div class=\"legend\">");
        for (int i = 0; i < curves.Count; i++)
            legend.Append($"<span><span class=\"swatch\" style=\"background:{Palette.Series(i)}\"></span>#{curves[i].Row.Rank} {Html.E(ReportData.DisplayName(curves[i].Row))} (n={curves[i].Seeds})</span>");
        legend.Append("</div>\n");
        return "<p class=\"note\">Training loss per epoch: mean over seeds (line) ± 1 standard deviation (band); completed seeds only when a configuration has any."
               + Html.Sentence(PlotLimits.Note(best)) + "</p>\n" + svg + legend;
    }
}
