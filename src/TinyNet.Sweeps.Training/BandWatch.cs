using TinyNet.Sweeps.Domain.Trials;

namespace TinyNet.Sweeps.Training;

/// <summary>
/// A trial's part in hyperband: at each band epoch the trainer evaluates every metric (the fixed eval set and the stress
/// cases: microseconds), keeps a snapshot and reports it; and when told to stop at a band it has reached, it ends with
/// that band's snapshot as a stopped trial. Training never waits for a decision: one that comes after the trial passed
/// the band still stops it there, from the snapshot, so the outcome depends only on the decision, not on its timing.
/// </summary>
public sealed class BandWatch(IReadOnlyList<int> epochs, Action<BandSnapshot> report)
{
    private int _stopAt = int.MaxValue;

    /// <summary>The band epochs, ascending.</summary>
    public IReadOnlyList<int> Epochs { get; } = epochs;

    /// <summary>The band the trial is to stop at, or <see cref="int.MaxValue"/>; set from any thread.</summary>
    public int StopAtEpoch => Volatile.Read(ref _stopAt);

    /// <summary>Asks the trial to stop at the band of <paramref name="epoch"/> (the earliest such request wins).</summary>
    public void StopAt(int epoch)
    {
        int current;
        do current = Volatile.Read(ref _stopAt);
        while (epoch < current && Interlocked.CompareExchange(ref _stopAt, epoch, current) != current);
    }

    internal void Report(BandSnapshot snapshot) => report(snapshot);
}
