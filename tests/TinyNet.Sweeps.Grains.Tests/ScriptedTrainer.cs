using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using TinyNet.Sweeps.Domain.Trials;
using TinyNet.Sweeps.Training;

namespace TinyNet.Sweeps.Grains.Tests;

/// <summary>
/// A trainer, run by the silo's real worker pool, whose behaviour is written in the trial's learning rate, so tests
/// running in parallel don't share mutable switches: <see cref="FlakyRate"/> throws twice then succeeds,
/// <see cref="BrokenRate"/> always throws, <see cref="DivergingRate"/> diverges; anything else completes with
/// metrics derived from the configuration and seed. A trial takes as many milliseconds as it has epochs, unless it is
/// stopped (then it throws OperationCanceledException at once and is listed in <see cref="Stopped"/>).
/// It records how many trials each silo trained at once.
/// </summary>
public sealed class ScriptedTrainer(IOptions<TrainingOptions> options) : ITrialTrainer
{
    public const double FlakyRate = 0.5;
    public const double BrokenRate = 0.25;
    public const double DivergingRate = 0.125;

    private static readonly ConcurrentDictionary<string, int> Attempts = new();
    public static readonly ConcurrentDictionary<string, int> MaxConcurrencyBySilo = new();
    /// <summary>Trials whose training was stopped before it finished, and the silo that was training them.</summary>
    public static readonly ConcurrentBag<(string Silo, string TrialId)> Stopped = new();
    private int _running;

    public TrainingOutcome Train(TrialConfig config, int seed, CancellationToken cancellationToken = default, BandWatch? bands = null)
    {
        int running = Interlocked.Increment(ref _running);
        MaxConcurrencyBySilo.AddOrUpdate(options.Value.SiloName, running, (_, max) => Math.Max(max, running));
        try
        {
            // A stopped trial ends at once, as the real trainer does at its next epoch.
            if (cancellationToken.WaitHandle.WaitOne(config.Epochs))
            {
                Stopped.Add((options.Value.SiloName, TrialIdentity.TrialId(TrialIdentity.ConfigKey(config), seed)));
                cancellationToken.ThrowIfCancellationRequested();
            }
            int attempt = Attempts.AddOrUpdate($"{TrialIdentity.ConfigKey(config)}/{seed}", 1, (_, n) => n + 1);
            return config.LearningRate switch
            {
                FlakyRate when attempt <= 2 => throw new InvalidOperationException($"flaky attempt {attempt}"),
                BrokenRate => throw new InvalidOperationException("always broken"),
                DivergingRate => new TrainingOutcome(TrialStatus.Diverged, [0.3, 0.9], Error: "loss became NaN at epoch 3"),
                _ => Completed(config, seed),
            };
        }
        finally
        {
            Interlocked.Decrement(ref _running);
        }
    }

    public static TrainingOutcome Completed(TrialConfig config, int seed)
    {
        double calibration = config.LearningRate + seed / 1000.0;
        var metrics = new TrialMetrics(0.2, 0.21 + seed / 100.0, 0.9, 0.3, calibration, 0.8, 0.6);
        return new TrainingOutcome(TrialStatus.Completed, [0.3, 0.2], metrics, [], null);
    }
}
