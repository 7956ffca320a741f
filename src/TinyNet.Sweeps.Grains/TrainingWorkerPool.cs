using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using TinyNet.Sweeps.Domain.Trials;
using TinyNet.Sweeps.Training;

namespace TinyNet.Sweeps.Grains;

public sealed class TrainingOptions
{
    /// <summary>Trials trained at once on this silo; defaults to the machine's cores.</summary>
    public int Workers { get; set; } = Environment.ProcessorCount;

    /// <summary>The name recorded in trials.jsonl as the silo that ran a trial.</summary>
    public string SiloName { get; set; } = Environment.MachineName;
}

public sealed class CoordinatorOptions
{
    /// <summary>How many of a sweep's latest results its coordinator keeps whole (see <see cref="RecordedResults"/>).</summary>
    public int ResultDetailWindow { get; set; } = RecordedResults.DefaultDetailWindow;

    /// <summary>Results one progress call hands over at most: a client far behind (or exporting) catches up in pages.</summary>
    public int ResultsPerProgress { get; set; } = 4096;
}

/// <summary>
/// One dedicated thread per worker, so training never runs on (or starves) the Orleans scheduler and the silo stays
/// responsive. A worker takes the oldest queued trial together with the queued trials that can train as lanes of the
/// same computation (<see cref="ILaneTrainer"/>), at most <see cref="LanesPerGroup"/>, shared fairly with idle workers;
/// each trial's result is handed back the moment its lane leaves the group. Grouping never changes a result.
/// </summary>
public sealed class TrainingWorkerPool : ITrainingService, IDisposable
{
    /// <summary>
    /// Most trials one worker trains at once. The per-trial cost has mostly flattened by here (see `benchmark engine`);
    /// more would only hold trials back from other workers and silos.
    /// </summary>
    public const int LanesPerGroup = 128;

    /// <summary>How long an idle worker, woken by a trial, waits for the trials handed over with it.</summary>
    private const int LingerMilliseconds = 5;

    private readonly ITrialTrainer _trainer;
    private readonly ILaneTrainer? _lanes;
    private readonly ILogger<TrainingWorkerPool> _logger;
    private readonly object _gate = new();
    private readonly LinkedList<WorkItem> _queue = new();
    /// <summary>Trials on a worker, by sweep (under <see cref="_gate"/>).</summary>
    private readonly Dictionary<string, int> _training = new();
    private bool _closed;
    private int _idleWorkers;
    private readonly Thread[] _threads;
    /// <summary>Cancelled when the silo shuts down: every trial in hand stops at its next epoch.</summary>
    private readonly CancellationTokenSource _shutdown = new();

    /// <summary>How long disposing waits for the workers to leave libtorch (a trial stops within one epoch).</summary>
    private static readonly TimeSpan JoinTimeout = TimeSpan.FromSeconds(30);

    public TrainingWorkerPool(ITrialTrainer trainer, IOptions<TrainingOptions> options, ILogger<TrainingWorkerPool> logger)
    {
        _trainer = trainer;
        _lanes = trainer as ILaneTrainer;
        _logger = logger;
        WorkerCount = Math.Max(1, options.Value.Workers);
        _threads = Enumerable.Range(0, WorkerCount)
            .Select(i => new Thread(WorkLoop) { IsBackground = true, Name = $"trainer-{i}" })
            .ToArray();
        foreach (var thread in _threads) thread.Start();
    }

    public int WorkerCount { get; }

    public int TrainingCount(string sweepId)
    {
        lock (_gate) return _training.GetValueOrDefault(sweepId);
    }

