using System.Globalization;
using System.Text;
using TinyNet.Sweeps.Domain.Export;
using TinyNet.Sweeps.Domain.Ranking;
using TinyNet.Sweeps.Domain.Trials;

namespace TinyNet.Sweeps.Reports.Sections;

/// <summary>The ranked table, one row per configuration; every header sorts (the script reads each cell's data-sort).</summary>
internal static class RankingTable
{
    public static string Render(ReportData data)
    {
        // Only the parameters the sweep varies get a column (the metrics must fit on a screen); the rest are listed once.
        var all = data.Rows.Select(r => RankingExporter.Parameters(r.Config)).ToList();
        var shown = RankingExporter.ParameterNames.Where(p => all.Select(x => x[p]).Distinct().Count() > 1).ToList();
        var constant = RankingExporter.ParameterNames.Except(shown).Select(p => $"{p} = {all[0][p]}");
        string metric = data.Metric.Name;
        var intervals = SweepStatistics.ConfidenceIntervals(data.Ranking, data.Results, metric);
        var tied = SweepStatistics.TiedWithLeader(data.Ranking, data.Results);

        var html = new StringBuilder();
        html.Append($"<p class=\"note\">Same for every configuration: {Html.E(string.Join(", ", constant))}.</p>\n");
        html.Append($"<p class=\"note\">Click a column header to sort; click again to reverse. Grey rows have no completed seed. " +
                    $"95% CI: t-interval of the mean {Html.E(metric)} over seeds. Tied: Welch's t-test against rank 1 gives p ≥ {Html.N(SweepStatistics.TieAlpha)} on {Html.E(metric)}.</p>\n");
        html.Append("<table class=\"sortable\" id=\"ranking-table\">\n<thead><tr><th>rank</th><th class=\"text\">configuration</th>");
        foreach (string p in shown) html.Append($"<th class=\"text\">{Html.E(p)}</th>");
        html.Append("<th>n</th>");
        foreach (string m in MetricNames.All)
            html.Append(m == metric ? $"<th class=\"metric\" title=\"ranking metric\">{Html.E(m)}</th>" : $"<th>{Html.E(m)}</th>");
        html.Append($"<th class=\"metric\">{Html.E(metric)} 95% CI</th><th class=\"text\">tied with #1</th>");
        html.Append("</tr></thead>\n<tbody>\n");
        foreach (var (row, parameters) in data.Rows.Zip(all))
        {
            html.Append(row.Completed == 0 ? "<tr class=\"bad\">" : "<tr>");
            html.Append($"<td data-sort=\"{row.Rank}\">{row.Rank}</td>");
            html.Append($"<td class=\"text\" title=\"{Html.E(row.ConfigKey)}\">{Html.E(ReportData.DisplayName(row))}</td>");
            foreach (string p in shown)
                html.Append($"<td class=\"text\">{Html.E(parameters[p])}</td>");
            html.Append($"<td data-sort=\"{row.Completed.ToString(CultureInfo.InvariantCulture)}\">{Html.E(RankingExporter.CountCell(row))}</td>");
            foreach (string m in MetricNames.All)
            {
                if (row.Metrics.TryGetValue(m, out var s))
                    html.Append($"<td data-sort=\"{Html.SortKey(s.Mean)}\">{Html.E(RankingExporter.FormatSummary(s))}</td>");
                else
                    html.Append("<td data-sort=\"Infinity\">—</td>");
            }
            var (low, high) = intervals.TryGetValue(row.ConfigKey, out var ci) ? ci : (double.NaN, double.NaN);
            html.Append(double.IsFinite(low)
                ? $"<td data-sort=\"{Html.SortKey(low)}\">[{Html.V(low)}, {Html.V(high)}]</td>"
                : "<td data-sort=\"Infinity\">—</td>");
            string tie = row.Rank == 1 ? "leader" : tied.Contains(row.ConfigKey) ? "tied" : "";
            html.Append($"<td class=\"text\">{tie}</td>");
            html.Append("</tr>\n");
        }
        html.Append("</tbody>\n</table>\n");
        return html.ToString();
    }
}
