using TinyNet.Sweeps.Domain.Export;
using TinyNet.Sweeps.Reports.Png;

namespace TinyNet.Sweeps.Reports;

/// <summary>The files one report consists of (the self-contained HTML page and the PNG plots next to it), and every problem met reading the results folder.</summary>
public sealed record ReportFiles(string Html, IReadOnlyList<string> Pngs, IReadOnlyList<string> Warnings);

/// <summary>The results folder cannot be reported on (missing, or no trials in it); the message says why.</summary>
public sealed class ReportInputException(string message) : Exception(message);

/// <summary>The report cannot be written where it was asked to go (a folder, a path under a file, no permission); the message says why.</summary>
public sealed class ReportOutputException(string message) : Exception(message);

/// <summary>Writes the report of a results folder: one offline HTML file plus plots/*.png.</summary>
public static class ReportWriter
{
    public const string DefaultFileName = "report.html";
    public const string PlotsFolder = "plots";

    /// <param name="resultsDirectory">A folder holding trials.jsonl (and usually ranking.json).</param>
    /// <param name="htmlPath">Where to write the page; default <c>resultsDirectory/report.html</c>. The PNGs go to <c>plots/</c> beside it.</param>
    /// <exception cref="ReportInputException">The folder is missing or holds no readable trial.</exception>
    /// <exception cref="ReportOutputException">The page or its plots cannot go where asked; checked before anything is drawn.</exception>
    /// <exception cref="ResultsWriteException">A file could not be written (a full disk); every file is whole, old or new.</exception>
    public static ReportFiles Write(string resultsDirectory, string? htmlPath) => Write(ReportData.Load(resultsDirectory), htmlPath);

    internal static ReportFiles Write(ReportData data, string? htmlPath)
    {
        string html = Path.GetFullPath(htmlPath ?? Path.Combine(data.Directory, DefaultFileName));
        string plots = Path.Combine(Path.GetDirectoryName(html)!, PlotsFolder);
        ReportDestination.Prepare(html, plots);
        // Each file replaced whole (temporary file, then rename): an interrupted report leaves old files or new ones, never half of one.
        AtomicFile.WriteAllText(html, HtmlReport.Render(data));
        var pngs = PngPlots.WriteAll(data, plots);
        return new ReportFiles(html, pngs, data.Problems);
    }
}

/// <summary>
/// Where a report goes, checked before the report is drawn (seconds for a big sweep): the page's folder and plots/ exist
/// or can be created, and each takes a new file. Creating one is the check that holds for every user, root included.
/// </summary>
internal static class ReportDestination
{
    public static void Prepare(string html, string plots)
    {
        if (Directory.Exists(html))
            throw new ReportOutputException($"cannot write the report to {html}: it is a folder; name a file, such as {Path.Combine(html, ReportWriter.DefaultFileName)}.");
        for (string? folder = Path.GetDirectoryName(html); folder is not null; folder = Path.GetDirectoryName(folder))
            if (File.Exists(folder))
                throw new ReportOutputException($"cannot write the report to {html}: {folder} is a file, not a folder. Choose another place for it (-o FILE).");
        try
        {
            Directory.CreateDirectory(plots);
            foreach (string folder in new[] { Path.GetDirectoryName(html)!, plots })
                using (File.Create(Path.Combine(folder, $".report-check.{Environment.ProcessId}.tmp"), 1, FileOptions.DeleteOnClose)) { }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ReportOutputException($"cannot write the report to {html}: {e.Message} Choose another place for it (-o FILE).");
        }
    }
}
