using TinyNet.Sweeps.Abstractions;
using TinyNet.Sweeps.Domain.Trials;

namespace TinyNet.Sweeps.Grains.Tests;

public sealed class SiloLossTests(SiloLossClusterFixture fixture) : IClassFixture<SiloLossClusterFixture>
{
    [Fact]
    public async Task Trials_of_a_killed_silo_are_trained_again_elsewhere_and_recorded_once()
    {
        var client = fixture.Cluster.Client;
        var trials = SweepDriver.Trials(Enumerable.Range(1, 48).Select(i => new TrialConfig { LearningRate = 0.001 * i, Epochs = 150 }), seeds: 1);
        string sweepId = $"loss-{Guid.NewGuid():N}";
        var coordinator = client.GetGrain<ISweepCoordinatorGrain>(sweepId);
        await coordinator.Start(SweepDriver.Launch("loss", trials));
        var coordinatorSilo = await client.GetGrain<IManagementGrain>(0).GetActivationAddress(coordinator);
        await Task.Delay(300);

        // Any silo but the coordinator's: losing the coordinator itself is the multi-machine work's to survive.
        var victim = fixture.Cluster.GetActiveSilos().First(s => !s.SiloAddress.Equals(coordinatorSilo));
        await fixture.Cluster.KillSiloAsync(victim);

        var results = await SweepDriver.FollowAsync(coordinator, TimeSpan.FromMinutes(2));

        Assert.Equal(trials.Select(t => t.Id).Order(), results.Select(r => r.Trial.Id).Order());
        Assert.All(results, r => Assert.Equal(TrialStatus.Completed, r.Outcome.Status));
        var ranking = await coordinator.GetRanking();
        Assert.Equal(48, ranking.Rows.Count);
    }
}
