using System.Text;
using TinyNet.Sweeps.Domain.Ranking;
using TinyNet.Sweeps.Domain.Sweeps;

namespace TinyNet.Sweeps.Domain.Export;

/// <summary>
/// ranking.csv, ranking.json and ranking.md written together as the ranking's rows come, a page at a time: a client
/// reading the ranking of a sweep of many configurations from its cluster never holds it whole. Each file goes to a
/// temporary file beside it and replaces the old one at <see cref="Complete"/>; disposed before that, the old files
/// stay as they were.
/// </summary>
public sealed class RankingFiles : IDisposable
{
    private readonly List<(string Path, string Temporary, IRankingFormat Format)> _files = [];
    private bool _completed;

    private RankingFiles() { }

    /// <exception cref="ResultsWriteException">A file could not be made.</exception>
    public static RankingFiles Begin(ResultsFolderLock folder, string name, MetricSpec metric)
    {
        var files = new RankingFiles();
        try
        {
            files.Add(folder, RankingExporter.CsvFile, stream =>
            {
                var text = Text(stream);
                return (new CsvRanking(text), text);
            });
            files.Add(folder, RankingExporter.JsonFile, stream => (new JsonRanking(stream, name, metric), stream));
            files.Add(folder, RankingExporter.MarkdownFile, stream =>
            {
                var text = Text(stream);
                return (new MarkdownRanking(text, name, metric), text);
            });
            return files;
        }
        catch
        {
            files.Dispose();
            throw;
        }
    }

    private static StreamWriter Text(Stream stream) => new(stream, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));

    /// <param name="open">The format over the new file, and what closes the file (the stream, or the text writer over it).</param>
    private void Add(ResultsFolderLock folder, string fileName, Func<Stream, (IRankingFormat Format, IDisposable File)> open)
    {
        string path = Path.Combine(folder.Directory, fileName);
        string temporary = AtomicFile.TemporaryFor(path);
        Stream? stream = null;
        try
        {
            stream = File.Create(temporary);
            var (format, file) = open(stream);
            _files.Add((path, temporary, new Owning(format, file)));
        }
        catch (Exception e) when (AtomicFile.IsWriteError(e))
        {
            stream?.Dispose();
            AtomicFile.Discard(temporary);
            throw AtomicFile.Failed(path, e);
        }
    }

    /// <summary>The next rows, in rank order, to every file.</summary>
    /// <exception cref="ResultsWriteException">A file could not be written.</exception>
    public void Write(IReadOnlyList<RankedConfiguration> rows)
    {
        foreach (var file in _files)
            Guard(file.Path, () =>
            {
                foreach (var row in rows) file.Format.WriteRow(row);
            });
    }

    /// <summary>Ends every file and puts it in place of the old one.</summary>
    /// <exception cref="ResultsWriteException">A file could not be written.</exception>
    public void Complete(IReadOnlyList<string> paretoFront)
    {
        foreach (var file in _files)
            Guard(file.Path, () =>
            {
                file.Format.End(paretoFront);
                file.Format.Dispose();
            });
        foreach (var file in _files) Guard(file.Path, () => File.Move(file.Temporary, file.Path, overwrite: true));
        _completed = true;
    }

    private static void Guard(string path, Action write)
    {
        try { write(); }
        catch (Exception e) when (AtomicFile.IsWriteError(e)) { throw AtomicFile.Failed(path, e); }
    }

    public void Dispose()
    {
        foreach (var file in _files)
        {
            try { file.Format.Dispose(); }
            catch (Exception e) when (AtomicFile.IsWriteError(e)) { /* being discarded */ }
            if (!_completed) AtomicFile.Discard(file.Temporary);
        }
        _files.Clear();
    }

    /// <summary>A format and its file, closed together once (a format leaves the writer it was given open).</summary>
    private sealed class Owning(IRankingFormat format, IDisposable file) : IRankingFormat
    {
        private bool _closed;

        public void WriteRow(RankedConfiguration row) => format.WriteRow(row);

        public void End(IReadOnlyList<string> paretoFront) => format.End(paretoFront);

        public void Dispose()
        {
            if (_closed) return;
            _closed = true;
            try { format.Dispose(); }
            finally { file.Dispose(); }
        }
    }
}
