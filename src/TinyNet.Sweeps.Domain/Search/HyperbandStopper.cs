using System.Globalization;
using TinyNet.Sweeps.Domain.Sweeps;

namespace TinyNet.Sweeps.Domain.Search;

/// <summary>A decision about one trial at one band: stop it there, or let it go on.</summary>
public sealed record HyperbandDecision(int TrialIndex, int Band, bool Stop);

/// <summary>
/// Hyperband for a sweep whose trials are identified by their index (0, 1, 2, …) and whose iterations are
/// epochs, made deterministic: the same trials are stopped whatever order the reports arrive in.
/// </summary>
/// <remarks>
/// <para>A trial reports the sweep's metric at each band epoch it reaches (<see cref="Report"/>) and says when
/// it ends (<see cref="Ended"/>: finished, diverged, failed or stopped; it reports no band beyond that).</para>
/// <para>The decision for trial i at band B is made once, when every trial with a lower index has reported B
/// or is known not to reach it (it ended before B, or was stopped at an earlier band). It is W&amp;B's rule
/// over the trials j ≤ i that reached B, trial i included: threshold = the value at index int(count/eta) of
/// their sorted values (negated for a maximized metric); stop when the compared value is strictly worse. A
/// lone trial is its own threshold and is never stopped. Trials with higher indexes, including ones not
/// asked for yet, never block nor change it.</para>
/// <para>Differences from W&amp;B: W&amp;B judges running runs against whatever runs have logged by the time
/// its controller looks, so its decisions depend on timing. W&amp;B's iterations are every logged value; here
/// the metric is evaluated at band epochs only, so non-strict compares the trial's best value among its band
/// values up to B, where W&amp;B takes the best of every logged value. A non-finite value (a diverged trial)
/// is not an iteration for W&amp;B; here it leaves the trial out of B's threshold and keeps it at B.</para>
/// <para>Reports are idempotent, so a trial retrained after a silo loss may report again: the same value is
/// ignored, a different one throws. Not thread-safe: one coordinator owns it.</para>
/// </remarks>
public sealed class HyperbandStopper
{
    private readonly int[] _bands;
    private readonly double _eta;
    private readonly bool _strict;
    private readonly MetricGoal _goal;
    private readonly Dictionary<int, TrialProgress> _trials = [];
    // Per band: every trial below the frontier is settled there (decided, or known not to reach it).
    private readonly int[] _frontier;
    // Per band: oriented values of the settled trials that reached it with a finite value.
    private readonly RunningOrderStatistic[] _reached;
    private readonly List<HyperbandDecision> _undelivered = [];

    /// <exception cref="ArgumentException">The spec gives no band.</exception>
    public HyperbandStopper(HyperbandSpec spec, MetricGoal goal)
    {
        _bands = [.. Hyperband.Bands(spec).Distinct()]; // W&B's duplicate bands decide alike
        _eta = spec.Eta;
        _strict = spec.Strict;
        _goal = goal;
        _frontier = new int[_bands.Length];
        _reached = [.. _bands.Select(_ => new RunningOrderStatistic())];
    }

    /// <summary>The epochs at which trials report the metric, ascending and distinct.</summary>
    public IReadOnlyList<int> Bands => _bands;

    /// <summary>Records the sweep's metric of a trial at a band epoch.</summary>
    /// <exception cref="ArgumentException"><paramref name="band"/> is not a band.</exception>
    /// <exception cref="InvalidOperationException">The trial reported another value at this band, or ended before it.</exception>
    public void Report(int trialIndex, int band, double value)
    {
        int k = Array.IndexOf(_bands, band);
        if (k < 0)
            throw new ArgumentException($"{band} is not a band; the bands are {string.Join(", ", _bands)}", nameof(band));
        var trial = Trial(trialIndex);
        if (trial.EpochsTrained is int ended && band > ended)
            throw new InvalidOperationException($"trial {trialIndex} ended after {ended} epochs but reports band {band}");
        if (trial.Values.TryGetValue(k, out double earlier))
        {
            if (!earlier.Equals(value)) // Equals: a retrained trial that diverged reports NaN again
                throw new InvalidOperationException(
                    $"trial {trialIndex} reported band {band} twice with different values ({Shown(earlier)}, then {Shown(value)}); a retrained trial must reproduce its values");
            return;
        }
        trial.Values[k] = value;
    }

