using System.Text.Json;
using TinyNet.Sweeps.Abstractions;
using TinyNet.Sweeps.Domain.Export;
using TinyNet.Sweeps.Domain.Ranking;
using TinyNet.Sweeps.Domain.Trials;

namespace TinyNet.Sweeps.Grains.Tests;

public sealed class CoordinatorTests(ScriptedClusterFixture fixture) : IClassFixture<ScriptedClusterFixture>
{
    private static TrialConfig Config(double learningRate, int epochs = 10) => new() { LearningRate = learningRate, Epochs = epochs };

    [Fact]
    public async Task A_sweep_on_three_silos_finishes_with_exactly_one_result_per_trial()
    {
        var trials = SweepDriver.Trials(Enumerable.Range(1, 12).Select(i => Config(0.01 * i)), seeds: 3);

        var (results, ranking) = await SweepDriver.RunAsync(fixture.Cluster.Client, trials);

        Assert.Equal(trials.Select(t => t.Id).Order(), results.Select(r => r.Trial.Id).Order());
        Assert.All(results, r => Assert.Equal(TrialStatus.Completed, r.Outcome.Status));
        Assert.Equal(12, ranking.Rows.Count);
        Assert.All(ranking.Rows, row => Assert.Equal(3, row.Completed));
        // Lowest learning rate has the lowest scripted calibration error.
        Assert.Equal(0.01, ranking.Rows[0].Config.LearningRate);
    }

    [Fact]
    public async Task Trials_spread_over_every_silo_and_no_silo_exceeds_its_workers()
    {
        var trials = SweepDriver.Trials(Enumerable.Range(1, 30).Select(i => Config(0.001 * i, epochs: 11)), seeds: 1);

        var (results, _) = await SweepDriver.RunAsync(fixture.Cluster.Client, trials);

        var bySilo = results.GroupBy(r => r.Silo).ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal(ClusterFixture.Silos, bySilo.Count);
        Assert.All(bySilo.Values, count => Assert.InRange(count, 5, 15));
        Assert.All(ScriptedTrainer.MaxConcurrencyBySilo.Values, max => Assert.InRange(max, 1, ClusterFixture.WorkersPerSilo));
    }

    [Fact]
    public async Task A_silo_launcher_activates_its_trials_on_its_own_silo()
    {
        // The coordinator counts each trial against the silo whose launcher it calls: the trial must train there.
        var client = fixture.Cluster.Client;
        string sweepId = $"placement-{Guid.NewGuid():N}";
        var trials = SweepDriver.Trials(Enumerable.Range(1, 5 * ClusterFixture.Silos).Select(i => Config(0.001 * i, epochs: 1)), seeds: 1);
        var expected = new Dictionary<string, string>();
        foreach (var (silo, i) in fixture.Cluster.Silos.Select((s, i) => (s, i)))
        {
            var mine = trials.Where((_, k) => k % ClusterFixture.Silos == i).ToList();
            // As the coordinator does: the launcher is placed on the silo it stands for.
            RequestContext.Set(Orleans.Runtime.Placement.IPlacementDirector.PlacementHintKey, silo.SiloAddress);
            try
            {
                var launcher = client.GetGrain<ISiloTrialLauncherGrain>(silo.SiloAddress.ToParsableString());
                Assert.Empty(await launcher.StartTrials([.. mine.Select(t => new TrialAssignment(sweepId, t))]));
            }
            finally { RequestContext.Clear(); }
            foreach (var trial in mine) expected[trial.Id] = silo.Name;
        }

        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(1);
        foreach (var (trialId, siloName) in expected)
        {
            var trial = client.GetGrain<ITrialGrain>(ITrialGrain.KeyFor(sweepId, trialId));
            TrialSnapshot snapshot;
            while ((snapshot = await trial.GetSnapshot()).Result is null)
            {
                Assert.True(DateTime.UtcNow < deadline, $"trial {trialId} not finished: {snapshot}");
                await Task.Delay(20);
            }
            Assert.Equal(siloName, snapshot.Result.Silo);
        }
    }

