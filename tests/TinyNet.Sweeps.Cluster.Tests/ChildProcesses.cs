using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text;

namespace TinyNet.Sweeps.Cluster.Tests;

/// <summary>
/// Starts the processes the tests need and makes sure none outlives the test run, even when a test fails
/// or the run is aborted: every child is killed on dispose and again when this process exits.
/// </summary>
public static class ChildProcesses
{
    private static readonly ConcurrentDictionary<Process, StringBuilder> Running = new();

    static ChildProcesses() => AppDomain.CurrentDomain.ProcessExit += (_, _) =>
    {
        foreach (var process in Running.Keys) Kill(process);
    };

    public static Process Start(string file, string arguments, IReadOnlyDictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo(file, arguments)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var (key, value) in environment ?? new Dictionary<string, string>()) start.Environment[key] = value;
        var process = new Process { StartInfo = start };
        var output = new StringBuilder();
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (output) output.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (output) output.AppendLine(e.Data); };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        Running[process] = output;
        return process;
    }

    /// <summary>Everything the process wrote so far, standard output and error interleaved.</summary>
    public static string Output(Process process)
    {
        if (!Running.TryGetValue(process, out var output)) return "";
        lock (output) return output.ToString();
    }

    /// <summary>SIGKILL: the process gets no chance to say goodbye, as when a machine dies.</summary>
    public static void Kill(Process? process)
    {
        if (process is null) return;
        try { if (!process.HasExited) process.Kill(entireProcessTree: true); }
        catch (InvalidOperationException) { /* already gone */ }
        process.WaitForExit(10_000);
    }
}
