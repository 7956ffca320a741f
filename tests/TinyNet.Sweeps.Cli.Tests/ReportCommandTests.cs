using TinyNet.Sweeps.Domain.Export;
using TinyNet.Sweeps.Domain.Ranking;
using TinyNet.Sweeps.Domain.Sweeps;
using TinyNet.Sweeps.Domain.Trials;

namespace TinyNet.Sweeps.Cli.Tests;

public sealed class ReportCommandTests
{
    [Fact]
    public async Task Run_with_report_writes_an_offline_page_and_plots_and_report_rewrites_them()
    {
        using var dir = new TempDir();
        string outDir = dir.File("smoke");

        var run = await Cli.Run("run", Cli.SampleSweep("smoke.yaml"), "--out", outDir, "--report");
        Assert.True(run.ExitCode == 0, run.ToString());
        string html = Path.Combine(outDir, "report.html");
        Assert.Contains($"Report written to {html}", run.Output);
        Assert.DoesNotContain("https://", File.ReadAllText(html));
        Assert.NotEmpty(Directory.GetFiles(Path.Combine(outDir, "plots"), "*.png"));

        string elsewhere = dir.File("page.html");
        var report = await Cli.Run("report", outDir, "-o", elsewhere);
        Assert.True(report.ExitCode == 0, report.ToString());
        Assert.True(File.Exists(elsewhere));
    }

    [Fact]
    public async Task Report_on_a_folder_without_results_is_refused()
    {
        using var dir = new TempDir();

        var missing = await Cli.Run("report", dir.File("nope"));
        var empty = await Cli.Run("report", dir.Path);

        Assert.Equal(ExitCodes.InvalidInput, missing.ExitCode);
        Assert.Contains("does not exist", missing.Error);
        Assert.Equal(ExitCodes.InvalidInput, empty.ExitCode);
        Assert.Contains("trials.jsonl", empty.Error);
        Cli.NoStackTrace(missing.Error + empty.Error);
    }
}

/// <summary>report on a results folder written by hand (nothing trains): its warnings, and outputs that cannot take the report.</summary>
public sealed class ReportCommandOutputTests : IDisposable
{
    private readonly TempDir _temp = new();

    public void Dispose() => _temp.Dispose();

    /// <summary>Two seeds of one configuration, written as run writes them.</summary>
    private string ResultsFolder()
    {
        string directory = _temp.File("results");
        var results = new[] { 0, 1 }.Select(seed => new TrialResult(
            TrialIdentity.Create(new TrialConfig(), seed, seed),
            new TrainingOutcome(TrialStatus.Completed, [0.26, 0.23, 0.2], new TrialMetrics(0.2, 0.21, 0.7, 0.4, 0.25, 0.7, 0.6)),
            "silo-1", 10, 1)).ToList();
        using var folder = ResultsFolderLock.Acquire(directory, "hand-made results");
        TrialLog.WriteAll(folder, results, new Dictionary<string, string>());
        RankingExporter.WriteAll(Ranker.Rank("hand-made", MetricSpec.Default, results), folder);
        return directory;
    }

    [Fact]
    public async Task Every_problem_reading_the_folder_is_printed_as_a_warning()
    {
        string directory = ResultsFolder();
        File.AppendAllText(Path.Combine(directory, TrialLog.FileName), "{\"id\": \"torn\n");
        File.Delete(Path.Combine(directory, RankingExporter.JsonFile));

        var r = await Cli.Run("report", directory);

        Assert.True(r.ExitCode == ExitCodes.Success, r.ToString());
        var warnings = r.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, warnings.Length);
        Assert.All(warnings, w => Assert.StartsWith("warning: ", w, StringComparison.Ordinal));
        Assert.Contains($"{TrialLog.FileName}:3: ignored an unreadable line", r.Error);
        Assert.Contains($"{RankingExporter.JsonFile} is missing", r.Error);
    }

    [Fact]
    public async Task An_output_that_cannot_take_the_report_is_refused_in_one_line()
    {
        string directory = ResultsFolder();

        var underFile = await Cli.Run("report", directory, "-o", Path.Combine(directory, RankingExporter.CsvFile, "report.html"));
        var folder = await Cli.Run("report", directory, "-o", _temp.Path);

        foreach (var r in new[] { underFile, folder })
        {
            Assert.True(r.ExitCode == ExitCodes.InvalidInput, r.ToString());
            Assert.StartsWith("error: cannot write the report to ", r.Error, StringComparison.Ordinal);
            Assert.Single(r.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
            Cli.NoStackTrace(r.Error);
        }
    }

    [Fact]
    public async Task A_file_that_cannot_be_written_is_a_one_line_failure()
    {
        string directory = ResultsFolder();
        Directory.CreateDirectory(Path.Combine(directory, "plots", "loss-curves.png"));

        var r = await Cli.Run("report", directory);

        Assert.True(r.ExitCode == ExitCodes.Failure, r.ToString());
        Assert.StartsWith("error: cannot write ", r.Error, StringComparison.Ordinal);
        Assert.Contains("loss-curves.png", r.Error);
        Assert.Single(r.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Cli.NoStackTrace(r.Error);
    }
}