    [Fact]
    public async Task Progress_tells_trials_training_on_a_worker_from_those_queued_in_their_silo()
    {
        // 24 trials of 600 ms on 3 silos × 2 workers: all are handed out at once, at most 6 train, the rest wait in the silos.
        var trials = SweepDriver.Trials(Enumerable.Range(1, 24).Select(i => Config(0.001 * i, epochs: 600)), seeds: 1);
        string sweepId = $"test-{Guid.NewGuid():N}";
        var coordinator = fixture.Cluster.Client.GetGrain<ISweepCoordinatorGrain>(sweepId);
        var capacities = fixture.Cluster.Silos
            .Select(s => fixture.Cluster.Client.GetGrain<ISiloCapacityGrain>(s.SiloAddress.ToParsableString())).ToList();
        await coordinator.Start(SweepDriver.Launch("counts", trials));

        var samples = new List<SweepProgress>();
        var perSilo = new List<int>();
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(1);
        while (true)
        {
            var progress = await coordinator.GetProgress(int.MaxValue, TimeSpan.Zero);
            samples.Add(progress);
            if (progress.IsOver) break;
            Assert.True(DateTime.UtcNow < deadline, $"sweep not over: {progress}");
            foreach (var capacity in capacities) perSilo.Add(await capacity.GetTraining(sweepId));
            await Task.Delay(100);
        }

        Assert.All(samples, p =>
        {
            Assert.Equal(p.Running, p.Training + p.Queued);
            Assert.InRange(p.Training, 0, ClusterFixture.Silos * ClusterFixture.WorkersPerSilo);
            Assert.InRange(p.Queued, 0, p.Total);
            Assert.True(p.Running + p.Finished <= p.Total, p.ToString());
        });
        Assert.All(perSilo, training => Assert.InRange(training, 0, ClusterFixture.WorkersPerSilo));
        // Mid-sweep: some training, the others queued, and together with the finished ones every trial handed out.
        Assert.Contains(samples, p => p.Training > 0 && p.Queued > 0 && p.Training + p.Queued + p.Finished == p.Total);
        Assert.Contains(perSilo, training => training == ClusterFixture.WorkersPerSilo);
        Assert.Equal((0, 0, 24), (samples[^1].Training, samples[^1].Queued, samples[^1].Finished));
    }

    [Fact]
    public async Task A_ranking_read_in_pages_is_the_whole_ranking_with_its_Pareto_front_on_the_last_page()
    {
        var trials = SweepDriver.Trials(Enumerable.Range(1, 11).Select(i => Config(0.01 * i)), seeds: 2);
        var coordinator = fixture.Cluster.Client.GetGrain<ISweepCoordinatorGrain>($"test-{Guid.NewGuid():N}");
        await coordinator.Start(SweepDriver.Launch("paged", trials));
        await SweepDriver.FollowAsync(coordinator, TimeSpan.FromMinutes(3));
        var whole = await coordinator.GetRanking();

        var pages = new List<RankingPage>();
        for (int offset = 0; pages.Count == 0 || !pages[^1].IsLast; offset += pages[^1].Rows.Count)
            pages.Add(await coordinator.GetRankingPage(offset, 4));

        Assert.Equal([4, 4, 3], pages.Select(p => p.Rows.Count));
        Assert.All(pages, p => Assert.Equal((11, 22, "paged"), (p.TotalRows, p.Ranked, p.Name)));
        Assert.Equal(whole.Rows.Select(Json), pages.SelectMany(p => p.Rows).Select(Json));
        Assert.Equal([null, null], pages.Take(2).Select(p => p.ParetoFront));
        Assert.Equal(SweepStatistics.ParetoFront(whole.Rows), pages[^1].ParetoFront);
        // However many rows are asked for, a page stays a bounded message; past the end, an empty last page.
        Assert.Equal(11, (await coordinator.GetRankingPage(0, int.MaxValue)).Rows.Count);
        var beyond = await coordinator.GetRankingPage(50, 10);
        Assert.True(beyond.IsLast);
        Assert.Empty(beyond.Rows);
    }

    private static string Json(RankedConfiguration row) => JsonSerializer.Serialize(row, SweepJson.Options);

    [Fact]
    public async Task A_trial_that_throws_twice_is_retried_and_completes()
    {
        var trials = SweepDriver.Trials([Config(ScriptedTrainer.FlakyRate)], seeds: 1);

        var (results, _) = await SweepDriver.RunAsync(fixture.Cluster.Client, trials);

        var result = Assert.Single(results);
        Assert.Equal(TrialStatus.Completed, result.Outcome.Status);
        Assert.Equal(3, result.Attempts);
    }

    [Fact]
    public async Task A_trial_that_always_throws_is_failed_with_its_error_and_the_sweep_completes()
    {
        var trials = SweepDriver.Trials([Config(ScriptedTrainer.BrokenRate), Config(0.2)], seeds: 2);

        var (results, ranking) = await SweepDriver.RunAsync(fixture.Cluster.Client, trials);

        Assert.Equal(4, results.Count);
        var failed = results.Where(r => r.Outcome.Status == TrialStatus.Failed).ToList();
        Assert.Equal(2, failed.Count);
        Assert.All(failed, r =>
        {
            Assert.Equal(1 + TrialGrain.MaxRetries, r.Attempts);
            Assert.Contains("always broken", r.Outcome.Error);
        });
        Assert.Equal(0.2, ranking.Rows[0].Config.LearningRate);
        Assert.Equal(2, ranking.Rows[^1].Failed);
    }

