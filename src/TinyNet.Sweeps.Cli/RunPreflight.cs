using TinyNet.Sweeps.Domain.Trials;
using TinyNet.Sweeps.Domain.Sweeps;

namespace TinyNet.Sweeps.Cli;

/// <summary>What a sweep will need from this machine, estimated from its trials before any of them starts.</summary>
internal static class RunPreflight
{
    /// <summary>Trials in training may take up to this share of the memory the process can have; the rest is the cluster's.</summary>
    private const double MemoryShare = 0.5;

    /// <exception cref="UsageException">The largest trials, one per worker, would not fit in memory.</exception>
    public static void Check(SweepPlan plan, int workers, string outDir, CliIO io)
    {
        if (!plan.IsListed || plan.ListedTrials.Count == 0) return;
        var trials = plan.ListedTrials;
        var largest = trials.MaxBy(t => TrialFootprint.TrainingBytes(t.Config))!;
        long perTrial = TrialFootprint.TrainingBytes(largest.Config);
        long atOnce = perTrial * Math.Min(workers, trials.Count);
        long available = GC.GetGCMemoryInfo().TotalAvailableMemoryBytes;
        if (atOnce > available * MemoryShare)
            throw new UsageException(
                $"the largest trial (hidden_units {largest.Config.HiddenUnits}, batch_size {largest.Config.BatchSize}, epochs {largest.Config.Epochs}) " +
                $"needs about {Bytes(perTrial)} while it trains, {Bytes(atOnce)} for {workers} workers at once: more than half of the {Bytes(available)} " +
                "this process may use. Lower --workers, hidden_units or batch_size.");

        long written = trials.Sum(t => TrialFootprint.RecordBytes(t.Config));
        if (FreeSpace(outDir) is { } free && written > free)
            io.Error.WriteLine($"warning: the sweep writes about {Bytes(written)} into {outDir}, which has {Bytes(free)} free; " +
                               "it stops with an error when the disk is full (finished trials are kept, run again to resume).");
    }

    private static long? FreeSpace(string directory)
    {
        try { return new DriveInfo(Path.GetFullPath(directory)).AvailableFreeSpace; }
        catch (Exception e) when (e is IOException or ArgumentException or UnauthorizedAccessException) { return null; }
    }

    public static string Bytes(long bytes) => bytes switch
    {
        >= 1L << 30 => $"{bytes / (double)(1L << 30):0.#} GiB",
        >= 1L << 20 => $"{bytes / (double)(1L << 20):0.#} MiB",
        _ => $"{Math.Max(1, bytes / 1024)} KiB",
    };
}
