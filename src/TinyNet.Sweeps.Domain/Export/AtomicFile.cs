namespace TinyNet.Sweeps.Domain.Export;

/// <summary>
/// Replaces a file all at once: the text goes to a temporary file beside it, which is then renamed over the old one.
/// A reader, a crash or a full disk sees the old file or the new one, never half of one.
/// </summary>
public static class AtomicFile
{
    /// <exception cref="ResultsWriteException">The file could not be written; the old one, if any, is untouched.</exception>
    public static void WriteAllText(string path, string text) => Write(path, temporary => File.WriteAllText(temporary, text));

    /// <exception cref="ResultsWriteException">The file could not be written; the old one, if any, is untouched.</exception>
    public static void Write(string path, Action<string> writeTo)
    {
        string temporary = $"{path}.{Environment.ProcessId}.tmp";
        try
        {
            writeTo(temporary);
            File.Move(temporary, path, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            try { File.Delete(temporary); }
            catch (Exception cleanup) when (cleanup is IOException or UnauthorizedAccessException) { /* nothing more to do */ }
            throw new ResultsWriteException($"cannot write {path}: {e.Message.Split(" : ")[0]}; the files written before it are whole.", e);
        }
    }
}
