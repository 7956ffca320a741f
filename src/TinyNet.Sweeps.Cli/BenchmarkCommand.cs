using System.CommandLine;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Globalization;
using System.Runtime;
using Serilog.Events;
using Microsoft.Extensions.Logging;
using Spectre.Console;
using TinyNet.Sweeps.Abstractions;
using TinyNet.Sweeps.Domain.Export;
using TinyNet.Sweeps.Domain.Sweeps;
using TinyNet.Sweeps.Domain.Trials;
using TinyNet.Sweeps.Grains;
using TinyNet.Sweeps.Hosting;
using TinyNet.Sweeps.Training;

namespace TinyNet.Sweeps.Cli;

/// <summary>
/// Prints what orchestration costs: the same trials trained by a raw loop (one thread per worker, no Orleans, in
/// groups of lanes as a silo's pool forms them) and through the embedded cluster at the same parallelism, plus one
/// trial at a time (the engine at K = 1) as the baseline, and the process's memory as the sweep grows.
/// A benchmark, not a test: it prints figures and asserts nothing.
/// </summary>
internal static class BenchmarkCommand
{
    public static Command Create(CliIO io)
    {
        var trialsOption = new Option<int>("--trials") { Description = "Trials in the measured sweep (after a first, warming sweep of 200 short trials).", DefaultValueFactory = _ => 4000 }
            .InRange(1, 1_000_000);
        var epochsOption = new Option<int>("--epochs") { Description = "Epochs per trial.", DefaultValueFactory = _ => 200 }
            .InRange(1, 100_000);
        var workersOption = new Option<int>("--workers") { Description = "Parallel trials, in both the raw loop and the cluster.", DefaultValueFactory = _ => Environment.ProcessorCount }
            .Workers();
        var command = new Command("benchmark", "Measure orchestration overhead against a raw training loop, and memory as trials grow ('benchmark search': what each search method needs; 'benchmark engine': the fused engine against a plain loop; 'benchmark coordinator': results per second into one sweep).")
        {
            trialsOption, epochsOption, workersOption, SearchBenchmark.Create(io), EngineBenchmark.Create(io), CoordinatorBenchmark.Create(io),
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            int count = parse.GetValue(trialsOption), epochs = parse.GetValue(epochsOption), workers = parse.GetValue(workersOption);
            await using var log = CommandLog.Start(io, new LogOptions { Level = LogEventLevel.Warning });

            var trainer = new TorchTrialTrainer();
            trainer.Train(new TrialConfig { Epochs = 1 }, 0); // load the native library outside the timings
            var startup = Stopwatch.StartNew();
            await using var cluster = await EmbeddedCluster.StartAsync(new EmbeddedClusterOptions { Silos = 1, WorkersPerSilo = workers, Logger = log.Logger }, cancellationToken);
            startup.Stop();
            var runner = new SweepRunner(cluster.Client, log.Factory.CreateLogger<SweepRunner>());

            // The first sweep in a process also pays for JIT-compiling Orleans, serializers and storage
            // (thousands of methods); measure it apart from the steady state that long sweeps see.
            var cold = await Measure(trainer, runner, Trials(WarmupTrials, WarmupEpochs, firstSeed: 1_000_000), workers, null, cancellationToken);
            var memory = new MemorySampler(count);
            var warm = await Measure(trainer, runner, Trials(count, epochs, firstSeed: 0), workers, memory, cancellationToken);

            Print(io, workers, startup.Elapsed, cold, warm, memory);
            return ExitCodes.Success;
        });
        return command;
    }

    private const int WarmupTrials = 200, WarmupEpochs = 20;

    /// <summary>Trials the one-at-a-time baseline trains (a sample: at K = 1 each costs tens of milliseconds).</summary>
    private const int OneAtATimeSample = 100;

    private sealed record Figures(int Trials, int Epochs, TimeSpan RawWall, TimeSpan RawCpu, TimeSpan ClusterWall, TimeSpan ClusterCpu,
        double ClusterTrainingMs, IReadOnlyList<TimeSpan> Runs, int SingleTrials, TimeSpan SingleWall, TimeSpan SingleCpu, TimeSpan ClusterJit)
    {
        public double OrchestrationShare => (ClusterWall.TotalSeconds - RawWall.TotalSeconds) / ClusterWall.TotalSeconds;
    }

    /// <summary>
    /// The same trials by a raw loop and through the cluster, at the same parallelism, in the order raw, cluster,
    /// cluster, raw, so that a drift during the run (background JIT tiering, caches) weighs on both sides alike.
    /// </summary>
    private static async Task<Figures> Measure(TorchTrialTrainer trainer, SweepRunner runner, SweepPlan plan, int workers,
        IProgress<SweepProgress>? progress, CancellationToken cancellationToken)
    {
        var trials = plan.ListedTrials;
        // Spread over the three configurations, as the whole sweep is.
        var sample = trials.Where((_, i) => i % Math.Max(1, trials.Count / OneAtATimeSample) == 0).Take(OneAtATimeSample).ToList();
        var single = RawLoop(trainer, sample, workers);
        var raw1 = LanesLoop(trainer, trials, workers);
        var cluster1 = await ClusterRun(runner, plan, progress, cancellationToken);
        var cluster2 = await ClusterRun(runner, plan, null, cancellationToken);
        var raw2 = LanesLoop(trainer, trials, workers);
        return new Figures(trials.Count * 2, trials[0].Config.Epochs, raw1.Wall + raw2.Wall, raw1.Cpu + raw2.Cpu,
            cluster1.Wall + cluster2.Wall, cluster1.Cpu + cluster2.Cpu, cluster1.TrainingMs + cluster2.TrainingMs,
            [raw1.Wall, cluster1.Wall, cluster2.Wall, raw2.Wall], sample.Count, single.Wall, single.Cpu, cluster1.Jit + cluster2.Jit);
    }

    private static async Task<(TimeSpan Wall, TimeSpan Cpu, double TrainingMs, TimeSpan Jit)> ClusterRun(
        SweepRunner runner, SweepPlan plan, IProgress<SweepProgress>? progress, CancellationToken cancellationToken)
    {
        string outDir = Path.Combine(Path.GetTempPath(), $"tinynet-benchmark-{Guid.NewGuid():N}");
        using var trainingTime = new HistogramSum(SweepTelemetry.Name, "tinynet.trial.training_time");
        var cpu = CpuTime();
        var jit = JitInfo.GetCompilationTime();
        var clock = Stopwatch.StartNew();
        using (var folder = ResultsFolderLock.Acquire(outDir, "tinynet-sweeps benchmark"))
            await runner.RunAsync(plan, folder, [], progress, cancellationToken);
        clock.Stop();
        cpu = CpuTime() - cpu;
        jit = JitInfo.GetCompilationTime() - jit;
        Directory.Delete(outDir, recursive: true);
        return (clock.Elapsed, cpu, trainingTime.Sum, jit);
    }

    private static TimeSpan CpuTime()
    {
        using var process = Process.GetCurrentProcess();
        return process.TotalProcessorTime;
    }

    /// <summary>The notebook's three experiments, all at <paramref name="epochs"/>, each with a third of <paramref name="count"/> seeds (rounded up).</summary>
    private static SweepPlan Trials(int count, int epochs, int firstSeed)
    {
        TrialConfig[] family =
        [
            new() { Activation = Activation.Sigmoid, Epochs = epochs },
            new() { Activation = Activation.Relu, Epochs = epochs },
            new() { Activation = Activation.Relu, Optimizer = OptimizerKind.Adam, LearningRate = 0.01, WeightDecay = 0.01, CleanRatio = 0.2, Epochs = epochs },
        ];
        int seeds = (count + family.Length - 1) / family.Length;
        return SweepPlan.OfConfigurations("benchmark", MetricSpec.Default, family.Select(c => (c, (string?)null)), [.. Enumerable.Range(firstSeed, seeds)]);
    }

    /// <summary>One trial at a time per worker: the engine at K = 1.</summary>
    private static (TimeSpan Wall, TimeSpan Cpu) RawLoop(ITrialTrainer trainer, IReadOnlyList<TrialSpec> trials, int workers) =>
        OnWorkers(trials.Count, workers, i => trainer.Train(trials[i].Config, trials[i].Seed));

    /// <summary>The trials in groups of lanes as a silo's pool forms them (one shape, at most LanesPerGroup), workers taking groups in turn.</summary>
    private static (TimeSpan Wall, TimeSpan Cpu) LanesLoop(ILaneTrainer trainer, IReadOnlyList<TrialSpec> trials, int workers)
    {
        var groups = trials.GroupBy(t => trainer.GroupKey(t.Config))
            .SelectMany(shape => shape.Chunk(Math.Min(TrainingWorkerPool.LanesPerGroup, trainer.MaxLanesFor(shape.First().Config))))
            .Select(group => group.Select(t => new LaneRequest(t.Config, t.Seed)).ToList())
            .ToList();
        return OnWorkers(groups.Count, workers, i => trainer.TrainGroup(groups[i]));
    }

    private static (TimeSpan Wall, TimeSpan Cpu) OnWorkers(int items, int workers, Action<int> work)
    {
        int next = -1;
        var cpu = CpuTime();
        var clock = Stopwatch.StartNew();
        var threads = Enumerable.Range(0, workers).Select(_ => new Thread(() =>
        {
            for (int i = Interlocked.Increment(ref next); i < items; i = Interlocked.Increment(ref next)) work(i);
        })).ToList();
        threads.ForEach(t => t.Start());
        threads.ForEach(t => t.Join());
        return (clock.Elapsed, CpuTime() - cpu);
    }

    private static void Print(CliIO io, int workers, TimeSpan startup, Figures cold, Figures warm, MemorySampler memory)
    {
        var c = CultureInfo.InvariantCulture;
        var table = new Table().Border(TableBorder.Simple)
            .Title($"{workers} worker(s) on {Environment.ProcessorCount} cores; raw loop vs embedded cluster (1 silo) on the same trials");
        table.AddColumn("measure");
        table.AddColumn(new TableColumn($"first: 2 × {cold.Trials / 2} trials × {cold.Epochs} epochs").RightAligned());
        table.AddColumn(new TableColumn($"then: 2 × {warm.Trials / 2} trials × {warm.Epochs} epochs").RightAligned());
        void Row(string name, Func<Figures, string> value) => table.AddRow(name, value(cold), value(warm));
        Row("one trial at a time (K = 1), raw loop: time per trial per worker",
            f => $"{(f.SingleWall.TotalMilliseconds * workers / f.SingleTrials).ToString("0.0", c)} ms ({f.SingleTrials} trials)");
        Row("one trial at a time (K = 1), raw loop: CPU time per trial", f => $"{(f.SingleCpu.TotalMilliseconds / f.SingleTrials).ToString("0.00", c)} ms");
        Row("lanes, raw loop: wall time", f => $"{f.RawWall.TotalSeconds.ToString("0.00", c)} s");
        Row("lanes, raw loop: time per trial per worker", f => $"{(f.RawWall.TotalMilliseconds * workers / f.Trials).ToString("0.00", c)} ms");
        Row("lanes, raw loop: CPU time per trial", f => $"{(f.RawCpu.TotalMilliseconds / f.Trials).ToString("0.00", c)} ms");
        Row("cluster: wall time (dispatch to ranking files)", f => $"{f.ClusterWall.TotalSeconds.ToString("0.00", c)} s");
        Row("cluster: trials per second", f => (f.Trials / f.ClusterWall.TotalSeconds).ToString("0.00", c));
        Row("cluster: training time per trial on its worker", f => $"{(f.ClusterTrainingMs / f.Trials).ToString("0.0", c)} ms");
        Row("cluster: CPU time per trial", f => $"{(f.ClusterCpu.TotalMilliseconds / f.Trials).ToString("0.00", c)} ms");
        Row("cluster: orchestration CPU per trial, (cluster − lanes raw) CPU", f => $"{((f.ClusterCpu - f.RawCpu).TotalMilliseconds / f.Trials).ToString("0.00", c)} ms");
        // The runtime compiling (and recompiling hot code optimised) while the sweep runs: a cost of the process's first
        // sweeps, in the CPU above, that a longer sweep spreads thinner.
        Row("cluster: of which JIT compiling, per trial", f => $"{(f.ClusterJit.TotalMilliseconds / f.Trials).ToString("0.00", c)} ms");
        // What a silo that has run sweeps before pays a trial: the figure the orchestration target is about.
        Row("cluster: orchestration CPU per trial without JIT compiling", f => $"{((f.ClusterCpu - f.RawCpu - f.ClusterJit).TotalMilliseconds / f.Trials).ToString("0.00", c)} ms");
        Row("cluster throughput / one at a time", f => (f.SingleWall.TotalSeconds / f.SingleTrials / (f.ClusterWall.TotalSeconds / f.Trials)).ToString("0.0", c) + "×");
        Row("cluster / raw wall time", f => (f.ClusterWall.TotalSeconds / f.RawWall.TotalSeconds).ToString("0.000", c));
        Row("orchestration share of the sweep's wall time", f => $"{(f.OrchestrationShare * 100).ToString("0.0", c)} %");
        Row("runs in order: raw, cluster, cluster, raw", f => string.Join(" / ", f.Runs.Select(r => r.TotalSeconds.ToString("0.00", c))) + " s");
        io.Console.Write(table);
        io.Output.WriteLine($"Embedded cluster start-up (in neither sweep): {startup.TotalSeconds.ToString("0.00", c)} s");
        foreach (var (finished, workingSet, managed) in memory.Samples)
            io.Output.WriteLine($"Memory after {finished} trials of the measured sweep: working set {(workingSet / 1048576.0).ToString("0", c)} MiB, managed heap {(managed / 1048576.0).ToString("0", c)} MiB");
        io.Output.WriteLine($"Peak working set: {(Process.GetCurrentProcess().PeakWorkingSet64 / 1048576.0).ToString("0", c)} MiB");
    }

    /// <summary>Adds up every value recorded by one histogram while it is alive.</summary>
    private sealed class HistogramSum : IDisposable
    {
        private readonly MeterListener _listener = new();
        private double _sum;

        public HistogramSum(string meter, string instrument)
        {
            _listener.InstrumentPublished = (i, l) => { if (i.Meter.Name == meter && i.Name == instrument) l.EnableMeasurementEvents(i); };
            _listener.SetMeasurementEventCallback<double>((_, value, _, _) => { lock (_listener) _sum += value; });
            _listener.Start();
        }

        public double Sum { get { lock (_listener) return _sum; } }

        public void Dispose() => _listener.Dispose();
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
