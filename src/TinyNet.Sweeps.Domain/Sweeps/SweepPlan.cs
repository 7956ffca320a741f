using System.Text.Json.Serialization;
using TinyNet.Sweeps.Domain.Search;
using TinyNet.Sweeps.Domain.Trials;

namespace TinyNet.Sweeps.Domain.Sweeps;

/// <summary>
/// A sweep ready to run: what its file says, checked. Built once from the file by the reader, sent unchanged by
/// <c>run</c> and <c>submit</c>, and turned into a search by the sweep's coordinator. It travels as the definition,
/// not as a list of trials: a million-trial grid is a few lines of it.
/// </summary>
public sealed class SweepPlan(SweepDefinition definition)
{
    private readonly Lazy<IReadOnlyList<TrialSpec>> _listed = new(() => SweepPlanner.Plan(definition));
    /// <summary>
    /// A listed sweep's count, planned and let go when the trials themselves are not kept: a client that submits a
    /// 100,000-trial sweep needs its size, not its trials.
    /// </summary>
    private readonly Lazy<int> _listedCount = new(() => SweepPlanner.Plan(definition).Count);

    public SweepDefinition Definition { get; } = definition;

    [JsonIgnore] public string Name => Definition.Name;

    [JsonIgnore] public MetricSpec Metric => Definition.Metric;

    /// <summary>Whether every trial is known before any runs (grid, random), so <see cref="ListedTrials"/> can be asked.</summary>
    [JsonIgnore] public bool IsListed => Definition.Method is SweepMethod.Grid or SweepMethod.Random;

    /// <summary>Every trial of a grid or random sweep, in order; planned on first use and kept.</summary>
    [JsonIgnore] public IReadOnlyList<TrialSpec> ListedTrials => IsListed
        ? _listed.Value
        : throw new InvalidOperationException($"a {Definition.Method} sweep decides its trials as it goes");

    /// <summary>How many trials the sweep runs (for an adaptive search, at most).</summary>
    [JsonIgnore] public int Total => !IsListed ? CreateSearchFor(this).Total
        : _listed.IsValueCreated ? _listed.Value.Count
        : _listedCount.Value;

    /// <summary>
    /// A grid sweep of explicit configurations, each trained once per seed: what a sweep file with only
    /// <c>configurations</c> and <c>seeds</c> says. For programs that make their trials in code (benchmarks, tests).
    /// </summary>
    public static SweepPlan OfConfigurations(string name, MetricSpec metric, IEnumerable<(TrialConfig Config, string? Label)> configurations, IReadOnlyList<int> seeds)
    {
        var explicitConfigurations = configurations
            .Select(c => new SweepConfiguration(c.Label, ParameterCatalog.ConfigParameters.ToDictionary(p => p.Name, p => p.ValueOf(c.Config))))
            .ToList();
        return new SweepPlan(new SweepDefinition(name, SweepMethod.Grid, metric, RunCap: null, seeds, SourceFile: "", Parameters: [], explicitConfigurations));
    }

    /// <summary>
    /// The most epochs any trial of the sweep trains: the listed trials' longest, or for an adaptive search the largest
    /// value its epochs can take (a constant's, a list's, a range's end).
    /// </summary>
    [JsonIgnore] public int LongestTrialEpochs => IsListed
        ? ListedTrials.Select(t => t.Config.Epochs).DefaultIfEmpty(new TrialConfig().Epochs).Max()
        : Definition.Configurations.Select(c => c.Values.TryGetValue("epochs", out var v) ? (int)v.Number!.Value : MaxEpochsSearched).Max();

    private int MaxEpochsSearched => Definition.Parameters.FirstOrDefault(p => p.Name == "epochs") is { } epochs
        ? (int)(epochs.Values.Count > 0 ? epochs.Values.Max(v => v.Number!.Value) : epochs.Max > 0 ? Math.Min(epochs.Max, ParameterCatalog.EpochsBounds.Max) : ParameterCatalog.EpochsBounds.Max)
        : new TrialConfig().Epochs;

    /// <summary>Hyperband's decisions for this sweep, when it has early termination; null otherwise.</summary>
    public SweepHyperband? CreateHyperband() =>
        Definition.EarlyTerminate is { } spec ? new SweepHyperband(spec, Definition.Metric) : null;

    /// <summary>A fresh search over this sweep, at its start.</summary>
    public ITrialSearch CreateSearch() => CreateSearchFor(this);

    private static ITrialSearch CreateSearchFor(SweepPlan plan) => plan.Definition.Method switch
    {
        SweepMethod.Grid or SweepMethod.Random => new ListSearch(plan.ListedTrials),
        SweepMethod.Bayes => new BayesSearch(plan.Definition),
        var method => throw new NotSupportedException($"method {method} has no search"),
    };
}
