using TinyNet.Sweeps.Domain.Trials;

namespace TinyNet.Sweeps.Domain.Tests.Ranking;

/// <summary>Hand-built trial results for ranking and export tests.</summary>
internal static class RankingTestData
{
    public static TrialConfig Config(
        Activation activation = Activation.Relu, OptimizerKind optimizer = OptimizerKind.Sgd, double learningRate = 0.1) =>
        new() { Activation = activation, Optimizer = optimizer, LearningRate = learningRate };

    public static TrialMetrics Metrics(double calibrationError, double evalLoss = 0.5, double evalAccuracy = 0.8) =>
        new(FinalLoss: evalLoss / 2, EvalLoss: evalLoss, EvalAccuracy: evalAccuracy, Brier: 0.1,
            CalibrationError: calibrationError, ClearConfidence: 0.9, AmbiguousConfidence: 0.6);

    public static TrialResult Completed(string configKey, int seed, TrialMetrics metrics, TrialConfig? config = null) =>
        Result(configKey, seed, new TrainingOutcome(TrialStatus.Completed, [1.0, 0.5], metrics), config);

    public static TrialResult Diverged(string configKey, int seed, TrialConfig? config = null) =>
        Result(configKey, seed, new TrainingOutcome(TrialStatus.Diverged, [1.0, double.NaN]), config);

    public static TrialResult Failed(string configKey, int seed, TrialConfig? config = null) =>
        Result(configKey, seed, new TrainingOutcome(TrialStatus.Failed, [], Error: "boom"), config);

    public static TrialResult Result(string configKey, int seed, TrainingOutcome outcome, TrialConfig? config = null) =>
        new(new TrialSpec(TrialIdentity.TrialId(configKey, seed), configKey, seed, config ?? Config(), seed),
            outcome, "silo-1", 10, 1);
}
