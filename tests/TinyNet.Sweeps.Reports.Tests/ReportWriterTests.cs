using TinyNet.Sweeps.Domain.Export;
using System.Text.RegularExpressions;

namespace TinyNet.Sweeps.Reports.Tests;

public sealed class ReportWriterTests
{
    internal static readonly byte[] PngSignature = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];

    [Fact]
    public void Html_has_every_section_and_refers_to_nothing_outside_itself()
    {
        string directory = ResultsFolder.Create();
        var files = ReportWriter.Write(directory, null);

        Assert.Equal(Path.Combine(directory, "report.html"), files.Html);
        string html = File.ReadAllText(files.Html);
        foreach (string id in new[] { "ranking", "loss-curves", "stress", "weights", "examples", "parallel", "pareto", "progress" })
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
        Assert.Contains("<svg id=\"progress-svg\"", html);
        Assert.Contains("class=\"best-so-far\"", html);
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
    public void Problems_reading_the_folder_are_returned_and_counted_on_the_page()
    {
        string directory = ResultsFolder.Create();
        File.AppendAllText(Path.Combine(directory, "trials.jsonl"), "{\"id\": \"torn\n");
        File.Delete(Path.Combine(directory, "ranking.json"));

        var files = ReportWriter.Write(directory, null);

        Assert.Equal(2, files.Warnings.Count);
        Assert.Contains(files.Warnings, w => w.Contains("trials.jsonl:13: ignored an unreadable line", StringComparison.Ordinal));
        Assert.Contains(files.Warnings, w => w.Contains("ranking.json is missing", StringComparison.Ordinal));
        Assert.Contains("2 problems reading the results folder", File.ReadAllText(files.Html));
    }

    [Fact]
    public void A_folder_of_unreadable_lines_is_refused_with_the_first_problem()
    {
        string directory = Directory.CreateTempSubdirectory("tinynet-unreadable-").FullName;
        File.WriteAllText(Path.Combine(directory, "trials.jsonl"), "not json\n{\"id\": \"no config\"}\n");

        var e = Assert.Throws<ReportInputException>(() => ReportWriter.Write(directory, null));

        Assert.Contains("has no trials", e.Message);
        Assert.Contains("3 problem(s) reading it; the first: ", e.Message);
        Assert.Contains("trials.jsonl:1: ignored an unreadable line", e.Message);
    }

    [Fact]
    public void Writing_again_replaces_every_file_and_leaves_no_temporary_one()
    {
        string directory = ResultsFolder.Create();
        var first = ReportWriter.Write(directory, null);
        File.WriteAllText(first.Html, "stale");
        File.WriteAllText(first.Pngs[0], "stale");

        var second = ReportWriter.Write(directory, null);

        Assert.StartsWith("<!DOCTYPE html>", File.ReadAllText(second.Html), StringComparison.Ordinal);
        Assert.Equal(PngSignature, File.ReadAllBytes(second.Pngs[0])[..8]);
        Assert.Empty(Directory.GetFiles(directory, "*.tmp", SearchOption.AllDirectories));
    }

    [Fact]
    public void A_page_that_cannot_go_where_asked_is_refused_before_anything_is_written()
    {
        string directory = ResultsFolder.Create();
        string file = Path.Combine(directory, "ranking.csv");

        var underFile = Assert.Throws<ReportOutputException>(() => ReportWriter.Write(directory, Path.Combine(file, "report.html")));
        var folder = Assert.Throws<ReportOutputException>(() => ReportWriter.Write(directory, directory));

        Assert.Contains($"cannot write the report to {Path.Combine(file, "report.html")}", underFile.Message);
        Assert.Contains("it is a folder; name a file", folder.Message);
        Assert.False(Directory.Exists(Path.Combine(directory, "plots")));
    }

    [Fact]
    public void A_plot_that_cannot_be_replaced_fails_as_a_write_error_and_leaves_no_temporary_file()
    {
        string directory = ResultsFolder.Create();
        Directory.CreateDirectory(Path.Combine(directory, "plots", "loss-curves.png"));

        var e = Assert.Throws<ResultsWriteException>(() => ReportWriter.Write(directory, null));

        Assert.Contains("loss-curves.png", e.Message);
        Assert.Empty(Directory.GetFiles(directory, "*.tmp", SearchOption.AllDirectories));
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
