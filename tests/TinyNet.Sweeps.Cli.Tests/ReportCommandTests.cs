namespace TinyNet.Sweeps.Cli.Tests;

[Collection(RunCollection.Name)]
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
