using System.Globalization;
using TinyNet.Sweeps.Domain.Evaluation;
using TinyNet.Sweeps.Domain.Trials;

namespace TinyNet.Sweeps.Domain.Export;

/// <summary>
/// Which results already in a results folder may stand for trials of the sweep being run. An id is only a hash, and
/// trials.jsonl is a text file anyone can edit: a record is reused only when it is what training its trial produces
/// (its id is the hash of its configuration and seed, its engine is this one, and its metrics are ones training can
/// produce). Anything else is trained again, with a warning that names the line. Failed trials are always tried
/// again. The sweep's search then reuses a record only for a trial it asks for with the same configuration and seed.
/// </summary>
public static class ResumeCheck
{
    public sealed record Selection(IReadOnlyList<TrialResult> Reusable, IReadOnlyList<string> Warnings);

    /// <param name="planned">The sweep's trials when they are known up front (grid, random): a record whose id one of them
    /// has is compared with it, so the warning can say which parameters were changed.</param>
    public static Selection Select(TrialLogContents contents, IReadOnlyList<TrialSpec>? planned = null)
    {
        var plan = planned?.ToDictionary(t => t.Id) ?? [];
        var reusable = new List<TrialResult>();
        var warnings = new List<string>(contents.Problems);
        foreach (var entry in contents.Entries)
        {
            var trial = entry.Result.Trial;
            if (entry.Result.Outcome.Status == TrialStatus.Failed) continue;
            if (Mismatch(entry, plan.GetValueOrDefault(trial.Id)) is { } why)
                warnings.Add($"{entry.Position}: trial {trial.Id} {why}; it will be trained again");
            else
                reusable.Add(entry.Result);
        }
        return new Selection(reusable, warnings);
    }

    private static string? Mismatch(TrialLogEntry entry, TrialSpec? planned)
    {
        var recorded = entry.Result.Trial;
        if (planned is not null && recorded.Seed != planned.Seed)
            return $"has seed {recorded.Seed} where the sweep plans {planned.Seed}";
        if (planned is not null && recorded.Config != planned.Config)
            return $"has another configuration than the sweep plans ({Differences(recorded.Config, planned.Config)})";
        string key = TrialIdentity.ConfigKey(recorded.Config);
        if (recorded.ConfigKey != key)
            return $"has config_key {recorded.ConfigKey}, which is not its configuration's ({key})";
        if (recorded.Id != TrialIdentity.TrialId(key, recorded.Seed))
            return $"has an id that is not its configuration and seed {recorded.Seed} ({TrialIdentity.TrialId(key, recorded.Seed)})";
        if (entry.Engine != TrainingEngine.Current)
            return $"was trained by engine {entry.Engine}, and this is {TrainingEngine.Current}";
        return entry.Result.Outcome.Status is TrialStatus.Completed or TrialStatus.Stopped ? ImplausibleOutcome(entry.Result.Outcome, recorded.Config) : null;
    }

    private static string Differences(TrialConfig recorded, TrialConfig planned)
    {
        var file = RankingExporter.Parameters(recorded);
        var plan = RankingExporter.Parameters(planned);
        return string.Join(", ", plan.Where(p => file[p.Key] != p.Value).Select(p => $"{p.Key} {file[p.Key]} in the file, {p.Value} planned"));
    }

    /// <summary>Why a completed outcome cannot have come from training this configuration, or null.</summary>
    private static string? ImplausibleOutcome(TrainingOutcome outcome, TrialConfig config)
    {
        if (outcome.Metrics is not { } metrics) return "is completed but has no metrics";
        foreach (string name in MetricNames.All)
        {
            double value = metrics.Get(name);
            var (min, max) = MetricNames.Range(name);
            if (!(value >= min && value <= max))
                return $"has {name} {value.ToString("R", CultureInfo.InvariantCulture)}, which training cannot produce (it lies in [{min.ToString(CultureInfo.InvariantCulture)}, {(max == double.MaxValue ? "∞" : max.ToString(CultureInfo.InvariantCulture))}])";
        }
        // A stopped trial trained up to the band it was stopped at, which is one of its snapshots.
        int epochs = outcome.Status == TrialStatus.Stopped && outcome.Bands is { Count: > 0 } bands ? bands[^1].Epoch : config.Epochs;
        if (outcome.LossHistory.Count != epochs || !outcome.LossHistory.All(double.IsFinite))
            return $"has {outcome.LossHistory.Count} finite losses in loss_history for {epochs} epochs";
        if (outcome.LossHistory[^1] != metrics.FinalLoss)
            return "has a final_loss that is not the last of its loss_history";
        if (outcome.Stress is not { } stress || stress.Count != StressCases.All.Count || !stress.All(s => s.H is >= 0 and <= 1 && s.V is >= 0 and <= 1))
            return "has no complete stress results with outputs in [0, 1]";
        if (outcome.Weights is not { } weights || weights.HiddenBias.Count != config.HiddenUnits || weights.OutputBias.Count != 2)
            return $"has no final weights for {config.HiddenUnits} hidden units";
        return null;
    }
}
