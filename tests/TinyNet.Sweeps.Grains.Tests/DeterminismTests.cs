using TinyNet.Sweeps.Abstractions;
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

/// <summary>
/// A bayes sweep with hyperband whose coordinator loses its activation mid-sweep (as when its silo dies) ends with the
/// trials, stops and numbers of the same sweep run undisturbed: the reactivated coordinator replays what it knew.
/// </summary>
public sealed class AdaptiveReplayTests(TorchClusterFixture fixture) : IClassFixture<TorchClusterFixture>
{
    [Theory]
    [InlineData(4)]
    [InlineData(9)]
    [InlineData(15)]
    public async Task A_coordinator_reactivated_mid_sweep_decides_every_trial_and_stop_as_an_undisturbed_one(int finishedWhenLost)
    {
        var plan = TinyNet.Sweeps.Domain.Sweeps.SweepFile.Parse(AdaptiveSweeps.Long, "adaptive.yaml").Plan!;
        var client = fixture.Cluster.Client;

        var undisturbed = client.GetGrain<ISweepCoordinatorGrain>($"undisturbed-{Guid.NewGuid():N}");
        await undisturbed.Start(new SweepLaunch(plan, []));
        var expected = (await SweepDriver.FollowAsync(undisturbed, TimeSpan.FromMinutes(3))).ToDictionary(r => r.Trial.Id);

        var disturbed = client.GetGrain<ISweepCoordinatorGrain>($"disturbed-{Guid.NewGuid():N}");
        await disturbed.Start(new SweepLaunch(plan, []));
        while ((await disturbed.GetProgress(int.MaxValue, TimeSpan.FromSeconds(1))).Finished < finishedWhenLost) { }
        await fixture.Cluster.DeactivateAsync(disturbed);
        var actual = (await SweepDriver.FollowAsync(disturbed, TimeSpan.FromMinutes(3))).ToDictionary(r => r.Trial.Id);

        Assert.Equal(expected.Keys.Order(), actual.Keys.Order());
        var differences = actual.Values.OrderBy(r => r.Trial.Index)
            .Where(r => expected[r.Trial.Id] is var e && (e.Outcome.Status != r.Outcome.Status || e.Outcome.LossHistory.Count != r.Outcome.LossHistory.Count))
            .Select(r => $"trial {r.Trial.Index}: {r.Outcome.Status} after {r.Outcome.LossHistory.Count}, undisturbed {expected[r.Trial.Id].Outcome.Status} after {expected[r.Trial.Id].Outcome.LossHistory.Count}")
            .ToList();
        Assert.True(differences.Count == 0, string.Join("\n", differences));
    }
}
