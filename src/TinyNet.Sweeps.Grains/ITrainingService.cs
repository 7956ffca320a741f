using TinyNet.Sweeps.Domain.Trials;
using TinyNet.Sweeps.Training;

namespace TinyNet.Sweeps.Grains;

/// <summary>What training a trial gave, and where its time went: waiting for a free worker, then training on it.</summary>
public sealed record TrainingRun(TrainingOutcome Outcome, TimeSpan Queued, TimeSpan Trained);

/// <summary>
/// The silo's trainer, behind an interface so the grains never depend on how training is done:
/// today a pool of one-trial-per-core workers, later a batched tensor program training many trials at once.
/// </summary>
public interface ITrainingService
{
    /// <summary>How many trials this silo trains at once.</summary>
    int WorkerCount { get; }

    /// <summary>Trains one trial off the Orleans scheduler; completes when the trial has finished.</summary>
    /// <param name="bands">Hyperband's band epochs and stop requests, when the sweep has early termination.</param>
    /// <param name="order">The trial's place in its sweep: of the trials waiting, lower ones train first.</param>
    /// <param name="sweepId">The trial's sweep, whose trials in training <see cref="TrainingCount"/> counts.</param>
    Task<TrainingRun> TrainAsync(TrialConfig config, int seed, CancellationToken cancellationToken = default, BandWatch? bands = null, int order = 0,
        string? sweepId = null);

    /// <summary>How many of the sweep's trials are on a worker now (not waiting in the queue).</summary>
    int TrainingCount(string sweepId);
}
