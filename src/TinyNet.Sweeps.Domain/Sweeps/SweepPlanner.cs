using TinyNet.Sweeps.Domain.Trials;

namespace TinyNet.Sweeps.Domain.Sweeps;

/// <summary>
/// Expands a sweep into trials: for each explicit configuration, for each search point (grid order or
/// random draw order), the point's values overridden by the configuration's, then once per seed.
/// </summary>
public static class SweepPlanner
{
    /// <summary>Every trial of a grid or random sweep, in order.</summary>
    /// <remarks>A trial equal to an earlier one (same configuration and seed, hence same id) is planned once.</remarks>
    public static IReadOnlyList<TrialSpec> Plan(SweepDefinition sweep) => Expand(sweep, SearchPoints(sweep), firstIndex: 0, new HashSet<string>());

    /// <summary>
    /// The trials of some search points: for each explicit configuration, for each point, the point's values overridden
    /// by the configuration's, then once per seed; indexes from <paramref name="firstIndex"/>. A trial whose id is in
    /// <paramref name="seen"/> (an earlier trial of the sweep) is skipped; the ids of the new ones are added to it.
    /// </summary>
    public static List<TrialSpec> Expand(
        SweepDefinition sweep, IReadOnlyList<IReadOnlyDictionary<string, ParamValue>> points, int firstIndex, ISet<string> seen)
    {
        var trials = new List<TrialSpec>();
        foreach (var configuration in sweep.Configurations)
        {
            foreach (var point in points)
            {
                var config = ConfigOf(point, configuration);
                // One key for every seed of the configuration: one hash, and one string shared by its trials.
                string key = TrialIdentity.ConfigKey(config);
                foreach (int seed in sweep.Seeds)
                {
                    var trial = TrialIdentity.Create(config, key, seed, firstIndex + trials.Count, configuration.Label);
                    if (seen.Add(trial.Id))
                        trials.Add(trial);
                }
            }
        }
        return trials;
    }

    /// <summary>A search point's configuration, with an explicit configuration's values on top.</summary>
    public static TrialConfig ConfigOf(IReadOnlyDictionary<string, ParamValue> point, SweepConfiguration configuration)
    {
        var config = new TrialConfig();
        foreach (var (name, value) in point)
            config = ParameterCatalog.Apply(config, name, value);
        foreach (var (name, value) in configuration.Values)
            config = ParameterCatalog.Apply(config, name, value);
        return config;
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
