using System.Buffers.Binary;
using System.Diagnostics;
using System.Text.RegularExpressions;
using TinyNet.Sweeps.Reports.Png;
using TinyNet.Sweeps.Reports.Sections;
using Xunit.Abstractions;

namespace TinyNet.Sweeps.Reports.Tests;

/// <summary>
/// Plots stay readable and bounded whatever the sweep: past its limit (<see cref="PlotLimits"/>) a plot draws the best
/// configurations or the first hidden units and says so; the ranking table keeps every row; a small sweep is drawn whole.
/// </summary>
public sealed class PlotLimitTests(ITestOutputHelper output)
{
    private const int Configurations = 18_000;

    [Fact]
    public void Plots_of_a_big_sweep_show_the_best_configurations_at_a_bounded_size_and_the_table_keeps_every_row()
    {
        using var directory = SyntheticResultsFolder.Create(Configurations);
        var clock = Stopwatch.StartNew();
        var data = ReportData.Load(directory.Path);
        var files = ReportWriter.Write(data, null);
        output.WriteLine($"report of {Configurations:N0} configurations written in {clock.Elapsed.TotalSeconds:0.00} s");

        string html = File.ReadAllText(files.Html);
        Assert.True(html.Length < 30_000_000, $"report.html has {html.Length:N0} characters"); // about 1 KB per configuration
        Assert.Equal(Configurations, Rows(html, "ranking-table"));
        Assert.Equal(PlotLimits.StressRows, Rows(html, "stress-table"));
        Assert.Equal(PlotLimits.LossCurves, Regex.Matches(Svg(html, "loss-svg"), "<polyline").Count);
        Assert.Equal(Configurations, Regex.Matches(Svg(html, "pareto-svg"), "<circle").Count);
        Assert.Equal(PlotLimits.PointLabels, Regex.Matches(Svg(html, "pareto-svg"), "<text[^>]*>#").Count);
        Assert.Equal(Configurations, Regex.Matches(Svg(html, "parallel-svg"), "<polyline").Count);
        Assert.Equal(PlotLimits.ParallelLines, Regex.Matches(Svg(html, "parallel-svg"), "<title>").Count);
        Assert.Equal(PlotLimits.NoiseLevels, Regex.Matches(html, "<h3>noise_level = ").Count);
        Assert.Contains($"Best {PlotLimits.LossCurves} of 18,000 configurations; every row is in the ranking table and ranking.csv.", html);
        Assert.Contains($"Best {PlotLimits.StressRows} of 18,000 configurations; every row is in the ranking table and ranking.csv.", html);
        Assert.Contains($"The best {PlotLimits.PointLabels} of 18,000 configurations are labelled with their rank", html);
        Assert.Contains($"The best {PlotLimits.ParallelLines} of 18,000 configurations are drawn on top", html);

        Assert.Equal(4, files.Pngs.Count);
        foreach (string png in files.Pngs)
        {
            var (width, height) = PngSize(png);
            Assert.True(width <= 2_500 && height <= 2_000, $"{png} is {width}×{height} px");
        }
        Assert.Contains($"best {PlotLimits.LossCurves} of 18,000 configurations", Title(LossCurvesPng.Create(data)));
        Assert.Contains($"best {PlotLimits.StressRows} of 18,000 configurations", Title(StressHeatmapPng.Create(data)));
        Assert.Contains($"ranks of the best {PlotLimits.PointLabels} of 18,000 configurations", Title(ParetoPng.Create(data)));
    }

    [Fact]
    public void A_small_sweep_is_drawn_whole_and_says_nothing_of_limits()
    {
        string html = File.ReadAllText(ReportWriter.Write(ResultsFolder.Create(), null).Html);

        int configurations = ResultsFolder.Configurations.Length;
        Assert.Equal(configurations, Rows(html, "ranking-table"));
        Assert.Equal(configurations, Rows(html, "stress-table"));
        Assert.Equal(configurations, Regex.Matches(Svg(html, "loss-svg"), "<polyline").Count);
        Assert.Equal(configurations, Regex.Matches(Svg(html, "pareto-svg"), "<text[^>]*>#").Count);
        Assert.Equal(configurations, Regex.Matches(Svg(html, "parallel-svg"), "<title>").Count);
        Assert.DoesNotContain($"of {configurations} configurations", html);
        Assert.DoesNotContain("hidden units", html);
    }

    [Fact]
    public void A_wide_network_shows_its_first_hidden_units()
    {
        using var directory = SyntheticResultsFolder.Create(configurations: 4, hiddenUnits: 1024);
        var data = ReportData.Load(directory.Path);
        var files = ReportWriter.Write(data, null);

        string html = File.ReadAllText(files.Html);
        Assert.Equal(WeightHeatmaps.Best * PlotLimits.HiddenUnits, Regex.Matches(html, "<svg class=\"weights\"").Count);
        Assert.Contains($"first {PlotLimits.HiddenUnits} of 1,024 hidden units", html);
        var (width, height) = PngSize(files.Pngs.Single(p => p.EndsWith("best-weights.png", StringComparison.Ordinal)));
        Assert.True(width <= 2_500 && height <= 2_000, $"best-weights.png is {width}×{height} px");
        Assert.Contains($"first {PlotLimits.HiddenUnits} of 1,024 hidden units", Title(WeightsPng.Create(data)));
    }

    internal static string Title(PngPlot? png) => png!.Plot.Axes.Title.Label.Text;

    /// <summary>Width and height from a PNG's header, after checking its signature.</summary>
    internal static (int Width, int Height) PngSize(string path)
    {
        byte[] bytes = File.ReadAllBytes(path);
        Assert.Equal(ReportWriterTests.PngSignature, bytes[..8]);
        return (BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(16)), BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(20)));
    }

    /// <summary>The rows in the body of the table with id <paramref name="tableId"/>.</summary>
    private static int Rows(string html, string tableId)
    {
        string table = Element(html, $"id=\"{tableId}\"", "</table>");
        return Regex.Matches(table[table.IndexOf("<tbody>", StringComparison.Ordinal)..], "<tr[ >]").Count;
    }

    private static string Svg(string html, string id) => Element(html, $"<svg id=\"{id}\"", "</svg>");

    private static string Element(string html, string start, string end)
    {
        int from = html.IndexOf(start, StringComparison.Ordinal);
        return html[from..html.IndexOf(end, from, StringComparison.Ordinal)];
    }
}
