using TinyNet.Sweeps.Domain.Trials;

namespace TinyNet.Sweeps.Training;

public interface ITrialTrainer
{
    /// <param name="bands">Hyperband's part, when the sweep has early termination: snapshots at band epochs, stop when told.</param>
    TrainingOutcome Train(TrialConfig config, int seed, CancellationToken cancellationToken = default, BandWatch? bands = null);
}

/// <summary>
/// The training engine as the silo uses it: groups of trials through <see cref="LaneTrainer"/>, and one trial at a time
/// as a group of one, which gives exactly what the trial gives among other lanes. Thread-safe.
/// </summary>
public sealed class TorchTrialTrainer : ILaneTrainer
{
    readonly LaneTrainer _lanes = new();

    public LaneGroupKey GroupKey(TrialConfig config) => LaneTrainer.GroupKey(config);

    public int MaxLanesFor(TrialConfig config) => LaneTrainer.MaxLanesFor(config);

    public IReadOnlyList<TrainingOutcome?> TrainGroup(IReadOnlyList<LaneRequest> lanes, Action<int, TrainingOutcome?>? onLeave = null) =>
        _lanes.TrainGroup(lanes, onLeave);

    public TrainingOutcome Train(TrialConfig config, int seed, CancellationToken cancellationToken = default, BandWatch? bands = null) =>
        _lanes.TrainGroup([new LaneRequest(config, seed, cancellationToken, bands)])[0]
            ?? throw new OperationCanceledException(cancellationToken);
}

/// <summary>A trainer that can also train compatible trials together, as lanes of one computation.</summary>
public interface ILaneTrainer : ITrialTrainer
{
    /// <summary>Trials with equal keys may share a group.</summary>
    LaneGroupKey GroupKey(TrialConfig config);

    /// <summary>The most trials of this shape one group takes.</summary>
    int MaxLanesFor(TrialConfig config);

    /// <inheritdoc cref="LaneTrainer.TrainGroup"/>
    IReadOnlyList<TrainingOutcome?> TrainGroup(IReadOnlyList<LaneRequest> lanes, Action<int, TrainingOutcome?>? onLeave = null);
}
