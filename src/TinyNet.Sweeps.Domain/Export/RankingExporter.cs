using System.Globalization;
using System.Text;
using System.Text.Json;
using CsvHelper;
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
        AtomicFile.Write(Path.Combine(folder.Directory, CsvFile), path => WriteText(path, text => WriteCsv(ranking, text)));
        AtomicFile.Write(Path.Combine(folder.Directory, JsonFile), path =>
        {
            using var file = File.Create(path);
            WriteJson(ranking, file);
        });
        AtomicFile.Write(Path.Combine(folder.Directory, MarkdownFile), path => WriteText(path, text => WriteMarkdown(ranking, text)));
    }

    private static void WriteText(string path, Action<StreamWriter> write)
    {
        using var text = new StreamWriter(path, append: false, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
        write(text);
    }

    private static string AsText(Action<StringWriter> write)
    {
        using var text = new StringWriter(CultureInfo.InvariantCulture);
        write(text);
        return text.ToString();
    }

    /// <summary>The configuration as the sweep file would write it, keyed by parameter name.</summary>
    public static IReadOnlyDictionary<string, string> Parameters(TrialConfig config) =>
        ParameterCatalog.ConfigParameters.ToDictionary(p => p.Name, p => p.Text(config));

    public static string ToCsv(SweepRanking ranking) => AsText(text => WriteCsv(ranking, text));

    public static void WriteCsv(SweepRanking ranking, TextWriter text)
    {
        var c = CultureInfo.InvariantCulture;
        using (var csv = CsvWriter.Create(text, new CsvWriterOptions(), true))
        {
            csv.WriteHeader(Headers().ToArray());
            foreach (var row in ranking.Rows)
            {
                var parameters = Parameters(row.Config);
                var fields = new List<string> { row.Rank.ToString(c), row.Label ?? "", row.ConfigKey };
                fields.AddRange(ParameterNames.Select(name => parameters[name]));
                fields.AddRange([row.Trials.ToString(c), row.Completed.ToString(c), row.Diverged.ToString(c), row.Failed.ToString(c)]);
                foreach (string metric in MetricNames.All)
                {
                    bool has = row.Metrics.TryGetValue(metric, out var s);
                    fields.Add(has ? s!.Mean.ToString("R", c) : "");
                    fields.Add(has ? s!.StdDev.ToString("R", c) : "");
                }
                fields.Add(row.Stopped.ToString(c));
                csv.WriteRecord(fields.ToArray());
            }
        }
    }

    private static IEnumerable<string> Headers()
    {
        yield return "rank";
        yield return "label";
        yield return "config_key";
        foreach (string name in ParameterNames) yield return name;
        yield return "trials";
        yield return "completed";
        yield return "diverged";
        yield return "failed";
        foreach (string metric in MetricNames.All)
        {
            yield return metric + "_mean";
            yield return metric + "_std";
        }
        // Added with hyperband: last, so the columns before it keep their places.
        yield return "stopped";
    }

    public static string ToJson(SweepRanking ranking)
    {
        using var bytes = new MemoryStream();
        WriteJson(ranking, bytes);
        return Encoding.UTF8.GetString(bytes.GetBuffer(), 0, (int)bytes.Length);
    }

    public static void WriteJson(SweepRanking ranking, Stream utf8)
    {
        var document = new
        {
            ranking.Name,
            Metric = new { ranking.Metric.Name, Goal = ranking.Metric.Goal.ToString().ToLowerInvariant() },
            Rows = ranking.Rows.Select(row => new
            {
                row.Rank,
                row.Label,
                row.ConfigKey,
                row.Config,
                row.Seeds,
                row.Trials,
                row.Completed,
                row.Diverged,
                row.Failed,
                row.Stopped,
                Metrics = row.Metrics.ToDictionary(
                    m => m.Key, m => new { mean = m.Value.Mean, std = m.Value.StdDev, n = m.Value.N }),
            }),
            ParetoFront = SweepStatistics.ParetoFront(ranking.Rows),
        };
        JsonSerializer.Serialize(utf8, document, SweepJson.Indented);
        utf8.WriteByte((byte)'\n');
    }

    public static string ToMarkdown(SweepRanking ranking) => AsText(text => WriteMarkdown(ranking, text));

    public static void WriteMarkdown(SweepRanking ranking, TextWriter md)
    {
        string goal = ranking.Metric.Goal.ToString().ToLowerInvariant();
        md.WriteLine($"# Sweep `{ranking.Name}`");
        md.WriteLine();
        md.WriteLine($"Ranked by `{ranking.Metric.Name}` ({goal}), ties broken by `eval_loss`; mean ± standard deviation over seeds.");
        md.WriteLine();
        var columns = new List<string> { "rank", "label" };
        columns.AddRange(ParameterNames);
        columns.Add("n");
        columns.AddRange(MetricNames.All);
        md.WriteLine("| " + string.Join(" | ", columns) + " |");
        md.WriteLine("|" + string.Concat(columns.Select(_ => "---|")));
        foreach (var row in ranking.Rows)
        {
            var cells = new List<string> { row.Rank.ToString(CultureInfo.InvariantCulture), row.Label ?? row.ConfigKey };
            cells.AddRange(ParameterCatalog.ConfigParameters.Select(p => p.Text(row.Config)));
            cells.Add(CountCell(row));
            cells.AddRange(MetricNames.All.Select(m => row.Metrics.TryGetValue(m, out var s) ? FormatSummary(s) : "—"));
            md.WriteLine("| " + string.Join(" | ", cells.Select(c => c.Replace("|", "\\|"))) + " |");
        }
    }

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
