using TinyNet.Sweeps.Domain.Export;
using TinyNet.Sweeps.Domain.Trials;
using Xunit.Abstractions;

namespace TinyNet.Sweeps.Faults.Tests;

/// <summary>Results folders on a disk that fills up, and folders that cannot be written at all.</summary>
public sealed class DiskTests(ITestOutputHelper output) : IDisposable
{
    // About 20 KB of trials.jsonl per trial: a 200 KB disk fills after a handful of the 24.
    private const string SweepYaml = """
        name: disk
        method: grid
        seeds: 24
        parameters:
          epochs: {value: 1000}
        """;

    private readonly string _dir = Directory.CreateTempSubdirectory("tinynet-disk-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task A_full_disk_ends_the_run_with_one_line_and_exit_1_the_file_ends_on_a_whole_record_and_a_rerun_completes()
    {
        using var disk = Tmpfs.Mount("200k");
        string sweep = StoppingTests.WriteSweep(_dir, SweepYaml), outDir = Path.Combine(disk.Path, "out");

        var (exit, text) = await CliProcess.RunAsync($"run {sweep} --out {outDir}", TimeSpan.FromMinutes(3));
        output.WriteLine(text);
        Assert.True(exit == 1, text);
        string error = Assert.Single(text.Split('\n'), l => l.StartsWith("error:"));
        Assert.Contains("No space left on device", error);
        Assert.Contains("run the same command again to resume", error);
        CliProcess.AssertNoStackTrace(text);
        CliProcess.AssertWholeRecords(outDir);
        int saved = CliProcess.RecordLines(outDir).Length;
        Assert.InRange(saved, 1, 23);

        disk.Resize("20m");
        (exit, text) = await CliProcess.RunAsync($"run {sweep} --out {outDir}", TimeSpan.FromMinutes(3));
        Assert.True(exit == 0, text);
        Assert.Contains($"{24 - saved} trials trained, {saved} reused", text);
        CliProcess.AssertWholeRecords(outDir);
        Assert.Equal(24, CliProcess.RecordLines(outDir).Length);
    }

    [Fact]
    public void A_batch_that_does_not_fit_on_the_disk_saves_the_records_that_fit_and_the_file_ends_on_a_whole_record()
    {
        using var disk = Tmpfs.Mount("64k");
        string outDir = Path.Combine(disk.Path, "out");
        int written = 0;
        void FillTheDisk()
        {
            using var folder = ResultsFolderLock.Acquire(outDir, "DiskTests");
            using var log = TrialLog.OpenForAppend(folder);
            // Batches of about 8 KB each: one of them will not fit in 64 KB.
            for (int batch = 0; ; batch++)
            {
                var results = Enumerable.Range(0, 8).Select(i => BigResult($"t{batch}-{i}")).ToList();
                log.Append(results);
                written += results.Count;
            }
        }
        var error = Assert.Throws<ResultsWriteException>(FillTheDisk);

        Assert.Contains("No space left on device", error.Message);
        CliProcess.AssertWholeRecords(outDir);
        int saved = CliProcess.RecordLines(outDir).Length;
        // Every earlier batch, and of the one that did not fit, the records that did.
        Assert.InRange(saved, written, written + 7);
        Assert.Contains($"The {saved} trials written by this run before it are saved whole", error.Message);
    }

    /// <summary>A result of about 1 KB in trials.jsonl.</summary>
    private static TrialResult BigResult(string id) => new(
        new TrialSpec(id, "cfg", 0, new TrialConfig(), 0),
        new TrainingOutcome(TrialStatus.Completed, [.. Enumerable.Range(0, 40).Select(i => 1.0 / (i + 3))],
            new TrialMetrics(0.1, 0.2, 0.9, 0.3, 0.05, 0.8, 0.6)),
        "silo-1", 10, 1);

    [Fact]
    public async Task Output_folders_that_cannot_be_written_are_refused_with_exit_2_before_anything_starts()
    {
        string sweep = Path.Combine(CliBinary.RepoRoot, "sweeps", "smoke.yaml");
        string aFile = StoppingTests.WriteSweep(_dir, "not a folder");
        using var readOnly = Tmpfs.Mount("1m", readOnly: true);
        (string Out, string Says)[] cases =
        [
            (aFile, "is a file, not a folder"),
            ("/proc/tinynet-results", "cannot create the results folder"),
            (Path.Combine(readOnly.Path, "out"), "Read-only file system"),
        ];
        foreach (var (outDir, says) in cases)
        {
            var (exit, text) = await CliProcess.RunAsync($"run {sweep} --out {outDir}", TimeSpan.FromMinutes(1));
            output.WriteLine(text);
            Assert.True(exit == 2, text);
            Assert.Contains(says, text);
            Assert.DoesNotContain("Embedded cluster up", text);
            CliProcess.AssertNoStackTrace(text);
        }
    }
}
