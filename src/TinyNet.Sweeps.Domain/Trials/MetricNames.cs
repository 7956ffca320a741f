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
