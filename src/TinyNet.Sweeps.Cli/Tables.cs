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

    /// <summary>
    /// The metrics in the order a narrow terminal keeps them: held-out loss and calibration first (the notebook's lesson:
    /// loss is not enough), then how sure the model is on ambiguous and on clear inputs, then the rest.
    /// </summary>
    private static readonly string[] MostTelling =
    [
        MetricNames.EvalLoss, MetricNames.CalibrationError, MetricNames.AmbiguousConfidence, MetricNames.ClearConfidence,
        MetricNames.EvalAccuracy, MetricNames.Brier, MetricNames.FinalLoss,
    ];

    /// <summary>Narrowest the configuration column gets before metrics are left out for it (its words wrap; numbers never do).</summary>
    private const int ConfigurationMinWidth = 24;

    /// <summary>
    /// The ranking's first rows, fit to <paramref name="width"/> columns: the ranking metric always, then the others in the
    /// order of <see cref="MostTelling"/> while they fit; a metric cell never wraps (a "mean ± std" split over two
    /// lines reads as two numbers), the configuration's words do. The caption names what was left out: every column is in
    /// ranking.md and ranking.csv.
    /// </summary>
    public static Table Ranking(SweepRanking ranking, int count, int width = int.MaxValue)
    {
        string[] metrics = [ranking.Metric.Name, .. MostTelling.Where(m => m != ranking.Metric.Name)];
        int shown = metrics.Length;
        while (shown > 1 && NaturalWidth(RankingTable(ranking, count, metrics[..shown], ConfigurationMinWidth)) > width) shown--;
        var table = RankingTable(ranking, count, metrics[..shown], configurationWidth: null);
        if (shown < metrics.Length)
            table.Caption($"[dim]not shown for the terminal's width: {Markup.Escape(string.Join(", ", metrics[shown..]))} (every column is in ranking.md and ranking.csv)[/]");
        return table;
    }

    private static Table RankingTable(SweepRanking ranking, int count, string[] metrics, int? configurationWidth)
    {
        var table = new Table().Border(TableBorder.Simple)
            .Title($"{Markup.Escape(ranking.Name)}: ranked by {ranking.Metric.Name} ({ranking.Metric.Goal.ToString().ToLowerInvariant()})");
        table.AddColumn(new TableColumn("rank").NoWrap());
        table.AddColumn(new TableColumn("configuration") { Width = configurationWidth });
        table.AddColumn(new TableColumn("n").NoWrap());
        foreach (string m in metrics) table.AddColumn(new TableColumn(m == ranking.Metric.Name ? $"[bold]{m}[/]" : m).RightAligned().NoWrap());
        var rows = ranking.Rows.Take(count).ToList();
        var labels = ConfigurationLabels.For(rows.Select(r => r.Config));
        foreach (var row in rows)
        {
            var cells = new List<string> { row.Rank.ToString(CultureInfo.InvariantCulture), Markup.Escape(Describe(row, labels)), Markup.Escape(RankingExporter.CountCell(row)) };
            cells.AddRange(metrics.Select(m => row.Metrics.TryGetValue(m, out var s) ? RankingExporter.FormatSummary(s) : "—"));
            table.AddRow(cells.ToArray());
        }
        return table;
    }

    /// <summary>The width of <paramref name="table"/>'s longest line when nothing squeezes it (its title wraps by itself).</summary>
    private static int NaturalWidth(Table table)
    {
        table.Title = null;
        using var text = new StringWriter(CultureInfo.InvariantCulture);
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(text), Ansi = AnsiSupport.No, ColorSystem = ColorSystemSupport.NoColors,
        });
        console.Profile.Width = 10_000;
        console.Write(table);
        return text.ToString().Split('\n').Max(line => line.TrimEnd().Length);
    }

    /// <summary>"relu-adam-mixed: relu adam lr=0.01 mom=0 wd=0.01 noise=0.3 clean=0.2 300ep bs64 h3 mse", numbers as short as
    /// <paramref name="labels"/> (fit to the rows shown together) allow.</summary>
    public static string Describe(RankedConfiguration row, ConfigurationLabels labels) => labels.Describe(row.Config, row.Label);

    /// <summary>Labels that tell apart every configuration of a ranking.</summary>
    public static ConfigurationLabels Labels(SweepRanking ranking) => ConfigurationLabels.For(ranking.Rows.Select(r => r.Config));
}
