using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Runtime.Placement;
using Orleans.Storage;
using TinyNet.Sweeps.Abstractions;
using TinyNet.Sweeps.Domain.Ranking;
using TinyNet.Sweeps.Domain.Search;
using TinyNet.Sweeps.Domain.Trials;

namespace TinyNet.Sweeps.Grains;

/// <summary>What a sweep was asked to do; written once, when it starts.</summary>
[GenerateSerializer, Alias("TinyNet.Sweeps.CoordinatorLaunchState")]
public sealed class CoordinatorLaunchState
{
    [Id(0)] public SweepLaunch? Launch { get; set; }
    [Id(1)] public DateTimeOffset SubmittedAt { get; set; }
}

/// <summary>
/// How far a sweep has got; written at every batch of results. The finished trial ids are kept in
/// <see cref="FinishedTrialPages"/> (this holds how many pages), the results themselves in the trial grains.
/// </summary>
[GenerateSerializer, Alias("TinyNet.Sweeps.CoordinatorProgressState")]
public sealed class CoordinatorProgressState
{
    [Id(0)] public SweepState State { get; set; }
    /// <summary>Every finished id in one list, as earlier versions saved it; read, and kept, but no longer added to.</summary>
    [Id(1)] public List<string> FinishedTrialIds { get; set; } = new();
    [Id(2)] public int FinishedPages { get; set; }
}

