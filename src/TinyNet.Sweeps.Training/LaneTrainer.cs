using TinyNet.Sweeps.Domain.Trials;

namespace TinyNet.Sweeps.Training;

/// <summary>One trial to train as a lane of a group: its configuration, seed, stop token and hyperband part.</summary>
public sealed record LaneRequest(TrialConfig Config, int Seed, CancellationToken CancellationToken = default, BandWatch? Bands = null);

/// <summary>
/// What trials must share to train as lanes of one computation: the shape of the network and batch, and which terms
/// the loss and optimiser compute. Everything else (learning rate, momentum, weight decay, noise, clean ratio, epochs,
/// seed) may differ lane by lane.
/// </summary>
public readonly record struct LaneGroupKey(
    Activation Activation, LossKind Loss, OptimizerKind Optimizer, int HiddenUnits, int BatchCount, bool UsesMomentum, bool UsesWeightDecay);

/// <summary>
/// The training engine: trains a group of compatible trials as lanes of one TorchSharp computation, so the per-op cost
/// that dominates a network this small is paid once for the group. A trial's result depends only on its configuration
/// and seed: bit-identical whatever the group's size, its neighbours or its lane (see <see cref="LaneOps"/> for how).
/// A trial alone is a group of one. Thread-safe; one group per thread.
/// </summary>
public sealed class LaneTrainer
{
    /// <summary>The most lanes in one group.</summary>
    public const int MaxLanes = 1024;

    /// <summary>Working memory a group may use for its largest intermediate tensors, in floats (128 MiB).</summary>
    const long GroupFloatBudget = 32L << 20;

    public static LaneGroupKey GroupKey(TrialConfig config) => new(
        config.Activation, config.Loss, config.Optimizer, config.HiddenUnits,
        BatchGenerator.MixedCount(config.BatchSize, config.CleanRatio),
        UsesMomentum: config.Optimizer == OptimizerKind.Sgd && config.Momentum != 0,
        UsesWeightDecay: config.WeightDecay != 0);

    /// <summary>
    /// How many trials of this shape a group takes: <see cref="MaxLanes"/>, fewer when each lane's intermediate tensors
    /// (batch × hidden × 4 floats for the largest) would make a group outgrow its memory budget; at least one.
    /// </summary>
    public static int MaxLanesFor(TrialConfig config)
    {
        long perLane = (long)BatchGenerator.MixedCount(config.BatchSize, config.CleanRatio) * config.HiddenUnits * 4;
        return (int)Math.Clamp(GroupFloatBudget / Math.Max(1, perLane), 1, MaxLanes);
    }

    /// <summary>Throws for a configuration no trainer can train (the sweep reader refuses these long before).</summary>
    public static void Validate(TrialConfig config)
    {
        if (config.Epochs < 1) throw new ArgumentException("Epochs must be at least 1.", nameof(config));
        if (config.HiddenUnits < 1) throw new ArgumentException("HiddenUnits must be at least 1.", nameof(config));
        if (config.CleanRatio is < 0 or > 1) throw new ArgumentException("CleanRatio must be in [0, 1].", nameof(config));
        if (BatchGenerator.MixedCount(config.BatchSize, config.CleanRatio) < 1)
            throw new ArgumentException("BatchSize yields no examples (each part needs at least one H/V pair).", nameof(config));
    }

    /// <summary>
    /// Trains the lanes together until each has finished, diverged, been stopped by hyperband or cancelled (its own
    /// token: it leaves the group at its next epoch). Per lane, in order: its outcome, or null when it was cancelled.
    /// </summary>
    /// <param name="onLeave">Called on the training thread as each lane leaves (its index, its outcome or null), so a
    /// short trial is reported while the rest of its group trains on.</param>
    public IReadOnlyList<TrainingOutcome?> TrainGroup(IReadOnlyList<LaneRequest> lanes, Action<int, TrainingOutcome?>? onLeave = null)
    {
        if (lanes.Count == 0) return [];
        if (lanes.Count > MaxLanes) throw new ArgumentException($"A group has at most {MaxLanes} lanes.", nameof(lanes));
        var key = GroupKey(lanes[0].Config);
        foreach (var lane in lanes)
        {
            Validate(lane.Config);
            if (GroupKey(lane.Config) != key)
                throw new ArgumentException($"Every lane of a group must have the key {key}; one has {GroupKey(lane.Config)}.", nameof(lanes));
        }
        TorchRuntime.EnsureInitialized();
        using var group = new LaneGroup(key, lanes, onLeave);
        return group.Run();
    }
}
