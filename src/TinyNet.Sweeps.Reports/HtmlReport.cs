using System.Text;
using TinyNet.Sweeps.Reports.Sections;

namespace TinyNet.Sweeps.Reports;

/// <summary>
/// The report page. Self-contained on purpose: styles, script and every plot (SVG) are inline and nothing refers to
/// a URL, so it opens offline, from a mail attachment or an air-gapped machine. Inline SVG needs no xmlns in HTML5.
/// </summary>
internal static class HtmlReport
{
    public static string Render(ReportData data)
    {
        var sections = new (string Id, string Title, string Body)[]
        {
            ("ranking", "Ranking", RankingTable.Render(data)),
            ("loss-curves", "Loss curves", LossCurvesSvg.Render(data)),
            ("stress", "Stress tests", StressHeatmap.Render(data)),
            ("weights", "First-layer weights of the best configurations", WeightHeatmaps.Render(data)),
            ("examples", "Noisy training examples", NoisyExamples.Render(data)),
            ("parallel", "Hyperparameters against the ranking metric", ParallelCoordinates.Render(data)),
            ("pareto", "Eval loss against calibration error", ParetoScatter.Render(data)),
            ("progress", "The search, configuration by configuration", SearchProgress.Render(data)),
        };
        var page = new StringBuilder();
        page.Append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
            .Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
            .Append($"<title>TinyNet sweep {Html.E(data.Name)}</title>\n<style>\n{Assets.Css}</style>\n</head>\n<body>\n");
        page.Append($"<header><h1>TinyNet sweep <code>{Html.E(data.Name)}</code></h1>\n<p>{Summary(data)}</p>\n<nav>");
        page.AppendJoin(" · ", sections.Select(s => $"<a href=\"#{s.Id}\">{Html.E(s.Title)}</a>"));
        page.Append("</nav>\n</header>\n<main>\n");
        foreach (var (id, title, body) in sections)
            page.Append($"<section id=\"{id}\">\n<h2>{Html.E(title)}</h2>\n{body}</section>\n");
        page.Append("</main>\n<script>\n").Append(Assets.Script).Append("</script>\n</body>\n</html>\n");
        return page.ToString();
    }

    private static string Summary(ReportData data)
    {
        int trials = data.Results.Count;
        int completed = data.Results.Count(r => r.Outcome.Status == Domain.Trials.TrialStatus.Completed);
        int stopped = data.Results.Count(r => r.Outcome.Status == Domain.Trials.TrialStatus.Stopped);
        string goal = data.Metric.Goal.ToString().ToLowerInvariant();
        string text = $"{data.Rows.Count} configurations, {trials} trials ({completed} completed{(stopped > 0 ? $", {stopped} stopped by hyperband" : "")}). " +
                      $"Ranked by <code>{Html.E(data.Metric.Name)}</code> ({goal}), ties broken by <code>eval_loss</code>; " +
                      "values are mean ± standard deviation over seeds.";
        // Problems are of several kinds (an unreadable line of trials.jsonl, a missing ranking.json); the report command prints each.
        if (data.Problems.Count > 0)
            text += $" {data.Problems.Count} problem{(data.Problems.Count == 1 ? "" : "s")} reading the results folder; " +
                    "<code>tinynet-sweeps report</code> prints each as a warning.";
        return text;
    }
}
