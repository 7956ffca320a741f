using System.Text;
using TinyNet.Sweeps.Domain.Evaluation;

namespace TinyNet.Sweeps.Reports.Sections;

/// <summary>
/// Configurations × the seven stress cases, H and V outputs (mean over completed seeds) coloured white (0) to blue (1),
/// under the notebook's expected answer and the ideal target per case.
/// </summary>
internal static class StressHeatmap
{
    public static string Render(ReportData data)
    {
        var best = PlotLimits.Best(data, PlotLimits.StressRows);
        var rows = StressMeans.Of(data, best.Shown);
        var html = new StringBuilder("<p class=\"note\">Outputs on the notebook's stress inputs, mean over completed seeds. A good model is confident on clear lines and about 0.5/0.5 on the diagonals and the gray block."
                                     + Html.Sentence(PlotLimits.Note(best)) + "</p>\n");
        html.Append("<table class=\"stress\" id=\"stress-table\">\n<thead><tr><th class=\"text\" rowspan=\"3\">configuration</th>");
        foreach (var c in StressCases.All) html.Append($"<th colspan=\"2\">{Html.E(c.Name)}</th>");
        html.Append("</tr>\n<tr>");
        foreach (var c in StressCases.All)
            html.Append($"<th colspan=\"2\" class=\"expected\">expected: {Html.E(c.Expected)} ({Html.N(c.TargetH)}/{Html.N(c.TargetV)})</th>");
        html.Append("</tr>\n<tr>");
        foreach (var _ in StressCases.All) html.Append("<th>H</th><th>V</th>");
        html.Append("</tr></thead>\n<tbody>\n");
        foreach (var r in rows)
        {
            html.Append($"<tr><td class=\"text\">#{r.Row.Rank} {Html.E(ReportData.DisplayName(r.Row))}</td>");
            for (int i = 0; i < StressCases.All.Count; i++) html.Append(Cell(r.H[i])).Append(Cell(r.V[i]));
            html.Append("</tr>\n");
        }
        html.Append("</tbody>\n</table>\n");
        return html.ToString();
    }

    private static string Cell(double value)
    {
        if (!double.IsFinite(value)) return "<td class=\"heat\">—</td>";
        var color = Palette.Blues(value);
        return $"<td class=\"heat\" style=\"background:{Palette.Css(color)};color:{Palette.TextOn(color)}\">{Html.V(value, "0.00")}</td>";
    }
}
