using System.Diagnostics;

namespace TinyNet.Sweeps.Reports.Tests;

/// <summary>Debian's chromium, installed on first use when missing (never skipped: the report must render for real).</summary>
internal static class HeadlessChromium
{
    public const string Executable = "/usr/bin/chromium";
    private static readonly Lazy<string?> InstallProblem = new(Install);

    public static void EnsureInstalled()
    {
        if (InstallProblem.Value is { } problem) Assert.Fail($"chromium is needed for the end-to-end report test and could not be installed: {problem}");
    }

    /// <summary>Runs chromium headless on <paramref name="url"/> with <paramref name="extra"/> arguments, in a fresh profile.</summary>
    public static (int Exit, string Stdout, string Stderr) Run(string url, params string[] extra)
    {
        string profile = Directory.CreateTempSubdirectory("tinynet-chromium-").FullName;
        try
        {
            var args = new List<string>
            {
                "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", $"--user-data-dir={profile}", "--enable-logging=stderr", "--v=0",
                "--host-resolver-rules=MAP * ~NOTFOUND",
            };
            args.AddRange(extra);
            args.Add(url);
            return Exec(Executable, args, TimeSpan.FromMinutes(2));
        }
        finally
        {
            try { Directory.Delete(profile, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
    }

    private static string? Install()
    {
        if (File.Exists(Executable)) return null;
        if (!OperatingSystem.IsLinux() || !File.Exists("/usr/bin/apt-get")) return "not a Debian-like Linux (no apt-get); install chromium by hand";
        bool root = Environment.UserName == "root";
        string apt = root ? "apt-get" : "sudo";
        List<string> Args(params string[] a) => root ? [.. a] : ["-n", "apt-get", .. a];
        var env = new Dictionary<string, string> { ["DEBIAN_FRONTEND"] = "noninteractive" };
        // Other test projects may install their packages at the same moment: take turns with apt.
        using var aptTurn = AptTurn();
        var first = Exec(apt, Args("install", "-y", "chromium"), TimeSpan.FromMinutes(10), env);
        if (first.Exit == 0 && File.Exists(Executable)) return null;
        // Package lists may be missing or stale on a fresh machine.
        var update = Exec(apt, Args("update"), TimeSpan.FromMinutes(5), env);
        var second = Exec(apt, Args("install", "-y", "chromium"), TimeSpan.FromMinutes(10), env);
        if (second.Exit == 0 && File.Exists(Executable)) return null;
        return $"'apt-get install -y chromium' exited {second.Exit} (apt-get update exited {update.Exit}): {Tail(second.Stderr + second.Stdout)}";
    }

    /// <summary>A lock file every test project of this repo takes before running apt-get (one dpkg at a time).</summary>
    private static FileStream AptTurn()
    {
        var deadline = DateTime.UtcNow.AddMinutes(15);
        while (true)
        {
            try { return new FileStream(Path.Combine(Path.GetTempPath(), "tinynet-sweeps-apt.lock"), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None); }
            catch (IOException) when (DateTime.UtcNow < deadline) { Thread.Sleep(500); }
        }
    }

    private static (int Exit, string Stdout, string Stderr) Exec(string file, IEnumerable<string> args, TimeSpan timeout, IDictionary<string, string>? env = null)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string a in args) start.ArgumentList.Add(a);
        if (env is not null) foreach (var (k, v) in env) start.Environment[k] = v;
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {file}");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(timeout))
        {
            process.Kill(entireProcessTree: true);
            return (-1, stdout.Result, stderr.Result + $"\n(timed out after {timeout})");
        }
        return (process.ExitCode, stdout.Result, stderr.Result);
    }

    private static string Tail(string text) => text.Length <= 2000 ? text : text[^2000..];
}
