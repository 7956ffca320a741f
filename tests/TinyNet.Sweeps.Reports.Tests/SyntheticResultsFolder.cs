using TinyNet.Sweeps.Domain.Export;
using TinyNet.Sweeps.Domain.Ranking;
using TinyNet.Sweeps.Domain.Sweeps;
using TinyNet.Sweeps.Domain.Trials;

namespace TinyNet.Sweeps.Reports.Tests;

/// <summary>
/// A results folder of generated configurations, as a big random sweep writes it: one seed each, short loss histories,
/// a learning rate and a noise level of their own (so every configuration and almost every noise level is distinct).
/// Deleted when disposed: a big one takes 60 MB.
/// </summary>
public sealed class SyntheticResultsFolder : IDisposable
{
    private SyntheticResultsFolder(string path) => Path = path;

    public string Path { get; }

    public void Dispose() => Directory.Delete(Path, recursive: true);

    public static SyntheticResultsFolder Create(int configurations, int hiddenUnits = 3, int epochs = 20)
    {
        string directory = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "tinynet-report-synthetic-" + Guid.NewGuid().ToString("N")[..8]);
        var random = new Random(7);
        var results = new List<TrialResult>(configurations);
        for (int i = 0; i < configurations; i++)
        {
            var config = new TrialConfig
            {
                Activation = (Activation)(i % 3),
                LearningRate = 0.001 + i * 1e-6,
                NoiseLevel = Math.Round(0.1 + 0.4 * random.NextDouble(), 4),
                Epochs = epochs,
                HiddenUnits = hiddenUnits,
            };
            var spec = TrialIdentity.Create(config, seed: 0, index: i);
            results.Add(new TrialResult(spec, ResultsFolder.Completed(spec, random.NextDouble(), seed: 0), "silo-1", 100, 1));
        }
        var labels = new Dictionary<string, string>();
        using var folder = ResultsFolderLock.Acquire(directory, "generated results");
        TrialLog.WriteAll(folder, results, labels);
        RankingExporter.WriteAll(Ranker.Rank("generated", MetricSpec.Default, results, labels), folder);
        return new SyntheticResultsFolder(directory);
    }
}
