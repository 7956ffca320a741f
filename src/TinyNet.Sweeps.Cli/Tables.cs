using System.Globalization;
using Spectre.Console;
using TinyNet.Sweeps.Domain.Export;
using TinyNet.Sweeps.Domain.Ranking;
using TinyNet.Sweeps.Domain.Trials;
using TinyNet.Sweeps.Hosting;

namespace TinyNet.Sweeps.Cli;

internal static class Tables
{
    private static readonly string[] ShownParameters =
        ["activation", "optimizer", "learning_rate", "weight_decay", "noise_level", "clean_ratio", "epochs", "batch_size", "hidden_units"];

    public static Table Configurations(SweepRequest request, int count)
    {
        var table = new Table().Border(TableBorder.Simple);
        table.AddColumn("#");
        table.AddColumn("label");
        foreach (string p in ShownParameters) table.AddColumn(p);
        table.AddColumn("seed");
        foreach (var trial in request.Trials.Take(count))
        {
            var parameters = RankingExporter.Parameters(trial.Config);
            var cells = new List<string> { (trial.Index + 1).ToString(CultureInfo.InvariantCulture), request.Labels.GetValueOrDefault(trial.ConfigKey) ?? "" };
            cells.AddRange(ShownParameters.Select(p => parameters[p]));
            cells.Add(trial.Seed.ToString(CultureInfo.InvariantCulture));
            table.AddRow(cells.Select(Markup.Escape).ToArray());
        }
        return table;
    }

    public static Table Ranking(SweepRanking ranking, int count)
    {
        var table = new Table().Border(TableBorder.Simple)
            .Title($"{Markup.Escape(ranking.Name)}: ranked by {ranking.Metric.Name} ({ranking.Metric.Goal.ToString().ToLowerInvariant()})");
        string[] metrics = [MetricNames.CalibrationError, MetricNames.EvalLoss, MetricNames.FinalLoss, MetricNames.EvalAccuracy,
            MetricNames.ClearConfidence, MetricNames.AmbiguousConfidence];
        table.AddColumn("rank");
        table.AddColumn(new TableColumn("configuration").NoWrap());
        table.AddColumn("n");
        foreach (string m in metrics) table.AddColumn(new TableColumn(m == ranking.Metric.Name ? $"[bold]{m}[/]" : m).RightAligned());
        foreach (var row in ranking.Rows.Take(count))
        {
            var cells = new List<string> { row.Rank.ToString(CultureInfo.InvariantCulture), Markup.Escape(Describe(row)), Markup.Escape(RankingExporter.CountCell(row)) };
            cells.AddRange(metrics.Select(m => row.Metrics.TryGetValue(m, out var s) ? RankingExporter.FormatSummary(s) : "—"));
            table.AddRow(cells.ToArray());
        }
        return table;
    }

    /// <summary>"relu-adam-mixed: relu adam lr=0.01 wd=0.01 noise=0.3 clean=0.2 300ep bs64 h3".</summary>
    public static string Describe(RankedConfiguration row)
    {
        var p = RankingExporter.Parameters(row.Config);
        string momentum = row.Config.Momentum != 0 ? $" m={p["momentum"]}" : "";
        string loss = row.Config.Loss != LossKind.Mse ? $" {p["loss"]}" : "";
        string text = $"{p["activation"]} {p["optimizer"]} lr={p["learning_rate"]}{momentum} wd={p["weight_decay"]} noise={p["noise_level"]} " +
                      $"clean={p["clean_ratio"]} {p["epochs"]}ep bs{p["batch_size"]} h{p["hidden_units"]}{loss}";
        return row.Label is null ? text : $"{row.Label}: {text}";
    }
}
