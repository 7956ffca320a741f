using TinyNet.Sweeps.Domain.Trials;

namespace TinyNet.Sweeps.Domain.Sweeps;

/// <summary>
/// Expands a sweep into trials: for each explicit configuration, for each search point (grid order or
/// random draw order), the point's values overridden by the configuration's, then once per seed.
/// </summary>
public static class SweepPlanner
{
    public static IReadOnlyList<TrialSpec> Plan(SweepDefinition sweep) => [.. PlanLabeled(sweep).Select(t => t.Trial)];

    /// <summary>Like <see cref="Plan"/>, with the label of the explicit configuration each trial came from.</summary>
    /// <remarks>A trial equal to an earlier one (same configuration and seed, hence same id) is skipped.</remarks>
    public static IReadOnlyList<PlannedTrial> PlanLabeled(SweepDefinition sweep)
    {
        var points = SearchPoints(sweep);
        var trials = new List<PlannedTrial>();
        var seen = new HashSet<string>();
        foreach (var configuration in sweep.Configurations)
        {
            foreach (var point in points)
            {
                var config = new TrialConfig();
                foreach (var (name, value) in point)
                    config = ParameterCatalog.Apply(config, name, value);
                foreach (var (name, value) in configuration.Values)
                    config = ParameterCatalog.Apply(config, name, value);
                foreach (int seed in sweep.Seeds)
                {
                    var trial = TrialIdentity.Create(config, seed, trials.Count);
                    if (seen.Add(trial.Id))
                        trials.Add(new PlannedTrial(trial, configuration.Label));
                }
            }
        }
        return trials;
    }

    /// <summary>The search points over <c>parameters</c> before configurations and seeds apply.</summary>
    public static IReadOnlyList<IReadOnlyDictionary<string, ParamValue>> SearchPoints(SweepDefinition sweep)
    {
        if (sweep.Method == SweepMethod.Random)
        {
            int count = sweep.RunCap ?? throw new ArgumentException("random search needs a run cap", nameof(sweep));
            return RandomSearch.Points(sweep.Parameters, count, sweep.SamplerSeed);
        }
        return GridSearch.Points(sweep.Parameters, sweep.RunCap ?? int.MaxValue);
    }
}
