using Orleans.Serialization.Cloning;
using TinyNet.Sweeps.Domain.Ranking;
using TinyNet.Sweeps.Domain.Trials;

namespace TinyNet.Sweeps.Abstractions;

// A trial's result crosses grains several times (its state, the batch to its coordinator, the client's progress) and
// is written to grain storage once: every trial of a sweep pays for it. The domain knows nothing of Orleans, so these
// records went as JSON (text doubles, reflection); these surrogates give them Orleans' binary, version-tolerant codecs.
// The records are immutable, so a call inside a silo passes them as they are instead of copying them.

[GenerateSerializer, Immutable, Alias("TinyNet.Sweeps.TrialConfig")]
internal struct TrialConfigSurrogate
{
    [Id(0)] public Activation Activation;
    [Id(1)] public OptimizerKind Optimizer;
    [Id(2)] public double LearningRate;
    [Id(3)] public double Momentum;
    [Id(4)] public double WeightDecay;
    [Id(5)] public double NoiseLevel;
    [Id(6)] public double CleanRatio;
    [Id(7)] public int Epochs;
    [Id(8)] public int BatchSize;
    [Id(9)] public int HiddenUnits;
    [Id(10)] public LossKind Loss;
}

[RegisterConverter]
internal sealed class TrialConfigConverter : IConverter<TrialConfig, TrialConfigSurrogate>
{
    public TrialConfig ConvertFromSurrogate(in TrialConfigSurrogate s) => new()
    {
        Activation = s.Activation, Optimizer = s.Optimizer, LearningRate = s.LearningRate, Momentum = s.Momentum,
        WeightDecay = s.WeightDecay, NoiseLevel = s.NoiseLevel, CleanRatio = s.CleanRatio, Epochs = s.Epochs,
        BatchSize = s.BatchSize, HiddenUnits = s.HiddenUnits, Loss = s.Loss,
    };

    public TrialConfigSurrogate ConvertToSurrogate(in TrialConfig c) => new()
    {
        Activation = c.Activation, Optimizer = c.Optimizer, LearningRate = c.LearningRate, Momentum = c.Momentum,
        WeightDecay = c.WeightDecay, NoiseLevel = c.NoiseLevel, CleanRatio = c.CleanRatio, Epochs = c.Epochs,
        BatchSize = c.BatchSize, HiddenUnits = c.HiddenUnits, Loss = c.Loss,
    };
}

[GenerateSerializer, Immutable, Alias("TinyNet.Sweeps.TrialSpec")]
internal struct TrialSpecSurrogate
{
    [Id(0)] public string Id;
    [Id(1)] public string ConfigKey;
    [Id(2)] public int Index;
    [Id(3)] public TrialConfig Config;
    [Id(4)] public int Seed;
    [Id(5)] public string? Label;
}

[RegisterConverter]
internal sealed class TrialSpecConverter : IConverter<TrialSpec, TrialSpecSurrogate>
{
    public TrialSpec ConvertFromSurrogate(in TrialSpecSurrogate s) => new(s.Id, s.ConfigKey, s.Index, s.Config, s.Seed, s.Label);

    public TrialSpecSurrogate ConvertToSurrogate(in TrialSpec t) =>
        new() { Id = t.Id, ConfigKey = t.ConfigKey, Index = t.Index, Config = t.Config, Seed = t.Seed, Label = t.Label };
}

[GenerateSerializer, Immutable, Alias("TinyNet.Sweeps.TrialMetrics")]
internal struct TrialMetricsSurrogate
{
    [Id(0)] public double FinalLoss;
    [Id(1)] public double EvalLoss;
    [Id(2)] public double EvalAccuracy;
    [Id(3)] public double Brier;
    [Id(4)] public double CalibrationError;
    [Id(5)] public double ClearConfidence;
    [Id(6)] public double AmbiguousConfidence;
}

[RegisterConverter]
internal sealed class TrialMetricsConverter : IConverter<TrialMetrics, TrialMetricsSurrogate>
{
    public TrialMetrics ConvertFromSurrogate(in TrialMetricsSurrogate s) =>
        new(s.FinalLoss, s.EvalLoss, s.EvalAccuracy, s.Brier, s.CalibrationError, s.ClearConfidence, s.AmbiguousConfidence);

    public TrialMetricsSurrogate ConvertToSurrogate(in TrialMetrics m) => new()
    {
        FinalLoss = m.FinalLoss, EvalLoss = m.EvalLoss, EvalAccuracy = m.EvalAccuracy, Brier = m.Brier,
        CalibrationError = m.CalibrationError, ClearConfidence = m.ClearConfidence, AmbiguousConfidence = m.AmbiguousConfidence,
    };
}

[GenerateSerializer, Immutable, Alias("TinyNet.Sweeps.StressCaseResult")]
internal struct StressCaseResultSurrogate
{
    [Id(0)] public string Case;
    [Id(1)] public string Expected;
    [Id(2)] public double H;
    [Id(3)] public double V;
}

