using System.Text.Json;
using TinyNet.Sweeps.Domain.Ranking;
using TinyNet.Sweeps.Domain.Sweeps;
using TinyNet.Sweeps.Domain.Trials;

namespace TinyNet.Sweeps.Domain.Export;

/// <summary>
/// A results folder read back (what <c>run</c>, <c>submit --wait --out</c> and <c>results --out</c> write):
/// the trials from trials.jsonl, and the sweep's name, metric and labels from ranking.json, which trials.jsonl
/// does not keep. The trials are the source of truth; a missing or damaged ranking.json only costs those three,
/// with a warning.
/// </summary>
public sealed record ResultsFolder(
    string Directory,
    string Name,
    MetricSpec Metric,
    IReadOnlyList<TrialResult> Results,
    IReadOnlyDictionary<string, string> Labels,
    IReadOnlyList<string> Warnings)
{
    public SweepRanking Rank() => Ranker.Rank(Name, Metric, Results, Labels);

    public static ResultsFolder Read(string directory)
    {
        var log = TrialLog.Read(directory);
        var warnings = new List<string>(log.Problems);
        var (name, metric, labels) = ReadRankingJson(directory, warnings);
        string folderName = Path.GetFileName(Path.TrimEndingDirectorySeparator(Path.GetFullPath(directory)));
        return new ResultsFolder(directory, name ?? folderName, metric, log.Results, labels, warnings);
    }

    private static (string? Name, MetricSpec Metric, IReadOnlyDictionary<string, string> Labels) ReadRankingJson(string directory, List<string> warnings)
    {
        var labels = new Dictionary<string, string>();
        string path = Path.Combine(directory, RankingExporter.JsonFile);
        string fallback = $"ranking by {MetricSpec.Default.Name} (minimize)";
        if (!File.Exists(path))
        {
            warnings.Add($"{path} is missing; {fallback}.");
            return (null, MetricSpec.Default, labels);
        }
        try
        {
            using var document = JsonDocument.Parse(File.ReadAllText(path));
            var root = document.RootElement;
            string? name = root.TryGetProperty("name", out var n) && n.ValueKind == JsonValueKind.String ? n.GetString() : null;
            var metric = MetricSpec.Default;
            if (root.TryGetProperty("metric", out var m) && m.ValueKind == JsonValueKind.Object)
            {
                string metricName = m.TryGetProperty("name", out var mn) && mn.ValueKind == JsonValueKind.String ? mn.GetString()! : MetricSpec.Default.Name;
                string goal = m.TryGetProperty("goal", out var g) && g.ValueKind == JsonValueKind.String ? g.GetString()! : "minimize";
                if (MetricNames.All.Contains(metricName))
                    metric = new MetricSpec(metricName, goal.Equals("maximize", StringComparison.OrdinalIgnoreCase) ? MetricGoal.Maximize : MetricGoal.Minimize);
                else
                    warnings.Add($"{path}: unknown metric '{metricName}'; {fallback}.");
            }
            if (root.TryGetProperty("rows", out var rows) && rows.ValueKind == JsonValueKind.Array)
                foreach (var row in rows.EnumerateArray())
                    if (row.TryGetProperty("config_key", out var key) && key.ValueKind == JsonValueKind.String
                        && row.TryGetProperty("label", out var label) && label.ValueKind == JsonValueKind.String)
                        labels.TryAdd(key.GetString()!, label.GetString()!);
            return (name, metric, labels);
        }
        catch (JsonException e)
        {
            warnings.Add($"{path} is unreadable ({e.Message.Split('\n')[0]}); {fallback}.");
            return (null, MetricSpec.Default, labels);
        }
    }
}
