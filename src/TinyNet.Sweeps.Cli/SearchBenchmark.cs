using System.CommandLine;
using System.Globalization;
using Microsoft.Extensions.Logging;
using Serilog.Events;
using Spectre.Console;
using TinyNet.Sweeps.Abstractions;
using TinyNet.Sweeps.Domain.Export;
using TinyNet.Sweeps.Domain.Search;
using TinyNet.Sweeps.Domain.Sweeps;
using TinyNet.Sweeps.Domain.Trials;
using TinyNet.Sweeps.Hosting;

namespace TinyNet.Sweeps.Cli;

/// <summary>
/// <c>benchmark search</c>: how much training each search method needs to find a well-calibrated TinyNet. Over several
/// sampler seeds it runs random, bayes, random + hyperband and bayes + hyperband on one search space (the calibration
/// samples') until a configuration reaches the target, and prints the median trials and epochs each needed. A benchmark
/// that prints figures, not a test.
/// </summary>
/// <remarks>
/// The cost is counted in trial order, so it does not depend on timing: a run reaches the target at the first trial
/// index i such that a configuration whose trials all have an index up to i completed every seed with a mean metric at
/// or under the target, and costs the trials up to i and the epochs they trained. The run is stopped there.
/// </remarks>
internal static class SearchBenchmark
{
    private sealed record Strategy(string Name, Func<int, SweepDefinition> Definition);

    private sealed record Outcome(int? Trials, long? Epochs, double Best);

    public static Command Create(CliIO io)
    {
        var seedsOption = new Option<int>("--seeds") { Description = "Sampler seeds each method is run with (0, 1, ...).", DefaultValueFactory = _ => 10 }
            .InRange(1, 1000);
        var targetOption = new Option<double>("--target") { Description = "The calibration_error a configuration must reach (mean over its seeds).", DefaultValueFactory = _ => 0.02 };
        var pointsOption = new Option<int>("--points") { Description = "At most this many points per run (each method's run_cap).", DefaultValueFactory = _ => 80 }
            .InRange(1, 100_000);
        var randomFile = new Option<string>("--random-file") { Description = "The random search's file (its space is every method's).", DefaultValueFactory = _ => "sweeps/calibration-hunt.yaml" };
        var bayesFile = new Option<string>("--bayes-file") { Description = "The bayes search's file, with its early_terminate.", DefaultValueFactory = _ => "sweeps/calibration-bayes.yaml" };
        var workers = new Option<int?>("--workers") { Description = "Training workers; default: the cores." }.Workers();
        var command = new Command("search", "Trials and epochs random, bayes and hyperband need to reach a calibration target, over several sampler seeds.")
        {
            seedsOption, targetOption, pointsOption, randomFile, bayesFile, workers,
        };
        command.SetAction(async (parse, _) =>
        {
            double target = parse.GetValue(targetOption);
            int points = parse.GetValue(pointsOption), seeds = parse.GetValue(seedsOption);
            var random = SweepLoading.Load(parse.GetValue(randomFile)!, io);
            var bayes = SweepLoading.Load(parse.GetValue(bayesFile)!, io);
            if (random is null || bayes is null) return ExitCodes.InvalidInput;
            var hyperband = bayes.Definition.EarlyTerminate
                ?? throw new UsageException($"{parse.GetValue(bayesFile)} has no early_terminate: the benchmark takes hyperband's settings from it.");
            if (random.Definition.Method != SweepMethod.Random || bayes.Definition.Method != SweepMethod.Bayes)
                throw new UsageException("--random-file must be a method: random sweep and --bayes-file a method: bayes one.");
            // One space for all: the random file's parameters, seeds and metric; the bayes file gives its round size and bands.
            var space = random.Definition with { RunCap = points, EarlyTerminate = null, Metric = new MetricSpec(MetricNames.CalibrationError, MetricGoal.Minimize) };
            Strategy[] strategies =
            [
                new("random", seed => space with { SamplerSeed = seed }),
                new("bayes", seed => space with { Method = SweepMethod.Bayes, RoundSize = bayes.Definition.RoundSize, SamplerSeed = seed }),
                new("random + hyperband", seed => space with { EarlyTerminate = hyperband, SamplerSeed = seed }),
                new("bayes + hyperband", seed => space with { Method = SweepMethod.Bayes, RoundSize = bayes.Definition.RoundSize, EarlyTerminate = hyperband, SamplerSeed = seed }),
            ];

            // Each run is stopped once it reaches the target: the runner's warning about stopping is expected here.
            await using var log = CommandLog.Start(io, new LogOptions { Level = LogEventLevel.Error });
            await using var cluster = await EmbeddedCluster.StartAsync(new EmbeddedClusterOptions { WorkersPerSilo = parse.GetValue(workers), Logger = log.Logger });
            var runner = new SweepRunner(cluster.Client, log.Factory.CreateLogger<SweepRunner>());
            var outcomes = strategies.ToDictionary(s => s.Name, _ => new List<Outcome>());
            for (int seed = 0; seed < seeds; seed++)
            {
                foreach (var strategy in strategies)
                {
                    var outcome = await RunUntilReached(runner, new SweepPlan(strategy.Definition(seed)), target);
                    outcomes[strategy.Name].Add(outcome);
                    io.Error.WriteLine($"seed {seed}, {strategy.Name}: " + (outcome.Trials is { } t
                        ? $"reached {target.ToString(CultureInfo.InvariantCulture)} after {t} trials, {outcome.Epochs:N0} epochs"
                        : $"did not reach it in {points} points (best {outcome.Best.ToString("0.0000", CultureInfo.InvariantCulture)})"));
                }
            }
            io.Console.Write(Table(outcomes, target, seeds, points, space.Seeds.Count, hyperband));
            return ExitCodes.Success;
        });
        return command;
    }

