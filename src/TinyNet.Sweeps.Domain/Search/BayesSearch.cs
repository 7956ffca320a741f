using TinyNet.Sweeps.Domain.Sweeps;
using TinyNet.Sweeps.Domain.Trials;

namespace TinyNet.Sweeps.Domain.Search;

/// <summary>
/// <c>method: bayes</c>, deterministic: W&amp;B's Gaussian-process search (<see cref="BayesSuggester"/>), asked in rounds
/// of <see cref="SweepDefinition.RoundSize"/> points. A round is suggested only when every trial of the rounds before it
/// has a result, from those results taken in trial-index order and a generator seeded by <c>sampler_seed</c> and the
/// round's number, so the points depend on the file and the results, never on which trial finished first or how many
/// silos trained them. The first round has no observations, so its points are random (W&amp;B's first point).
/// </summary>
/// <remarks>
/// A point becomes trials as a grid point does: once per explicit configuration, once per seed. Its observation is the
/// mean of the sweep's metric over those trials (a hyperband-stopped trial counts with its metric at the stop; a trial
/// without a finite metric counts as the worst one, W&amp;B's impute "worst"). A point that repeats an earlier trial's
/// configuration adds no trial, and is observed through the earlier trials.
/// </remarks>
public sealed class BayesSearch : ITrialSearch
{
    private readonly SweepDefinition _sweep;
    private readonly UnitCube _cube;
    private readonly Dictionary<string, TrialResult> _results = new();
    private readonly HashSet<string> _seen = new();
    /// <summary>Every point suggested so far, with the ids of the trials that stand for it.</summary>
    private readonly List<(double[] Point, IReadOnlyList<string> TrialIds)> _points = new();
    private int _nextIndex;
    private int _rounds;

    public BayesSearch(SweepDefinition sweep)
    {
        _sweep = sweep;
        _cube = new UnitCube(sweep.Parameters);
        Points = sweep.RunCap ?? throw new ArgumentException("bayes search needs run_cap, the number of points", nameof(sweep));
    }

    /// <summary>Points the search suggests in all (run_cap).</summary>
    public int Points { get; }

    public int Total => Points * _sweep.Configurations.Count * _sweep.Seeds.Count;

    public IReadOnlyList<TrialSpec> Ask()
    {
        if (_points.Count >= Points || _points.SelectMany(p => p.TrialIds).Any(id => !_results.ContainsKey(id)))
            return [];
        int count = Math.Min(_sweep.RoundSize, Points - _points.Count);
        // A generator per round, seeded from the file alone (HashCode would differ from process to process).
        var random = new Random(unchecked(_sweep.SamplerSeed ^ (int)(0x9E3779B9u * (uint)++_rounds)));
        var observed = BayesObjective.Observations([.. _points.Select(p => new MeasuredPoint(p.Point, Observed(p.TrialIds)))], _sweep.Metric.Goal);
        var trials = new List<TrialSpec>();
        foreach (var suggestion in BayesSuggester.Suggest(_cube.Dimensions, observed, [], count, random))
        {
            double[] point = [.. suggestion.Point];
            var values = Trainable(point);
            var asked = SweepPlanner.Expand(_sweep, [values], _nextIndex, _seen);
            _nextIndex += asked.Count;
            trials.AddRange(asked);
            // A repeated configuration adds no trial: it is observed through the trials that already stand for it.
            var ids = _sweep.Configurations.SelectMany(c => _sweep.Seeds.Select(seed =>
                TrialIdentity.TrialId(TrialIdentity.ConfigKey(SweepPlanner.ConfigOf(values, c)), seed))).ToList();
            _points.Add((point, ids));
        }
        return trials;
    }

    public void Tell(TrialResult result) => _results[result.Trial.Id] = result;

    /// <summary>The mean of the sweep's metric over a point's trials, or null when none has a finite one.</summary>
    private double? Observed(IReadOnlyList<string> trialIds)
    {
        var metrics = trialIds.Select(id => _results[id].Outcome.Metrics?.Get(_sweep.Metric.Name)).ToList();
        double worst = BayesObjective.Worst(_results.Values.Select(r => r.Outcome.Metrics?.Get(_sweep.Metric.Name)), _sweep.Metric.Goal);
        var finite = metrics.Select(m => m is { } v && double.IsFinite(v) ? v : worst).ToList();
        return metrics.Any(m => m is { } v && double.IsFinite(v)) ? finite.Average() : null;
    }

    /// <summary>
    /// The values of a point. A normal-family axis reaches past its parameter's bounds with a probability the reader kept
    /// below 1e-6; such a coordinate is moved halfway to the median until its value can train.
    /// </summary>
    private IReadOnlyDictionary<string, ParamValue> Trainable(double[] point)
    {
        for (int i = 0; i < point.Length; i++)
        {
            var axis = _cube.Axes[i];
            if (!ParameterCatalog.TryGet(axis.Name, out var parameter) || parameter.Type == ParamType.Choice) continue;
            for (int moves = 0; moves < 64 && !parameter.Bounds.Contains(UnitCube.FromUnit(axis, point[i]).Number!.Value); moves++)
                point[i] = 0.5 + (point[i] - 0.5) / 2;
        }
        return _cube.FromCube(point);
    }
}
