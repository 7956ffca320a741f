using System.Text.Json;
using TinyNet.Sweeps.Domain.Export;
using TinyNet.Sweeps.Domain.Ranking;
using TinyNet.Sweeps.Domain.Sweeps;
using TinyNet.Sweeps.Domain.Trials;

namespace TinyNet.Sweeps.Reports;

/// <summary>Everything a report shows, read once from a results folder.</summary>
internal sealed class ReportData
{
    public required string Directory { get; init; }
    public required SweepRanking Ranking { get; init; }
    public required IReadOnlyList<TrialResult> Results { get; init; }
    public required IReadOnlyList<string> Problems { get; init; }

    public string Name => Ranking.Name;
    public MetricSpec Metric => Ranking.Metric;
    public IReadOnlyList<RankedConfiguration> Rows => Ranking.Rows;

    public IEnumerable<TrialResult> TrialsOf(RankedConfiguration row) =>
        Results.Where(r => r.Trial.ConfigKey == row.ConfigKey).OrderBy(r => r.Trial.Seed);

    public IEnumerable<TrialResult> CompletedTrialsOf(RankedConfiguration row) =>
        TrialsOf(row).Where(r => r.Outcome.Status == TrialStatus.Completed);

    public static string DisplayName(RankedConfiguration row) => row.Label ?? row.ConfigKey;

    public static ReportData Load(string directory)
    {
        if (!System.IO.Directory.Exists(directory))
            throw new ReportInputException($"results folder '{directory}' does not exist; pass the folder a sweep wrote (it holds {TrialLog.FileName}).");
        var log = TrialLog.Read(directory);
        if (log.Results.Count == 0)
            throw new ReportInputException($"results folder '{directory}' has no trials: {TrialLog.FileName} is missing or empty.");
        // trials.jsonl does not keep the sweep's name, metric or labels in the results; ranking.json does.
        var (name, metric, labels) = ReadRankingJson(directory);
        var ranking = Ranker.Rank(name ?? Path.GetFileName(Path.GetFullPath(directory).TrimEnd('/')), metric, log.Results, labels);
        return new ReportData { Directory = directory, Ranking = ranking, Results = log.Results, Problems = log.Problems };
    }

    private static (string? Name, MetricSpec Metric, Dictionary<string, string> Labels) ReadRankingJson(string directory)
    {
        var labels = new Dictionary<string, string>();
        string path = Path.Combine(directory, RankingExporter.JsonFile);
        if (!File.Exists(path)) return (null, MetricSpec.Default, labels);
        try
        {
            using var doc = JsonDocument.Parse(File.ReadAllText(path));
            var root = doc.RootElement;
            string? name = root.TryGetProperty("name", out var n) ? n.GetString() : null;
            var metric = MetricSpec.Default;
            if (root.TryGetProperty("metric", out var m) && m.TryGetProperty("name", out var mn) && mn.GetString() is { } metricName
                && MetricSpec.KnownNames.Contains(metricName))
            {
                bool maximize = m.TryGetProperty("goal", out var g) && g.GetString() == "maximize";
                metric = new MetricSpec(metricName, maximize ? MetricGoal.Maximize : MetricGoal.Minimize);
            }
            if (root.TryGetProperty("rows", out var rows))
                foreach (var row in rows.EnumerateArray())
                    if (row.TryGetProperty("config_key", out var key) && row.TryGetProperty("label", out var label)
                        && label.ValueKind == JsonValueKind.String && key.GetString() is { } k)
                        labels[k] = label.GetString()!;
            return (name, metric, labels);
        }
        catch (JsonException)
        {
            // A damaged ranking.json only costs the labels; the trials are the source of truth.
            return (null, MetricSpec.Default, labels);
        }
    }
}
