using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text;

namespace TinyNet.Sweeps.Testing;

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

    public static Process Start(string file, string arguments, IReadOnlyDictionary<string, string>? environment = null, string? workingDirectory = null)
    {
        var start = new ProcessStartInfo(file, arguments)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? "",
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

    /// <summary>Waits until the process has written <paramref name="text"/>; fails with its output if it exits or takes too long.</summary>
    public static async Task WaitForOutput(Process process, string text, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!Output(process).Contains(text, StringComparison.Ordinal))
        {
            if (process.HasExited || DateTime.UtcNow > deadline)
                throw new InvalidOperationException($"'{text}' did not appear within {timeout.TotalSeconds:0} s (exited: {process.HasExited}):\n{Output(process)}");
            await Task.Delay(50);
        }
    }

    /// <summary>Sends a signal by name (INT, TERM, ...) as a shell's kill does.</summary>
    public static void Signal(Process process, string signal)
    {
        using var kill = Process.Start("kill", $"-{signal} {process.Id}");
        kill.WaitForExit();
        if (kill.ExitCode != 0) throw new InvalidOperationException($"kill -{signal} {process.Id} exited {kill.ExitCode}");
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
