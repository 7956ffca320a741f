using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Serilog.Events;
using TinyNet.Sweeps.Domain.Export;
using TinyNet.Sweeps.Domain.Sweeps;
using TinyNet.Sweeps.Abstractions;
using TinyNet.Sweeps.Domain.Trials;
using TinyNet.Sweeps.Grains;
using TinyNet.Sweeps.Hosting;
using TinyNet.Sweeps.Training;

namespace TinyNet.Sweeps.Cli;

/// <summary>
/// <c>benchmark coordinator</c>: how many results one sweep's coordinator takes per second when training costs nothing.
/// Trials are "trained" by a stand-in that answers at once, on an embedded cluster of several silos, so what is
/// measured is the cluster's work per trial (dispatch, trial grains, the silo's result batches, the coordinator's
/// bookkeeping, the client's trials.jsonl). A benchmark that prints figures, not a test.
/// </summary>
internal static class CoordinatorBenchmark
{
    public static Command Create(CliIO io)
    {
        var silos = new Option<int>("--silos") { Description = "Silos of the in-process cluster.", DefaultValueFactory = _ => 4 }.InRange(1, 16);
        var trials = new Option<int>("--trials") { Description = "Trials in the measured sweep (after a warming sweep of 2,000).", DefaultValueFactory = _ => 50_000 }
            .InRange(1, 1_000_000);
        var workers = new Option<int>("--workers") { Description = "Workers per silo.", DefaultValueFactory = _ => 8 }.InRange(1, 256);
        var command = new Command("coordinator", "Results per second one sweep's coordinator takes from a many-silo in-process cluster whose trials train instantly.")
        {
            silos, trials, workers,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            await using var log = CommandLog.Start(io, new LogOptions { Level = LogEventLevel.Warning });
            int count = parse.GetValue(trials);
            var occupancy = new CoordinatorOccupancy();
            await using var cluster = await EmbeddedCluster.StartAsync(new EmbeddedClusterOptions
            {
                Silos = parse.GetValue(silos),
                WorkersPerSilo = parse.GetValue(workers),
                Logger = log.Logger,
                ConfigureSilo = silo => silo
                    .ConfigureServices(services => services.AddSingleton<ITrialTrainer, InstantTrainer>())
                    .AddIncomingGrainCallFilter(occupancy),
            }, cancellationToken);
            var runner = new SweepRunner(cluster.Client, log.Factory.CreateLogger<SweepRunner>());

            await Run(runner, Plan(2_000, firstSeed: 1_000_000), cancellationToken);
            occupancy.Reset();
            var (wall, cpu, allocated) = await Run(runner, Plan(count, firstSeed: 0), cancellationToken);

            var c = CultureInfo.InvariantCulture;
            string Us(TimeSpan t) => (t.TotalMilliseconds * 1000 / count).ToString("0.0", c);
            string Ms(TimeSpan t) => t.TotalMilliseconds.ToString("0", c);
            var reports = occupancy.Of(nameof(ISweepCoordinatorGrain.ReportResults));
            io.Output.WriteLine($"{count} instantly trained trials through {cluster.Silos} silos x {cluster.WorkersPerSilo} workers, one sweep, on {Environment.ProcessorCount} cores:");
            io.Output.WriteLine($"  {(count / wall.TotalSeconds).ToString("0", c)} results/s end to end ({wall.TotalSeconds.ToString("0.00", c)} s wall)");
            io.Output.WriteLine($"  {(cpu.TotalMilliseconds * 1000 / count).ToString("0", c)} µs of CPU per trial, whole process (silos, trial grains, coordinator, client)");
            // The garbage collector's work follows what is allocated: a large share of a trial's CPU in profiles.
            io.Output.WriteLine($"  {(allocated / 1024.0 / count).ToString("0.0", c)} KB allocated per trial, whole process");
            io.Output.WriteLine($"  the coordinator's reports: {reports.Calls} calls, {Us(reports.Cpu)} µs of CPU a result ({Us(reports.Wall)} µs in calls, waits for a core included): " +
                                $"a ceiling of {(count / reports.Cpu.TotalSeconds).ToString("0", c)} results/s into one sweep");
            io.Output.WriteLine($"  once a sweep: start {Ms(occupancy.Of(nameof(ISweepCoordinatorGrain.Start)).Wall)} ms in the call, ranking {Ms(occupancy.Of(nameof(ISweepCoordinatorGrain.GetRanking)).Cpu)} ms of CPU");
            io.Output.WriteLine($"  peak working set {(Process.GetCurrentProcess().PeakWorkingSet64 / 1048576.0).ToString("0", c)} MiB");
            return ExitCodes.Success;
        });
        return command;
    }

    /// <summary>Distinct configurations, ten seeds each, so that results rank as a real sweep's do.</summary>
    private static SweepPlan Plan(int count, int firstSeed)
    {
        int configurations = Math.Max(1, count / 10);
        var family = Enumerable.Range(0, configurations).Select(i => (new TrialConfig { LearningRate = 0.001 + i * 1e-6, Epochs = 1 }, (string?)null));
        return SweepPlan.OfConfigurations("coordinator-benchmark", MetricSpec.Default, family,
            [.. Enumerable.Range(firstSeed, (count + configurations - 1) / configurations)]);
    }

    private static async Task<(TimeSpan Wall, TimeSpan Cpu, long Allocated)> Run(SweepRunner runner, SweepPlan plan, CancellationToken cancellationToken)
    {
        string outDir = Path.Combine(Path.GetTempPath(), $"tinynet-coordinator-{Guid.NewGuid():N}");
        long allocated = GC.GetTotalAllocatedBytes();
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var clock = Stopwatch.StartNew();
        using (var folder = ResultsFolderLock.Acquire(outDir, "tinynet-sweeps benchmark coordinator"))
            await runner.RunAsync(plan, folder, [], null, cancellationToken);
        clock.Stop();
        cpu = Process.GetCurrentProcess().TotalProcessorTime - cpu;
        allocated = GC.GetTotalAllocatedBytes() - allocated;
        Directory.Delete(outDir, recursive: true);
        return (clock.Elapsed, cpu, allocated);
    }

    /// <summary>
    /// What the sweep's coordinator spends in its calls, by method (its long polls for progress interleave and are not
    /// counted). A grain takes one call at a time, so the results it took divided by its time in reports is the most it
    /// could take a second. CPU time is that of the calls that ran to their end on one thread (a report awaits nothing
    /// slow), the others counted by their wall time; wall time also counts the waits for a core that the benchmark's own
    /// silos cause on a small machine.
    /// </summary>
    private sealed class CoordinatorOccupancy : IIncomingGrainCallFilter
    {
        private readonly object _gate = new();
        private readonly Dictionary<string, Totals> _byMethod = new();

        public Totals Of(string method)
        {
            lock (_gate) return _byMethod.GetValueOrDefault(method);
        }

        public void Reset()
        {
            lock (_gate) _byMethod.Clear();
        }

        public async Task Invoke(IIncomingGrainCallContext context)
        {
            if (context.Grain is not SweepCoordinatorGrain || context.InterfaceMethod.Name is nameof(ISweepCoordinatorGrain.GetProgress) or nameof(ISweepCoordinatorGrain.GetInfo))
            {
                await context.Invoke();
                return;
            }
            long start = Stopwatch.GetTimestamp(), cpuStart = ThreadCpuNanoseconds();
            var call = context.Invoke();
            bool oneRun = call.IsCompleted;
            long cpu = ThreadCpuNanoseconds() - cpuStart;
            try { await call; }
            finally
            {
                var wall = Stopwatch.GetElapsedTime(start);
                var totals = new Totals(1, oneRun ? TimeSpan.FromTicks(cpu / 100) : wall, wall);
                lock (_gate) _byMethod[context.InterfaceMethod.Name] = _byMethod.GetValueOrDefault(context.InterfaceMethod.Name) + totals;
            }
        }

        private static long ThreadCpuNanoseconds()
        {
            if (!OperatingSystem.IsLinux()) return 0;
            ClockGetTime(ThreadCpuClock, out var time);
            return time.Seconds * 1_000_000_000 + time.Nanoseconds;
        }

        private const int ThreadCpuClock = 3; // CLOCK_THREAD_CPUTIME_ID

        [StructLayout(LayoutKind.Sequential)]
        private struct TimeSpec
        {
            public long Seconds;
            public long Nanoseconds;
        }

        [DllImport("libc", EntryPoint = "clock_gettime")]
        private static extern int ClockGetTime(int clock, out TimeSpec time);
    }

    private readonly record struct Totals(long Calls, TimeSpan Cpu, TimeSpan Wall)
    {
        public static Totals operator +(Totals a, Totals b) => new(a.Calls + b.Calls, a.Cpu + b.Cpu, a.Wall + b.Wall);
    }

    /// <summary>A trainer that answers at once: metrics from the configuration and seed, no history, no weights.</summary>
    private sealed class InstantTrainer : ITrialTrainer
    {
        public TrainingOutcome Train(TrialConfig config, int seed, CancellationToken cancellationToken = default, BandWatch? bands = null) =>
            new(TrialStatus.Completed, [0.25],
                new TrialMetrics(0.25, 0.25, 0.5, 0.5, config.LearningRate + seed * 1e-9, 0.5, 0.5), [], null);
    }
}
