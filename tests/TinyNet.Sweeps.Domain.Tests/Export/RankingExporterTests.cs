using System.Globalization;
using System.Text.Json;
using TinyNet.Sweeps.Domain.Export;
using TinyNet.Sweeps.Domain.Ranking;
using TinyNet.Sweeps.Domain.Sweeps;
using TinyNet.Sweeps.Domain.Trials;
using static TinyNet.Sweeps.Domain.Tests.Ranking.RankingTestData;

namespace TinyNet.Sweeps.Domain.Tests.Export;

public sealed class RankingExporterTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "tinynet-export-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_dir)) Directory.Delete(_dir, recursive: true);
    }

    private static readonly TrialConfig AdamW = new()
    {
        Activation = Activation.Tanh, Optimizer = OptimizerKind.AdamW, LearningRate = 0.01, WeightDecay = 0.001,
        NoiseLevel = 0.25, CleanRatio = 0.2, Epochs = 150, BatchSize = 32, HiddenUnits = 4, Loss = LossKind.Bce,
    };

    private static readonly TrialConfig Sgd = new() { Activation = Activation.Sigmoid, Optimizer = OptimizerKind.Sgd, LearningRate = 0.1, Momentum = 0.9 };
    private static readonly TrialConfig Blowup = new() { LearningRate = 100 };

    /// <summary>Three configurations: adamw (3 seeds, rank 1), sgd (2 seeds, rank 2), and one whose seeds all diverged.</summary>
    private static SweepRanking Sample() => Ranker.Rank(
        "export-test",
        new MetricSpec(MetricNames.CalibrationError, MetricGoal.Minimize),
        [
            Completed("k-adamw", 0, Metrics(0.1, evalLoss: 0.2, evalAccuracy: 0.9), AdamW),
            Completed("k-adamw", 1, Metrics(0.2, evalLoss: 0.3, evalAccuracy: 0.95), AdamW),
            Completed("k-adamw", 2, Metrics(0.3, evalLoss: 0.4, evalAccuracy: 1.0), AdamW),
            Completed("k-sgd", 0, Metrics(0.5, evalLoss: 0.6), Sgd),
            Diverged("k-sgd", 1, Sgd),
            Diverged("k-blowup", 0, Blowup),
            Diverged("k-blowup", 1, Blowup),
        ],
        new Dictionary<string, string> { ["k-adamw"] = "tanh-adamw" });

    private static string[] Lines(string text) =>
        text.Split('\n').Select(l => l.TrimEnd('\r')).Where(l => l.Length > 0).ToArray();

    private static double D(string s) => double.Parse(s, NumberStyles.Float, CultureInfo.InvariantCulture);

    [Fact]
    public void Csv_has_the_expected_header()
    {
        string header = Lines(RankingExporter.ToCsv(Sample()))[0];

        var expected = new List<string> { "rank", "label", "config_key", "activation", "optimizer", "learning_rate", "momentum",
            "weight_decay", "noise_level", "clean_ratio", "epochs", "batch_size", "hidden_units", "loss",
            "trials", "completed", "diverged", "failed" };
        foreach (string m in MetricNames.All) expected.AddRange([m + "_mean", m + "_std"]);
        expected.Add("stopped"); // hyperband's, added last so the columns before it keep their places
        Assert.Equal(expected, header.Split(','));
    }

    [Fact]
    public void Csv_rows_parse_back_with_the_right_values()
    {
        var ranking = Sample();
        string[] lines = Lines(RankingExporter.ToCsv(ranking));
        Assert.Equal(1 + 3, lines.Length);
        string[] header = lines[0].Split(',');
        var rows = lines.Skip(1).Select(l => l.Split(',')).ToList();
        Assert.All(rows, r => Assert.Equal(header.Length, r.Length));
        var first = header.Select((h, i) => (h, i)).ToDictionary(x => x.h, x => rows[0][x.i]);

        Assert.Equal("1", first["rank"]);
        Assert.Equal("tanh-adamw", first["label"]);
        Assert.Equal("k-adamw", first["config_key"]);
        Assert.Equal("tanh", first["activation"]);
        Assert.Equal("adamw", first["optimizer"]);
        Assert.Equal(0.01, D(first["learning_rate"]));
        Assert.Equal(0.001, D(first["weight_decay"]));
        Assert.Equal(0.25, D(first["noise_level"]));
        Assert.Equal(0.2, D(first["clean_ratio"]));
        Assert.Equal("150", first["epochs"]);
        Assert.Equal("32", first["batch_size"]);
        Assert.Equal("4", first["hidden_units"]);
        Assert.Equal("bce", first["loss"]);
        Assert.Equal(("3", "3", "0", "0"), (first["trials"], first["completed"], first["diverged"], first["failed"]));
        Assert.Equal(0.2, D(first["calibration_error_mean"]), 12);
        Assert.Equal(0.1, D(first["calibration_error_std"]), 12);
        Assert.Equal(0.3, D(first["eval_loss_mean"]), 12);
        Assert.Equal(0.95, D(first["eval_accuracy_mean"]), 12);
        Assert.Equal(0.05, D(first["eval_accuracy_std"]), 12);
        // Written with round-trip precision: the parsed number is the ranking's number, bit for bit.
        var summary = ranking.Rows[0].Metrics[MetricNames.CalibrationError];
        Assert.Equal(summary.Mean, D(first["calibration_error_mean"]));
        Assert.Equal(summary.StdDev, D(first["calibration_error_std"]));

        var second = header.Select((h, i) => (h, i)).ToDictionary(x => x.h, x => rows[1][x.i]);
        Assert.Equal(("2", "", "k-sgd"), (second["rank"], second["label"], second["config_key"]));
        Assert.Equal(0.9, D(second["momentum"]));
        Assert.Equal(("2", "1", "1", "0"), (second["trials"], second["completed"], second["diverged"], second["failed"]));
        Assert.Equal(0.5, D(second["calibration_error_mean"]));
        Assert.Equal(0.0, D(second["calibration_error_std"]));

        var third = header.Select((h, i) => (h, i)).ToDictionary(x => x.h, x => rows[2][x.i]);
        Assert.Equal(("3", "k-blowup", "2"), (third["rank"], third["config_key"], third["diverged"]));
        Assert.Equal("", third["calibration_error_mean"]);
        Assert.Equal("", third["eval_loss_std"]);
    }

    [Fact]
    public void Json_has_name_metric_and_rows_with_config_and_metric_summaries()
    {
        using var doc = JsonDocument.Parse(RankingExporter.ToJson(Sample()));
        var root = doc.RootElement;

        Assert.Equal("export-test", root.GetProperty("name").GetString());
        Assert.Equal("calibration_error", root.GetProperty("metric").GetProperty("name").GetString());
        Assert.Equal("minimize", root.GetProperty("metric").GetProperty("goal").GetString());
        var rows = root.GetProperty("rows");
        Assert.Equal(3, rows.GetArrayLength());
        Assert.Equal([1, 2, 3], rows.EnumerateArray().Select(r => r.GetProperty("rank").GetInt32()));
        Assert.Equal(["k-adamw", "k-sgd", "k-blowup"], rows.EnumerateArray().Select(r => r.GetProperty("config_key").GetString()));

        var first = rows[0];
        Assert.Equal("tanh-adamw", first.GetProperty("label").GetString());
        var config = first.GetProperty("config");
        Assert.Equal("tanh", config.GetProperty("activation").GetString());
        Assert.Equal("adamw", config.GetProperty("optimizer").GetString());
        Assert.Equal(0.01, config.GetProperty("learning_rate").GetDouble());
        Assert.Equal(150, config.GetProperty("epochs").GetInt32());
        Assert.Equal([0, 1, 2], first.GetProperty("seeds").EnumerateArray().Select(s => s.GetInt32()));
        var metrics = first.GetProperty("metrics");
        Assert.Equal(MetricNames.All.Order(), metrics.EnumerateObject().Select(p => p.Name).Order());
        var ce = metrics.GetProperty("calibration_error");
        Assert.Equal(0.2, ce.GetProperty("mean").GetDouble(), 12);
        Assert.Equal(0.1, ce.GetProperty("std").GetDouble(), 12);
        Assert.Equal(3, ce.GetProperty("n").GetInt32());

        var second = rows[1].GetProperty("metrics").GetProperty("eval_loss");
        Assert.Equal(0.6, second.GetProperty("mean").GetDouble());
        Assert.Equal(1, second.GetProperty("n").GetInt32());
        Assert.Equal(1, rows[1].GetProperty("diverged").GetInt32());
    }

    [Fact]
    public void Json_metric_goal_is_maximize_for_a_maximized_metric()
    {
        var ranking = Sample() with { Metric = new MetricSpec(MetricNames.EvalAccuracy, MetricGoal.Maximize) };
        using var doc = JsonDocument.Parse(RankingExporter.ToJson(ranking));
        Assert.Equal("eval_accuracy", doc.RootElement.GetProperty("metric").GetProperty("name").GetString());
        Assert.Equal("maximize", doc.RootElement.GetProperty("metric").GetProperty("goal").GetString());
    }

    [Fact]
    public void Markdown_has_one_table_row_per_configuration()
    {
        var ranking = Sample();
        string md = RankingExporter.ToMarkdown(ranking);

        string[] table = Lines(md).Where(l => l.StartsWith('|')).ToArray();
        Assert.Equal(2 + ranking.Rows.Count, table.Length); // header, separator, one row each
        Assert.StartsWith("| rank |", table[0]);
        Assert.StartsWith("|---|", table[1]);
        int columns = table[0].Count(c => c == '|');
        Assert.All(table, l => Assert.Equal(columns, l.Count(c => c == '|')));
        Assert.StartsWith("| 1 | tanh-adamw | tanh | adamw |", table[2]);
        Assert.StartsWith("| 2 | k-sgd | sigmoid | sgd |", table[3]);
        Assert.StartsWith("| 3 | k-blowup |", table[4]);
        Assert.Contains("0.2000 ± 0.1000", table[2]);
        Assert.Contains("| 0 (2 diverged) |", table[4]);
        Assert.Contains("| 1 (1 diverged) |", table[3]);
        Assert.Contains("export-test", md);
        Assert.Contains("calibration_error", md);
    }

    [Fact]
    public void WriteAll_writes_the_three_files_with_the_same_content_as_the_string_forms()
    {
        var ranking = Sample();
        string target = Path.Combine(_dir, "nested", "out");

        using (var folder = ResultsFolderLock.Acquire(target, "RankingExporterTests")) RankingExporter.WriteAll(ranking, folder);

        Assert.Equal(RankingExporter.ToCsv(ranking), File.ReadAllText(Path.Combine(target, "ranking.csv")));
        Assert.Equal(RankingExporter.ToJson(ranking), File.ReadAllText(Path.Combine(target, "ranking.json")));
        Assert.Equal(RankingExporter.ToMarkdown(ranking), File.ReadAllText(Path.Combine(target, "ranking.md")));
    }

    [Fact]
    public void Ranking_files_left_before_they_are_complete_keep_the_old_files_and_no_temporary_ones()
    {
        var ranking = Sample();
        using var folder = ResultsFolderLock.Acquire(_dir, "RankingExporterTests");
        RankingExporter.WriteAll(ranking, folder);
        var old = Directory.GetFiles(_dir, "ranking.*").ToDictionary(path => Path.GetFileName(path), File.ReadAllText);

        using (var files = RankingFiles.Begin(folder, "another", ranking.Metric))
        {
            files.Write([.. ranking.Rows.Take(1)]);
            Assert.Equal(3, Directory.GetFiles(_dir, "*.tmp").Length);
        }

        Assert.Equal(old, Directory.GetFiles(_dir, "ranking.*").ToDictionary(path => Path.GetFileName(path), File.ReadAllText));
        Assert.Empty(Directory.GetFiles(_dir, "*.tmp"));
    }

    [Fact]
    public void Exports_are_deterministic()
    {
        Assert.Equal(RankingExporter.ToCsv(Sample()), RankingExporter.ToCsv(Sample()));
        Assert.Equal(RankingExporter.ToJson(Sample()), RankingExporter.ToJson(Sample()));
        Assert.Equal(RankingExporter.ToMarkdown(Sample()), RankingExporter.ToMarkdown(Sample()));
    }

    [Fact]
    public void A_label_with_a_comma_is_quoted_in_the_csv()
    {
        var ranking = Sample();
        ranking = ranking with { Rows = [ranking.Rows[0] with { Label = "a,b" }] };

        string row = Lines(RankingExporter.ToCsv(ranking))[1];

        Assert.StartsWith("1,\"a,b\",k-adamw,", row);
    }

    [Theory]
    [InlineData(1, 0, 0, "1")]
    [InlineData(3, 2, 0, "3 (2 diverged)")]
    [InlineData(0, 1, 2, "0 (1 diverged, 2 failed)")]
    public void CountCell_mentions_seeds_that_did_not_complete(int completed, int diverged, int failed, string expected)
    {
        var row = Sample().Rows[0] with { Completed = completed, Diverged = diverged, Failed = failed };
        Assert.Equal(expected, RankingExporter.CountCell(row));
    }

    [Fact]
    public void FormatSummary_shows_std_only_with_more_than_one_value()
    {
        Assert.Equal("0.1235 ± 0.0100", RankingExporter.FormatSummary(new MetricSummary(0.12345678, 0.01, 3)));
        Assert.Equal("0.5000", RankingExporter.FormatSummary(new MetricSummary(0.5, 0, 1)));
    }
}
