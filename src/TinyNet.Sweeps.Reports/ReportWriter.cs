using TinyNet.Sweeps.Reports.Png;

namespace TinyNet.Sweeps.Reports;

/// <summary>The files one report consists of: the self-contained HTML page and the PNG plots next to it.</summary>
public sealed record ReportFiles(string Html, IReadOnlyList<string> Pngs);

/// <summary>The results folder cannot be reported on (missing, or no trials in it); the message says why.</summary>
public sealed class ReportInputException(string message) : Exception(message);

/// <summary>Writes the report of a results folder: one offline HTML file plus plots/*.png.</summary>
public static class ReportWriter
{
    public const string DefaultFileName = "report.html";
    public const string PlotsFolder = "plots";

    /// <param name="resultsDirectory">A folder holding trials.jsonl (and usually ranking.json).</param>
    /// <param name="htmlPath">Where to write the page; default <c>resultsDirectory/report.html</c>. The PNGs go to <c>plots/</c> beside it.</param>
    /// <exception cref="ReportInputException">The folder is missing or holds no readable trial.</exception>
    public static ReportFiles Write(string resultsDirectory, string? htmlPath)
    {
        var data = ReportData.Load(resultsDirectory);
        string html = Path.GetFullPath(htmlPath ?? Path.Combine(resultsDirectory, DefaultFileName));
        string htmlFolder = Path.GetDirectoryName(html)!;
        Directory.CreateDirectory(htmlFolder);
        File.WriteAllText(html, HtmlReport.Render(data));
        var pngs = PngPlots.WriteAll(data, Path.Combine(htmlFolder, PlotsFolder));
        return new ReportFiles(html, pngs);
    }
}
