namespace TinyNet.Sweeps.Domain.Trials;

/// <summary>How a trial ended. <see cref="Stopped"/>: hyperband stopped it at a band; it keeps what it had there.</summary>
public enum TrialStatus { Completed, Diverged, Failed, Stopped }

/// <summary>Scalar metrics of one trained trial; names map to snake_case in every export.</summary>
public sealed record TrialMetrics(
    double FinalLoss,
    double EvalLoss,
    double EvalAccuracy,
    double Brier,
    double CalibrationError,
    double ClearConfidence,
    double AmbiguousConfidence);

/// <summary>The model's two outputs on one of the notebook's stress cases.</summary>
public sealed record StressCaseResult(string Case, string Expected, double H, double V);

/// <summary>Final parameters of TinyNet, row-major as PyTorch stores them ([out, in]).</summary>
public sealed record NetworkWeights(
    IReadOnlyList<IReadOnlyList<double>> HiddenWeight,
    IReadOnlyList<double> HiddenBias,
    IReadOnlyList<IReadOnlyList<double>> OutputWeight,
    IReadOnlyList<double> OutputBias);

/// <summary>
/// What a trial had at one of hyperband's bands (after <see cref="Epoch"/> epochs): every metric, the stress outputs and
/// the weights, so that a stop decided at that band gives exactly the result stopping there would have given.
/// </summary>
public sealed record BandSnapshot(int Epoch, TrialMetrics Metrics, IReadOnlyList<StressCaseResult> Stress, NetworkWeights Weights);

/// <summary>
/// What training one trial produced. <see cref="Metrics"/>, <see cref="Stress"/> and <see cref="Weights"/>
/// are present for completed and stopped trials; a diverged trial keeps the loss history up to the first non-finite
/// loss. <see cref="Bands"/> holds a snapshot at each hyperband band the trial reached (none without early termination).
/// </summary>
public sealed record TrainingOutcome(
    TrialStatus Status,
    IReadOnlyList<double> LossHistory,
    TrialMetrics? Metrics = null,
    IReadOnlyList<StressCaseResult>? Stress = null,
    NetworkWeights? Weights = null,
    string? Error = null,
    IReadOnlyList<BandSnapshot>? Bands = null)
{
    /// <summary>The outcome of stopping at the band of <paramref name="epoch"/>: everything as it was there.</summary>
    public TrainingOutcome StoppedAt(int epoch)
    {
        var band = Bands?.FirstOrDefault(b => b.Epoch == epoch)
            ?? throw new InvalidOperationException($"the trial has no snapshot at epoch {epoch}");
        return new TrainingOutcome(TrialStatus.Stopped, [.. LossHistory.Take(epoch)], band.Metrics, band.Stress, band.Weights,
            Bands: [.. Bands!.Where(b => b.Epoch <= epoch)]);
    }
}

/// <summary>A finished trial as recorded in trials.jsonl.</summary>
/// <param name="DurationMs">Wall time from the trial's start on its silo to its result, every attempt and wait included.</param>
/// <param name="TrainingMs">Time the attempt that gave the result spent training on a worker.</param>
/// <param name="QueueMs">Time that attempt waited for a free worker, queued behind other trials.</param>
public sealed record TrialResult(
    TrialSpec Trial,
    TrainingOutcome Outcome,
    string Silo,
    long DurationMs,
    int Attempts,
    long TrainingMs = 0,
    long QueueMs = 0)
{
    /// <summary>
    /// This result without its detail (loss history, stress outputs, weights, band snapshots): its status, metrics and
    /// timings, which is what ranking needs, in a few hundred bytes whatever the epochs.
    /// </summary>
    public TrialResult Summary() => Outcome is { LossHistory.Count: 0, Stress: null, Weights: null, Bands: null }
        ? this
        : this with { Outcome = Outcome with { LossHistory = [], Stress = null, Weights = null, Bands = null } };
}
