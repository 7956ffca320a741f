using Microsoft.Extensions.Logging;
using Orleans.Runtime.Placement;
using TinyNet.Sweeps.Abstractions;
using TinyNet.Sweeps.Domain.Ranking;
using TinyNet.Sweeps.Domain.Trials;

namespace TinyNet.Sweeps.Grains;

/// <summary>What a sweep was asked to do; written once, when it starts.</summary>
[GenerateSerializer, Alias("TinyNet.Sweeps.CoordinatorLaunchState")]
public sealed class CoordinatorLaunchState
{
    [Id(0)] public SweepLaunch? Launch { get; set; }
    [Id(1)] public DateTimeOffset SubmittedAt { get; set; }
}

/// <summary>How far a sweep has got; written at every result. The results themselves live in the trial grains.</summary>
[GenerateSerializer, Alias("TinyNet.Sweeps.CoordinatorProgressState")]
public sealed class CoordinatorProgressState
{
    [Id(0)] public SweepState State { get; set; }
    [Id(1)] public List<string> FinishedTrialIds { get; set; } = new();
}

/// <summary>
/// Runs one sweep: dispatches trials to the silos with the most free training workers (a silo trains no more at
/// once than its workers), records each result exactly once and ranks them. Its launch and progress are persisted
/// and a reminder keeps it alive while it runs, so a sweep survives the loss of the coordinator's silo, or of
/// every silo: the reactivated coordinator collects finished results from the trial grains and dispatches the rest.
/// </summary>
public sealed class SweepCoordinatorGrain(
    [PersistentState("launch", SiloSetup.StorageName)] IPersistentState<CoordinatorLaunchState> launchState,
    [PersistentState("progress", SiloSetup.StorageName)] IPersistentState<CoordinatorProgressState> progressState,
    ILogger<SweepCoordinatorGrain> logger) : Grain, ISweepCoordinatorGrain, IRemindable
{
    private static readonly TimeSpan CapacityRefreshPeriod = TimeSpan.FromSeconds(5);
    private const string KeepRunningReminder = "keep-running";

    /// <summary>
    /// Trials a silo holds per training worker: one training and one queued in the silo's own pool, so a worker
    /// that finishes starts its next trial at once instead of waiting for this grain's round trip. The pool
    /// still trains no more trials at once than it has workers.
    /// </summary>
    public const int TrialsInHandPerWorker = 2;

    private SweepLaunch? _launch;
    private SweepState _state = SweepState.NotStarted;
    private readonly Queue<TrialSpec> _pending = new();
    private readonly Dictionary<string, SiloAddress> _running = new();
    private readonly List<TrialResult> _results = new();
    private readonly HashSet<string> _finished = new();
    private Dictionary<SiloAddress, int> _capacity = new();
    private readonly Dictionary<SiloAddress, int> _load = new();
    private IGrainTimer? _capacityTimer;
    private TaskCompletionSource _changed = NewSignal();

    private string SweepId => this.GetPrimaryKeyString();

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (launchState.State.Launch is not { } launch) return;
        // A reactivation: the sweep started earlier, on this silo or another that may be gone.
        _launch = launch;
        _state = progressState.State.State;
        await RecoverResults(launch, progressState.State.FinishedTrialIds);
        if (_state == SweepState.Running)
        {
            EnqueueUnfinished(launch);
            logger.LogWarning("Sweep {SweepId} resumes: {Finished} of {Total} trials finished, the rest dispatched again",
                SweepId, _finished.Count, launch.Trials.Count);
            StartCapacityTimer(dueTime: TimeSpan.Zero);
        }
    }

    public async Task Start(SweepLaunch launch)
    {
        if (_launch is not null) return;
        _launch = launch;
        _state = SweepState.Running;
        var planned = launch.Trials.Select(t => t.Id).ToHashSet();
        foreach (var prior in launch.PriorResults.Where(r => planned.Contains(r.Trial.Id)))
            Record(prior);
        EnqueueUnfinished(launch);
        logger.LogInformation("Sweep {SweepId} ({Name}) starts: {Total} trials, {Reused} reused from earlier runs",
            SweepId, launch.Name, launch.Trials.Count, _finished.Count);

        launchState.State = new CoordinatorLaunchState { Launch = launch, SubmittedAt = DateTimeOffset.UtcNow };
        await launchState.WriteStateAsync();
        await SaveProgress();
        await GrainFactory.GetGrain<ISweepRegistryGrain>(ISweepRegistryGrain.Key)
            .Register(new SweepSummary(SweepId, launch.Name, launchState.State.SubmittedAt, launch.Trials.Count));
        // If every silo goes down, the reminder brings this sweep back when silos return.
        await this.RegisterOrUpdateReminder(KeepRunningReminder, TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(1));

        await RefreshCapacity();
        StartCapacityTimer(dueTime: CapacityRefreshPeriod);
        await Dispatch();
        await CompleteIfDone();
    }

    public async Task ReportResult(TrialResult result)
    {
        if (_running.Remove(result.Trial.Id, out var silo) && _load.TryGetValue(silo, out int load))
            _load[silo] = Math.Max(0, load - 1);
        if (!Record(result)) return;
        await SaveProgress();
        await Dispatch();
        await CompleteIfDone();
    }

    public async Task<SweepProgress> GetProgress(int cursor, TimeSpan maxWait)
    {
        cursor = Math.Clamp(cursor, 0, _results.Count);
        if (cursor == _results.Count && !IsOver && maxWait > TimeSpan.Zero)
        {
            await Task.WhenAny(_changed.Task, Task.Delay(maxWait));
            cursor = Math.Clamp(cursor, 0, _results.Count);
        }
        int Count(TrialStatus status) => _results.Count(r => r.Outcome.Status == status);
        return new SweepProgress(
            _state,
            _launch?.Trials.Count ?? 0,
            Count(TrialStatus.Completed),
            Count(TrialStatus.Diverged),
            Count(TrialStatus.Failed),
            _running.Count,
            _results.Skip(cursor).ToList(),
            _results.Count);
    }

    public Task<SweepRanking> GetRanking()
    {
        if (_launch is null) throw new InvalidOperationException($"There is no sweep '{SweepId}' in this cluster.");
        return Task.FromResult(Ranker.Rank(_launch.Name, _launch.Metric, _results, _launch.Labels));
    }

    public Task<SweepInfo?> GetInfo() => Task.FromResult(_launch is null
        ? null
        : new SweepInfo(SweepId, _launch.Name, _launch.Metric, launchState.State.SubmittedAt, _launch.Trials.Count, _launch.Labels));

    public async Task Cancel()
    {
        if (_state != SweepState.Running) return;
        logger.LogInformation("Sweep {SweepId} cancelled with {Pending} trials not started", SweepId, _pending.Count);
        _pending.Clear();
        _state = SweepState.Cancelled;
        await SaveProgress();
        Signal();
        await CompleteIfDone();
    }

    public async Task Abort()
    {
        if (_state is not (SweepState.Running or SweepState.Cancelled)) return;
        logger.LogInformation("Sweep {SweepId} aborted: {Pending} trials not started, {Running} stopped in training", SweepId, _pending.Count, _running.Count);
        _pending.Clear();
        _state = SweepState.Cancelled;
        await SaveProgress();
        // Each trial answers at once and reports back when its training has stopped (or finished first).
        await Task.WhenAll(_running.Keys.ToList().Select(async trialId =>
        {
            try { await GrainFactory.GetGrain<ITrialGrain>(ITrialGrain.KeyFor(SweepId, trialId)).Abort(); }
            catch (Exception e) { logger.LogWarning("Could not stop trial {TrialId} ({Error})", trialId, e.Message); }
        }));
        Signal();
        await CompleteIfDone();
    }

    public async Task ReportStopped(string trialId)
    {
        if (!_running.Remove(trialId, out var silo)) return;
        if (_load.TryGetValue(silo, out int load)) _load[silo] = Math.Max(0, load - 1);
        if (_state == SweepState.Running && !_finished.Contains(trialId) && _launch is not null)
        {
            // A running sweep only loses a trial this way when the trial's silo is leaving: send nothing more there.
            _capacity.Remove(silo);
            _pending.Enqueue(_launch.Trials.First(t => t.Id == trialId));
            logger.LogInformation("Sweep {SweepId}: trial {TrialId} was handed back by silo {Silo}; dispatching it again", SweepId, trialId, silo);
            await Dispatch();
        }
        Signal();
        await CompleteIfDone();
    }

    public Task ReceiveReminder(string reminderName, TickStatus status) =>
        // Being activated is the point: OnActivateAsync has resumed the sweep if it was running.
        Task.CompletedTask;

    private bool IsOver => _state == SweepState.Completed || (_state == SweepState.Cancelled && _running.Count == 0);

    /// <summary>Records a result once; a second report of the same trial (a retry, a resumed silo) is ignored.</summary>
    private bool Record(TrialResult result)
    {
        if (!_finished.Add(result.Trial.Id)) return false;
        _results.Add(result);
        Signal();
        return true;
    }

    private void EnqueueUnfinished(SweepLaunch launch)
    {
        foreach (var trial in launch.Trials.Where(t => !_finished.Contains(t.Id)).OrderBy(t => t.Index))
            _pending.Enqueue(trial);
    }

    /// <summary>Finished results live in their trial grains; ask them again after a reactivation.</summary>
    private async Task RecoverResults(SweepLaunch launch, IReadOnlyCollection<string> finishedIds)
    {
        var planned = launch.Trials.ToDictionary(t => t.Id);
        var prior = launch.PriorResults.Where(r => planned.ContainsKey(r.Trial.Id)).ToDictionary(r => r.Trial.Id);
        var snapshots = await Task.WhenAll(finishedIds.Where(id => !prior.ContainsKey(id)).Select(id =>
            GrainFactory.GetGrain<ITrialGrain>(ITrialGrain.KeyFor(SweepId, id)).GetSnapshot()));
        foreach (var result in prior.Values) Record(result);
        // A trial whose saved result is missing is simply trained again.
        foreach (var snapshot in snapshots)
            if (snapshot.Result is { } result) Record(result);
    }

    private Task SaveProgress()
    {
        progressState.State.State = _state;
        progressState.State.FinishedTrialIds = _results.Select(r => r.Trial.Id).ToList();
        return progressState.WriteStateAsync();
    }

    private async Task CompleteIfDone()
    {
        if (_state == SweepState.Running && _pending.Count == 0 && _running.Count == 0)
        {
            _state = SweepState.Completed;
            await SaveProgress();
            logger.LogInformation("Sweep {SweepId} completed: {Count} results", SweepId, _results.Count);
        }
        if (!IsOver) return;
        _capacityTimer?.Dispose();
        _capacityTimer = null;
        Signal();
        if (await this.GetReminder(KeepRunningReminder) is { } reminder)
            await this.UnregisterReminder(reminder);
    }

    private void StartCapacityTimer(TimeSpan dueTime) =>
        // Silos may join or leave while the sweep runs; keep the picture of free workers current.
        _capacityTimer = this.RegisterGrainTimer(async _ =>
            {
                await RefreshCapacity();
                RequeueTrialsOfLostSilos();
                await Dispatch();
                await CompleteIfDone();
            },
            new GrainTimerCreationOptions(dueTime, CapacityRefreshPeriod) { Interleave = false });

    private async Task RefreshCapacity()
    {
        var hosts = await GrainFactory.GetGrain<IManagementGrain>(0).GetHosts(onlyActive: true);
        var capacity = new Dictionary<SiloAddress, int>();
        foreach (var silo in hosts.Keys)
        {
            try
            {
                capacity[silo] = await OnSilo(silo, () => GrainFactory.GetGrain<ISiloCapacityGrain>(silo.ToParsableString()).GetWorkerCount());
            }
            catch (Exception e)
            {
                logger.LogWarning("Silo {Silo} did not tell its capacity ({Error}); not dispatching to it", silo, e.Message);
            }
        }
        _capacity = capacity;
    }

    /// <summary>
    /// Trials dispatched to a silo that has left the cluster will never report: train them again elsewhere.
    /// Determinism makes the new result equal to the one that was lost.
    /// </summary>
    private void RequeueTrialsOfLostSilos()
    {
        var lost = _running.Where(r => !_capacity.ContainsKey(r.Value)).ToList();
        if (lost.Count == 0 || _launch is null) return;
        var trials = _launch.Trials.ToDictionary(t => t.Id);
        foreach (var (trialId, silo) in lost)
        {
            _running.Remove(trialId);
            _load.Remove(silo);
            if (!_finished.Contains(trialId)) _pending.Enqueue(trials[trialId]);
        }
        logger.LogWarning("Sweep {SweepId}: {Count} trials were on silos that left the cluster; dispatching them again", SweepId, lost.Count);
    }

    private async Task Dispatch()
    {
        while (_state == SweepState.Running && _pending.Count > 0 && FreestSilo() is { } silo)
        {
            var trial = _pending.Dequeue();
            if (_finished.Contains(trial.Id)) continue;
            _running[trial.Id] = silo;
            _load[silo] = _load.GetValueOrDefault(silo) + 1;
            try
            {
                var grain = GrainFactory.GetGrain<ITrialGrain>(ITrialGrain.KeyFor(SweepId, trial.Id));
                await OnSilo(silo, () => grain.Start(new TrialAssignment(SweepId, trial)));
            }
            catch (Exception e)
            {
                logger.LogWarning("Could not start trial {TrialId} on {Silo} ({Error}); it will be dispatched again", trial.Id, silo, e.Message);
                _running.Remove(trial.Id);
                _load[silo]--;
                _pending.Enqueue(trial);
                return;
            }
        }
    }

    /// <summary>The silo with the most room for another trial, or null when every silo has its hands full.</summary>
    private SiloAddress? FreestSilo()
    {
        SiloAddress? best = null;
        int bestFree = 0;
        foreach (var (silo, workers) in _capacity)
        {
            int free = workers * TrialsInHandPerWorker - _load.GetValueOrDefault(silo);
            if (free > bestFree) (best, bestFree) = (silo, free);
        }
        return best;
    }

    /// <summary>Makes a call whose target, if not yet active, is placed on <paramref name="silo"/>.</summary>
    private static async Task<T> OnSilo<T>(SiloAddress silo, Func<Task<T>> call)
    {
        RequestContext.Set(IPlacementDirector.PlacementHintKey, silo);
        try { return await call(); }
        finally { RequestContext.Remove(IPlacementDirector.PlacementHintKey); }
    }

    private static Task OnSilo(SiloAddress silo, Func<Task> call) =>
        OnSilo(silo, async () => { await call(); return 0; });

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Wakes the clients waiting in <see cref="GetProgress"/>.</summary>
    private void Signal() => Interlocked.Exchange(ref _changed, NewSignal()).TrySetResult();
}
