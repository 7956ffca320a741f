using System.Collections.Concurrent;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using TinyNet.Sweeps.Domain.Trials;
using TinyNet.Sweeps.Training;

namespace TinyNet.Sweeps.Grains.Tests;

/// <summary>How the silo's pool forms groups of lanes, with a trainer that records its groups instead of training.</summary>
public sealed class TrainingWorkerPoolTests
{
    /// <summary>
    /// Groups by hidden units; a group waits for <see cref="Release"/> before it trains, and each lane "trains" for as
    /// many epochs as it has, in ticks of the group, leaving as it finishes.
    /// </summary>
    sealed class RecordingTrainer : ILaneTrainer
    {
        public readonly ConcurrentQueue<int[]> Groups = new();
        public readonly SemaphoreSlim Release = new(0);

        public LaneGroupKey GroupKey(TrialConfig config) => LaneTrainer.GroupKey(config);

        public int MaxLanesFor(TrialConfig config) => LaneTrainer.MaxLanes;

        public TrainingOutcome Train(TrialConfig config, int seed, CancellationToken cancellationToken = default, BandWatch? bands = null) =>
            throw new InvalidOperationException("the pool trains groups");

        public IReadOnlyList<TrainingOutcome?> TrainGroup(IReadOnlyList<LaneRequest> lanes, Action<int, TrainingOutcome?>? onLeave = null)
        {
            Groups.Enqueue(lanes.Select(l => l.Seed).ToArray());
            Release.Wait();
            var outcomes = new TrainingOutcome?[lanes.Count];
            foreach (var (lane, index) in lanes.Select((l, i) => (l, i)).OrderBy(p => p.l.Config.Epochs))
            {
                outcomes[index] = lane.CancellationToken.IsCancellationRequested ? null : new TrainingOutcome(TrialStatus.Completed, [lane.Seed]);
                onLeave?.Invoke(index, outcomes[index]);
                // The longer lanes go on: a finished lane must already have been handed back.
                Thread.Sleep(20);
            }
            return outcomes;
        }
    }

    static TrainingWorkerPool Pool(ILaneTrainer trainer, int workers) =>
        new(trainer, Options.Create(new TrainingOptions { Workers = workers, SiloName = "test" }), NullLogger<TrainingWorkerPool>.Instance);

    [Fact]
    public async Task Queued_trials_of_one_shape_train_together_and_shapes_never_mix()
    {
        var trainer = new RecordingTrainer();
        using var pool = Pool(trainer, workers: 1);
        // The worker takes seed 0 alone (nothing else is queued yet) and holds it until released.
        var first = pool.TrainAsync(new TrialConfig { HiddenUnits = 3 }, 0);
        await WaitUntil(() => trainer.Groups.Count == 1);
        var queued = Enumerable.Range(1, 6)
            .Select(seed => pool.TrainAsync(new TrialConfig { HiddenUnits = seed % 2 == 0 ? 3 : 5 }, seed))
            .ToList();

        trainer.Release.Release(3);
        await Task.WhenAll(queued.Append(first));

        // Oldest first: seed 1 (5 hidden units) leads, with every queued trial of its shape.
        Assert.Equal([[0], [1, 3, 5], [2, 4, 6]], trainer.Groups.ToArray());
    }

    [Fact]
    public async Task Only_trials_on_a_worker_count_as_training_each_in_its_own_sweep()
    {
        var trainer = new RecordingTrainer();
        using var pool = Pool(trainer, workers: 1);
        var first = pool.TrainAsync(new TrialConfig { HiddenUnits = 3 }, 0, sweepId: "a");
        await WaitUntil(() => trainer.Groups.Count == 1);
        var queuedA = Enumerable.Range(1, 2).Select(seed => pool.TrainAsync(new TrialConfig { HiddenUnits = 3 }, seed, sweepId: "a")).ToList();
        var queuedB = pool.TrainAsync(new TrialConfig { HiddenUnits = 5 }, 3, sweepId: "b");

        // One on the worker, three in the queue.
        Assert.Equal(1, pool.TrainingCount("a"));
        Assert.Equal(0, pool.TrainingCount("b"));

        trainer.Release.Release();
        await first;
        await WaitUntil(() => trainer.Groups.Count == 2);
        // Seeds 1 and 2 train together as lanes; b's trial, of another shape, still waits.
        Assert.Equal(2, pool.TrainingCount("a"));
        Assert.Equal(0, pool.TrainingCount("b"));

        trainer.Release.Release();
        await queuedA[0];
        // Its lane has left the group: no longer training, whatever the other lane does.
        Assert.InRange(pool.TrainingCount("a"), 0, 1);
        await queuedA[1];
        await WaitUntil(() => trainer.Groups.Count == 3);
        Assert.Equal(0, pool.TrainingCount("a"));
        Assert.Equal(1, pool.TrainingCount("b"));

        trainer.Release.Release();
        await queuedB;
        Assert.Equal(0, pool.TrainingCount("b"));
    }

    [Fact]
    public async Task Trials_handed_over_together_start_in_the_sweeps_order()
    {
        var trainer = new RecordingTrainer();
        using var pool = Pool(trainer, workers: 1);
        // Arriving together, the sweep's last trial first: the idle worker lets the rest land, then the first leads.
        var tasks = new[]
        {
            pool.TrainAsync(new TrialConfig { HiddenUnits = 9 }, 2, order: 2),
            pool.TrainAsync(new TrialConfig(), 0, order: 0),
            pool.TrainAsync(new TrialConfig(), 1, order: 1),
        };
        trainer.Release.Release(2);
        await Task.WhenAll(tasks);

        Assert.Equal([[0, 1], [2]], trainer.Groups.ToArray());
    }

