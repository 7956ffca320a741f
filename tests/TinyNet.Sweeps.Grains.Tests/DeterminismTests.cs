using TinyNet.Sweeps.Domain.Trials;
using TinyNet.Sweeps.Training;

namespace TinyNet.Sweeps.Grains.Tests;

/// <summary>Real TorchSharp training through grains on three silos gives what training directly gives, bit for bit.</summary>
public sealed class DeterminismTests(TorchClusterFixture fixture) : IClassFixture<TorchClusterFixture>
{
    [Fact]
    public async Task Metrics_through_the_cluster_equal_direct_training_whichever_silo_ran_them()
    {
        var configs = new[]
        {
            new TrialConfig { Activation = Activation.Relu, Optimizer = OptimizerKind.Adam, LearningRate = 0.01, WeightDecay = 0.01, CleanRatio = 0.2, Epochs = 60 },
            new TrialConfig { Activation = Activation.Sigmoid, Epochs = 40 },
        };
        var trials = SweepDriver.Trials(configs, seeds: 3);

        var (results, _) = await SweepDriver.RunAsync(fixture.Cluster.Client, trials);

        var trainer = new TorchTrialTrainer();
        Assert.Equal(trials.Count, results.Count);
        Assert.True(results.Select(r => r.Silo).Distinct().Count() > 1, "trials should have run on more than one silo");
        foreach (var result in results)
        {
            var direct = trainer.Train(result.Trial.Config, result.Trial.Seed);
            Assert.Equal(TrialStatus.Completed, result.Outcome.Status);
            Assert.Equal(direct.Metrics, result.Outcome.Metrics);
            Assert.Equal(direct.LossHistory, result.Outcome.LossHistory);
            Assert.Equal(direct.Weights!.HiddenWeight.SelectMany(w => w), result.Outcome.Weights!.HiddenWeight.SelectMany(w => w));
        }
    }
}
