using TinyNet.Sweeps.Domain.Sweeps;
using TinyNet.Sweeps.Domain.Trials;

namespace TinyNet.Sweeps.Domain.Search;

/// <summary>
/// Hyperband over a sweep's configurations: what W&amp;B calls a run is a configuration here, all its seeds together. At a
/// band a configuration's value is the mean of the sweep's metric over its seeds there (so a lucky or unlucky seed does
/// not decide alone), and a stop stops every seed at that band, so the ranking's unit and hyperband's are the same. With
/// one seed this is W&amp;B's rule on single trials. Configurations are judged in the order of their first trial, by the
/// deterministic <see cref="HyperbandStopper"/>. A plain class: the coordinator feeds it and carries out what it says.
/// </summary>
public sealed class SweepHyperband(HyperbandSpec spec, MetricSpec metric)
{
    private readonly HyperbandStopper _stopper = new(spec, metric.Goal);
    private readonly Dictionary<string, Unit> _units = new();
    private readonly Dictionary<int, Unit> _byIndex = new();
    private readonly List<(string TrialId, int Epoch)> _stops = new();

    /// <summary>The band epochs, ascending.</summary>
    public IReadOnlyList<int> Bands => _stopper.Bands;

    /// <summary>
    /// A trial the search asked for; its configuration becomes a unit at its first trial. Every trial of a configuration
    /// must be asked for before any report about one of them: a configuration reports when all the seeds it has so far
    /// have (searches ask for a configuration's seeds together, in one batch).
    /// </summary>
    public void Asked(TrialSpec trial)
    {
        if (!_units.TryGetValue(trial.ConfigKey, out var unit))
        {
            unit = new Unit(_units.Count);
            _units[trial.ConfigKey] = unit;
            _byIndex[unit.Index] = unit;
        }
        unit.Seeds.Add(trial.Id);
    }

    /// <summary>A trial's metrics at a band; the configuration reports once every seed has.</summary>
    public void Report(TrialSpec trial, int epoch, TrialMetrics metrics)
    {
        var unit = _units[trial.ConfigKey];
        if (!unit.Values.TryGetValue(epoch, out var seeds)) unit.Values[epoch] = seeds = new Dictionary<string, double>();
        seeds[trial.Id] = metrics.Get(metric.Name);
        if (seeds.Count == unit.Seeds.Count && !unit.Reported.Contains(epoch) && _stopper.StoppedAt(unit.Index) is null)
        {
            unit.Reported.Add(epoch);
            _stopper.Report(unit.Index, epoch, unit.Seeds.Average(id => seeds[id]));
        }
        Collect();
    }

    /// <summary>
    /// A trial's final result came: its band snapshots are reported, and it ended after the epochs it trained. The
    /// configuration ends when every seed has, at the fewest epochs among them (it has no mean beyond).
    /// </summary>
    public void Finished(TrialResult result)
    {
        foreach (var band in result.Outcome.Bands ?? [])
            if (Bands.Contains(band.Epoch)) Report(result.Trial, band.Epoch, band.Metrics);
        var unit = _units[result.Trial.ConfigKey];
        if (result.Outcome.Status != TrialStatus.Stopped) unit.Ended[result.Trial.Id] = result.Outcome.LossHistory.Count;
        if (unit.Ended.Count == unit.Seeds.Count && _stopper.StoppedAt(unit.Index) is null && !unit.EndSaid)
        {
            unit.EndSaid = true;
            _stopper.Ended(unit.Index, unit.Ended.Values.Min());
        }
        Collect();
    }

    /// <summary>Whether every decision about a trial's configuration is made, so its result is final.</summary>
    public bool IsSettled(TrialSpec trial) => _stopper.IsSettled(_units[trial.ConfigKey].Index);

    /// <summary>The band epoch a trial's configuration was stopped at, if it was.</summary>
    public int? StoppedAt(TrialSpec trial) => _stopper.StoppedAt(_units[trial.ConfigKey].Index);

    /// <summary>The trials to tell to stop (every seed of a stopped configuration), since the last call.</summary>
    public IReadOnlyList<(string TrialId, int Epoch)> TakeStops()
    {
        var stops = _stops.ToList();
        _stops.Clear();
        return stops;
    }

    private void Collect()
    {
        foreach (var decision in _stopper.Decide().Where(d => d.Stop))
            _stops.AddRange(_byIndex[decision.TrialIndex].Seeds.Select(id => (id, decision.Band)));
    }

    private sealed class Unit(int index)
    {
        public int Index { get; } = index;
        public List<string> Seeds { get; } = new();
        /// <summary>Each band's metric of the seeds that reached it.</summary>
        public Dictionary<int, Dictionary<string, double>> Values { get; } = new();
        public HashSet<int> Reported { get; } = new();
        public Dictionary<string, int> Ended { get; } = new();
        public bool EndSaid { get; set; }
    }
}