/// <summary>
/// Runs one sweep: asks the sweep's search for trials, hands them to silos as the <see cref="DispatchPolicy{TSilo}"/>
/// decides, records each result exactly once, tells the search, and ranks. Its launch and progress are persisted and a
/// reminder keeps it alive while it runs, so a sweep survives the loss of the coordinator's silo, or of every silo: the
/// reactivated coordinator collects finished results from the trial grains and replays them into a new search, which
/// asks for the same trials again (searches are deterministic), and dispatches the rest.
/// </summary>
public sealed class SweepCoordinatorGrain(
    [PersistentState("launch", SiloSetup.StorageName)] IPersistentState<CoordinatorLaunchState> launchState,
    [PersistentState("progress", SiloSetup.StorageName)] IPersistentState<CoordinatorProgressState> progressState,
    IOptions<CoordinatorOptions> options,
    ILogger<SweepCoordinatorGrain> logger) : Grain, ISweepCoordinatorGrain, IRemindable
{
    private static readonly TimeSpan CapacityRefreshPeriod = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan ProgressSaveInterval = TimeSpan.FromSeconds(1);
    /// <summary>How old the silos' counts of trials in training may be when someone asks for progress, and how long a silo has to answer.</summary>
    private static readonly TimeSpan TrainingCountAge = TimeSpan.FromSeconds(1);
    private const string KeepRunningReminder = "keep-running";

    private SweepLaunch? _launch;
    private ITrialSearch? _search;
    private SweepState _state = SweepState.NotStarted;
    private readonly Queue<TrialSpec> _pending = new();
    /// <summary>Every trial the search has asked for, by id.</summary>
    private readonly Dictionary<string, TrialSpec> _asked = new();
    /// <summary>Results that stand for trials when the search asks for them: a resume's, or those recovered after a reactivation.</summary>
    private readonly Dictionary<string, TrialResult> _known = new();
    private readonly RecordedResults _results = new(options.Value.ResultDetailWindow);
    /// <summary>
    /// Names this activation in progress: one reactivated elsewhere records the results again in another order, so a
    /// client's cursor into the old order means nothing to it, and a client that sees the name change reads them again.
    /// </summary>
    private readonly string _activation = Guid.NewGuid().ToString("N");
    /// <summary>Trials whose result came with the launch (a resume's): kept whole, since no trial grain of this sweep holds them.</summary>
    private HashSet<string> _priorIds = new();
    /// <summary>Results by status, kept as they are recorded, so progress costs nothing per result already in.</summary>
    private readonly int[] _statusCounts = new int[Enum.GetValues<TrialStatus>().Length];
    private FinishedTrialPages? _finishedPages;
    private long _savedAt = Stopwatch.GetTimestamp();
    /// <summary>The latest save of progress, finished or on its way.</summary>
    private Task _saving = Task.CompletedTask;
    private readonly HashSet<string> _finished = new();
    private readonly Dictionary<string, string> _labels = new();
    // The last ranking asked for, kept while no result or label has come since (results and labels are only ever added,
    // so their counts tell): a client reads a large one page by page.
    private MadeRanking? _ranking;
    private readonly DispatchPolicy<SiloAddress> _dispatch = new();
    /// <summary>Hyperband's decisions, when the sweep has early termination.</summary>
    private SweepHyperband? _hyperband;
    /// <summary>Results whose trial hyperband has not finished judging: recorded once every decision about them is made.</summary>
    private readonly Dictionary<string, TrialResult> _undecided = new();
    /// <summary>Stops decided for trials that may still be training, to be sent to them.</summary>
    private readonly List<(string TrialId, int Epoch)> _stopsToSend = new();
    private IGrainTimer? _capacityTimer;
    /// <summary>This sweep's trials training on each silo, as the silos last said (<see cref="AskWhatIsTraining"/>).</summary>
    private readonly Dictionary<SiloAddress, int> _trainingOn = new();
    private long _trainingAskedAt;
    /// <summary>The sweep is over and its timer and reminder are gone.</summary>
    private bool _closed;
    private TaskCompletionSource _changed = NewSignal();

    private string SweepId => this.GetPrimaryKeyString();

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (launchState.State.Launch is not { } launch) return;
        // A reactivation: the sweep started earlier, on this silo or another that may be gone.
        _launch = launch;
        _state = progressState.State.State;
        var finishedIds = await FinishedPages.ReadAsync(progressState.State.FinishedPages);
        await RecoverResults([.. progressState.State.FinishedTrialIds, .. finishedIds]);
        BeginSearch(launch);
        if (_state == SweepState.Running)
        {
            logger.LogWarning("Sweep {SweepId} resumes: {Finished} trials finished, {Pending} dispatched again",
                SweepId, _finished.Count, _pending.Count);
            StartCapacityTimer(dueTime: TimeSpan.Zero);
        }
    }

    /// <summary>A graceful deactivation (idle, or its silo stopping) keeps every finished id.</summary>
    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        if (_launch is null) return;
        try { await SaveProgress(); }
        catch (Exception e) { logger.LogWarning("Sweep {SweepId}: could not save its progress on deactivation ({Error})", SweepId, e.Message); }
    }

    public async Task Start(SweepLaunch launch)
    {
        if (_launch is not null) return;
        _launch = launch;
        _state = SweepState.Running;
        BeginSearch(launch);
        logger.LogInformation("Sweep {SweepId} ({Name}) starts: {Total} trials, {Reused} reused from earlier runs",
            SweepId, launch.Plan.Name, _search!.Total, _finished.Count);

        launchState.State = new CoordinatorLaunchState { Launch = launch, SubmittedAt = DateTimeOffset.UtcNow };
        await launchState.WriteStateAsync();
        await SaveProgress();
        await GrainFactory.GetGrain<ISweepRegistryGrain>(ISweepRegistryGrain.Key)
            .Register(new SweepSummary(SweepId, launch.Plan.Name, launchState.State.SubmittedAt, _search.Total));
        // If every silo goes down, the reminder brings this sweep back when silos return.
        await this.RegisterOrUpdateReminder(KeepRunningReminder, TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(1));

        await RefreshCapacity();
        StartCapacityTimer(dueTime: CapacityRefreshPeriod);
        await Dispatch();
        await CompleteIfDone();
    }

    public Task ReportResult(TrialResult result) => ReportResults([result]);

    public async Task ReportResults(IReadOnlyList<TrialResult> results)
    {
        bool accepted = false;
        foreach (var result in results)
        {
            _dispatch.Returned(result.Trial.Id, out _);
            if (!_asked.ContainsKey(result.Trial.Id))
            {
                // A reactivated coordinator whose search has not asked for this trial again yet (an earlier activation had
                // dispatched it): keep the result to stand for the trial when it is asked for, as a recovered one does.
                _known.TryAdd(result.Trial.Id, result);
                continue;
            }
            accepted |= Accept(result);
        }
        // One save, one dispatch round for the whole batch.
        if (!accepted) return;
        Advance();
        await SendStops();
        SaveProgressIfDue();
        await Dispatch();
        await CompleteIfDone();
    }

    public async Task ReportBand(string trialId, int epoch, TrialMetrics metrics)
    {
        if (_hyperband is null || !_asked.TryGetValue(trialId, out var trial) || _finished.Contains(trialId)) return;
        Judge(() => _hyperband.Report(trial, epoch, metrics), trialId);
        Advance();
        await SendStops();
        await Dispatch();
    }

    public async Task<SweepProgress> GetProgress(int cursor, TimeSpan maxWait)
    {
        cursor = Math.Clamp(cursor, 0, _results.Count);
        if (cursor == _results.Count && !IsOver && maxWait > TimeSpan.Zero)
        {
            await Task.WhenAny(_changed.Task, Task.Delay(maxWait));
            cursor = Math.Clamp(cursor, 0, _results.Count);
        }
        int Count(TrialStatus status) => _statusCounts[(int)status];
        await AskWhatIsTraining();
        var page = await WholeResults(cursor);
        // A silo's count may predate results that came since: never more than the trials still out there.
        int training = _trainingOn.Sum(t => Math.Min(t.Value, _dispatch.Load.GetValueOrDefault(t.Key)));
        return new SweepProgress(
            _state,
            _search?.Total ?? 0,
            Count(TrialStatus.Completed),
            Count(TrialStatus.Diverged),
            Count(TrialStatus.Failed),
            _dispatch.Running.Count,
            page,
            cursor + page.Count,
            Count(TrialStatus.Stopped),
            _activation,
            training,
            _dispatch.Running.Count - training);
    }

    /// <summary>
    /// Asks the silos holding this sweep's trials how many of them are training (the others wait in the silo's queue):
    /// only when someone asks for progress, at most once a <see cref="TrainingCountAge"/>. A silo that does not answer
    /// in time keeps its last count.
    /// </summary>
    private async Task AskWhatIsTraining()
    {
        if (IsOver || Stopwatch.GetElapsedTime(_trainingAskedAt) < TrainingCountAge) return;
        _trainingAskedAt = Stopwatch.GetTimestamp();
        var silos = _dispatch.Load.Where(l => l.Value > 0).Select(l => l.Key).ToList();
        var answers = await Task.WhenAll(silos.Select(async silo =>
        {
            try
            {
                var capacity = GrainFactory.GetGrain<ISiloCapacityGrain>(silo.ToParsableString());
                return (silo, Training: (int?)await OnSilo(silo, () => capacity.GetTraining(SweepId)).WaitAsync(TrainingCountAge));
            }
            catch (Exception e)
            {
                logger.LogDebug("Silo {Silo} did not tell what it is training ({Error})", silo, e.Message);
                return (silo, Training: null);
            }
        }));
        foreach (var (silo, training) in answers)
            if (training is { } count) _trainingOn[silo] = count;
    }

    /// <summary>
    /// The whole results from <paramref name="cursor"/> on, one page: those past the detail window are read back from their
    /// trial grains (a trial whose saved state is gone gives its summary).
    /// </summary>
    private async Task<IReadOnlyList<TrialResult>> WholeResults(int cursor)
    {
        var page = _results.Page(cursor, options.Value.ResultsPerProgress);
        if (page.All(p => p.Whole is not null)) return [.. page.Select(p => p.Whole!)];
        var whole = await Task.WhenAll(page.Select(async p => p.Whole ?? await FromTrial(p.Summary)));
        return whole;
    }

    private async Task<TrialResult> FromTrial(TrialResult summary)
    {
        try
        {
            var snapshot = await GrainFactory.GetTrialGrain(SweepId, summary.Trial.Id).GetSnapshot();
            // The saved result is the recorded one (a result the coordinator cut at a hyperband stop is kept whole here).
            if (snapshot.Result is { } saved && saved.Outcome.Status == summary.Outcome.Status && saved.Outcome.Metrics == summary.Outcome.Metrics)
                return saved with { Trial = summary.Trial };
        }
        catch (Exception e)
        {
            logger.LogWarning("Sweep {SweepId}: could not read back the result of trial {TrialId} ({Error}); handing over its summary", SweepId, summary.Trial.Id, e.Message);
        }
        return summary;
    }

    public Task<SweepRanking> GetRanking() => Task.FromResult(CurrentRanking().Ranking);

    public Task<RankingPage> GetRankingPage(int offset, int count)
    {
        var made = CurrentRanking();
        var rows = made.Ranking.Rows;
        offset = Math.Clamp(offset, 0, rows.Count);
        count = Math.Clamp(count, 0, options.Value.ResultsPerProgress);
        var page = rows.Skip(offset).Take(count).ToArray();
        bool last = offset + page.Length >= rows.Count;
        return Task.FromResult(new RankingPage(made.Ranking.Name, made.Ranking.Metric, made.Ranked, rows.Count, offset, page,
            last ? made.ParetoFront : null));
    }

    /// <summary>The ranking of the results recorded so far, made again only once another result (or label) has come.</summary>
    private MadeRanking CurrentRanking()
    {
        if (_launch is null) throw new InvalidOperationException($"There is no sweep '{SweepId}' in this cluster.");
        if (_ranking is { } made && made.Ranked == _results.Count && made.Labels == _labels.Count) return made;
        var ranking = Ranker.Rank(_launch.Plan.Name, _launch.Plan.Metric, _results.Summaries, _labels);
        return _ranking = new MadeRanking(_results.Count, _labels.Count, ranking);
    }

    private sealed record MadeRanking(int Ranked, int Labels, SweepRanking Ranking)
    {
        // Made for the last page only: the whole ranking's front, which a client cannot work out from one page.
        public IReadOnlyList<string> ParetoFront => field ??= SweepStatistics.ParetoFront(Ranking.Rows);
    }

    public Task<SweepInfo?> GetInfo() => Task.FromResult(_launch is null
        ? null
        : new SweepInfo(SweepId, _launch.Plan.Name, _launch.Plan.Metric, launchState.State.SubmittedAt, _search?.Total ?? 0, _labels));

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
        logger.LogInformation("Sweep {SweepId} aborted: {Pending} trials not started, {Running} stopped in training", SweepId, _pending.Count, _dispatch.Running.Count);
        _pending.Clear();
        _state = SweepState.Cancelled;
        await SaveProgress();
        // Each trial answers at once and reports back when its training has stopped (or finished first).
        await Task.WhenAll(_dispatch.Running.Keys.ToList().Select(async trialId =>
        {
            try { await GrainFactory.GetTrialGrain(SweepId, trialId).Abort(); }
            catch (Exception e) { logger.LogWarning("Could not stop trial {TrialId} ({Error})", trialId, e.Message); }
        }));
        Signal();
        await CompleteIfDone();
    }

    public async Task ReportStopped(string trialId)
    {
        if (!_dispatch.Returned(trialId, out var silo)) return;
        if (_state == SweepState.Running && !_finished.Contains(trialId))
        {
            // A running sweep only loses a trial this way when the trial's silo is leaving: send nothing more there.
            _dispatch.Exclude(silo);
            _pending.Enqueue(_asked[trialId]);
            logger.LogInformation("Sweep {SweepId}: trial {TrialId} was handed back by silo {Silo}; dispatching it again", SweepId, trialId, silo);
            await Dispatch();
        }
        Signal();
        await CompleteIfDone();
    }

    public Task ReceiveReminder(string reminderName, TickStatus status) =>
        // Being activated is the point: OnActivateAsync has resumed the sweep if it was running.
        Task.CompletedTask;

    private bool IsOver => _state == SweepState.Completed || (_state == SweepState.Cancelled && _dispatch.Running.Count == 0);

    /// <summary>A fresh search over the sweep, with the results already known standing for the trials it asks for.</summary>
    private void BeginSearch(SweepLaunch launch)
    {
        _priorIds = launch.PriorResults.Select(r => r.Trial.Id).ToHashSet();
        foreach (var prior in launch.PriorResults) _known.TryAdd(prior.Trial.Id, prior);
        _search = launch.Plan.CreateSearch();
        _hyperband = launch.Plan.CreateHyperband();
        // Sized once for every trial: grown by doubling, a large sweep's tables leave their old arrays to the GC at each step.
        int total = _search.Total;
        _asked.EnsureCapacity(total);
        _finished.EnsureCapacity(total);
        _results.EnsureCapacity(total);
        Advance();
    }

    /// <summary>
    /// Asks the search for trials until it has none to give now: a trial with a known result is taken at once (which
    /// may let the search give more), any other is queued for dispatch unless the sweep no longer dispatches; and
    /// records the results hyperband has settled, which may let the search give more too.
    /// </summary>
    private void Advance()
    {
        bool moved = true;
        while (moved)
        {
            var asked = _search!.Ask();
            moved = asked.Count > 0;
            // Every trial of the batch first: a configuration is whole (all its seeds) before any of its results is taken.
            foreach (var trial in asked)
            {
                _asked[trial.Id] = trial;
                _hyperband?.Asked(trial);
                if (trial.Label is { } label) _labels.TryAdd(trial.ConfigKey, label);
            }
            foreach (var trial in asked)
            {
                if (_known.Remove(trial.Id, out var known) && Stands(known, trial))
                    // This run's index and label: the order of the sweep decides the order of its trials.
                    Accept(known with { Trial = trial });
                else if (_state == SweepState.Running && !_finished.Contains(trial.Id))
                    _pending.Enqueue(trial);
            }
            moved |= RecordSettled();
        }
    }

    /// <summary>
    /// Whether a known result can stand for a trial: the same configuration and seed, and, under hyperband, the
    /// snapshots of every band it reached (a result from a sweep without early termination has none, and the
    /// decisions about later trials depend on them).
    /// </summary>
    private bool Stands(TrialResult known, TrialSpec trial)
    {
        if (known.Trial.Config != trial.Config || known.Trial.Seed != trial.Seed) return false;
        if (_hyperband is null) return true;
        var reported = (known.Outcome.Bands ?? []).Select(b => b.Epoch).ToHashSet();
        return _hyperband.Bands.Where(b => b <= known.Outcome.LossHistory.Count).All(reported.Contains);
    }

    /// <summary>
    /// Takes a trial's result. Without hyperband it is recorded at once. With it, its band values go to the stopper and
    /// it waits until every decision about it is made (<see cref="RecordSettled"/>); false when it was already taken.
    /// </summary>
    private bool Accept(TrialResult result)
    {
        if (_finished.Contains(result.Trial.Id) || _undecided.ContainsKey(result.Trial.Id)) return false;
        if (_hyperband is null) return Record(result);
        // The result carries every band snapshot: band reports that were lost on the way change nothing.
        Judge(() => _hyperband.Finished(result), result.Trial.Id);
        _undecided[result.Trial.Id] = result;
        return true;
    }

    /// <summary>
    /// Takes hyperband's new decisions: a stop is kept to be sent to its trial if it is still training (it then ends as
    /// it was at that band), and every waiting result whose trial is settled is recorded, as a stopped trial when the
    /// stop came after it finished. True when something was recorded.
    /// </summary>
    private bool RecordSettled()
    {
        if (_hyperband is null) return false;
        _stopsToSend.AddRange(_hyperband.TakeStops());
        bool recorded = false;
        foreach (var result in _undecided.Values.OrderBy(r => r.Trial.Index).ToList())
        {
            if (!_hyperband.IsSettled(result.Trial)) continue;
            _undecided.Remove(result.Trial.Id);
            // A result cut here differs from the one its trial saved, so it is kept whole.
            recorded |= _hyperband.StoppedAt(result.Trial) is int band && result.Outcome.Status != TrialStatus.Stopped
                                  && band < result.Outcome.LossHistory.Count
                ? Record(result with { Outcome = result.Outcome.StoppedAt(band) }, keepWhole: true)
                : Record(result);
        }
        return recorded;
    }

    /// <summary>
    /// Tells the trials hyperband stopped while they train, one call per silo for all of its trials; one that already
    /// finished is cut when its result comes.
    /// </summary>
    private async Task SendStops()
    {
        var bySilo = _stopsToSend
            .Where(s => _dispatch.Running.ContainsKey(s.TrialId))
            .GroupBy(s => _dispatch.Running[s.TrialId], s => new BandStop(s.TrialId, s.Epoch))
            .ToList();
        _stopsToSend.Clear();
        await Task.WhenAll(bySilo.Select(async stops =>
        {
            var launcher = GrainFactory.GetGrainWithoutReflection<ISiloTrialLauncherGrain>(stops.Key.ToParsableString());
            try { await OnSilo(stops.Key, () => launcher.StopTrialsAtBands(SweepId, [.. stops])); }
            catch (Exception e) { logger.LogWarning("Could not stop {Count} trials on {Silo} at their bands ({Error}); their results will be cut there", stops.Count(), stops.Key, e.Message); }
        }));
    }

    /// <summary>Hyperband's bookkeeping refuses reports that contradict earlier ones (a bug, not a user's error): say so, go on.</summary>
    private void Judge(Action report, string trialId)
    {
        try { report(); }
        catch (Exception e) when (e is InvalidOperationException or ArgumentException)
        {
            logger.LogError("Sweep {SweepId}: hyperband could not take the report of trial {TrialId} ({Error})", SweepId, trialId, e.Message);
        }
    }

    /// <summary>Records a result once and tells the search; a second report of the same trial (a retry, a resumed silo) is ignored.</summary>
    private bool Record(TrialResult result, bool keepWhole = false)
    {
        if (!_finished.Add(result.Trial.Id)) return false;
        _results.Add(result, keepWhole || _priorIds.Contains(result.Trial.Id));
        FinishedPages.Add(result.Trial.Id);
        _statusCounts[(int)result.Outcome.Status]++;
        _search?.Tell(result);
        Signal();
        return true;
    }

    /// <summary>Finished results live in their trial grains; ask them again after a reactivation.</summary>
    private async Task RecoverResults(IReadOnlyCollection<string> finishedIds)
    {
        var prior = _launch!.PriorResults.Select(r => r.Trial.Id).ToHashSet();
        var snapshots = await Task.WhenAll(finishedIds.Where(id => !prior.Contains(id)).Select(id =>
            GrainFactory.GetTrialGrain(SweepId, id).GetSnapshot()));
        // A trial whose saved result is missing is simply trained again.
        foreach (var snapshot in snapshots)
            if (snapshot.Result is { } result) _known.TryAdd(result.Trial.Id, result);
    }

    /// <summary>
    /// Saves finished ids when a page's worth is waiting or <see cref="ProgressSaveInterval"/> has passed, without holding up
    /// the results behind it: the save goes on while the coordinator takes more (nothing else is saving then). An id not
    /// saved when the coordinator is lost costs little: its trial is dispatched again and its grain reports the result it kept.
    /// </summary>
    private void SaveProgressIfDue()
    {
        bool due = FinishedPages.Unsaved >= FinishedTrialPages.PageSize || Stopwatch.GetElapsedTime(_savedAt) >= ProgressSaveInterval;
        if (!due || !_saving.IsCompleted) return;
        _ = SaveInBackground();

        async Task SaveInBackground()
        {
            try { await SaveProgress(); }
            catch (Exception e) { logger.LogWarning("Sweep {SweepId}: could not save its progress ({Error}); trying again with the next results", SweepId, e.Message); }
        }
    }

    /// <summary>Saves after any save still on its way (two writes of the same page at once would refuse each other's ETag).</summary>
    private Task SaveProgress() => _saving = SaveAfter(_saving);

    private async Task SaveAfter(Task previous)
    {
        try { await previous; }
        catch (Exception) { /* its caller heard of it; this save writes what that one did not */ }
        await WriteProgress();
    }

    /// <summary>New finished ids first, then the small header, and that only when it changed.</summary>
    private async Task WriteProgress()
    {
        _savedAt = Stopwatch.GetTimestamp();
        await FinishedPages.SaveAsync();
        var header = progressState.State;
        if (header.State == _state && header.FinishedPages == FinishedPages.PageCount && progressState.RecordExists) return;
        header.State = _state;
        header.FinishedPages = FinishedPages.PageCount;
        try
        {
            await progressState.WriteStateAsync();
        }
        catch (InconsistentStateException)
        {
            // As for the pages: a timed-out write that landed left the ETag behind. Read it, and write this header again.
            await progressState.ReadStateAsync();
            progressState.State.State = _state;
            progressState.State.FinishedPages = FinishedPages.PageCount;
            await progressState.WriteStateAsync();
        }
    }

    private FinishedTrialPages FinishedPages => _finishedPages ??= new FinishedTrialPages(
        ServiceProvider.GetRequiredKeyedService<IGrainStorage>(SiloSetup.StorageName), this.GetGrainId(), "progress-finished");

    private async Task CompleteIfDone()
    {
        if (_state == SweepState.Running && _pending.Count == 0 && _dispatch.Running.Count == 0)
        {
            if (_undecided.Count > 0)
            {
                // Every trial has ended, so every decision can be made: results still waiting are a bug. Keep them as they are.
                logger.LogError("Sweep {SweepId}: {Count} results were still waiting for hyperband's decisions at the end", SweepId, _undecided.Count);
                foreach (var result in _undecided.Values.OrderBy(r => r.Trial.Index).ToList()) Record(result);
                _undecided.Clear();
            }
            _state = SweepState.Completed;
            await SaveProgress();
            logger.LogInformation("Sweep {SweepId} completed: {Count} results", SweepId, _results.Count);
        }
        if (!IsOver) return;
        Signal();
        // Once: the refresh timer interleaves with reports, so two turns may both find the sweep over.
        if (_closed) return;
        _closed = true;
        _capacityTimer?.Dispose();
        _capacityTimer = null;
        if (await this.GetReminder(KeepRunningReminder) is { } reminder)
            await this.UnregisterReminder(reminder);
    }

    /// <summary>
    /// Silos may join or leave while the sweep runs; keep the picture of free workers current. The refresh interleaves with
    /// reports (it changes nothing between its awaits): asking every silo must not hold up the results meanwhile.
    /// </summary>
    private void StartCapacityTimer(TimeSpan dueTime) =>
        _capacityTimer = this.RegisterGrainTimer(async _ =>
            {
                await RefreshCapacity();
                RequeueTrialsOfLostSilos();
                await Dispatch();
                await CompleteIfDone();
            },
            new GrainTimerCreationOptions(dueTime, CapacityRefreshPeriod) { Interleave = true });

    private async Task RefreshCapacity()
    {
        var hosts = await GrainFactory.GetGrain<IManagementGrain>(0).GetHosts(onlyActive: true);
        // All silos at once: one round trip, however many silos there are.
        var answers = await Task.WhenAll(hosts.Keys.Select(async silo =>
        {
            try
            {
                return (silo, Workers: (int?)await OnSilo(silo, () => GrainFactory.GetGrain<ISiloCapacityGrain>(silo.ToParsableString()).GetWorkerCount()));
            }
            catch (Exception e)
            {
                logger.LogWarning("Silo {Silo} did not tell its capacity ({Error}); not dispatching to it", silo, e.Message);
                return (silo, Workers: null);
            }
        }));
        _dispatch.UpdateSilos(answers.Where(a => a.Workers is not null).ToDictionary(a => a.silo, a => a.Workers!.Value));
    }

    /// <summary>Trials dispatched to a silo that has left the cluster will never report: train them again elsewhere.</summary>
    private void RequeueTrialsOfLostSilos()
    {
        var lost = _dispatch.TakeBackFromLostSilos();
        if (lost.Count == 0) return;
        foreach (string trialId in lost)
            if (_state == SweepState.Running && !_finished.Contains(trialId)) _pending.Enqueue(_asked[trialId]);
        logger.LogWarning("Sweep {SweepId}: {Count} trials were on silos that left the cluster; dispatching them again", SweepId, lost.Count);
    }

    /// <summary>
    /// Fills every silo's free room from the queue as the policy decides, and sends each silo its group in one call,
    /// which starts the trials' grains there. The calls are not awaited: starting a group activates its trial grains,
    /// and a coordinator that waited for that would take no results meanwhile (it was most of its time, see
    /// `benchmark coordinator`). What a silo could not start comes back to the queue when its call ends.
    /// </summary>
    private Task Dispatch()
    {
        if (_state != SweepState.Running || _pending.Count == 0) return Task.CompletedTask;
        var groups = new Dictionary<SiloAddress, List<TrialAssignment>>();
        while (_pending.Count > 0 && _dispatch.TryPickSilo(out var silo))
        {
            var trial = _pending.Dequeue();
            if (_finished.Contains(trial.Id)) continue;
            _dispatch.Dispatched(trial.Id, silo);
            if (!groups.TryGetValue(silo, out var group)) groups[silo] = group = new();
            group.Add(new TrialAssignment(SweepId, trial, BandEpochsOf(trial)));
        }
        // Continuations run on this grain's scheduler, one turn at a time, between the turns of other calls.
        foreach (var (silo, group) in groups) _ = StartOn(silo, group);
        return Task.CompletedTask;
    }

    /// <summary>
    /// Starts a group of trials on one silo; those that could not be started go back to the queue, for the next dispatch
    /// (a result, or the capacity refresh, which also tells whether the silo is still there).
    /// </summary>
    private async Task StartOn(SiloAddress silo, List<TrialAssignment> group)
    {
        string[] notStarted;
        try
        {
            var launcher = GrainFactory.GetGrainWithoutReflection<ISiloTrialLauncherGrain>(silo.ToParsableString());
            notStarted = await OnSilo(silo, () => launcher.StartTrials(group));
        }
        catch (Exception e)
        {
            logger.LogWarning("Could not start {Count} trials on {Silo} ({Error}); they will be dispatched again", group.Count, silo, e.Message);
            notStarted = [.. group.Select(a => a.Trial.Id)];
        }
        foreach (string trialId in notStarted)
        {
            if (!_dispatch.Returned(trialId, out _)) continue;
            if (_state == SweepState.Running && !_finished.Contains(trialId)) _pending.Enqueue(_asked[trialId]);
        }
        if (notStarted.Length > 0)
        {
            // A cancelled sweep whose last trials could not start is over now.
            Signal();
            await CompleteIfDone();
        }
    }

    /// <summary>The band epochs a trial reaches, at which it reports its metrics; none without hyperband.</summary>
    private IReadOnlyList<int>? BandEpochsOf(TrialSpec trial) =>
        _hyperband is null ? null : [.. _hyperband.Bands.TakeWhile(b => b <= trial.Config.Epochs)];

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