[RegisterConverter]
internal sealed class StressCaseResultConverter : IConverter<StressCaseResult, StressCaseResultSurrogate>
{
    public StressCaseResult ConvertFromSurrogate(in StressCaseResultSurrogate s) => new(s.Case, s.Expected, s.H, s.V);

    public StressCaseResultSurrogate ConvertToSurrogate(in StressCaseResult r) => new() { Case = r.Case, Expected = r.Expected, H = r.H, V = r.V };
}

/// <summary>Weights as plain arrays of rows (arrays have Orleans' compact codec).</summary>
[GenerateSerializer, Immutable, Alias("TinyNet.Sweeps.NetworkWeights")]
internal struct NetworkWeightsSurrogate
{
    [Id(0)] public double[][] HiddenWeight;
    [Id(1)] public double[] HiddenBias;
    [Id(2)] public double[][] OutputWeight;
    [Id(3)] public double[] OutputBias;
}

[RegisterConverter]
internal sealed class NetworkWeightsConverter : IConverter<NetworkWeights, NetworkWeightsSurrogate>
{
    public NetworkWeights ConvertFromSurrogate(in NetworkWeightsSurrogate s) => new(s.HiddenWeight, s.HiddenBias, s.OutputWeight, s.OutputBias);

    public NetworkWeightsSurrogate ConvertToSurrogate(in NetworkWeights w) => new()
    {
        HiddenWeight = ListCodec.Rows(w.HiddenWeight), HiddenBias = ListCodec.Array(w.HiddenBias),
        OutputWeight = ListCodec.Rows(w.OutputWeight), OutputBias = ListCodec.Array(w.OutputBias),
    };
}

[GenerateSerializer, Immutable, Alias("TinyNet.Sweeps.BandSnapshot")]
internal struct BandSnapshotSurrogate
{
    [Id(0)] public int Epoch;
    [Id(1)] public TrialMetrics Metrics;
    [Id(2)] public StressCaseResult[] Stress;
    [Id(3)] public NetworkWeights Weights;
}

[RegisterConverter]
internal sealed class BandSnapshotConverter : IConverter<BandSnapshot, BandSnapshotSurrogate>
{
    public BandSnapshot ConvertFromSurrogate(in BandSnapshotSurrogate s) => new(s.Epoch, s.Metrics, s.Stress, s.Weights);

    public BandSnapshotSurrogate ConvertToSurrogate(in BandSnapshot b) =>
        new() { Epoch = b.Epoch, Metrics = b.Metrics, Stress = ListCodec.Array(b.Stress), Weights = b.Weights };
}

[GenerateSerializer, Immutable, Alias("TinyNet.Sweeps.TrainingOutcome")]
internal struct TrainingOutcomeSurrogate
{
    [Id(0)] public TrialStatus Status;
    [Id(1)] public double[] LossHistory;
    [Id(2)] public TrialMetrics? Metrics;
    [Id(3)] public StressCaseResult[]? Stress;
    [Id(4)] public NetworkWeights? Weights;
    [Id(5)] public string? Error;
    [Id(6)] public BandSnapshot[]? Bands;
}

[RegisterConverter]
internal sealed class TrainingOutcomeConverter : IConverter<TrainingOutcome, TrainingOutcomeSurrogate>
{
    public TrainingOutcome ConvertFromSurrogate(in TrainingOutcomeSurrogate s) =>
        new(s.Status, s.LossHistory, s.Metrics, s.Stress, s.Weights, s.Error, s.Bands);

    public TrainingOutcomeSurrogate ConvertToSurrogate(in TrainingOutcome o) => new()
    {
        Status = o.Status, LossHistory = ListCodec.Array(o.LossHistory), Metrics = o.Metrics,
        Stress = o.Stress is null ? null : ListCodec.Array(o.Stress), Weights = o.Weights, Error = o.Error,
        Bands = o.Bands is null ? null : ListCodec.Array(o.Bands),
    };
}

[GenerateSerializer, Immutable, Alias("TinyNet.Sweeps.TrialResult")]
internal struct TrialResultSurrogate
{
    [Id(0)] public TrialSpec Trial;
    [Id(1)] public TrainingOutcome Outcome;
    [Id(2)] public string Silo;
    [Id(3)] public long DurationMs;
    [Id(4)] public int Attempts;
    [Id(5)] public long TrainingMs;
    [Id(6)] public long QueueMs;
}

[RegisterConverter]
internal sealed class TrialResultConverter : IConverter<TrialResult, TrialResultSurrogate>
{
    public TrialResult ConvertFromSurrogate(in TrialResultSurrogate s) =>
        new(s.Trial, s.Outcome, s.Silo, s.DurationMs, s.Attempts, s.TrainingMs, s.QueueMs);

