using System.Globalization;
using System.Text;
using TinyNet.Sweeps.Domain.Ranking;
using TinyNet.Sweeps.Domain.Sweeps;
using TinyNet.Sweeps.Domain.Trials;

namespace TinyNet.Sweeps.Domain.Export;

/// <summary>Writes a ranking as ranking.csv, ranking.json and ranking.md: the same rows, in the same order.</summary>
public static class RankingExporter
{
    public const string CsvFile = "ranking.csv";
    public const string JsonFile = "ranking.json";
    public const string MarkdownFile = "ranking.md";

    /// <summary>The sweep file's parameter names, in the order every table shows them.</summary>
    public static IReadOnlyList<string> ParameterNames { get; } = [.. ParameterCatalog.ConfigParameters.Select(p => p.Name)];

    /// <summary>
    /// Writes the three files into a folder the caller holds; each is replaced whole or not at all. Each is written as it
    /// is made, not made whole in memory first: a sweep of 10,000 configurations has tens of megabytes of them.
    /// </summary>
    /// <exception cref="ResultsWriteException">A file could not be written.</exception>
    public static void WriteAll(SweepRanking ranking, ResultsFolderLock folder)
    {
        using var files = RankingFiles.Begin(folder, ranking.Name, ranking.Metric);
        files.Write(ranking.Rows);
        files.Complete(SweepStatistics.ParetoFront(ranking.Rows));
    }

    private static string AsText(Func<StringWriter, IRankingFormat> format, SweepRanking ranking)
    {
        using var text = new StringWriter(CultureInfo.InvariantCulture);
        WriteWhole(format(text), ranking);
        return text.ToString();
    }

    private static void WriteWhole(IRankingFormat format, SweepRanking ranking)
    {
        using (format)
        {
            foreach (var row in ranking.Rows) format.WriteRow(row);
            format.End(SweepStatistics.ParetoFront(ranking.Rows));
        }
    }

    /// <summary>The configuration as the sweep file would write it, keyed by parameter name.</summary>
    public static IReadOnlyDictionary<string, string> Parameters(TrialConfig config) =>
        ParameterCatalog.ConfigParameters.ToDictionary(p => p.Name, p => p.Text(config));

    public static string ToCsv(SweepRanking ranking) => AsText(text => new CsvRanking(text), ranking);

    public static void WriteCsv(SweepRanking ranking, TextWriter text) => WriteWhole(new CsvRanking(text), ranking);

    public static string ToJson(SweepRanking ranking)
    {
        using var bytes = new MemoryStream();
        WriteJson(ranking, bytes);
        return Encoding.UTF8.GetString(bytes.GetBuffer(), 0, (int)bytes.Length);
    }

    public static void WriteJson(SweepRanking ranking, Stream utf8) => WriteWhole(new JsonRanking(utf8, ranking.Name, ranking.Metric), ranking);

    public static string ToMarkdown(SweepRanking ranking) => AsText(text => new MarkdownRanking(text, ranking.Name, ranking.Metric), ranking);

    public static void WriteMarkdown(SweepRanking ranking, TextWriter md) => WriteWhole(new MarkdownRanking(md, ranking.Name, ranking.Metric), ranking);

    /// <summary>"5", or "3 (2 diverged)" when some seeds did not complete.</summary>
    public static string CountCell(RankedConfiguration row)
    {
        var notes = new List<string>();
        if (row.Diverged > 0) notes.Add($"{row.Diverged} diverged");
        if (row.Stopped > 0) notes.Add($"{row.Stopped} stopped");
        if (row.Failed > 0) notes.Add($"{row.Failed} failed");
        return notes.Count == 0 ? row.Completed.ToString(CultureInfo.InvariantCulture) : $"{row.Completed} ({string.Join(", ", notes)})";
    }

    public static string FormatSummary(MetricSummary s) =>
        s.N > 1 ? string.Create(CultureInfo.InvariantCulture, $"{s.Mean:0.0000} ± {s.StdDev:0.0000}")
                : string.Create(CultureInfo.InvariantCulture, $"{s.Mean:0.0000}");
}
