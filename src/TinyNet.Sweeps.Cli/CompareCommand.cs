using System.CommandLine;
using System.Globalization;
using Spectre.Console;
using TinyNet.Sweeps.Domain.Export;
using TinyNet.Sweeps.Domain.Ranking;
using TinyNet.Sweeps.Domain.Sweeps;
using TinyNet.Sweeps.Domain.Trials;

namespace TinyNet.Sweeps.Cli;

/// <summary>
/// Lines up the configurations two result folders share (same config key): rank in A and in B, every metric's mean in
/// A and B and their difference, and a paired t-test over the seeds both completed for the ranking metric.
/// </summary>
internal static class CompareCommand
{
    public static Command Create(CliIO io)
    {
        var dirA = new Argument<string>("DIR_A") { Description = "An output folder of run, or of submit/status --wait --out (trials.jsonl, ranking.json)." };
        var dirB = new Argument<string>("DIR_B") { Description = "The output folder to compare it with." };
        var command = new Command("compare", "Compare two sweeps' results: the configurations both ran, their ranks, metrics and a paired test over seeds.")
        {
            dirA, dirB,
        };
        command.SetAction(parse =>
        {
            var a = Load(parse.GetValue(dirA)!, io);
            var b = Load(parse.GetValue(dirB)!, io);
            var rankingA = a.Rank();
            var rankingB = b.Rank();
            if (a.Metric != b.Metric)
                io.Error.WriteLine($"warning: {a.Directory} is ranked by {Describe(a.Metric)} and {b.Directory} by {Describe(b.Metric)}; " +
                                   $"the paired test uses {a.Metric.Name}.");
            var compared = SweepComparison.Compare(rankingA, rankingB, a.Results, b.Results);
            if (compared.Count == 0)
                throw new UsageException(
                    $"{a.Directory} ({rankingA.Rows.Count} configurations) and {b.Directory} ({rankingB.Rows.Count} configurations) share no configuration: " +
                    "compare lines up configurations with the same parameters (the same config_key in trials.jsonl), and none of A's appears in B. " +
                    "Compare two runs of the same or overlapping sweep files, e.g. with different seeds.");

            io.Output.WriteLine($"A: {Path.GetFullPath(a.Directory)} ('{a.Name}', {rankingA.Rows.Count} configurations, {a.Results.Count} trials)");
            io.Output.WriteLine($"B: {Path.GetFullPath(b.Directory)} ('{b.Name}', {rankingB.Rows.Count} configurations, {b.Results.Count} trials)");
            io.Output.WriteLine($"{compared.Count} shared configuration{(compared.Count == 1 ? "" : "s")}, in A's rank order; ranks are within each sweep; " +
                                $"Δ = B − A; paired test: two-sided paired t-test of {a.Metric.Name} over the seeds completed in both.");
            io.Console.Write(Table(compared, rankingA, rankingB, a.Metric));
            return ExitCodes.Success;
        });
        return command;
    }

    private static ResultsFolder Load(string directory, CliIO io)
    {
        if (!Directory.Exists(directory))
            throw new UsageException($"{directory}: no such folder. compare needs two output folders of 'tinynet-sweeps run' " +
                                     "(or of submit/status --wait --out), each with trials.jsonl and ranking.json.");
        if (!File.Exists(Path.Combine(directory, TrialLog.FileName)))
            throw new UsageException($"{directory} has no {TrialLog.FileName}, so it is not a sweep's output folder: compare needs the folders " +
                                     "that 'tinynet-sweeps run --out DIR' (or submit/status --wait --out DIR) writes.");
        var folder = ResultsFolder.Read(directory);
        foreach (string warning in folder.Warnings) io.Error.WriteLine($"warning: {warning}");
        if (folder.Results.Count == 0)
            throw new UsageException($"{Path.Combine(directory, TrialLog.FileName)} holds no trial: the sweep written there has no finished trial to compare yet.");
        return folder;
    }

    private static string Describe(MetricSpec metric) => $"{metric.Name} ({metric.Goal.ToString().ToLowerInvariant()})";

    private static Table Table(IReadOnlyList<ComparedConfiguration> compared, SweepRanking a, SweepRanking b, MetricSpec metric)
    {
        var c = CultureInfo.InvariantCulture;
        var rowsA = a.Rows.ToDictionary(r => r.ConfigKey);
        var labels = ConfigurationLabels.For(compared.Select(row => rowsA[row.ConfigKey].Config));
        var table = new Table().Border(TableBorder.Simple)
            .Title($"{Markup.Escape(a.Name)} → {Markup.Escape(b.Name)}: ranked by {Markup.Escape(Describe(metric))}");
        table.AddColumn(new TableColumn("configuration").NoWrap());
        table.AddColumn(new TableColumn("rank A → B").NoWrap());
        foreach (string m in MetricNames.All)
            table.AddColumn(new TableColumn(m == metric.Name ? $"[bold]{m}[/]" : m).RightAligned().NoWrap());
        table.AddColumn(new TableColumn($"paired test ({Markup.Escape(metric.Name)})").NoWrap());
        foreach (var row in compared)
        {
            string moved = row.RankChange switch
            {
                > 0 => $"up {row.RankChange}",
                < 0 => $"down {-row.RankChange}",
                _ => "same",
            };
            var cells = new List<string>
            {
                Markup.Escape(labels.Describe(rowsA[row.ConfigKey].Config, row.Label)),
                $"{row.RankA} → {row.RankB} ({moved})",
            };
            foreach (var m in row.Metrics)
                cells.Add($"A {Number(m.MeanA)}\nB {Number(m.MeanB)}\nΔ {Signed(m.Difference)}");
            string seeds = $"{row.SharedSeeds.Count} shared seed{(row.SharedSeeds.Count == 1 ? "" : "s")}";
            cells.Add(row.PairedPValue is { } p && !double.IsNaN(p)
                ? $"p = {P(p)}\n{seeds}"
                : $"—\n{seeds} (needs 2)");
            table.AddRow(cells.ToArray());
        }
        return table;

        string Number(double? v) => v is { } x ? x.ToString("0.0000", c) : "—";
        string Signed(double? v) => v is { } x ? (x >= 0 ? "+" : "−") + Math.Abs(x).ToString("0.0000", c) : "—";
        string P(double p) => p < 0.001 ? "< 0.001" : p.ToString("0.000", c);
    }
}
