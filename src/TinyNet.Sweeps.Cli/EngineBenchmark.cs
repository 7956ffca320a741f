using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Spectre.Console;
using TinyNet.Sweeps.Domain.Trials;
using TinyNet.Sweeps.Training;

namespace TinyNet.Sweeps.Cli;

/// <summary>
/// <c>benchmark engine</c>: what training K trials as lanes of one fused TorchSharp computation (<see cref="LaneTrainer"/>)
/// costs per trial at K = 1, 2, 4, ..., 1024, against <see cref="PlainLoopTrainer"/>, the same math as plain C# loops with
/// no per-op overhead (the limit fused training can approach). Everything runs on this one thread. It also prints the
/// memory a group of the largest K takes and the share of a trial's time spent drawing its batches. A benchmark that
/// prints figures, not a test.
/// </summary>
internal static class EngineBenchmark
{
    private static readonly int[] PowersOfTwo = [.. Enumerable.Range(0, 11).Select(i => 1 << i)];

    /// <summary>Lanes differ by seed and by one of these learning rates (the default, 0.1, in the middle), so no two train alike.</summary>
    private static readonly double[] LearningRates = [0.025, 0.05, 0.1, 0.2, 0.4];

    private sealed record Timing(double WallMs, double CpuMs);

    public static Command Create(CliIO io)
    {
        var epochsOption = new Option<int>("--epochs") { Description = "Epochs per trial (the default configuration otherwise).", DefaultValueFactory = _ => 200 }
            .InRange(1, 100_000);
        var lanesOption = new Option<int[]>("--lanes")
        {
            Description = $"Lane counts K to measure, separated by commas or spaces (1 to {LaneTrainer.MaxLanes}).",
            DefaultValueFactory = _ => PowersOfTwo,
            CustomParser = ParseLanes,
            AllowMultipleArgumentsPerToken = true,
        };
        var secondsOption = new Option<int>("--seconds") { Description = "Each measurement repeats whole groups for at least this long.", DefaultValueFactory = _ => 1 }
            .InRange(1, 3600);
        var repsOption = new Option<int>("--reps") { Description = "Measurements of each figure; the median is printed.", DefaultValueFactory = _ => 3 }
            .InRange(1, 100);
        var command = new Command("engine", "Per-trial cost of the fused engine at K lanes (1 to 1024) against a plain C# loop of the same math, on one thread.")
        {
            epochsOption, lanesOption, secondsOption, repsOption,
        };
        command.SetAction(parse =>
        {
            int epochs = parse.GetValue(epochsOption), reps = parse.GetValue(repsOption);
            int[] lanes = [.. parse.GetValue(lanesOption)!.Distinct().Order()];
            Run(io, epochs, lanes, TimeSpan.FromSeconds(parse.GetValue(secondsOption)), reps);
            return ExitCodes.Success;
        });
        return command;
    }

