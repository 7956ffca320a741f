using TinyNet.Sweeps.Domain.Trials;

namespace TinyNet.Sweeps.Domain.Export;

/// <summary>
/// One line of trials.jsonl. Its field names are a public interface that users' scripts read:
/// extend, never rename.
/// </summary>
public sealed record TrialRecord(
    string Id,
    string ConfigKey,
    string? Label,
    TrialConfig Config,
    int Seed,
    TrialStatus Status,
    IReadOnlyDictionary<string, double>? Metrics,
    IReadOnlyList<StressCaseResult>? Stress,
    IReadOnlyList<double> LossHistory,
    NetworkWeights? Weights,
    string Silo,
    long DurationMs,
    int Attempts,
    string? Error,
    int Index,
    string? Engine = null,
    IReadOnlyList<BandSnapshot>? Bands = null,
    long TrainingMs = 0,
    long QueueMs = 0)
{
    /// <param name="label">The configuration's label; by default the trial's own.</param>
    public static TrialRecord From(TrialResult result, string? label = null) => new(
        result.Trial.Id,
        result.Trial.ConfigKey,
        label ?? result.Trial.Label,
        result.Trial.Config,
        result.Trial.Seed,
        result.Outcome.Status,
        result.Outcome.Metrics is { } m ? MetricNames.All.ToDictionary(n => n, n => m.Get(n)) : null,
        result.Outcome.Stress,
        result.Outcome.LossHistory,
        result.Outcome.Weights,
        result.Silo,
        result.DurationMs,
        result.Attempts,
        result.Outcome.Error,
        result.Trial.Index,
        TrainingEngine.Current,
        result.Outcome.Bands,
        result.TrainingMs,
        result.QueueMs);

    /// <summary>The engine that trained this record; lines written before records named it came from the first one.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public string EngineOrFirst => Engine ?? TrainingEngine.First;

    /// <summary>Back to a result; a line missing what a result needs (hand-edited, corrupted) is refused.</summary>
    /// <exception cref="System.Text.Json.JsonException">A required field is missing.</exception>
    public TrialResult ToResult()
    {
        // System.Text.Json fills missing constructor arguments with defaults; such a line must not count as a trial.
        if (Id is null || ConfigKey is null || Config is null || LossHistory is null || Silo is null)
            throw new System.Text.Json.JsonException("a trial needs id, config_key, config, loss_history and silo");
        if (Status is TrialStatus.Completed or TrialStatus.Stopped && (Metrics is null || !MetricNames.All.All(Metrics.ContainsKey)))
            throw new System.Text.Json.JsonException($"a {Status.ToString().ToLowerInvariant()} trial needs every metric");
        TrialMetrics? metrics = Metrics is null ? null : new TrialMetrics(
            Metrics[MetricNames.FinalLoss], Metrics[MetricNames.EvalLoss], Metrics[MetricNames.EvalAccuracy],
            Metrics[MetricNames.Brier], Metrics[MetricNames.CalibrationError], Metrics[MetricNames.ClearConfidence],
            Metrics[MetricNames.AmbiguousConfidence]);
        var outcome = new TrainingOutcome(Status, LossHistory, metrics, Stress, Weights, Error, Bands);
        return new TrialResult(new TrialSpec(Id, ConfigKey, Index, Config, Seed, Label), outcome, Silo, DurationMs, Attempts, TrainingMs, QueueMs);
    }
}
