namespace TinyNet.Sweeps.Domain.Export;

/// <summary>
/// A results folder has one writer at a time. Whoever writes trials.jsonl and the rankings holds this lock: an
/// exclusive advisory lock (flock on Linux and macOS) on a file in the folder, which the operating system releases
/// when the process ends however it ends, so a killed run never leaves a stale lock behind.
/// </summary>
/// <remarks>
/// Taking the lock is also the check that the folder can be written: it creates the folder and a file in it before
/// anything runs. The lock file stays in the folder (deleting it would let two writers lock two different files);
/// a second file says who holds it, because a locked file cannot be read by another process.
/// </remarks>
public sealed class ResultsFolderLock : IDisposable
{
    public const string LockFileName = ".tinynet-sweeps.lock";
    public const string OwnerFileName = ".tinynet-sweeps.owner";

    // What .NET reports (as the HResult) when flock finds the file locked by another open file: EWOULDBLOCK.
    private const int LockedByAnother = 11;

    private readonly FileStream _lock;

    private ResultsFolderLock(string directory, FileStream @lock)
    {
        Directory = directory;
        _lock = @lock;
    }

    /// <summary>The folder this lock owns, as the user named it.</summary>
    public string Directory { get; }

    /// <param name="directory">The results folder; created when missing.</param>
    /// <param name="holder">What the owner is doing, shown to whoever finds the folder taken (e.g. "run sweeps/x.yaml").</param>
    /// <exception cref="ResultsFolderRefusedException">The folder is taken, is a file, or cannot be created or written.</exception>
    public static ResultsFolderLock Acquire(string directory, string holder)
    {
        string full = FullPath(directory);
        if (File.Exists(full))
            throw new ResultsFolderRefusedException($"{directory} is a file, not a folder; choose another output folder (--out).");
        try
        {
            System.IO.Directory.CreateDirectory(full);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or NotSupportedException)
        {
            throw new ResultsFolderRefusedException($"cannot create the results folder {directory}: {Reason(e)}; choose another output folder (--out).");
        }

        string lockPath = Path.Combine(full, LockFileName);
        FileStream stream;
        try
        {
            stream = new FileStream(lockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException e) when (e.HResult == LockedByAnother)
        {
            throw new ResultsFolderRefusedException(
                $"{directory} is being written by {Owner(full)}. A results folder takes one writer at a time: wait for it to end, " +
                "or choose another output folder (--out).");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ResultsFolderRefusedException($"cannot write into {directory}: {Reason(e)}; choose another output folder (--out).");
        }

        try
        {
            // Writing the owner note also proves the folder takes new files, before any trial trains.
            File.WriteAllText(Path.Combine(full, OwnerFileName),
                $"process {Environment.ProcessId} on {Environment.MachineName} ({holder}), since {DateTimeOffset.UtcNow:yyyy-MM-dd HH:mm:ss}Z\n");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            stream.Dispose();
            throw new ResultsFolderRefusedException($"cannot write into {directory}: {Reason(e)}; choose another output folder (--out).");
        }
        return new ResultsFolderLock(directory, stream);
    }

    public void Dispose() => _lock.Dispose();

    private static string FullPath(string directory)
    {
        try
        {
            return Path.GetFullPath(directory);
        }
        catch (Exception e) when (e is ArgumentException or NotSupportedException or PathTooLongException)
        {
            throw new ResultsFolderRefusedException($"'{directory}' is not a usable folder name: {e.Message.Split(" (Parameter")[0]}");
        }
    }

    /// <summary>
    /// The holder's note. The holder writes it just after taking the lock, so a note may be missing for a moment, or
    /// still be the one of an earlier holder that has ended: wait briefly for a note whose process is alive.
    /// </summary>
    private static string Owner(string fullDirectory)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(2);
        while (true)
        {
            string? note = ReadNote(Path.Combine(fullDirectory, OwnerFileName));
            if (note is not null && IsAlive(note)) return note;
            if (DateTime.UtcNow > deadline) return "another tinynet-sweeps process";
            Thread.Sleep(50);
        }
    }

    private static string? ReadNote(string path)
    {
        try { return File.ReadAllText(path).Trim(); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return null; }
    }

    /// <summary>Whether the note's process runs (it can only be checked on this machine; another's is taken on trust).</summary>
    private static bool IsAlive(string note)
    {
        var match = System.Text.RegularExpressions.Regex.Match(note, @"^process (\d+) on (\S+) ");
        if (!match.Success) return false;
        if (match.Groups[2].Value != Environment.MachineName) return true;
        try
        {
            using var process = System.Diagnostics.Process.GetProcessById(int.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture));
            return !process.HasExited;
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or OverflowException) { return false; }
    }

    /// <summary>The operating system's words, without .NET's "Access to the path ... is denied." framing repeated.</summary>
    private static string Reason(Exception e) => e switch
    {
        UnauthorizedAccessException => "permission denied or read-only file system",
        FileNotFoundException or DirectoryNotFoundException => "the path cannot be created there",
        _ => e.Message.Split(" : '")[0], // "Read-only file system : '/path'": the path is in our message already
    };
}

/// <summary>An output folder that cannot be used (taken, a file, not writable): refused before anything runs.</summary>
public sealed class ResultsFolderRefusedException(string message) : Exception(message);

/// <summary>Writing results failed part-way (a full disk, a vanished mount); what was written before is whole.</summary>
public sealed class ResultsWriteException(string message, Exception? inner = null) : Exception(message, inner);