    public Task<TrainingRun> TrainAsync(TrialConfig config, int seed, CancellationToken cancellationToken = default, BandWatch? bands = null,
        int order = 0, string? sweepId = null)
    {
        // A configuration no trainer can train fails alone, before it could share a group.
        try { LaneTrainer.Validate(config); }
        catch (ArgumentException e) { return Task.FromException<TrainingRun>(e); }

        var item = new WorkItem(config, seed, bands, CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _shutdown.Token),
            Stopwatch.GetTimestamp(), Activity.Current?.Context ?? default, order, sweepId);
        lock (_gate)
        {
            if (_closed)
            {
                item.Dispose();
                throw new OperationCanceledException("The silo's trainer is shutting down.");
            }
            // In the sweep's order: trials handed over together start in the order they were dispatched.
            var after = _queue.Last;
            while (after is not null && after.Value.Order > order) after = after.Previous;
            if (after is null) _queue.AddFirst(item);
            else _queue.AddAfter(after, item);
            Monitor.Pulse(_gate);
        }
        return item.Completion.Task;
    }

    private void WorkLoop()
    {
        while (TakeGroup() is { } group)
        {
            try { Train(group); }
            finally
            {
                foreach (var item in group)
                {
                    LeaveTraining(item);
                    item.Dispose();
                }
            }
        }
    }

    /// <summary>The next group to train (waiting for one), or null once the pool is closed.</summary>
    private List<WorkItem>? TakeGroup()
    {
        lock (_gate)
        {
            while (true)
            {
                // Trials stopped while queued have already ended (their registration completed them).
                while (_queue.First is { } node && node.Value.CancellationToken.IsCancellationRequested)
                {
                    _queue.RemoveFirst();
                    node.Value.Dispose();
                }
                if (_queue.First is { } first) return TakeCompatible(first);
                if (_closed) return null;
                _idleWorkers++;
                Monitor.Wait(_gate);
                // Woken by the first of trials handed over together: let the rest land, so the group is whole and
                // the sweep's first trial leads it (not whichever grain happened to call first).
                long lingerUntil = Stopwatch.GetTimestamp() + Stopwatch.Frequency * LingerMilliseconds / 1000;
                for (long left; !_closed && (left = lingerUntil - Stopwatch.GetTimestamp()) > 0;)
                    Monitor.Wait(_gate, TimeSpan.FromTicks(Math.Max(1, left * TimeSpan.TicksPerSecond / Stopwatch.Frequency)));
                _idleWorkers--;
            }
        }
    }

    /// <summary>The oldest trial and the queued trials that share its group key, leaving a fair share to idle workers.</summary>
    private List<WorkItem> TakeCompatible(LinkedListNode<WorkItem> first)
    {
        var group = new List<WorkItem>();
        if (_lanes is null)
        {
            _queue.Remove(first);
            group.Add(first.Value);
            EnterTraining(first.Value);
            return group;
        }
        var key = _lanes.GroupKey(first.Value.Config);
        // The oldest goes whatever: a stop may have come since TakeGroup looked (stops do not take the gate), and a group is
        // never empty (an empty one crashed the worker, and with it the process, when an abort came at that moment).
        // Stopped in training, it leaves at its first epoch.
        var compatible = new List<LinkedListNode<WorkItem>> { first };
        for (var node = first.Next; node is not null; node = node.Next)
        {
            if (!node.Value.CancellationToken.IsCancellationRequested && _lanes.GroupKey(node.Value.Config) == key) compatible.Add(node);
        }
        int fairShare = (compatible.Count + _idleWorkers) / (_idleWorkers + 1);
        int take = Math.Min(Math.Min(LanesPerGroup, _lanes.MaxLanesFor(first.Value.Config)), Math.Max(1, fairShare));
        foreach (var node in compatible.Take(take))
        {
            _queue.Remove(node);
            group.Add(node.Value);
            EnterTraining(node.Value);
        }
        return group;
    }

    /// <summary>A trial leaves the queue for a worker (under <see cref="_gate"/>).</summary>
    private void EnterTraining(WorkItem item)
    {
        if (item.SweepId is not { } sweep) return;
        item.Training = true;
        _training[sweep] = _training.GetValueOrDefault(sweep) + 1;
    }

    /// <summary>A trial's lane has left its group (its result is out), or the group has ended; once per trial.</summary>
    private void LeaveTraining(WorkItem item)
    {
        lock (_gate)
        {
            if (!item.Training) return;
            item.Training = false;
            if (_training[item.SweepId!] is > 1 and var n) _training[item.SweepId!] = n - 1;
            else _training.Remove(item.SweepId!);
        }
    }

    private void Train(List<WorkItem> group)
    {
        long started = Stopwatch.GetTimestamp();
        // The worker thread has no ambient trace: continue the first trial's own.
        using var activity = SweepTelemetry.ActivitySource.StartActivity("train", ActivityKind.Internal, group[0].Parent);
        activity?.SetTag("train.lanes", group.Count);
        var queued = group.Select(item => Stopwatch.GetElapsedTime(item.Queued, started)).ToArray();
        foreach (var q in queued) SweepTelemetry.QueueTime.Record(q.TotalMilliseconds);

        void Leave(int lane, TrainingOutcome? outcome)
        {
            var item = group[lane];
            LeaveTraining(item);
            var trained = Stopwatch.GetElapsedTime(started);
            SweepTelemetry.TrainingTime.Record(trained.TotalMilliseconds);
            if (outcome is null) item.Completion.TrySetCanceled(item.CancellationToken);
            else item.Completion.TrySetResult(new TrainingRun(outcome, queued[lane], trained));
        }

        try
        {
            if (_lanes is null)
            {
                var item = group[0];
                Leave(0, _trainer.Train(item.Config, item.Seed, item.CancellationToken, item.Bands));
            }
            else
            {
                _lanes.TrainGroup(group.Select(i => new LaneRequest(i.Config, i.Seed, i.CancellationToken, i.Bands)).ToList(), Leave);
            }
        }
        catch (OperationCanceledException e)
        {
            foreach (var item in group) item.Completion.TrySetCanceled(e.CancellationToken);
        }
        catch (Exception e)
        {
            _logger.LogDebug(e, "Training threw");
            foreach (var item in group) item.Completion.TrySetException(e);
        }
    }

    /// <summary>
    /// Stops every trial in hand and waits for the workers to leave libtorch: a process that exits while a thread is
    /// inside a native call can crash on the way out, which would turn a clean exit code into a signal.
    /// </summary>
    public void Dispose()
    {
        lock (_gate)
        {
            _closed = true;
            Monitor.PulseAll(_gate);
        }
        _shutdown.Cancel();
        foreach (var thread in _threads)
        {
            if (thread != Thread.CurrentThread && !thread.Join(JoinTimeout))
                _logger.LogWarning("Training worker {Worker} did not stop within {Timeout}", thread.Name, JoinTimeout);
        }
    }

    /// <summary>
    /// One trial in the queue or in training. Its stop token joins the trial's own and the silo's shutdown; it is
    /// disposed by the worker that takes the item, once nothing reads the token any more.
    /// </summary>
    private sealed class WorkItem : IDisposable
    {
        private readonly CancellationTokenSource _stop;
        private readonly CancellationTokenRegistration _endWhenStopped;

        public WorkItem(TrialConfig config, int seed, BandWatch? bands, CancellationTokenSource stop, long queued, ActivityContext parent, int order,
            string? sweepId)
        {
            (Config, Seed, Bands, _stop, Queued, Parent, Order, SweepId) = (config, seed, bands, stop, queued, parent, order, sweepId);
            // A trial still queued when it is stopped ends at once; one in training ends at its next epoch.
            _endWhenStopped = stop.Token.Register(() => Completion.TrySetCanceled(stop.Token));
        }

        public TrialConfig Config { get; }
        public int Seed { get; }
        public BandWatch? Bands { get; }
        public long Queued { get; }
        /// <summary>The trial's place in its sweep: lower trains first.</summary>
        public int Order { get; }
        public string? SweepId { get; }
        /// <summary>Counted in its sweep's trials in training (under the pool's gate).</summary>
        public bool Training { get; set; }
        public ActivityContext Parent { get; }
        public CancellationToken CancellationToken => _stop.Token;
        public TaskCompletionSource<TrainingRun> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public void Dispose()
        {
            _endWhenStopped.Dispose();
            _stop.Dispose();
        }
    }
}
