namespace TinyNet.Sweeps.Grains;

/// <summary>
/// Where a sweep's trials go: each to the silo with the most room, no silo holding more than
/// <see cref="TrialsInHandPerWorker"/> trials per training worker, and what to do when a silo leaves. A plain class
/// (silos are any key), so the rules are tested without a cluster; the coordinator grain keeps the messaging.
/// </summary>
public sealed class DispatchPolicy<TSilo> where TSilo : notnull
{
    /// <summary>
    /// Trials a silo holds per training worker: a group of lanes training and a group queued in the silo's own pool,
    /// so a worker that finishes starts its next group at once, full, instead of waiting for the coordinator's round
    /// trip. Each worker trains at most <see cref="TrainingWorkerPool.LanesPerGroup"/> trials at once.
    /// </summary>
    public const int TrialsInHandPerWorker = 2 * TrainingWorkerPool.LanesPerGroup;

    private Dictionary<TSilo, int> _workers = new();
    private readonly Dictionary<TSilo, int> _load = new();
    private readonly Dictionary<string, TSilo> _running = new();

    /// <summary>Trials dispatched and not yet back, with the silo each went to.</summary>
    public IReadOnlyDictionary<string, TSilo> Running => _running;

    /// <summary>How many trials are out on each silo.</summary>
    public IReadOnlyDictionary<TSilo, int> Load => _load;

    /// <summary>The silos of the cluster now, with their training workers; silos not listed get nothing more.</summary>
    public void UpdateSilos(IReadOnlyDictionary<TSilo, int> workers) => _workers = new Dictionary<TSilo, int>(workers);

    /// <summary>A silo that is leaving (it handed a trial back): send it nothing more until it is listed again.</summary>
    public void Exclude(TSilo silo) => _workers.Remove(silo);

    /// <summary>The silo with the most room for another trial, or none when every silo has its hands full.</summary>
    public bool TryPickSilo(out TSilo silo)
    {
        silo = default!;
        int bestFree = 0;
        foreach (var (candidate, workers) in _workers)
        {
            int free = workers * TrialsInHandPerWorker - _load.GetValueOrDefault(candidate);
            if (free > bestFree) (silo, bestFree) = (candidate, free);
        }
        return bestFree > 0;
    }

    public void Dispatched(string trialId, TSilo silo)
    {
        _running[trialId] = silo;
        _load[silo] = _load.GetValueOrDefault(silo) + 1;
    }

    /// <summary>A trial is back (a result, a hand-back, a failed dispatch); false when it was not out.</summary>
    public bool Returned(string trialId, out TSilo silo)
    {
        if (!_running.Remove(trialId, out silo!)) return false;
        if (_load.TryGetValue(silo, out int load)) _load[silo] = Math.Max(0, load - 1);
        return true;
    }

    /// <summary>
    /// Trials out on silos that are no longer listed: they will never report, so they are taken back (to be trained
    /// again elsewhere; determinism makes the new result equal to the lost one).
    /// </summary>
    public IReadOnlyList<string> TakeBackFromLostSilos()
    {
        var lost = _running.Where(r => !_workers.ContainsKey(r.Value)).Select(r => r.Key).ToList();
        foreach (string trialId in lost)
        {
            var silo = _running[trialId];
            _running.Remove(trialId);
            _load.Remove(silo);
        }
        return lost;
    }
}
