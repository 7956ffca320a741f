using System.Text;
using System.Text.Json;
using TinyNet.Sweeps.Domain.Trials;

namespace TinyNet.Sweeps.Domain.Export;

/// <summary>
/// trials.jsonl: one line per finished trial, appended and flushed as trials finish (a batch of them in one write) so
/// that an interrupted sweep loses nothing it computed. The file always ends on a whole record: a line that cannot be
/// written in full (a full disk) is cut off again before the error is raised.
/// </summary>
public sealed class TrialLog : IDisposable
{
    public const string FileName = "trials.jsonl";

    private readonly FileStream _stream;
    private readonly string _path;
    private long _length;
    private int _appended;
    /// <summary>The log this one replaces once complete (it is then written to a temporary file beside it).</summary>
    private string? _replaces;

    private TrialLog(FileStream stream, string path)
    {
        _stream = stream;
        _path = path;
        _length = stream.Length;
    }

    /// <summary>Opens the folder's log for appending; the caller holds the folder's <see cref="ResultsFolderLock"/>.</summary>
    /// <exception cref="ResultsWriteException">The file cannot be opened or written.</exception>
    public static TrialLog OpenForAppend(ResultsFolderLock folder)
    {
        string path = Path.Combine(folder.Directory, FileName);
        try
        {
            // No buffer of our own: each record goes to the operating system in one write as it is appended.
            var stream = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.Read, bufferSize: 0);
            // An interrupted write can leave a partial last line; start ours on a fresh line.
            if (stream.Length > 0 && LastByte(stream) != '\n') stream.WriteByte((byte)'\n');
            stream.Seek(0, SeekOrigin.End);
            return new TrialLog(stream, path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ResultsWriteException($"cannot open {path} for writing: {e.Message}", e);
        }
    }

    /// <summary>Writes a whole log at once (replacing any).</summary>
    public static void WriteAll(ResultsFolderLock folder, IEnumerable<TrialResult> results, IReadOnlyDictionary<string, string> labels)
    {
        using var log = Replace(folder);
        log.Append([.. results], labels);
        log.Complete();
    }

    /// <summary>
    /// A new log written beside the folder's, which replaces it at <see cref="Complete"/> (disposed before, the old log stays):
    /// <c>results</c> exports a sweep from a cluster page by page, so a sweep of 100,000 trials is never whole in memory.
    /// </summary>
    /// <exception cref="ResultsWriteException">The file cannot be made.</exception>
    public static TrialLog Replace(ResultsFolderLock folder)
    {
        string path = Path.Combine(folder.Directory, FileName);
        string temporary = AtomicFile.TemporaryFor(path);
        try
        {
            return new TrialLog(new FileStream(temporary, FileMode.Create, FileAccess.ReadWrite, FileShare.Read, bufferSize: 0), temporary)
            {
                _replaces = path,
            };
        }
        catch (Exception e) when (AtomicFile.IsWriteError(e))
        {
            throw AtomicFile.Failed(path, e);
        }
    }

    /// <summary>Empties a replacing log, to write it again from its first record.</summary>
    public void Restart()
    {
        _stream.SetLength(0);
        (_length, _appended) = (0, 0);
    }

    /// <summary>Puts a replacing log in place of the folder's.</summary>
    /// <exception cref="ResultsWriteException">It could not be put in place; the old log stays.</exception>
    public void Complete()
    {
        if (_replaces is null) throw new InvalidOperationException("only a replacing log is completed");
        _stream.Dispose();
        try { File.Move(_path, _replaces, overwrite: true); }
        catch (Exception e) when (AtomicFile.IsWriteError(e)) { throw AtomicFile.Failed(_replaces, e); }
        _replaces = null;
    }

    /// <exception cref="ResultsWriteException">The record could not be written whole; the file still ends on the record before it.</exception>
    /// <param name="label">The configuration's label; by default the trial's own.</param>
    public void Append(TrialResult result, string? label = null) => Write(Encoding.UTF8.GetBytes(Line(result, label) + "\n"), 1);

    /// <summary>
    /// Appends whole records, each with its trial's own label, in one write: one system call for a batch of trials. When
    /// the batch does not fit (a full disk), it is cut off and its records are appended one by one, as many as fit.
    /// </summary>
    /// <exception cref="ResultsWriteException">A record could not be written whole; the file still ends on the record before it.</exception>
    /// <param name="labels">Configurations' labels by config key, for the trials that do not carry theirs.</param>
    public void Append(IReadOnlyCollection<TrialResult> results, IReadOnlyDictionary<string, string>? labels = null)
    {
        if (results.Count == 0) return;
        using var buffer = new MemoryStream();
        var ends = new List<int>(results.Count);
        foreach (var result in results)
        {
            JsonSerializer.Serialize(buffer, TrialRecord.From(result, labels?.GetValueOrDefault(result.Trial.ConfigKey)), SweepJson.Options);
            buffer.WriteByte((byte)'\n');
            ends.Add((int)buffer.Length);
        }
        var bytes = buffer.GetBuffer().AsSpan(0, (int)buffer.Length);
        try
        {
            Write(bytes, results.Count);
        }
        catch (ResultsWriteException) when (results.Count > 1)
        {
            for (int i = 0, start = 0; i < ends.Count; start = ends[i], i++) Write(bytes[start..ends[i]], 1);
        }
    }

