using System.Diagnostics;
using TinyNet.Sweeps.Domain.Export;
using Xunit.Abstractions;

[assembly: CollectionBehavior(DisableTestParallelization = true)]

namespace TinyNet.Sweeps.Faults.Tests;

/// <summary>
/// A sweep whose last trial trains for many minutes (100,000 epochs of 1,024 examples through 256 hidden units) is
/// stopped by SIGTERM, by Ctrl-C, and by Ctrl-C twice: each time the process ends within seconds with 143 or 130,
/// trials.jsonl holds the two short trials whole, and running the sweep again reuses them.
/// </summary>
public sealed class StoppingTests(ITestOutputHelper output) : IDisposable
{
    private const string SweepYaml = """
        name: stopping
        configurations:
          - {name: quick-a, epochs: 40}
          - {name: quick-b, epochs: 60}
          - {name: long, epochs: 100000, batch_size: 1024, hidden_units: 256}
        """;

    /// <summary>Far shorter than the long trial (minutes), far longer than a stop should take (about a second).</summary>
    private static readonly TimeSpan StopDeadline = TimeSpan.FromSeconds(20);

    private readonly string _dir = Directory.CreateTempSubdirectory("tinynet-stopping-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Sweep => WriteSweep(_dir, SweepYaml);
    private string Out => Path.Combine(_dir, "out");

    [Fact]
    public async Task Sigterm_then_ctrl_c_then_ctrl_c_twice_each_stop_the_long_trial_within_seconds_and_lose_nothing()
    {
        // SIGTERM while the long trial trains, after the two short ones are written.
        var first = CliProcess.Start($"run {Sweep} --out {Out} --workers 1");
        await CliProcess.WaitForRecords(first, Out, 2, TimeSpan.FromMinutes(2));
        await Task.Delay(500); // the long trial is in training now
        var (exit, took) = await CliProcess.SignalAndWaitAsync(first, "TERM", StopDeadline);
        output.WriteLine($"SIGTERM: exit {exit} after {took.TotalSeconds:0.0} s");
        string text = ChildProcesses.Output(first);
        Assert.True(exit == 143, text);
        Assert.Contains("Interrupted: 1 trials did not finish", text);
        CliProcess.AssertNoStackTrace(text);
        CliProcess.AssertWholeRecords(Out);
        Assert.Equal(2, CliProcess.RecordLines(Out).Length);
        Assert.True(File.Exists(Path.Combine(Out, RankingExporter.JsonFile)), "the ranking of the finished trials is written");

        // Ctrl-C once on the resumed run: the two finished trials are reused, the long one stopped again.
        var second = CliProcess.Start($"run {Sweep} --out {Out} --workers 1");
        await ChildProcesses.WaitForOutput(second, "3 trials, 2 already in", TimeSpan.FromMinutes(1));
        await Task.Delay(1000);
        (exit, took) = await CliProcess.SignalAndWaitAsync(second, "INT", StopDeadline);
        output.WriteLine($"Ctrl-C: exit {exit} after {took.TotalSeconds:0.0} s");
        text = ChildProcesses.Output(second);
        Assert.True(exit == 130, text);
        Assert.Contains("0 trials trained, 2 reused", text);
        CliProcess.AssertWholeRecords(Out);

        // Ctrl-C twice: the second one quits at once.
        var third = CliProcess.Start($"run {Sweep} --out {Out} --workers 1");
        await ChildProcesses.WaitForOutput(third, "3 trials, 2 already in", TimeSpan.FromMinutes(1));
        await Task.Delay(1000);
        var clock = Stopwatch.StartNew();
        ChildProcesses.Signal(third, "INT");
        // Two signals sent back to back can merge into one; the second goes once the first is being handled.
        await ChildProcesses.WaitForOutput(third, "Stopping (Ctrl-C)", TimeSpan.FromSeconds(5));
        ChildProcesses.Signal(third, "INT");
        exit = await CliProcess.ExitCodeAsync(third, StopDeadline);
        output.WriteLine($"Ctrl-C twice: exit {exit} after {clock.Elapsed.TotalSeconds:0.0} s");
        text = ChildProcesses.Output(third);
        Assert.True(exit == 130, text);
        Assert.Contains("Quitting at once", text);
        CliProcess.AssertNoStackTrace(text);
        CliProcess.AssertWholeRecords(Out);
        Assert.Equal(2, CliProcess.RecordLines(Out).Length);
    }

    [Fact]
    public async Task Two_runs_into_one_folder_one_is_refused_before_training_and_the_lock_and_the_temporary_files_die_with_its_process()
    {
        // Each run's temporary files go in a folder of the test's: the embedded cluster's grain states among them.
        string temp = Directory.CreateDirectory(Path.Combine(_dir, "tmp")).FullName;
        var environment = new Dictionary<string, string> { ["TMPDIR"] = temp };
        // Started together, as in the report: exactly one of them gets the folder.
        var a = CliProcess.Start($"run {Sweep} --out {Out} --workers 1", environment: environment);
        var b = CliProcess.Start($"run {Sweep} --out {Out} --workers 1", environment: environment);
        Task aExits = a.WaitForExitAsync(), bExits = b.WaitForExitAsync();
        var refused = await Task.WhenAny(aExits, bExits).WaitAsync(TimeSpan.FromMinutes(1)) == aExits ? a : b;
        var owner = refused == a ? b : a;
        int refusedExit = await CliProcess.ExitCodeAsync(refused, TimeSpan.FromSeconds(10));
        string refusal = ChildProcesses.Output(refused);
        output.WriteLine(refusal);
        Assert.True(refusedExit == 2, refusal);
        Assert.Contains($"is being written by process {owner.Id}", refusal);
        Assert.DoesNotContain("Embedded cluster up", refusal); // refused before anything started
        CliProcess.AssertNoStackTrace(refusal);

        // The owner is unharmed: it writes the short trials while the refused run is gone.
        await CliProcess.WaitForRecords(owner, Out, 2, TimeSpan.FromMinutes(2));
        Assert.False(owner.HasExited);

        // SIGKILL leaves no stale lock, and no grain states in the temporary folder: the next run takes the folder and resumes.
        ChildProcesses.Kill(owner);
        Assert.Empty(Directory.GetFiles(temp, "tinynet-grain-states-*"));
        var next = CliProcess.Start($"run {Sweep} --out {Out} --workers 1");
        await ChildProcesses.WaitForOutput(next, "3 trials, 2 already in", TimeSpan.FromMinutes(1));
        var (exit, _) = await CliProcess.SignalAndWaitAsync(next, "INT", StopDeadline);
        Assert.True(exit == 130, ChildProcesses.Output(next));
        CliProcess.AssertWholeRecords(Out);
        Assert.Equal(2, CliProcess.RecordLines(Out).Length);
    }

    public static string WriteSweep(string directory, string yaml)
    {
        string path = Path.Combine(directory, $"sweep-{Guid.NewGuid():N}.yaml");
        File.WriteAllText(path, yaml);
        return path;
    }
}
