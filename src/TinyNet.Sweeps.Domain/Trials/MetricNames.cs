namespace TinyNet.Sweeps.Domain.Trials;

/// <summary>The public names of a trial's metrics, as they appear in sweep files and every export.</summary>
public static class MetricNames
{
    public const string FinalLoss = "final_loss";
    public const string EvalLoss = "eval_loss";
    public const string EvalAccuracy = "eval_accuracy";
    public const string Brier = "brier";
    public const string CalibrationError = "calibration_error";
    public const string ClearConfidence = "clear_confidence";
    public const string AmbiguousConfidence = "ambiguous_confidence";

    /// <summary>Every metric, in the order exports list them.</summary>
    public static IReadOnlyList<string> All { get; } =
        [FinalLoss, EvalLoss, EvalAccuracy, Brier, CalibrationError, ClearConfidence, AmbiguousConfidence];

    /// <summary>What a metric measures, in one sentence: the sweep file schema shows it in editors.</summary>
    public static string Meaning(string name) => name switch
    {
        FinalLoss => "Training loss of the last epoch (lower is better).",
        EvalLoss => "The trial's loss on a fixed held-out set of 2,000 noisy examples shared by all trials (lower is better).",
        EvalAccuracy => "Fraction of the held-out set where the larger output is the right class (higher is better).",
        Brier => "Multi-class Brier score on the held-out set (lower is better).",
        CalibrationError => "Mean |output - target| over the 7 stress cases: 1/0 on clear lines, 0.5/0.5 on diagonals and the gray block (lower is better; the default).",
        ClearConfidence => "Mean output of the correct class over the 4 clear cases (higher is better).",
        AmbiguousConfidence => "Mean of max(H, V) over the 3 ambiguous cases (0.5 is ideal).",
        _ => throw new ArgumentException($"Unknown metric '{name}'. Known: {string.Join(", ", All)}.", nameof(name)),
    };

    /// <summary>Which way a metric is better, so a goal that looks backwards can be pointed out.</summary>
    public static MetricDirection Direction(string name) => name switch
    {
        EvalAccuracy or ClearConfidence => MetricDirection.HigherIsBetter,
        AmbiguousConfidence => MetricDirection.NeitherWay, // 0.5 is ideal: a sweep may push it either way
        _ => MetricDirection.LowerIsBetter,
    };

    /// <summary>The values training can produce for a metric; a recorded value outside them did not come from training.</summary>
    public static (double Min, double Max) Range(string name) => name switch
    {
        FinalLoss or EvalLoss => (0, double.MaxValue),
        Brier => (0, 2),
        _ => (0, 1),
    };

    public static double Get(this TrialMetrics metrics, string name) => name switch
    {
        FinalLoss => metrics.FinalLoss,
        EvalLoss => metrics.EvalLoss,
        EvalAccuracy => metrics.EvalAccuracy,
        Brier => metrics.Brier,
        CalibrationError => metrics.CalibrationError,
        ClearConfidence => metrics.ClearConfidence,
        AmbiguousConfidence => metrics.AmbiguousConfidence,
        _ => throw new ArgumentException($"Unknown metric '{name}'. Known: {string.Join(", ", All)}.", nameof(name)),
    };
}

public enum MetricDirection { LowerIsBetter, HigherIsBetter, NeitherWay }
