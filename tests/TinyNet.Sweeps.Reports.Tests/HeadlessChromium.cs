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

    // Chromium's recommended packages (fonts among them) come too, as a desktop install would have them.
    private static string? Install() => DebianPackages.EnsureInstalled("chromium", Executable, withRecommends: true);

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

}
