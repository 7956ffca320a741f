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
        string temporary = TemporaryFor(path);
        try
        {
            writeTo(temporary);
            File.Move(temporary, path, overwrite: true);
        }
        catch (Exception e) when (IsWriteError(e))
        {
            Discard(temporary);
            throw Failed(path, e);
        }
    }

    /// <summary>Where <paramref name="path"/>'s new content is written before it replaces the file.</summary>
    public static string TemporaryFor(string path) => $"{path}.{Environment.ProcessId}.tmp";

    /// <summary>Deletes a temporary file that will not replace anything, if it is there.</summary>
    public static void Discard(string temporary)
    {
        try { File.Delete(temporary); }
        catch (Exception cleanup) when (IsWriteError(cleanup)) { /* nothing more to do */ }
    }

    public static bool IsWriteError(Exception e) => e is IOException or UnauthorizedAccessException;

    public static ResultsWriteException Failed(string path, Exception e) =>
        new($"cannot write {path}: {e.Message.Split(" : ")[0]}; the files written before it are whole.", e);
}
