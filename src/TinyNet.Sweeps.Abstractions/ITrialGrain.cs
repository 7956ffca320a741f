using TinyNet.Sweeps.Domain.Trials;

namespace TinyNet.Sweeps.Abstractions;

/// <summary>
/// Owns one trial (keyed by <c>{sweepId}/{trialId}</c>): its configuration, its state and its result.
/// Training can take minutes, so <see cref="Start"/> returns at once and the grain reports back to its
/// coordinator when the trial is done rather than holding a call open.
/// </summary>
[Alias("TinyNet.Sweeps.ITrialGrain")]
public interface ITrialGrain : IGrainWithStringKey
{
    [Alias("Start")]
    Task Start(TrialAssignment assignment);

    [Alias("GetSnapshot")]
    Task<TrialSnapshot> GetSnapshot();

    /// <summary>Stops the training at its next epoch, if it is training; the grain then reports the trial stopped.</summary>
    [Alias("Abort"), Orleans.Concurrency.AlwaysInterleave]
    Task Abort();

    /// <summary>Hyperband decided to stop this trial at the band of <paramref name="epoch"/>: it ends as it was there.</summary>
    [Alias("StopAtBand"), Orleans.Concurrency.AlwaysInterleave]
    Task StopAtBand(int epoch);

    static string KeyFor(string sweepId, string trialId) => $"{sweepId}/{trialId}";
}

/// <summary>A silo-pinned grain that tells the coordinator how many trials its silo trains at once, and is training.</summary>
[Alias("TinyNet.Sweeps.ISiloCapacityGrain")]
public interface ISiloCapacityGrain : IGrainWithStringKey
{
    [Alias("GetWorkerCount")]
    Task<int> GetWorkerCount();

    /// <summary>How many of the sweep's trials are training on this silo now; its other trials here wait in the silo's queue.</summary>
    [Alias("GetTraining")]
    Task<int> GetTraining(string sweepId);
}

/// <summary>
/// A silo-pinned grain (keyed, and placed, like <see cref="ISiloCapacityGrain"/>) that starts a group of a sweep's trials
/// on its silo: one call from the coordinator per silo and dispatch round instead of one per trial.
/// </summary>
[Alias("TinyNet.Sweeps.ISiloTrialLauncherGrain")]
public interface ISiloTrialLauncherGrain : IGrainWithStringKey
{
    /// <summary>Starts each trial's grain on this silo; returns the ids of the trials it could not start.</summary>
    [Alias("StartTrials")]
    Task<string[]> StartTrials([Immutable] IReadOnlyList<TrialAssignment> assignments);

    /// <summary>Hyperband's stops for trials of one sweep training on this silo: each trial ends as it was at its band.</summary>
    [Alias("StopTrialsAtBands")]
    Task StopTrialsAtBands(string sweepId, [Immutable] IReadOnlyList<BandStop> stops);
}
