using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Serilog;
using Serilog.Events;
using Serilog.Extensions.Logging;
using Microsoft.Extensions.Logging;
using Spectre.Console;
using TinyNet.Sweeps.Abstractions;
using TinyNet.Sweeps.Domain.Sweeps;
using TinyNet.Sweeps.Domain.Trials;
using TinyNet.Sweeps.Hosting;
using TinyNet.Sweeps.Training;

namespace TinyNet.Sweeps.Cli;

/// <summary>
/// Prints what orchestration costs: the same trials trained by a raw loop (one thread per worker, no Orleans)
/// and through the embedded cluster at the same parallelism, plus the process's memory as the sweep grows.
/// A benchmark, not a test: it prints figures and asserts nothing.
/// </summary>
internal static class BenchmarkCommand
{
    public static Command Create(CliIO io)
    {
        var trialsOption = new Option<int>("--trials") { Description = "Trials in the benchmark sweep.", DefaultValueFactory = _ => 200 };
        var epochsOption = new Option<int>("--epochs") { Description = "Epochs per trial.", DefaultValueFactory = _ => 200 };
        var workersOption = new Option<int>("--workers") { Description = "Parallel trials, in both the raw loop and the cluster.", DefaultValueFactory = _ => Environment.ProcessorCount };
        var command = new Command("benchmark", "Measure orchestration overhead against a raw training loop, and memory as trials grow.")
        {
            trialsOption, epochsOption, workersOption,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            int count = parse.GetValue(trialsOption), epochs = parse.GetValue(epochsOption), workers = parse.GetValue(workersOption);
            if (count < 1 || epochs < 1 || workers < 1) throw new UsageException("--trials, --epochs and --workers must be at least 1.");
            Log.Logger = Observability.CreateLogger(new LogOptions { Level = LogEventLevel.Warning });
            var trials = Trials(count, epochs);

            var trainer = new TorchTrialTrainer();
            trainer.Train(trials[0].Config, trials[0].Seed); // load the native library outside the timings
            var raw = RawLoop(trainer, trials, workers);

            var startup = Stopwatch.StartNew();
            await using var cluster = await EmbeddedCluster.StartAsync(new EmbeddedClusterOptions { Silos = 1, WorkersPerSilo = workers }, cancellationToken);
            startup.Stop();
            string outDir = Path.Combine(Path.GetTempPath(), $"tinynet-benchmark-{Guid.NewGuid():N}");
            using var loggerFactory = new SerilogLoggerFactory(Log.Logger, dispose: false);
            var memory = new MemorySampler(count);
            var clock = Stopwatch.StartNew();
            var request = new SweepRequest("benchmark", new MetricSpec(MetricNames.CalibrationError, MetricGoal.Minimize), trials, new Dictionary<string, string>());
            await new SweepRunner(cluster.Client, loggerFactory.CreateLogger<SweepRunner>()).RunAsync(request, outDir, memory, cancellationToken);
            clock.Stop();
            Directory.Delete(outDir, recursive: true);

            Print(io, count, epochs, workers, raw, clock.Elapsed, startup.Elapsed, memory);
            await Log.CloseAndFlushAsync();
            return ExitCodes.Success;
        });
        return command;
    }

    /// <summary>The notebook's three experiments in turn, each with its own seed, all at <paramref name="epochs"/>.</summary>
    private static List<TrialSpec> Trials(int count, int epochs)
    {
        TrialConfig[] family =
        [
            new() { Activation = Activation.Sigmoid, Epochs = epochs },
            new() { Activation = Activation.Relu, Epochs = epochs },
            new() { Activation = Activation.Relu, Optimizer = OptimizerKind.Adam, LearningRate = 0.01, WeightDecay = 0.01, CleanRatio = 0.2, Epochs = epochs },
        ];
        return Enumerable.Range(0, count).Select(i => TrialIdentity.Create(family[i % family.Length], i, i)).ToList();
    }

    private static TimeSpan RawLoop(ITrialTrainer trainer, IReadOnlyList<TrialSpec> trials, int workers)
    {
        int next = -1;
        var clock = Stopwatch.StartNew();
        var threads = Enumerable.Range(0, workers).Select(_ => new Thread(() =>
        {
            for (int i = Interlocked.Increment(ref next); i < trials.Count; i = Interlocked.Increment(ref next))
                trainer.Train(trials[i].Config, trials[i].Seed);
        })).ToList();
        threads.ForEach(t => t.Start());
        threads.ForEach(t => t.Join());
        return clock.Elapsed;
    }

    private static void Print(CliIO io, int count, int epochs, int workers, TimeSpan raw, TimeSpan cluster, TimeSpan startup, MemorySampler memory)
    {
        var c = CultureInfo.InvariantCulture;
        double overhead = (cluster.TotalSeconds - raw.TotalSeconds) / cluster.TotalSeconds * 100;
        var table = new Table().Border(TableBorder.Simple).Title($"{count} trials × {epochs} epochs, {workers} worker(s), {Environment.ProcessorCount} cores");
        table.AddColumn("measure");
        table.AddColumn(new TableColumn("value").RightAligned());
        table.AddRow("raw loop: wall time", $"{raw.TotalSeconds.ToString("0.00", c)} s");
        table.AddRow("raw loop: time per trial (per worker)", $"{(raw.TotalMilliseconds * workers / count).ToString("0.0", c)} ms");
        table.AddRow("raw loop: trials per second", (count / raw.TotalSeconds).ToString("0.00", c));
        table.AddRow("cluster: wall time (dispatch to ranking files)", $"{cluster.TotalSeconds.ToString("0.00", c)} s");
        table.AddRow("cluster: trials per second", (count / cluster.TotalSeconds).ToString("0.00", c));
        table.AddRow("cluster / raw wall time", (cluster.TotalSeconds / raw.TotalSeconds).ToString("0.000", c));
        table.AddRow("orchestration share of the sweep's wall time", $"{overhead.ToString("0.0", c)} %");
        table.AddRow("embedded cluster start-up (not in the above)", $"{startup.TotalSeconds.ToString("0.00", c)} s");
        foreach (var (finished, workingSet, managed) in memory.Samples)
            table.AddRow($"memory after {finished} trials: working set / managed heap",
                $"{(workingSet / 1048576.0).ToString("0", c)} MiB / {(managed / 1048576.0).ToString("0", c)} MiB");
        table.AddRow("peak working set", $"{(Process.GetCurrentProcess().PeakWorkingSet64 / 1048576.0).ToString("0", c)} MiB");
        io.Console.Write(table);
    }

    /// <summary>Samples the process's memory at each tenth of the sweep, to show whether it grows with trials.</summary>
    private sealed class MemorySampler(int total) : IProgress<SweepProgress>
    {
        private int _nextTenth = 1;
        public List<(int Finished, long WorkingSet, long Managed)> Samples { get; } = new();

        public void Report(SweepProgress progress)
        {
            while (_nextTenth <= 10 && progress.Finished >= total * _nextTenth / 10)
            {
                var process = Process.GetCurrentProcess();
                Samples.Add((progress.Finished, process.WorkingSet64, GC.GetTotalMemory(forceFullCollection: false)));
                _nextTenth++;
            }
        }
    }
}
