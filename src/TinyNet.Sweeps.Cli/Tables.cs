using System.Globalization;
using Spectre.Console;
using TinyNet.Sweeps.Domain.Export;
using TinyNet.Sweeps.Domain.Ranking;
using TinyNet.Sweeps.Domain.Trials;
using TinyNet.Sweeps.Hosting;

namespace TinyNet.Sweeps.Cli;

internal static class Tables
{
    public static Table Configurations(IReadOnlyList<TrialSpec> trials, int count)
    {
        var table = new Table().Border(TableBorder.Simple);
        table.AddColumn("#");
        table.AddColumn("label");
        foreach (string p in RankingExporter.ParameterNames) table.AddColumn(p);
        table.AddColumn("seed");
        foreach (var trial in trials.Take(count))
        {
            var parameters = RankingExporter.Parameters(trial.Config);
            var cells = new List<string> { (trial.Index + 1).ToString(CultureInfo.InvariantCulture), trial.Label ?? "" };
            cells.AddRange(RankingExporter.ParameterNames.Select(p => parameters[p]));
            cells.Add(trial.Seed.ToString(CultureInfo.InvariantCulture));
            table.AddRow(cells.Select(Markup.Escape).ToArray());
        }
        return table;
    }

    public static Table Ranking(SweepRanking ranking, int count)
    {
        var table = new Table().Border(TableBorder.Simple)
            .Title($"{Markup.Escape(ranking.Name)}: ranked by {ranking.Metric.Name} ({ranking.Metric.Goal.ToString().ToLowerInvariant()})");
        // Every metric, the ranking's first.
        string[] metrics = [ranking.Metric.Name, .. MetricNames.All.Where(m => m != ranking.Metric.Name)];
        table.AddColumn("rank");
        table.AddColumn(new TableColumn("configuration").NoWrap());
        table.AddColumn("n");
        foreach (string m in metrics) table.AddColumn(new TableColumn(m == ranking.Metric.Name ? $"[bold]{m}[/]" : m).RightAligned());
        var shown = ranking.Rows.Take(count).ToList();
        var labels = ConfigurationLabels.For(shown.Select(r => r.Config));
        foreach (var row in shown)
        {
            var cells = new List<string> { row.Rank.ToString(CultureInfo.InvariantCulture), Markup.Escape(Describe(row, labels)), Markup.Escape(RankingExporter.CountCell(row)) };
            cells.AddRange(metrics.Select(m => row.Metrics.TryGetValue(m, out var s) ? RankingExporter.FormatSummary(s) : "—"));
            table.AddRow(cells.ToArray());
        }
        return table;
    }

    /// <summary>"relu-adam-mixed: relu adam lr=0.01 mom=0 wd=0.01 noise=0.3 clean=0.2 300ep bs64 h3 mse", numbers as short as
    /// <paramref name="labels"/> (fit to the rows shown together) allow.</summary>
    public static string Describe(RankedConfiguration row, ConfigurationLabels labels) => labels.Describe(row.Config, row.Label);

    /// <summary>Labels that tell apart every configuration of a ranking.</summary>
    public static ConfigurationLabels Labels(SweepRanking ranking) => ConfigurationLabels.For(ranking.Rows.Select(r => r.Config));
}