    [Fact]
    public async Task Idle_workers_get_a_fair_share_of_a_shape()
    {
        var trainer = new RecordingTrainer();
        using var pool = Pool(trainer, workers: 2);
        // Both workers are busy with a group of one...
        var busy = new[] { pool.TrainAsync(new TrialConfig(), 100), pool.TrainAsync(new TrialConfig { HiddenUnits = 9 }, 101) };
        await WaitUntil(() => trainer.Groups.Count == 2);
        var queued = Enumerable.Range(0, 10).Select(seed => pool.TrainAsync(new TrialConfig(), seed)).ToList();
        // ...then one finishes and finds the other busy: it takes all ten. Released together, they split.
        trainer.Release.Release(4);
        await Task.WhenAll(queued.Concat(busy));

        var groups = trainer.Groups.Skip(2).ToArray();
        Assert.Equal(10, groups.Sum(g => g.Length));
        Assert.All(groups, g => Assert.InRange(g.Length, 1, TrainingWorkerPool.LanesPerGroup));
    }

    [Fact]
    public async Task A_lane_is_handed_back_when_it_leaves_not_when_its_group_ends()
    {
        var trainer = new RecordingTrainer();
        using var pool = Pool(trainer, workers: 1);
        var blocker = pool.TrainAsync(new TrialConfig(), 0);
        await WaitUntil(() => trainer.Groups.Count == 1);
        var shortTrial = pool.TrainAsync(new TrialConfig { Epochs = 1 }, 1);
        var longTrials = Enumerable.Range(2, 20).Select(seed => pool.TrainAsync(new TrialConfig { Epochs = 100 }, seed)).ToList();
        trainer.Release.Release(2);

        var done = await shortTrial;
        Assert.Equal(1, done.Outcome.LossHistory[0]);
        Assert.Contains(longTrials, t => !t.IsCompleted);
        await Task.WhenAll(longTrials.Append(blocker));
    }

    [Fact]
    public async Task A_trial_stopped_while_queued_ends_at_once_and_never_trains()
    {
        var trainer = new RecordingTrainer();
        using var pool = Pool(trainer, workers: 1);
        var blocker = pool.TrainAsync(new TrialConfig(), 0);
        await WaitUntil(() => trainer.Groups.Count == 1);
        using var stop = new CancellationTokenSource();
        var stopped = pool.TrainAsync(new TrialConfig(), 1, stop.Token);
        var kept = pool.TrainAsync(new TrialConfig(), 2);

        stop.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => stopped);
        trainer.Release.Release(2);
        await Task.WhenAll(blocker, kept);

        Assert.Equal([[0], [2]], trainer.Groups.ToArray());
    }

    /// <summary>
    /// A stop that lands while the worker forms its group (found by a full CI run: an abort at that moment left the group
    /// empty, and the worker's exception ended the process). The trainer stops the trial when asked for its shape.
    /// </summary>
    [Fact]
    public async Task A_trial_stopped_while_its_group_is_formed_ends_stopped_and_the_worker_goes_on()
    {
        using var stop = new CancellationTokenSource();
        var trainer = new StoppingTrainer(stop);
        using var pool = Pool(trainer, workers: 1);

        var stopped = pool.TrainAsync(new TrialConfig(), 1, stop.Token);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => stopped);
        var next = await pool.TrainAsync(new TrialConfig(), 2).WaitAsync(TimeSpan.FromSeconds(30));

        Assert.True(stop.IsCancellationRequested, "the trainer never stopped the trial: the test did not test anything");
        Assert.Equal(TrialStatus.Completed, next.Outcome.Status);
    }

    /// <summary>Stops a trial the first time the pool asks for a shape, then trains as the recording trainer does, at once.</summary>
    sealed class StoppingTrainer(CancellationTokenSource stop) : ILaneTrainer
    {
        private readonly RecordingTrainer _inner = new();

        public LaneGroupKey GroupKey(TrialConfig config)
        {
            stop.Cancel();
            return _inner.GroupKey(config);
        }

        public int MaxLanesFor(TrialConfig config) => _inner.MaxLanesFor(config);

        public TrainingOutcome Train(TrialConfig config, int seed, CancellationToken cancellationToken = default, BandWatch? bands = null) =>
            _inner.Train(config, seed, cancellationToken, bands);

        public IReadOnlyList<TrainingOutcome?> TrainGroup(IReadOnlyList<LaneRequest> lanes, Action<int, TrainingOutcome?>? onLeave = null)
        {
            _inner.Release.Release();
            return _inner.TrainGroup(lanes, onLeave);
        }
    }

    [Fact]
    public async Task A_configuration_no_trainer_can_train_fails_alone()
    {
        var trainer = new RecordingTrainer();
        using var pool = Pool(trainer, workers: 1);

        await Assert.ThrowsAsync<ArgumentException>(() => pool.TrainAsync(new TrialConfig { HiddenUnits = 0 }, 1));
        Assert.Empty(trainer.Groups);
    }

    static async Task WaitUntil(Func<bool> condition)
    {
        for (int i = 0; i < 500 && !condition(); i++) await Task.Delay(10);
        Assert.True(condition(), "the pool did not get there within 5 s");
    }
}
