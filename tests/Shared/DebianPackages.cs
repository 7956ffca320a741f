using System.Diagnostics;

namespace TinyNet.Sweeps.Testing;

/// <summary>
/// Installs Debian packages a test needs (redis-server, chromium) on a fresh machine. Test projects run in parallel,
/// so they take turns through a shared lock file; an apt-get of someone else's that holds dpkg's lock is waited for
/// (DPkg::Lock::Timeout) instead of failing every test at once.
/// </summary>
public static class DebianPackages
{
    /// <summary>Returns null once <paramref name="binary"/> exists, or why the package could not be installed.</summary>
    public static string? EnsureInstalled(string package, string binary, bool withRecommends = false)
    {
        if (File.Exists(binary)) return null;
        if (!OperatingSystem.IsLinux() || !File.Exists("/usr/bin/apt-get")) return $"not a Debian-like Linux (no apt-get); install {package} by hand";
        bool root = Environment.UserName == "root";
        string[] AptGet(params string[] args) =>
            [.. root ? ["apt-get"] : (string[])["sudo", "-n", "apt-get"], "-o", "DPkg::Lock::Timeout=600", .. args];

        using var turn = TakeTurn();
        string[] install = withRecommends ? ["install", "-y", package] : ["install", "-y", "--no-install-recommends", package];
        var first = Run(AptGet(install));
        if (File.Exists(binary)) return null;
        // Package lists may be missing or stale on a fresh machine.
        var update = Run(AptGet("update"));
        var second = Run(AptGet(install));
        if (File.Exists(binary)) return null;
        return $"'apt-get install {package}' exited {second.Exit} (first try {first.Exit}, apt-get update {update.Exit}); " +
               $"run the tests as root with Debian's package lists reachable:\n{Tail(second.Output)}";
    }

    /// <summary>A lock file every test project of this repo takes before running apt-get (one dpkg at a time).</summary>
    private static FileStream TakeTurn()
    {
        var deadline = DateTime.UtcNow.AddMinutes(15);
        while (true)
        {
            try { return new FileStream(Path.Combine(Path.GetTempPath(), "tinynet-sweeps-apt.lock"), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None); }
            catch (IOException) when (DateTime.UtcNow < deadline) { Thread.Sleep(500); }
        }
    }

    private static (int Exit, string Output) Run(string[] command)
    {
        var start = new ProcessStartInfo(command[0]) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string argument in command.Skip(1)) start.ArgumentList.Add(argument);
        start.Environment["DEBIAN_FRONTEND"] = "noninteractive";
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {command[0]}");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(20)))
        {
            process.Kill(entireProcessTree: true);
            return (-1, "timed out after 20 minutes");
        }
        return (process.ExitCode, stdout.Result + stderr.Result);
    }

    private static string Tail(string text) => text.Length <= 2000 ? text : text[^2000..];
}
