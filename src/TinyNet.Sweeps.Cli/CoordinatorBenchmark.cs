using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Serilog;
using Serilog.Events;
using Serilog.Extensions.Logging;
using TinyNet.Sweeps.Domain.Export;
using TinyNet.Sweeps.Domain.Sweeps;
using TinyNet.Sweeps.Domain.Trials;
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
            Log.Logger = Observability.CreateLogger(new LogOptions { Level = LogEventLevel.Warning });
            using var loggerFactory = new SerilogLoggerFactory(Log.Logger, dispose: false);
            int count = parse.GetValue(trials);
            await using var cluster = await EmbeddedCluster.StartAsync(new EmbeddedClusterOptions
            {
                Silos = parse.GetValue(silos),
                WorkersPerSilo = parse.GetValue(workers),
                ConfigureSilo = silo => silo.Services.AddSingleton<ITrialTrainer, InstantTrainer>(),
            }, cancellationToken);
            var runner = new SweepRunner(cluster.Client, loggerFactory.CreateLogger<SweepRunner>());

            await Run(runner, Plan(2_000, firstSeed: 1_000_000), cancellationToken);
            var (wall, cpu) = await Run(runner, Plan(count, firstSeed: 0), cancellationToken);

            var c = CultureInfo.InvariantCulture;
            io.Output.WriteLine($"{count} instantly trained trials through {cluster.Silos} silos x {cluster.WorkersPerSilo} workers, one sweep, on {Environment.ProcessorCount} cores:");
            io.Output.WriteLine($"  {(count / wall.TotalSeconds).ToString("0", c)} results/s into one coordinator ({wall.TotalSeconds.ToString("0.00", c)} s wall)");
            io.Output.WriteLine($"  {(cpu.TotalMilliseconds * 1000 / count).ToString("0", c)} µs of CPU per trial, whole process (silos, coordinator, client)");
            io.Output.WriteLine($"  peak working set {(Process.GetCurrentProcess().PeakWorkingSet64 / 1048576.0).ToString("0", c)} MiB");
            await Log.CloseAndFlushAsync();
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

    private static async Task<(TimeSpan Wall, TimeSpan Cpu)> Run(SweepRunner runner, SweepPlan plan, CancellationToken cancellationToken)
    {
        string outDir = Path.Combine(Path.GetTempPath(), $"tinynet-coordinator-{Guid.NewGuid():N}");
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var clock = Stopwatch.StartNew();
        using (var folder = ResultsFolderLock.Acquire(outDir, "tinynet-sweeps benchmark coordinator"))
            await runner.RunAsync(plan, folder, [], null, cancellationToken);
        clock.Stop();
        cpu = Process.GetCurrentProcess().TotalProcessorTime - cpu;
        Directory.Delete(outDir, recursive: true);
        return (clock.Elapsed, cpu);
    }

    /// <summary>A trainer that answers at once: metrics from the configuration and seed, no history, no weights.</summary>
    private sealed class InstantTrainer : ITrialTrainer
    {
        public TrainingOutcome Train(TrialConfig config, int seed, CancellationToken cancellationToken = default, BandWatch? bands = null) =>
            new(TrialStatus.Completed, [0.25],
                new TrialMetrics(0.25, 0.25, 0.5, 0.5, config.LearningRate + seed * 1e-9, 0.5, 0.5), [], null);
    }
}
