using System.Text.Json;
using TinyNet.Sweeps.Domain.Trials;

namespace TinyNet.Sweeps.Domain.Export;

/// <summary>
/// trials.jsonl: one line per finished trial, appended and flushed as each trial finishes so that an
/// interrupted sweep loses nothing it computed.
/// </summary>
public sealed class TrialLog : IDisposable
{
    public const string FileName = "trials.jsonl";
    private readonly StreamWriter _writer;

    private TrialLog(StreamWriter writer) => _writer = writer;

    public static TrialLog OpenForAppend(string directory)
    {
        Directory.CreateDirectory(directory);
        string path = Path.Combine(directory, FileName);
        var stream = new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.Read);
        // An interrupted write can leave a partial last line; start ours on a fresh line.
        if (stream.Length > 0 && LastByte(path) != '\n') stream.WriteByte((byte)'\n');
        return new TrialLog(new StreamWriter(stream) { AutoFlush = true });
    }

    /// <summary>Writes a whole log at once (replacing any), as <c>results</c> exports a sweep from a cluster.</summary>
    public static void WriteAll(string directory, IEnumerable<TrialResult> results, IReadOnlyDictionary<string, string> labels)
    {
        Directory.CreateDirectory(directory);
        File.Delete(Path.Combine(directory, FileName));
        using var log = OpenForAppend(directory);
        foreach (var result in results) log.Append(result, labels.GetValueOrDefault(result.Trial.ConfigKey));
    }

    public void Append(TrialResult result, string? label) =>
        _writer.WriteLine(JsonSerializer.Serialize(TrialRecord.From(result, label), SweepJson.Options));

    public void Dispose() => _writer.Dispose();

    /// <summary>
    /// Reads the results already in <paramref name="directory"/>; unreadable lines are reported, not fatal. A trial
    /// written twice (a resumed sweep that retried a failed trial) counts once: its last line wins.
    /// </summary>
    public static TrialLogContents Read(string directory)
    {
        string path = Path.Combine(directory, FileName);
        var results = new List<TrialResult>();
        var problems = new List<string>();
        if (!File.Exists(path)) return new TrialLogContents(results, problems);
        int lineNumber = 0;
        foreach (string line in File.ReadLines(path))
        {
            lineNumber++;
            if (string.IsNullOrWhiteSpace(line)) continue;
            try
            {
                var record = JsonSerializer.Deserialize<TrialRecord>(line, SweepJson.Options)
                    ?? throw new JsonException("empty record");
                results.Add(record.ToResult());
            }
            catch (Exception e) when (e is JsonException or KeyNotFoundException or NotSupportedException)
            {
                problems.Add($"{path}:{lineNumber}: ignored an unreadable line ({e.Message.Split('\n')[0]})");
            }
        }
        var latest = results.GroupBy(r => r.Trial.Id).Select(g => g.Last()).ToList();
        return new TrialLogContents(latest, problems);
    }

    private static int LastByte(string path)
    {
        using var read = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        if (read.Length == 0) return '\n';
        read.Seek(-1, SeekOrigin.End);
        return read.ReadByte();
    }
}

public sealed record TrialLogContents(IReadOnlyList<TrialResult> Results, IReadOnlyList<string> Problems);
