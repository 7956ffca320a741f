using TinyNet.Sweeps.Abstractions;
using Microsoft.Extensions.Logging.Abstractions;
using Orleans.Storage;
using TinyNet.Sweeps.Domain.Trials;

namespace TinyNet.Sweeps.Grains.Tests;

/// <summary>The silo's result outbox and the coordinator's paged progress, without a cluster.</summary>
public sealed class BatchingTests
{
    private static TrialResult Result(string id) =>
        new(new TrialSpec(id, "cfg", 0, new TrialConfig(), 0), ScriptedTrainer.Completed(new TrialConfig(), 0), "silo-1", 1, 1);

    /// <summary>A coordinator that takes its first batch only when told, and records every batch it got.</summary>
    private sealed class HeldCoordinator
    {
        public readonly TaskCompletionSource FirstMayReturn = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public readonly List<(string Sweep, List<string> Ids)> Batches = new();
        public int Failures;

        public async Task Receive(string sweepId, IReadOnlyList<TrialResult> results)
        {
            bool first;
            lock (Batches)
            {
                first = Batches.Count == 0;
                Batches.Add((sweepId, results.Select(r => r.Trial.Id).ToList()));
            }
            if (first) await FirstMayReturn.Task;
            if (Interlocked.Decrement(ref Failures) >= 0) throw new TimeoutException("coordinator busy");
        }
    }

    private static TrialResultOutbox Outbox(HeldCoordinator coordinator) =>
        new(coordinator.Receive, NullLogger.Instance, linger: TimeSpan.Zero, retryDelay: _ => TimeSpan.Zero);

    [Fact]
    public async Task Results_that_arrive_while_a_batch_is_on_its_way_go_together_in_the_next_batch()
    {
        var coordinator = new HeldCoordinator();
        var outbox = Outbox(coordinator);

        var first = outbox.Post("s", Result("a"));
        while (coordinator.Batches.Count == 0) await Task.Delay(1);
        var later = new[] { "b", "c", "d" }.Select(id => outbox.Post("s", Result(id))).ToList();
        coordinator.FirstMayReturn.SetResult();
        await Task.WhenAll([first, .. later]);

        Assert.Equal([["a"], ["b", "c", "d"]], coordinator.Batches.Select(b => b.Ids));
    }

    [Fact]
    public async Task A_batch_holds_at_most_MaxBatch_results_and_each_sweep_gets_its_own()
    {
        var coordinator = new HeldCoordinator();
        var outbox = Outbox(coordinator);

        var first = outbox.Post("s", Result("first"));
        while (coordinator.Batches.Count == 0) await Task.Delay(1);
        var many = Enumerable.Range(0, TrialResultOutbox.MaxBatch + 10).Select(i => outbox.Post("s", Result($"r{i}"))).ToList();
        var other = outbox.Post("other", Result("x"));
        coordinator.FirstMayReturn.SetResult();
        await Task.WhenAll([first, other, .. many]);

        var ofS = coordinator.Batches.Where(b => b.Sweep == "s").Select(b => b.Ids.Count).ToList();
        Assert.Equal([1, TrialResultOutbox.MaxBatch, 10], ofS);
        Assert.Equal(["x"], Assert.Single(coordinator.Batches, b => b.Sweep == "other").Ids);
    }

    [Fact]
    public async Task A_batch_that_fails_is_sent_again_whole_and_given_up_after_MaxAttempts()
    {
        var coordinator = new HeldCoordinator { Failures = 1 };
        coordinator.FirstMayReturn.SetResult();
        var outbox = Outbox(coordinator);

        await outbox.Post("s", Result("a"));
        Assert.Equal([["a"], ["a"]], coordinator.Batches.Select(b => b.Ids));

        var hopeless = new HeldCoordinator { Failures = int.MaxValue };
        hopeless.FirstMayReturn.SetResult();
        // Given up, not hanging: the trial keeps its result, and a re-ask reports it again.
        await Outbox(hopeless).Post("s", Result("b")).WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(TrialResultOutbox.MaxAttempts, hopeless.Batches.Count);
    }

    /// <summary>A grain storage in a dictionary that checks ETags and counts writes per state name.</summary>
    private sealed class CountingStorage : IGrainStorage
    {
        private readonly Dictionary<string, (List<string> Ids, string ETag)> _pages = new();
        public readonly Dictionary<string, int> Writes = new();

        public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
        {
            if (_pages.TryGetValue(stateName, out var page))
            {
                grainState.State = (T)(object)new FinishedTrialPage { TrialIds = [.. page.Ids] };
                grainState.ETag = page.ETag;
                grainState.RecordExists = true;
            }
            return Task.CompletedTask;
        }

