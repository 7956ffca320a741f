using TinyNet.Sweeps.Domain.Evaluation;
using TinyNet.Sweeps.Domain.Export;
using TinyNet.Sweeps.Domain.Ranking;
using TinyNet.Sweeps.Domain.Sweeps;
using TinyNet.Sweeps.Domain.Trials;

namespace TinyNet.Sweeps.Reports.Tests;

/// <summary>A small results folder built by hand, as a sweep would write it: 4 configurations × 3 seeds, one seed diverged.</summary>
public static class ResultsFolder
{
    public static readonly (string Label, TrialConfig Config, double Quality)[] Configurations =
    [
        ("sigmoid-sgd", new TrialConfig { Activation = Activation.Sigmoid }, 0.0),
        ("relu-sgd", new TrialConfig(), 0.3),
        ("relu-adam-mixed", new TrialConfig { Optimizer = OptimizerKind.Adam, LearningRate = 0.01, WeightDecay = 0.01, CleanRatio = 0.2, Epochs = 60 }, 0.9),
        ("relu-adam-noisy", new TrialConfig { Optimizer = OptimizerKind.Adam, LearningRate = 0.01, NoiseLevel = 0.6, Epochs = 60 }, 0.6),
    ];

    /// <summary>Folders made by <see cref="Create"/>: tests hand them to reports and browsers, and they go when the test process ends.</summary>
    private static readonly System.Collections.Concurrent.ConcurrentBag<string> Made = new();

    static ResultsFolder() => AppDomain.CurrentDomain.ProcessExit += (_, _) =>
    {
        foreach (string directory in Made)
            if (Directory.Exists(directory)) Directory.Delete(directory, recursive: true);
    };

    public static string Create()
    {
        string directory = Path.Combine(Path.GetTempPath(), "tinynet-report-" + Guid.NewGuid().ToString("N")[..8]);
        Made.Add(directory);
        var results = new List<TrialResult>();
        int index = 0;
        foreach (var (label, config, quality) in Configurations)
            for (int seed = 0; seed < 3; seed++)
            {
                var spec = TrialIdentity.Create(config with { Epochs = Math.Min(config.Epochs, 60) }, seed, index++);
                bool diverged = label == "relu-sgd" && seed == 2;
                results.Add(new TrialResult(spec, diverged ? Diverged(spec) : Completed(spec, quality, seed), "silo-1", 1200, 1));
            }
        var labels = results.GroupBy(r => r.Trial.ConfigKey)
            .ToDictionary(g => g.Key, g => Configurations.First(c => c.Config with { Epochs = Math.Min(c.Config.Epochs, 60) } == g.First().Trial.Config).Label);
        using var folder = ResultsFolderLock.Acquire(directory, "hand-made results");
        TrialLog.WriteAll(folder, results, labels);
        RankingExporter.WriteAll(Ranker.Rank("hand-made", MetricSpec.Default, results, labels), folder);
        return directory;
    }

    private static TrainingOutcome Diverged(TrialSpec spec) =>
        new(TrialStatus.Diverged, [0.25, 0.3, 2.5, 40, double.NaN], Error: "loss became NaN at epoch 5");

    /// <summary>
    /// <paramref name="quality"/> 0 stays at 50/50 (the notebook's sigmoid), 1 learns the lines. Weights for the
    /// configuration's hidden units: three made by hand, then more of the same kind.
    /// </summary>
    internal static TrainingOutcome Completed(TrialSpec spec, double quality, int seed)
    {
        double jitter = 0.01 * (seed - 1);
        double final = 0.25 - 0.15 * quality + jitter;
        var history = Enumerable.Range(0, spec.Config.Epochs)
            .Select(e => final + (0.26 - final) * Math.Exp(-e / 12.0) + 0.004 * Math.Sin(e + seed)).ToList();
        double clear = 0.5 + 0.45 * quality + jitter, ambiguous = 0.5 + 0.1 * quality;
        var stress = StressCases.All.Select(c => c.IsClear
            ? new StressCaseResult(c.Name, c.Expected, c.TargetH > 0.5 ? clear : 1 - clear, c.TargetV > 0.5 ? clear : 1 - clear)
            : new StressCaseResult(c.Name, c.Expected, ambiguous, 1 - ambiguous + 0.05)).ToList();
        double calibration = stress.Zip(StressCases.All, (s, c) => (Math.Abs(s.H - c.TargetH) + Math.Abs(s.V - c.TargetV)) / 2).Average();
        var metrics = new TrialMetrics(final, final + 0.01, 0.5 + 0.5 * quality, 2 * final, calibration, clear, Math.Max(ambiguous, 1 - ambiguous + 0.05));
        double w = 0.2 + 1.5 * quality;
        IReadOnlyList<double> Unit(int u) => u switch
        {
            0 => [w, w, -w, -w + jitter],
            1 => [w, -w, w, -w],
            2 => [0.1 + jitter, -0.2, 0.3, -0.4],
            _ => [w, -w, u % 2 == 0 ? w : -w, 0],
        };
        var units = Enumerable.Range(0, spec.Config.HiddenUnits).ToList();
        var weights = new NetworkWeights(
            [.. units.Select(Unit)],
            [.. units.Select(u => u switch { 0 => 0.1, 1 => -0.1, _ => 0.0 })],
            [[.. units.Select(u => u switch { 0 => 1, 1 => -1, _ => 0.5 })], [.. units.Select(u => u switch { 0 => -1, 1 => 1, _ => -0.5 })]],
            [0, 0]);
        return new TrainingOutcome(TrialStatus.Completed, history, metrics, stress, weights);
    }
}
