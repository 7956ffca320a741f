using System.Diagnostics;

namespace TinyNet.Sweeps.Faults.Tests;

/// <summary>
/// A small tmpfs mounted for one test: a disk that really fills up, or one that really is read-only. Mounting needs
/// root, which CI has; elsewhere the test fails with that reason rather than passing without having run.
/// </summary>
internal sealed class Tmpfs : IDisposable
{
    private Tmpfs(string path) => Path = path;

    public string Path { get; }

    public static Tmpfs Mount(string size, bool readOnly = false)
    {
        if (!OperatingSystem.IsLinux() || Environment.UserName != "root")
            throw new InvalidOperationException("this test mounts a tmpfs, which needs root on Linux (CI runs as root); run the tests as root");
        string path = Directory.CreateTempSubdirectory("tinynet-tmpfs-").FullName;
        Run("mount", $"-t tmpfs -o size={size},mode=0777{(readOnly ? ",ro" : "")} tinynet-test {path}");
        return new Tmpfs(path);
    }

    public void Resize(string size) => Run("mount", $"-o remount,size={size} {Path}");

    public void Dispose()
    {
        try { Run("umount", $"-l {Path}"); }
        finally { Directory.Delete(Path); }
    }

    private static void Run(string file, string arguments)
    {
        var start = new ProcessStartInfo(file, arguments) { RedirectStandardError = true, RedirectStandardOutput = true };
        using var process = Process.Start(start)!;
        string error = process.StandardError.ReadToEnd() + process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0) throw new InvalidOperationException($"{file} {arguments} exited {process.ExitCode}: {error}");
    }
}