    /// <summary>Records that a trial ended (finished, diverged, failed or stopped) after this many epochs.</summary>
    /// <exception cref="InvalidOperationException">It ended before a band it reported, or ended twice differently.</exception>
    public void Ended(int trialIndex, int epochsTrained)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(epochsTrained);
        var trial = Trial(trialIndex);
        if (trial.EpochsTrained is int earlier && earlier != epochsTrained)
            throw new InvalidOperationException($"trial {trialIndex} ended twice, after {earlier} and after {epochsTrained} epochs");
        int lastReported = trial.Values.Keys.Select(k => _bands[k]).DefaultIfEmpty(0).Max();
        if (lastReported > epochsTrained)
            throw new InvalidOperationException($"trial {trialIndex} reported band {lastReported} but ended after {epochsTrained} epochs");
        trial.EpochsTrained = epochsTrained;
    }

    /// <summary>The decisions made since the last call, by band, then by trial index.</summary>
    public IReadOnlyList<HyperbandDecision> Decide()
    {
        // Ascending bands: settling trial j at band k needs j settled at band k - 1, done earlier in this pass.
        for (int k = 0; k < _bands.Length; k++)
        {
            while (SettleNext(k))
                _frontier[k]++;
        }
        var made = _undelivered.ToList();
        _undelivered.Clear();
        return made;
    }

    /// <summary>
    /// Whether every decision about a trial is made: it was stopped, or it ended and was judged at every band it reached.
    /// Its result is final only then (a stop decided later would change it).
    /// </summary>
    public bool IsSettled(int trialIndex)
    {
        if (!_trials.TryGetValue(trialIndex, out var trial)) return false;
        if (trial.StoppedAt is not null) return true;
        if (trial.EpochsTrained is not int epochs) return false;
        for (int k = 0; k < _bands.Length && _bands[k] <= epochs; k++)
            if (_frontier[k] <= trialIndex) return false;
        return true;
    }

    /// <summary>The band at which a trial was stopped; null if it was not (or not yet).</summary>
    public int? StoppedAt(int trialIndex) =>
        _trials.TryGetValue(trialIndex, out var trial) && trial.StoppedAt is int k ? _bands[k] : null;

    /// <summary>Settles the trial at band k's frontier if its status there is known; false when it must wait.</summary>
    private bool SettleNext(int k)
    {
        int j = _frontier[k];
        if (k > 0 && _frontier[k - 1] <= j)
            return false; // not settled at the band below yet
        if (!_trials.TryGetValue(j, out var trial))
            return false; // nothing heard from it: it may still reach the band
        if (trial.StoppedAt < k)
            return true; // stopped earlier: its later reports, sent before it heard, do not count
        if (trial.Values.TryGetValue(k, out double value))
        {
            Judge(j, trial, k, value);
            return true;
        }
        return trial.EpochsTrained < _bands[k]; // ended before the band: settled; else its report is still on the way
    }

    private void Judge(int trialIndex, TrialProgress trial, int k, double value)
    {
        bool stop = false;
        if (double.IsFinite(value))
        {
            double oriented = Hyperband.Oriented(value, _goal);
            trial.Best = Math.Min(trial.Best, oriented);
            var reached = _reached[k];
            reached.Add(oriented);
            double threshold = reached.ValueAt(Hyperband.ThresholdIndex(reached.Count, _eta));
            stop = Hyperband.IsWorse(_strict ? oriented : trial.Best, threshold);
        }
        if (stop)
            trial.StoppedAt = k;
        _undelivered.Add(new HyperbandDecision(trialIndex, _bands[k], stop));
    }

    private TrialProgress Trial(int trialIndex)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(trialIndex);
        if (!_trials.TryGetValue(trialIndex, out var trial))
            _trials[trialIndex] = trial = new TrialProgress();
        return trial;
    }

    private static string Shown(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    private sealed class TrialProgress
    {
        /// <summary>Reported values by band index.</summary>
        public Dictionary<int, double> Values { get; } = [];

        public int? EpochsTrained { get; set; }

        /// <summary>Band index of the stop decision.</summary>
        public int? StoppedAt { get; set; }

        /// <summary>Best oriented finite value at the bands settled so far (the non-strict comparison).</summary>
        public double Best { get; set; } = double.PositiveInfinity;
    }
}

/// <summary>
/// The value at a given sorted index of a growing multiset, where the index grows at most as fast as the
/// count (W&amp;B's int(count/eta)): two heaps split at the index, so each step costs O(log n), not a sort.
/// </summary>
internal sealed class RunningOrderStatistic
{
    private readonly PriorityQueue<double, double> _below = new(Comparer<double>.Create((a, b) => b.CompareTo(a))); // max-heap
    private readonly PriorityQueue<double, double> _rest = new(); // min-heap

    public int Count => _below.Count + _rest.Count;

    public void Add(double value)
    {
        if (_below.Count > 0 && value < _below.Peek())
            _below.Enqueue(value, value);
        else
            _rest.Enqueue(value, value);
    }

    /// <summary>The value at <paramref name="index"/> of the sorted values, 0 ≤ index &lt; Count.</summary>
    public double ValueAt(int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, Count);
        while (_below.Count > index)
            Move(_below, _rest);
        while (_below.Count < index)
            Move(_rest, _below);
        return _rest.Peek();
    }

    private static void Move(PriorityQueue<double, double> from, PriorityQueue<double, double> to)
    {
        double value = from.Dequeue();
        to.Enqueue(value, value);
    }
}