    [Fact]
    public async Task Diverged_configurations_rank_after_every_completed_one()
    {
        // The diverging rate is lower than the completed ones', so only the status can put it last.
        var trials = SweepDriver.Trials([Config(ScriptedTrainer.DivergingRate), Config(0.3), Config(0.4)], seeds: 2);

        var (_, ranking) = await SweepDriver.RunAsync(fixture.Cluster.Client, trials);

        Assert.Equal([0.3, 0.4, ScriptedTrainer.DivergingRate], ranking.Rows.Select(r => r.Config.LearningRate));
        Assert.Equal(2, ranking.Rows[^1].Diverged);
    }

    [Fact]
    public async Task Prior_results_are_reused_and_not_trained_again()
    {
        var trials = SweepDriver.Trials([Config(0.06), Config(0.07)], seeds: 2);
        var prior = new TrialResult(trials[0], ScriptedTrainer.Completed(trials[0].Config, trials[0].Seed), "earlier-run", 5, 1);

        var (results, ranking) = await SweepDriver.RunAsync(fixture.Cluster.Client, trials, [prior]);

        Assert.Equal(4, results.Count);
        Assert.Equal("earlier-run", results.Single(r => r.Trial.Id == trials[0].Id).Silo);
        Assert.Equal(2, ranking.Rows.Count);
    }

    [Fact]
    public async Task A_coordinator_that_loses_its_activation_resumes_from_its_saved_progress()
    {
        var client = fixture.Cluster.Client;
        var trials = SweepDriver.Trials(Enumerable.Range(1, 24).Select(i => Config(0.002 * i, epochs: 60)), seeds: 1);
        var coordinator = client.GetGrain<ISweepCoordinatorGrain>($"resume-{Guid.NewGuid():N}");
        await coordinator.Start(SweepDriver.Launch("resume", trials));
        var early = await coordinator.GetProgress(0, TimeSpan.FromSeconds(5));
        Assert.NotEmpty(early.NewResults);

        // Forget everything the coordinator holds in memory, as a crash of its silo would.
        await fixture.Cluster.DeactivateAsync(coordinator);

        var results = await SweepDriver.FollowAsync(coordinator, TimeSpan.FromMinutes(1));
        Assert.Equal(trials.Select(t => t.Id).Order(), results.Select(r => r.Trial.Id).Order());
        Assert.Equal(SweepState.Completed, (await coordinator.GetProgress(0, TimeSpan.Zero)).State);
        Assert.Contains(await client.GetGrain<ISweepRegistryGrain>(ISweepRegistryGrain.Key).List(), s => s.Id == coordinator.GetPrimaryKeyString());
    }

    [Fact]
    public async Task Two_sweeps_at_once_share_the_cluster_and_keep_their_own_results()
    {
        var client = fixture.Cluster.Client;
        // The same trials in both sweeps: only the sweep id keeps their results apart.
        var trials = SweepDriver.Trials(Enumerable.Range(1, 36).Select(i => Config(0.0005 * i, epochs: 30)), seeds: 1);
        var a = client.GetGrain<ISweepCoordinatorGrain>($"fair-a-{Guid.NewGuid():N}");
        var b = client.GetGrain<ISweepCoordinatorGrain>($"fair-b-{Guid.NewGuid():N}");
        await Task.WhenAll(
            a.Start(SweepDriver.Launch("a", trials)),
            b.Start(SweepDriver.Launch("b", trials)));

        int otherWhenFirstEnded = -1;
        var deadline = DateTime.UtcNow.AddMinutes(1);
        while (true)
        {
            var (pa, pb) = (await a.GetProgress(int.MaxValue, TimeSpan.Zero), await b.GetProgress(int.MaxValue, TimeSpan.Zero));
            if (otherWhenFirstEnded < 0 && (pa.IsOver || pb.IsOver)) otherWhenFirstEnded = pa.IsOver ? pb.Finished : pa.Finished;
            if (pa.IsOver && pb.IsOver) break;
            Assert.True(DateTime.UtcNow < deadline, "the two sweeps did not finish");
            await Task.Delay(10);
        }

        // Fair: neither sweep waits for the other to finish; by the time one ends, the other is well on its way.
        Assert.True(otherWhenFirstEnded >= trials.Count / 2, $"the other sweep had only {otherWhenFirstEnded} of {trials.Count} trials done");
        foreach (var sweep in new[] { a, b })
        {
            var results = (await sweep.GetProgress(0, TimeSpan.Zero)).NewResults;
            Assert.Equal(trials.Select(t => t.Id).Order(), results.Select(r => r.Trial.Id).Order());
        }
    }
}