    public void Dispose()
    {
        _stream.Dispose();
        // A replacing log not completed: the folder keeps its old one.
        if (_replaces is not null) AtomicFile.Discard(_path);
    }

    private static string Line(TrialResult result, string? label) => JsonSerializer.Serialize(TrialRecord.From(result, label), SweepJson.Options);

    private void Write(ReadOnlySpan<byte> bytes, int records)
    {
        try
        {
            _stream.Write(bytes);
            _stream.Flush();
            _length += bytes.Length;
            _appended += records;
        }
        catch (IOException e)
        {
            // Cut the torn record off, so the file ends on the last whole one (truncating frees space, so it works on a full disk).
            try { _stream.SetLength(_length); }
            catch (IOException) { /* the reader skips a torn last line anyway */ }
            if (_replaces is not null) throw AtomicFile.Failed(_replaces, e);
            throw new ResultsWriteException(
                $"cannot write {_path}: {e.Message.Split(" : ")[0]}. The {_appended} trial{(_appended == 1 ? "" : "s")} written by this run " +
                "before it are saved whole; free some space and run the same command again to resume.", e);
        }
    }

    /// <summary>
    /// Reads the results already in <paramref name="directory"/>; unreadable lines are reported, not fatal. A trial
    /// written twice (a resumed sweep that retried a failed trial) counts once: its last line wins, and two finished
    /// lines of one trial that disagree are reported.
    /// </summary>
    public static TrialLogContents Read(string directory)
    {
        string path = Path.Combine(directory, FileName);
        var latest = new Dictionary<string, TrialLogEntry>();
        var order = new List<string>();
        var problems = new List<string>();
        if (!File.Exists(path)) return new TrialLogContents([], problems);
        int lineNumber = 0;
        foreach (string line in File.ReadLines(path))
        {
            lineNumber++;
            if (string.IsNullOrWhiteSpace(line)) continue;
            TrialRecord record;
            TrialResult result;
            try
            {
                record = JsonSerializer.Deserialize<TrialRecord>(line, SweepJson.Options)
                    ?? throw new JsonException("empty record");
                result = record.ToResult();
            }
            catch (Exception e) when (e is JsonException or KeyNotFoundException or NotSupportedException or InvalidOperationException)
            {
                problems.Add($"{path}:{lineNumber}: ignored an unreadable line ({e.Message.Split('\n')[0]})");
                continue;
            }
            var entry = new TrialLogEntry(path, lineNumber, result, record.EngineOrFirst);
            if (latest.TryGetValue(result.Trial.Id, out var earlier))
            {
                if (Disagree(earlier.Result, result))
                    problems.Add($"{path}:{lineNumber}: trial {result.Trial.Id} is also on line {earlier.Line} with other results; line {lineNumber} is used");
            }
            else
                order.Add(result.Trial.Id);
            latest[result.Trial.Id] = entry;
        }
        return new TrialLogContents([.. order.Select(id => latest[id])], problems);
    }

    /// <summary>Two finished records of one trial must agree: training is deterministic. A failed one may be retried.</summary>
    private static bool Disagree(TrialResult a, TrialResult b) =>
        a.Outcome.Status != TrialStatus.Failed && b.Outcome.Status != TrialStatus.Failed
        && (a.Outcome.Status != b.Outcome.Status || !Equals(a.Outcome.Metrics, b.Outcome.Metrics));

    private static int LastByte(FileStream stream)
    {
        stream.Seek(-1, SeekOrigin.End);
        return stream.ReadByte();
    }
}

/// <summary>A record of trials.jsonl and where it stands (for messages that name the line).</summary>
public sealed record TrialLogEntry(string File, int Line, TrialResult Result, string Engine)
{
    public string Position => $"{File}:{Line}";
}

/// <summary>The trials of a log, each once (its last line), in the order they first appear.</summary>
public sealed record TrialLogContents(IReadOnlyList<TrialLogEntry> Entries, IReadOnlyList<string> Problems)
{
    public IReadOnlyList<TrialResult> Results { get; } = [.. Entries.Select(e => e.Result)];
}
