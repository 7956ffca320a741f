using System.Text.RegularExpressions;

namespace TinyNet.Sweeps.Reports.Tests;

public sealed class ReportWriterTests
{
    private static readonly byte[] PngSignature = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];

    [Fact]
    public void Html_has_every_section_and_refers_to_nothing_outside_itself()
    {
        string directory = ResultsFolder.Create();
        var files = ReportWriter.Write(directory, null);

        Assert.Equal(Path.Combine(directory, "report.html"), files.Html);
        string html = File.ReadAllText(files.Html);
        foreach (string id in new[] { "ranking", "loss-curves", "stress", "weights", "examples", "parallel", "pareto" })
            Assert.Contains($"<section id=\"{id}\">", html);
        Assert.Contains("id=\"ranking-table\"", html);
        Assert.Contains("relu-adam-mixed", html);
        Assert.Contains("±", html);
        Assert.Contains("calibration_error 95% CI", html);
        Assert.Contains("tied with #1", html);
        Assert.Contains("<svg id=\"loss-svg\"", html);
        Assert.Contains("expected: High H", html);
        Assert.Contains("expected: Uncertain", html);
        Assert.Contains("noise_level = 0.6", html);
        Assert.Contains("noise_level = 0.05", html); // relu-adam-mixed trains on clean examples too
        Assert.Contains("class=\"front\"", html);
        Assert.Equal(3, Regex.Matches(html, "<h3>#\\d").Count); // weights of the best three configurations

        foreach (string banned in new[] { "http://", "https://", "//cdn", "<link", "<script src", "src=\"", "@import", "url(" })
            Assert.DoesNotContain(banned, html, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Best_configuration_ranks_first()
    {
        string directory = ResultsFolder.Create();
        string html = File.ReadAllText(ReportWriter.Write(directory, null).Html);
        string table = html[html.IndexOf("<tbody>", StringComparison.Ordinal)..];
        Assert.True(table.IndexOf("relu-adam-mixed", StringComparison.Ordinal) < table.IndexOf("sigmoid-sgd", StringComparison.Ordinal));
    }

    [Fact]
    public void Pngs_are_written_next_to_the_html()
    {
        string directory = ResultsFolder.Create();
        string html = Path.Combine(directory, "elsewhere", "page.html");
        var files = ReportWriter.Write(directory, html);

        Assert.Equal(html, files.Html);
        Assert.Equal(new[] { "best-weights.png", "loss-curves.png", "pareto.png", "stress-heatmap.png" }, files.Pngs.Select(p => Path.GetFileName(p)!).Order().ToArray());
        foreach (string png in files.Pngs)
        {
            Assert.Equal(Path.Combine(directory, "elsewhere", "plots"), Path.GetDirectoryName(png));
            byte[] bytes = File.ReadAllBytes(png);
            Assert.True(bytes.Length > 1000, $"{png} is only {bytes.Length} bytes");
            Assert.Equal(PngSignature, bytes[..8]);
        }
    }

    [Fact]
    public void A_missing_folder_is_refused_with_a_clear_message()
    {
        string missing = Path.Combine(Path.GetTempPath(), "no-such-results-" + Guid.NewGuid().ToString("N"));
        var e = Assert.Throws<ReportInputException>(() => ReportWriter.Write(missing, null));
        Assert.Contains("does not exist", e.Message);
    }

    [Fact]
    public void An_empty_folder_is_refused_with_a_clear_message()
    {
        string empty = Directory.CreateTempSubdirectory("tinynet-empty-").FullName;
        var e = Assert.Throws<ReportInputException>(() => ReportWriter.Write(empty, null));
        Assert.Contains("no trials", e.Message);
        Assert.False(File.Exists(Path.Combine(empty, "report.html")));
    }
}