        public Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
        {
            if (_pages.TryGetValue(stateName, out var page) ? page.ETag != grainState.ETag : grainState.ETag is not null)
                throw new InconsistentStateException("stale ETag");
            string etag = Guid.NewGuid().ToString("N");
            _pages[stateName] = ([.. ((FinishedTrialPage)(object)grainState.State!).TrialIds], etag);
            grainState.ETag = etag;
            Writes[stateName] = Writes.GetValueOrDefault(stateName) + 1;
            return Task.CompletedTask;
        }

        public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) => throw new NotSupportedException();

        /// <summary>What a write that timed out but landed leaves: the stored page's ETag changed behind its writer.</summary>
        public void ChangeETagBehindTheWriter(string stateName) => _pages[stateName] = (_pages[stateName].Ids, Guid.NewGuid().ToString("N"));
    }

    [Fact]
    public async Task A_page_whose_etag_changed_behind_the_coordinator_is_written_again_not_refused()
    {
        var storage = new CountingStorage();
        var owner = GrainId.Create("coordinator", "sweep-2");
        var pages = new FinishedTrialPages(storage, owner, "finished");
        pages.Add("t0");
        await pages.SaveAsync();

        storage.ChangeETagBehindTheWriter("finished-0");
        pages.Add("t1");
        await pages.SaveAsync();

        Assert.Equal(0, pages.Unsaved);
        Assert.Equal(["t0", "t1"], await new FinishedTrialPages(storage, owner, "finished").ReadAsync(1));
    }

    [Fact]
    public async Task Finished_ids_are_saved_in_pages_each_save_writes_only_the_pages_that_changed_and_read_back_in_order()
    {
        var storage = new CountingStorage();
        var owner = GrainId.Create("coordinator", "sweep-1");
        var pages = new FinishedTrialPages(storage, owner, "finished");
        var ids = Enumerable.Range(0, FinishedTrialPages.PageSize * 2 + 5).Select(i => $"t{i}").ToList();

        foreach (string id in ids.Take(FinishedTrialPages.PageSize + 1)) pages.Add(id);
        await pages.SaveAsync();
        foreach (string id in ids.Skip(FinishedTrialPages.PageSize + 1)) pages.Add(id);
        await pages.SaveAsync();
        await pages.SaveAsync(); // nothing new: nothing written

        Assert.Equal(3, pages.PageCount);
        Assert.Equal(0, pages.Unsaved);
        // The full first page was written once; the second when it was started and again when it filled.
        Assert.Equal(new Dictionary<string, int> { ["finished-0"] = 1, ["finished-1"] = 2, ["finished-2"] = 1 }, storage.Writes);

        var reactivated = new FinishedTrialPages(storage, owner, "finished");
        Assert.Equal(ids, await reactivated.ReadAsync(pages.PageCount));
        reactivated.Add("t0"); // recorded again as the reactivated coordinator recovers it: listed once
        reactivated.Add("late");
        await reactivated.SaveAsync(); // continues the last page, with the ETag it read
        Assert.Equal([.. ids, "late"], await new FinishedTrialPages(storage, owner, "finished").ReadAsync(3));
    }
}

/// <summary>Results in batches reach a real coordinator: each trial is still recorded exactly once.</summary>
public sealed class BatchedReportTests(ScriptedClusterFixture fixture) : IClassFixture<ScriptedClusterFixture>
{
    [Fact]
    public async Task A_batch_holding_a_result_twice_and_one_its_trial_reports_later_records_each_trial_once()
    {
        var client = fixture.Cluster.Client;
        // Two seconds each: the batch below arrives long before the trials' own results.
        var trials = SweepDriver.Trials(Enumerable.Range(1, 4).Select(i => new TrialConfig { LearningRate = 0.003 * i, Epochs = 2_000 }), seeds: 1);
        var coordinator = client.GetGrain<ISweepCoordinatorGrain>($"batch-{Guid.NewGuid():N}");
        await coordinator.Start(SweepDriver.Launch("batch", trials));

        TrialResult Early(TrialSpec trial) => new(trial, ScriptedTrainer.Completed(trial.Config, trial.Seed), "early", 1, 1);
        await coordinator.ReportResults([Early(trials[0]), Early(trials[0]), Early(trials[1])]);
        await coordinator.ReportResults([Early(trials[1])]);
        var results = await SweepDriver.FollowAsync(coordinator, TimeSpan.FromMinutes(1));

        Assert.Equal(trials.Select(t => t.Id).Order(), results.Select(r => r.Trial.Id).Order());
        Assert.Equal(["early", "early"], results.Where(r => r.Trial.Id == trials[0].Id || r.Trial.Id == trials[1].Id).Select(r => r.Silo));
        var progress = await coordinator.GetProgress(0, TimeSpan.Zero);
        Assert.Equal(trials.Count, progress.Completed);
    }
}