    public TrialResultSurrogate ConvertToSurrogate(in TrialResult r) => new()
    {
        Trial = r.Trial, Outcome = r.Outcome, Silo = r.Silo, DurationMs = r.DurationMs, Attempts = r.Attempts,
        TrainingMs = r.TrainingMs, QueueMs = r.QueueMs,
    };
}

[GenerateSerializer, Immutable, Alias("TinyNet.Sweeps.MetricSummary")]
internal struct MetricSummarySurrogate
{
    [Id(0)] public double Mean;
    [Id(1)] public double StdDev;
    [Id(2)] public int N;
}

[RegisterConverter]
internal sealed class MetricSummaryConverter : IConverter<MetricSummary, MetricSummarySurrogate>
{
    public MetricSummary ConvertFromSurrogate(in MetricSummarySurrogate s) => new(s.Mean, s.StdDev, s.N);

    public MetricSummarySurrogate ConvertToSurrogate(in MetricSummary m) => new() { Mean = m.Mean, StdDev = m.StdDev, N = m.N };
}

/// <summary>A ranking's row: a client reads thousands of them at the end of a large sweep.</summary>
[GenerateSerializer, Immutable, Alias("TinyNet.Sweeps.RankedConfiguration")]
internal struct RankedConfigurationSurrogate
{
    [Id(0)] public int Rank;
    [Id(1)] public string ConfigKey;
    [Id(2)] public string? Label;
    [Id(3)] public TrialConfig Config;
    [Id(4)] public int[] Seeds;
    [Id(5)] public int Completed;
    [Id(6)] public int Diverged;
    [Id(7)] public int Failed;
    [Id(8)] public Dictionary<string, MetricSummary> Metrics;
    [Id(9)] public int Stopped;
}

[RegisterConverter]
internal sealed class RankedConfigurationConverter : IConverter<RankedConfiguration, RankedConfigurationSurrogate>
{
    public RankedConfiguration ConvertFromSurrogate(in RankedConfigurationSurrogate s) =>
        new(s.Rank, s.ConfigKey, s.Label, s.Config, s.Seeds, s.Completed, s.Diverged, s.Failed, s.Metrics, s.Stopped);

    public RankedConfigurationSurrogate ConvertToSurrogate(in RankedConfiguration r) => new()
    {
        Rank = r.Rank, ConfigKey = r.ConfigKey, Label = r.Label, Config = r.Config, Seeds = ListCodec.Array(r.Seeds),
        Completed = r.Completed, Diverged = r.Diverged, Failed = r.Failed,
        Metrics = r.Metrics as Dictionary<string, MetricSummary> ?? new Dictionary<string, MetricSummary>(r.Metrics), Stopped = r.Stopped,
    };
}

// Immutable records: passed as they are between grains of one process.
[RegisterCopier] internal sealed class TrialConfigCopier : ShallowCopier<TrialConfig>;
[RegisterCopier] internal sealed class TrialSpecCopier : ShallowCopier<TrialSpec>;
[RegisterCopier] internal sealed class TrialMetricsCopier : ShallowCopier<TrialMetrics>;
[RegisterCopier] internal sealed class StressCaseResultCopier : ShallowCopier<StressCaseResult>;
[RegisterCopier] internal sealed class NetworkWeightsCopier : ShallowCopier<NetworkWeights>;
[RegisterCopier] internal sealed class BandSnapshotCopier : ShallowCopier<BandSnapshot>;
[RegisterCopier] internal sealed class TrainingOutcomeCopier : ShallowCopier<TrainingOutcome>;
[RegisterCopier] internal sealed class MetricSummaryCopier : ShallowCopier<MetricSummary>;
[RegisterCopier] internal sealed class RankedConfigurationCopier : ShallowCopier<RankedConfiguration>;
[RegisterCopier] internal sealed class TrialResultCopier : ShallowCopier<TrialResult>;
// The whole ranking, which a client in the silo's process would otherwise get as a JSON round trip of every row.
[RegisterCopier] internal sealed class SweepRankingCopier : ShallowCopier<SweepRanking>;

/// <summary>The domain's read-only lists as the arrays the surrogates hold, without a copy when they already are arrays.</summary>
internal static class ListCodec
{
    public static T[] Array<T>(IReadOnlyList<T> list) => list as T[] ?? [.. list];

    public static double[][] Rows(IReadOnlyList<IReadOnlyList<double>> rows)
    {
        var result = new double[rows.Count][];
        for (int i = 0; i < result.Length; i++) result[i] = Array(rows[i]);
        return result;
    }
}

/// <summary>The domain types that have the codecs above, kept out of the JSON fallback.</summary>
public static class TrialResultCodecs
{
    public static readonly IReadOnlySet<Type> Types = new HashSet<Type>
    {
        typeof(TrialConfig), typeof(TrialSpec), typeof(TrialMetrics), typeof(StressCaseResult), typeof(NetworkWeights),
        typeof(BandSnapshot), typeof(TrainingOutcome), typeof(TrialResult), typeof(MetricSummary), typeof(RankedConfiguration),
    };
}
