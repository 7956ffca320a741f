using Xunit.Abstractions;

namespace TinyNet.Sweeps.Reports.Tests;

/// <summary>The report opened in headless Chromium with every host unresolvable: it renders, its script runs, no console error.</summary>
public sealed class BrowserTests(ITestOutputHelper output)
{
    [Fact]
    public void Report_renders_offline_in_headless_chromium()
    {
        HeadlessChromium.EnsureInstalled();
        string directory = ResultsFolder.Create();
        var files = ReportWriter.Write(directory, null);
        string url = new Uri(files.Html).AbsoluteUri;

        var dom = HeadlessChromium.Run(url, "--dump-dom");
        Assert.True(dom.Exit == 0, $"chromium --dump-dom exited {dom.Exit}: {dom.Stderr}");
        Assert.Contains("data-ready=\"1\"", dom.Stdout);   // the sortable-table script ran to its end
        Assert.Contains("id=\"ranking-table\"", dom.Stdout);
        Assert.DoesNotContain("Uncaught", dom.Stderr);

        string artifacts = Path.Combine(AppContext.BaseDirectory, "artifacts");
        Directory.CreateDirectory(artifacts);
        string screenshot = Path.Combine(artifacts, "report.png");
        File.Delete(screenshot);
        var shot = HeadlessChromium.Run(url, $"--screenshot={screenshot}", "--window-size=1400,3000");
        Assert.True(shot.Exit == 0, $"chromium --screenshot exited {shot.Exit}: {shot.Stderr}");
        Assert.DoesNotContain("Uncaught", shot.Stderr);
        Assert.True(File.Exists(screenshot) && new FileInfo(screenshot).Length > 10_000, $"no screenshot at {screenshot}: {shot.Stderr}");
        output.WriteLine($"report: {files.Html}");
        output.WriteLine($"screenshot: {screenshot}");
        Console.WriteLine($"screenshot: {screenshot}");
    }
}