    private static async Task<Outcome> RunUntilReached(SweepRunner runner, SweepPlan plan, double target)
    {
        string folder = Path.Combine(Path.GetTempPath(), $"tinynet-search-benchmark-{Guid.NewGuid():N}");
        var results = new Dictionary<int, TrialResult>();
        Outcome? reached = null;
        using var stop = new CancellationTokenSource();
        var watch = new Progress(progress =>
        {
            foreach (var result in progress.NewResults) results[result.Trial.Index] = result;
            if (reached is null && Reached(results, target, plan.Definition.Seeds.Count) is { } outcome)
            {
                reached = outcome;
                stop.Cancel();
            }
        });
        try
        {
            using (var output = ResultsFolderLock.Acquire(folder, "tinynet-sweeps benchmark search"))
                await runner.RunAsync(plan, output, [], watch, stop.Token);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
        double best = results.Values.Where(r => r.Outcome.Status == TrialStatus.Completed)
            .GroupBy(r => r.Trial.ConfigKey).Where(g => g.Count() == plan.Definition.Seeds.Count)
            .Select(g => g.Average(r => r.Outcome.Metrics!.CalibrationError)).DefaultIfEmpty(double.NaN).Min();
        return reached ?? new Outcome(null, null, best);
    }

    /// <summary>
    /// The first trial index by which a configuration, all of whose trials have an index up to it, completed every seed
    /// with a mean calibration error at or under the target, once every trial up to that index has a result.
    /// </summary>
    private static Outcome? Reached(Dictionary<int, TrialResult> results, double target, int seeds)
    {
        var byConfig = new Dictionary<string, List<TrialResult>>();
        long epochs = 0;
        for (int i = 0; results.TryGetValue(i, out var result); i++)
        {
            epochs += result.Outcome.LossHistory.Count;
            if (!byConfig.TryGetValue(result.Trial.ConfigKey, out var trials)) byConfig[result.Trial.ConfigKey] = trials = new List<TrialResult>();
            trials.Add(result);
            if (trials.Count == seeds && trials.All(t => t.Outcome.Status == TrialStatus.Completed)
                && trials.Average(t => t.Outcome.Metrics!.CalibrationError) <= target)
                return new Outcome(i + 1, epochs, trials.Average(t => t.Outcome.Metrics!.CalibrationError));
        }
        return null;
    }

    private static Table Table(Dictionary<string, List<Outcome>> outcomes, double target, int seeds, int points, int trialSeeds, HyperbandSpec hyperband)
    {
        var c = CultureInfo.InvariantCulture;
        var table = new Table().Border(TableBorder.Simple).Title(
            $"calibration_error ≤ {target.ToString(c)} (mean over {trialSeeds} seeds): {seeds} sampler seeds, at most {points} points a run; " +
            $"hyperband eta {hyperband.Eta.ToString(c)}, bands from epoch {Hyperband.Bands(hyperband)[0]}");
        table.AddColumn("method");
        table.AddColumn(new TableColumn("reached").RightAligned());
        table.AddColumn(new TableColumn("median trials").RightAligned());
        table.AddColumn(new TableColumn("median epochs").RightAligned());
        table.AddColumn(new TableColumn("epochs vs random").RightAligned());
        double? randomEpochs = Median(outcomes["random"], o => o.Epochs);
        foreach (var (name, list) in outcomes)
        {
            double? epochs = Median(list, o => o.Epochs), trials = Median(list, o => o.Trials);
            table.AddRow(name, $"{list.Count(o => o.Trials is not null)} of {list.Count}",
                trials is { } t ? t.ToString("0", c) : "—",
                epochs is { } e ? e.ToString("N0", c) : "—",
                epochs is { } ratio && randomEpochs is { } baseline ? (ratio / baseline).ToString("0.00", c) : "—");
        }
        return table;
    }

    /// <summary>The median of a cost over the runs; a run that did not reach the target costs infinitely much.</summary>
    private static double? Median(List<Outcome> runs, Func<Outcome, long?> cost)
    {
        var costs = runs.Select(o => cost(o) is { } v ? (double)v : double.PositiveInfinity).Order().ToList();
        double median = Middle(costs);
        return double.IsFinite(median) ? median : null;
    }

    private static double Middle(List<double> sorted) =>
        sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;

    private sealed class Progress(Action<SweepProgress> report) : IProgress<SweepProgress>
    {
        public void Report(SweepProgress value) => report(value);
    }
}
