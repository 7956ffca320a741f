namespace TinyNet.Sweeps.Domain.Trials;

public enum TrialStatus { Completed, Diverged, Failed }

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
/// What training one trial produced. <see cref="Metrics"/>, <see cref="Stress"/> and <see cref="Weights"/>
/// are present for completed trials; a diverged trial keeps the loss history up to the first non-finite loss.
/// </summary>
public sealed record TrainingOutcome(
    TrialStatus Status,
    IReadOnlyList<double> LossHistory,
    TrialMetrics? Metrics = null,
    IReadOnlyList<StressCaseResult>? Stress = null,
    NetworkWeights? Weights = null,
    string? Error = null);

/// <summary>A finished trial as recorded in trials.jsonl.</summary>
public sealed record TrialResult(
    TrialSpec Trial,
    TrainingOutcome Outcome,
    string Silo,
    long DurationMs,
    int Attempts);
