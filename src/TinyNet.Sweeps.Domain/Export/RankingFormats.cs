using System.Globalization;
using System.Text.Json;
using CsvHelper;
using TinyNet.Sweeps.Domain.Ranking;
using TinyNet.Sweeps.Domain.Sweeps;
using TinyNet.Sweeps.Domain.Trials;

namespace TinyNet.Sweeps.Domain.Export;

/// <summary>
/// One of the ranking's files, written a row at a time in rank order: the heading when made, then each row, then what
/// closes the file. A ranking of many configurations is never whole in the writer's memory.
/// </summary>
internal interface IRankingFormat : IDisposable
{
    void WriteRow(RankedConfiguration row);

    /// <summary>Closes the file's content; <paramref name="paretoFront"/> is the config keys on the Pareto front of all rows.</summary>
    void End(IReadOnlyList<string> paretoFront);
}

/// <summary>ranking.csv: one line per configuration, every parameter and every metric's mean and std as columns.</summary>
internal sealed class CsvRanking : IRankingFormat
{
    private static readonly CultureInfo C = CultureInfo.InvariantCulture;
    private readonly CsvWriter _csv;

    public CsvRanking(TextWriter text)
    {
        _csv = CsvWriter.Create(text, new CsvWriterOptions(), true);
        _csv.WriteHeader(Headers().ToArray());
    }

    private static IEnumerable<string> Headers()
    {
        yield return "rank";
        yield return "label";
        yield return "config_key";
        foreach (string name in RankingExporter.ParameterNames) yield return name;
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

    // Field by field, numbers formatted straight into the writer's buffer: a large sweep's ranking has tens of thousands of rows.
    public void WriteRow(RankedConfiguration row)
    {
        _csv.WriteField(row.Rank, default, C);
        _csv.WriteField(row.Label ?? "");
        _csv.WriteField(row.ConfigKey);
        foreach (var parameter in ParameterCatalog.ConfigParameters) _csv.WriteField(parameter.Text(row.Config));
        _csv.WriteField(row.Trials, default, C);
        _csv.WriteField(row.Completed, default, C);
        _csv.WriteField(row.Diverged, default, C);
        _csv.WriteField(row.Failed, default, C);
        foreach (string metric in MetricNames.All)
        {
            if (row.Metrics.TryGetValue(metric, out var s))
            {
                _csv.WriteField(s.Mean, "R", C);
                _csv.WriteField(s.StdDev, "R", C);
            }
            else
            {
                _csv.WriteField("");
                _csv.WriteField("");
            }
        }
        _csv.WriteField(row.Stopped, default, C);
        _csv.EndRecord();
    }

    public void End(IReadOnlyList<string> paretoFront) { }

    public void Dispose() => _csv.Dispose();
}

/// <summary>ranking.json: the sweep's name and metric, the rows, and the Pareto front of eval loss against calibration.</summary>
internal sealed class JsonRanking : IRankingFormat
{
    // Written out once this much is waiting: the writer keeps everything until flushed.
    private const int FlushAt = 64 * 1024;
    private readonly Stream _utf8;
    private readonly Utf8JsonWriter _json;

    public JsonRanking(Stream utf8, string name, MetricSpec metric)
    {
        _utf8 = utf8;
        var options = SweepJson.Indented;
        _json = new Utf8JsonWriter(utf8, new JsonWriterOptions { Indented = true, Encoder = options.Encoder });
        _json.WriteStartObject();
        _json.WriteString("name", name);
        _json.WritePropertyName("metric");
        JsonSerializer.Serialize(_json, new { metric.Name, Goal = metric.Goal.ToString().ToLowerInvariant() }, options);
        _json.WriteStartArray("rows");
    }

    public void WriteRow(RankedConfiguration row)
    {
        JsonSerializer.Serialize(_json, new
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
            Metrics = row.Metrics.ToDictionary(m => m.Key, m => new { mean = m.Value.Mean, std = m.Value.StdDev, n = m.Value.N }),
        }, SweepJson.Indented);
        if (_json.BytesPending >= FlushAt) _json.Flush();
    }

    public void End(IReadOnlyList<string> paretoFront)
    {
        _json.WriteEndArray();
        _json.WritePropertyName("pareto_front");
        JsonSerializer.Serialize(_json, paretoFront, SweepJson.Indented);
        _json.WriteEndObject();
        _json.Flush();
        _utf8.WriteByte((byte)'\n');
    }

    public void Dispose() => _json.Dispose();
}

/// <summary>ranking.md: a table to read, each metric as mean ± std over seeds.</summary>
internal sealed class MarkdownRanking : IRankingFormat
{
    private readonly TextWriter _md;

    public MarkdownRanking(TextWriter md, string name, MetricSpec metric)
    {
        _md = md;
        string goal = metric.Goal.ToString().ToLowerInvariant();
        md.WriteLine($"# Sweep `{name}`");
        md.WriteLine();
        md.WriteLine($"Ranked by `{metric.Name}` ({goal}), ties broken by `eval_loss`; mean ± standard deviation over seeds.");
        md.WriteLine();
        var columns = new List<string> { "rank", "label" };
        columns.AddRange(RankingExporter.ParameterNames);
        columns.Add("n");
        columns.AddRange(MetricNames.All);
        md.WriteLine("| " + string.Join(" | ", columns) + " |");
        md.WriteLine("|" + string.Concat(columns.Select(_ => "---|")));
    }

    public void WriteRow(RankedConfiguration row)
    {
        _md.Write('|');
        Cell(row.Rank.ToString(CultureInfo.InvariantCulture));
        Cell(row.Label ?? row.ConfigKey);
        foreach (var parameter in ParameterCatalog.ConfigParameters) Cell(parameter.Text(row.Config));
        Cell(RankingExporter.CountCell(row));
        foreach (string metric in MetricNames.All) Cell(row.Metrics.TryGetValue(metric, out var s) ? RankingExporter.FormatSummary(s) : "—");
        _md.WriteLine();
    }

    private void Cell(string text)
    {
        _md.Write(' ');
        _md.Write(text.Replace("|", "\\|"));
        _md.Write(" |");
    }

    public void End(IReadOnlyList<string> paretoFront) { }

    public void Dispose() { }
}