    private static int[] ParseLanes(System.CommandLine.Parsing.ArgumentResult result)
    {
        var lanes = new List<int>();
        foreach (string text in result.Tokens.SelectMany(t => t.Value.Split(',', StringSplitOptions.RemoveEmptyEntries)))
        {
            if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int k) || k < 1 || k > LaneTrainer.MaxLanes)
                result.AddError($"--lanes takes lane counts from 1 to {LaneTrainer.MaxLanes}; got '{text}'.");
            lanes.Add(k);
        }
        return [.. lanes];
    }

    /// <summary>
    /// Long enough for the JIT to replace its first, unoptimised code (tiered compilation waits 100 ms of calls), and
    /// for libtorch to have allocated what a group of K needs.
    /// </summary>
    private static readonly TimeSpan WarmUp = TimeSpan.FromSeconds(0.5);

    /// <summary>The plain loop and the data alone run this many trials a round, cycling through the seeds.</summary>
    private const int PlainRound = 64;

    private static void Run(CliIO io, int epochs, int[] laneCounts, TimeSpan atLeast, int reps)
    {
        TorchRuntime.EnsureInitialized(); // one libtorch thread, and the native library loaded outside the timings
        var trials = Trials(epochs, Math.Max(PlainRound, laneCounts[^1]));
        if (trials.Select(t => LaneTrainer.GroupKey(t.Config)).Distinct().Count() == 1)
            io.Error.WriteLine($"Lanes differ by seed and learning rate ({string.Join(", ", LearningRates.Select(r => r.ToString(CultureInfo.InvariantCulture)))}).");
        else
        {
            io.Error.WriteLine("LaneTrainer does not group different learning rates: lanes differ by seed only.");
            trials = [.. trials.Select(t => t with { Config = t.Config with { LearningRate = new TrialConfig().LearningRate } })];
        }

        io.Error.WriteLine("plain loop ...");
        var plainRound = trials.Take(PlainRound).ToList();
        Timing MeasurePlain(TimeSpan duration) => Measure(plainRound.Count, () => { foreach (var t in plainRound) PlainLoopTrainer.Train(t.Config, t.Seed); }, duration);
        MeasurePlain(WarmUp);
        var plain = Median(Repeat(reps, () => MeasurePlain(atLeast)));

        var engine = new LaneTrainer();
        var fused = new Dictionary<int, Timing>();
        foreach (int k in laneCounts)
        {
            io.Error.WriteLine($"K = {k} ...");
            var requests = trials.Take(k).Select(t => new LaneRequest(t.Config, t.Seed)).ToList();
            Timing MeasureFused(TimeSpan duration) => Measure(k, () =>
            {
                if (engine.TrainGroup(requests).Any(o => o is null))
                    throw new InvalidOperationException("LaneTrainer returned no outcome for a lane that was not cancelled.");
            }, duration);
            MeasureFused(WarmUp);
            fused[k] = Median(Repeat(reps, () => MeasureFused(atLeast)));
        }

        int largest = laneCounts[^1];
        var memory = GroupMemory(engine, trials.Take(largest).ToList());
        var agreement = Agreement(engine, trials.Take(largest).ToList());
        int best = fused.MinBy(f => f.Value.WallMs).Key;
        var dataRound = trials.Take(Math.Max(best, PlainRound)).ToList();
        double dataMs = Median(Repeat(reps, () => Measure(dataRound.Count, () => DrawBatches(dataRound), atLeast))).WallMs;

        Print(io, epochs, reps, plain, fused, largest, memory, agreement, best, dataMs);
    }

    private sealed record Trial(TrialConfig Config, int Seed);

    private static List<Trial> Trials(int epochs, int count) =>
        [.. Enumerable.Range(0, count).Select(i => new Trial(new TrialConfig { Epochs = epochs, LearningRate = LearningRates[i % LearningRates.Length] }, i))];

    private static List<Timing> Repeat(int reps, Func<Timing> measure) => [.. Enumerable.Range(0, reps).Select(_ => measure())];

    /// <summary>
    /// Wall and CPU time per trial of <paramref name="round"/>, which trains <paramref name="trialsPerRound"/> trials,
    /// repeated for at least <paramref name="atLeast"/> (the process's CPU time only moves in 10 ms ticks on Linux).
    /// </summary>
    private static Timing Measure(int trialsPerRound, Action round, TimeSpan atLeast)
    {
        var cpu = CpuTime();
        var clock = Stopwatch.StartNew();
        int rounds = 0;
        do
        {
            round();
            rounds++;
        } while (clock.Elapsed < atLeast);
        clock.Stop();
        long trials = (long)rounds * trialsPerRound;
        return new Timing(clock.Elapsed.TotalMilliseconds / trials, (CpuTime() - cpu).TotalMilliseconds / trials);
    }

    private static TimeSpan CpuTime()
    {
        using var process = Process.GetCurrentProcess();
        return process.TotalProcessorTime;
    }

    /// <summary>Only the batches: each trial's generator drawing its epochs as the lanes engine draws them (pixels by example).</summary>
    private static void DrawBatches(List<Trial> trials)
    {
        var config = trials[0].Config;
        var pixels = new float[BatchGenerator.MixedCount(config.BatchSize, config.CleanRatio) * 4];
        foreach (var t in trials)
        {
            var batches = new BatchGenerator(new Xoshiro256(t.Seed, 2));
            for (int epoch = 0; epoch < t.Config.Epochs; epoch++)
                batches.FillMixedByPixel(pixels, t.Config.BatchSize, t.Config.CleanRatio, t.Config.NoiseLevel);
        }
    }

    private static Timing Median(List<Timing> timings) =>
        new(Middle([.. timings.Select(t => t.WallMs).Order()]), Middle([.. timings.Select(t => t.CpuMs).Order()]));

    private static double Middle(List<double> sorted) =>
        sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;

    private sealed record Memory(long ResidentGrowth, string How, long ManagedAllocated);

    /// <summary>
    /// What one group of the largest K adds to the process: TorchSharp exposes no figure of libtorch's CPU allocations,
    /// so this is the resident set's peak during the group over what it was before (Linux, whose peak can be reset), or
    /// else the working set after the group over before it. Plus the managed bytes the group allocated on this thread.
    /// </summary>
    private static Memory GroupMemory(LaneTrainer engine, List<Trial> group)
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        bool peakReset = TryResetPeakResident();
        long before = CurrentWorkingSet();
        long managed = GC.GetAllocatedBytesForCurrentThread();
        engine.TrainGroup([.. group.Select(t => new LaneRequest(t.Config, t.Seed))]);
        managed = GC.GetAllocatedBytesForCurrentThread() - managed;
        return peakReset && PeakResident() is { } peak
            ? new Memory(peak - before, "peak resident set during the group − before (VmHWM)", managed)
            : new Memory(CurrentWorkingSet() - before, "working set after the group − before", managed);
    }

    private static long CurrentWorkingSet()
    {
        using var process = Process.GetCurrentProcess();
        return process.WorkingSet64;
    }

    /// <summary>Writing 5 to /proc/self/clear_refs resets VmHWM, the peak resident set (Linux 4.0+).</summary>
    private static bool TryResetPeakResident()
    {
        try
        {
            File.WriteAllText("/proc/self/clear_refs", "5");
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or NotSupportedException)
        {
            return false;
        }
    }

    private static long? PeakResident()
    {
        try
        {
            // "VmHWM:     123456 kB"
            string? line = File.ReadLines("/proc/self/status").FirstOrDefault(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
            return line is null ? null : long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) * 1024;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException)
        {
            return null;
        }
    }

    /// <summary>The largest relative difference of a final loss between the fused engine and the plain loop, over the lanes.</summary>
    private static double Agreement(LaneTrainer engine, List<Trial> group)
    {
        var outcomes = engine.TrainGroup([.. group.Select(t => new LaneRequest(t.Config, t.Seed))]);
        return group.Zip(outcomes).Max(pair =>
        {
            double fused = pair.Second!.LossHistory[^1], plain = PlainLoopTrainer.Train(pair.First.Config, pair.First.Seed).LossHistory[^1];
            return Math.Abs(fused - plain) / Math.Max(Math.Abs(plain), double.Epsilon);
        });
    }

    private static void Print(CliIO io, int epochs, int reps, Timing plain, Dictionary<int, Timing> fused, int largest, Memory memory,
        double agreement, int best, double dataMs)
    {
        var c = CultureInfo.InvariantCulture;
        string Ms(double ms) => ms.ToString(ms < 1 ? "0.000" : "0.00", c);
        var table = new Table().Border(TableBorder.Simple)
            .Title($"trials of {epochs} epochs, one thread; median of {reps}; CPU is the process's (GC threads included)");
        table.AddColumn("engine");
        table.AddColumn(new TableColumn("wall ms / trial").RightAligned());
        table.AddColumn(new TableColumn("CPU ms / trial").RightAligned());
        table.AddColumn(new TableColumn("wall / plain loop's").RightAligned());
        table.AddRow("plain C# loop", Ms(plain.WallMs), Ms(plain.CpuMs), "1");
        foreach (var (k, timing) in fused)
            table.AddRow(k == 1 ? "fused, K = 1 (one trial at a time)" : $"fused, K = {k}", Ms(timing.WallMs), Ms(timing.CpuMs),
                (timing.WallMs / plain.WallMs).ToString("0.0", c));
        io.Console.Write(table);
        io.Output.WriteLine($"Memory of one group of K = {largest}: {(memory.ResidentGrowth / 1048576.0).ToString("0.0", c)} MiB ({memory.How}; " +
            $"TorchSharp reports no libtorch CPU allocation); {(memory.ManagedAllocated / 1048576.0).ToString("0.0", c)} MiB managed allocations.");
        io.Output.WriteLine($"Fused vs plain loop at K = {largest}: final losses differ by at most {agreement.ToString("0.0e0", c)} (relative).");
        io.Output.WriteLine($"Drawing the batches as the engine does (FillMixedByPixel, measured alone): {Ms(dataMs)} ms per trial, " +
            $"{(dataMs / fused[best].WallMs * 100).ToString("0.0", c)} % of the fused engine's wall time at its best K = {best}.");
    }
}
