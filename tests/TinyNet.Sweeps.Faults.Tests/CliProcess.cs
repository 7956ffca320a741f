using System.Diagnostics;
using TinyNet.Sweeps.Domain.Export;

namespace TinyNet.Sweeps.Faults.Tests;

/// <summary>tinynet-sweeps started as a user starts it from a shell, and what it left in its results folder.</summary>
internal static class CliProcess
{
    /// <summary>
    /// Starts the command line. Through <c>env --default-signal=INT</c>: a process started in the background by a
    /// non-interactive shell inherits SIGINT ignored, and the test host may be such a process; a user's terminal is not.
    /// </summary>
    public static Process Start(string arguments, string? workingDirectory = null, IReadOnlyDictionary<string, string>? environment = null) =>
        ChildProcesses.Start("env", $"--default-signal=INT dotnet {CliBinary.Dll} {arguments}", environment, workingDirectory);

    /// <summary>Runs a command to its end (at most <paramref name="timeout"/>) and returns its exit code and output.</summary>
    public static async Task<(int ExitCode, string Output)> RunAsync(string arguments, TimeSpan timeout, string? workingDirectory = null)
    {
        var process = Start(arguments, workingDirectory);
        int exit = await ExitCodeAsync(process, timeout);
        return (exit, ChildProcesses.Output(process));
    }

    /// <summary>The exit code; fails with the process's output when it has not exited within <paramref name="timeout"/>.</summary>
    public static async Task<int> ExitCodeAsync(Process process, TimeSpan timeout)
    {
        using var wait = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(wait.Token);
        }
        catch (OperationCanceledException)
        {
            string output = ChildProcesses.Output(process);
            ChildProcesses.Kill(process);
            throw new TimeoutException($"tinynet-sweeps did not exit within {timeout.TotalSeconds:0} s:\n{output}");
        }
        process.WaitForExit(); // drain the output readers
        return process.ExitCode;
    }

    /// <summary>Sends <paramref name="signal"/> and returns the exit code and how long the process took to exit.</summary>
    public static async Task<(int ExitCode, TimeSpan Took)> SignalAndWaitAsync(Process process, string signal, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        ChildProcesses.Signal(process, signal);
        int exit = await ExitCodeAsync(process, timeout);
        return (exit, clock.Elapsed);
    }

    /// <summary>Waits until the folder's trials.jsonl holds <paramref name="count"/> records.</summary>
    public static async Task WaitForRecords(Process process, string directory, int count, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (RecordLines(directory).Length < count)
        {
            if (process.HasExited || DateTime.UtcNow > deadline)
                throw new InvalidOperationException($"{count} records did not appear in {directory} within {timeout.TotalSeconds:0} s:\n{ChildProcesses.Output(process)}");
            await Task.Delay(100);
        }
    }

    public static string[] RecordLines(string directory)
    {
        string path = Path.Combine(directory, TrialLog.FileName);
        if (!File.Exists(path)) return [];
        using var read = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        using var reader = new StreamReader(read);
        return reader.ReadToEnd().Split('\n', StringSplitOptions.RemoveEmptyEntries);
    }

    /// <summary>Every line of trials.jsonl is a whole record, and the file ends on a newline.</summary>
    public static void AssertWholeRecords(string directory)
    {
        string path = Path.Combine(directory, TrialLog.FileName);
        byte[] bytes = File.ReadAllBytes(path);
        Assert.True(bytes.Length == 0 || bytes[^1] == '\n', $"{path} does not end on a newline");
        var contents = TrialLog.Read(directory);
        Assert.Empty(contents.Problems);
        Assert.Equal(RecordLines(directory).Length, contents.Entries.Count);
    }

    /// <summary>No stack trace and no exception type: a user sees sentences.</summary>
    public static void AssertNoStackTrace(string output)
    {
        Assert.DoesNotContain("   at ", output);
        Assert.DoesNotContain("Exception", output);
        Assert.DoesNotContain("Unhandled", output);
    }
}
