using System.Diagnostics;
using TinyNet.Sweeps.Abstractions;
using TinyNet.Sweeps.Domain.Trials;

namespace TinyNet.Sweeps.Grains.Tests;

/// <summary>Aborting a sweep stops its trials in training; a silo that stops hands its trials back.</summary>
public sealed class AbortTests(ScriptedClusterFixture fixture) : IClassFixture<ScriptedClusterFixture>
{
    [Fact]
    public async Task Abort_stops_the_trials_in_training_records_none_of_them_and_ends_the_sweep()
    {
        var client = fixture.Cluster.Client;
        // A minute each: far longer than stopping should take.
        var trials = SweepDriver.Trials(Enumerable.Range(1, 20).Select(i => new TrialConfig { LearningRate = 0.0001 * i, Epochs = 60_000 }), seeds: 1);
        var coordinator = client.GetGrain<ISweepCoordinatorGrain>($"abort-{Guid.NewGuid():N}");
        await coordinator.Start(SweepDriver.Launch("abort", trials));
        var started = await coordinator.GetProgress(int.MaxValue, TimeSpan.Zero);
        Assert.True(started.Running > 0);

        var clock = Stopwatch.StartNew();
        await coordinator.Abort();
        SweepProgress progress;
        do progress = await coordinator.GetProgress(int.MaxValue, TimeSpan.FromSeconds(1));
        while (!progress.IsOver && clock.Elapsed < TimeSpan.FromSeconds(30));

        Assert.True(progress.IsOver, $"still {progress.Running} running {clock.Elapsed.TotalSeconds:0} s after the abort");
        Assert.Equal(SweepState.Cancelled, progress.State);
        Assert.Equal(0, progress.Finished);
        var ids = trials.Select(t => t.Id).ToHashSet();
        // Those in training were stopped inside the trainer; those still queued in a silo mostly never reached it
        // (a worker freed by one stop may pick up a queued trial a moment before that one's stop arrives).
        Assert.InRange(ScriptedTrainer.Stopped.Count(s => ids.Contains(s.TrialId)), 1, started.Running);
    }

    [Fact]
    public async Task An_abort_that_comes_while_a_start_reads_the_trials_state_stops_it()
    {
        // The abort interleaves with the start while the start waits for its state (a grain call to the storage here):
        // whichever goes on first, the trial must not be left training.
        var trials = SweepDriver.Trials(Enumerable.Range(1, 12).Select(i => new TrialConfig { LearningRate = 0.00077 * i, Epochs = 60_000 }), seeds: 1);
        string sweepId = $"interleaved-{Guid.NewGuid():N}";
        var grains = trials.Select(t => fixture.Cluster.Client.GetGrain<ITrialGrain>(ITrialGrain.KeyFor(sweepId, t.Id))).ToList();

        await Task.WhenAll(trials.Select((trial, i) =>
        {
            var start = grains[i].Start(new TrialAssignment(sweepId, trial));
            var abort = grains[i].Abort();
            return Task.WhenAll(start, abort);
        }));

        var deadline = Stopwatch.StartNew();
        foreach (var grain in grains)
        {
            TrialSnapshot snapshot;
            while ((snapshot = await grain.GetSnapshot()).Phase == TrialPhase.Training && deadline.Elapsed < TimeSpan.FromSeconds(20))
                await Task.Delay(50);
            Assert.Equal(TrialPhase.Idle, snapshot.Phase);
            Assert.Null(snapshot.Result);
        }
    }

    [Fact]
    public async Task An_abort_that_overtakes_a_trials_start_leaves_it_untrained()
    {
        // The coordinator does not wait for silos to start what it sends, so its abort can reach a trial first.
        var trial = SweepDriver.Trials([new TrialConfig { LearningRate = 0.0042, Epochs = 60_000 }], seeds: 1)[0];
        string sweepId = $"overtaken-{Guid.NewGuid():N}";
        var grain = fixture.Cluster.Client.GetGrain<ITrialGrain>(ITrialGrain.KeyFor(sweepId, trial.Id));

        await grain.Abort();
        await grain.Start(new TrialAssignment(sweepId, trial));

        var snapshot = await grain.GetSnapshot();
        Assert.Equal(TrialPhase.Idle, snapshot.Phase);
        Assert.Null(snapshot.Result);
    }
}

public sealed class SiloStopTests(SiloLossClusterFixture fixture) : IClassFixture<SiloLossClusterFixture>
{
    [Fact]
    public async Task A_silo_that_stops_stops_its_trials_and_hands_them_back_each_is_recorded_once_from_another_silo()
    {
        var client = fixture.Cluster.Client;
        var trials = SweepDriver.Trials(Enumerable.Range(1, 24).Select(i => new TrialConfig { LearningRate = 0.002 * i, Epochs = 1_500 }), seeds: 1);
        var coordinator = client.GetGrain<ISweepCoordinatorGrain>($"stop-{Guid.NewGuid():N}");
        await coordinator.Start(SweepDriver.Launch("stop", trials));
        var coordinatorSilo = await client.GetGrain<IManagementGrain>(0).GetActivationAddress(coordinator);
        await Task.Delay(300);

        // A graceful stop, as SIGTERM asks of a silo process.
        var victim = fixture.Cluster.GetActiveSilos().First(s => !s.SiloAddress.Equals(coordinatorSilo));
        await fixture.Cluster.StopSiloAsync(victim);

        var results = await SweepDriver.FollowAsync(coordinator, TimeSpan.FromMinutes(2));

        var ids = trials.Select(t => t.Id).ToHashSet();
        var handedBack = ScriptedTrainer.Stopped.Where(s => s.Silo == victim.Name && ids.Contains(s.TrialId)).Select(s => s.TrialId).ToHashSet();
        Assert.NotEmpty(handedBack);
        Assert.Equal(trials.Select(t => t.Id).Order(), results.Select(r => r.Trial.Id).Order());
        Assert.All(results, r => Assert.Equal(TrialStatus.Completed, r.Outcome.Status));
        Assert.All(results.Where(r => handedBack.Contains(r.Trial.Id)), r => Assert.NotEqual(victim.Name, r.Silo));
    }
}
