using System.Diagnostics;
using System.Threading.Channels;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Placement;
using Orleans.Storage;
using TinyNet.Sweeps.Abstractions;
using TinyNet.Sweeps.Domain.Trials;
using TinyNet.Sweeps.Training;

namespace TinyNet.Sweeps.Grains;

/// <summary>
/// What a trial grain saves: its result once trained. Id 0 held the trial's assignment, which nothing read back; states
/// saved with it still load, since the serializer skips a field it does not know.
/// </summary>
[GenerateSerializer, Alias("TinyNet.Sweeps.TrialGrainState")]
public sealed class TrialGrainState
{
    [Id(1)] public TrialResult? Result { get; set; }
}

/// <summary>
/// Owns one trial. <see cref="Start"/> returns at once; the training runs in the silo's training service and
/// the grain reports the result to its sweep's coordinator when done, so no call stays open for a whole training.
/// </summary>
/// <remarks>
/// The state goes straight through the silo's <see cref="IGrainStorage"/>, read at the first call, rather than through a
/// <c>[PersistentState]</c> facet: a facet adds a lifecycle stage to every activation and a queued, metered operation to
/// every read and write, and a sweep activates a trial grain for every trial (`benchmark coordinator` profiles).
/// Only <see cref="Abort"/> and <see cref="StopAtBand"/> interleave with other calls: an abort waits for the read in
/// flight rather than making its own, and the one write comes from the trial's own run, after the state was read.
/// A new trial activation goes on the silo of the call that activates it: its silo's <see cref="SiloTrialLauncherGrain"/>.
/// </remarks>
[PreferLocalPlacement]
public sealed class TrialGrain(
    ITrainingService training,
    TrialResultOutbox outbox,
    IOptions<TrainingOptions> options,
    ILogger<TrialGrain> logger) : Grain, ITrialGrain
{
    /// <summary>A trial that throws is tried again at most this many times, then recorded as failed.</summary>
    public const int MaxRetries = 2;
    /// <summary>Attempts to save a result (about half a minute in all with store timeouts): outlasts a short partition.</summary>
    private const int MaxSaveAttempts = 5;

    /// <summary>The state's name in the storage, as the facet named it: states saved before still load.</summary>
    private const string StateName = "trial";

    private readonly GrainState<TrialGrainState> _state = new(new TrialGrainState());
    /// <summary>The read of the state, once asked for; dropped if it failed, so that the next call reads again.</summary>
    private Task? _load;
    /// <summary>Never null: made empty at first, and a read of a missing state leaves an empty one.</summary>
    private TrialGrainState State => _state.State!;
    private IGrainStorage? _storage;
    private Task? _run;
    /// <summary>The trial in training, for the log when it is stopped.</summary>
    private TrialAssignment? _assignment;
    private int _attempts;
    /// <summary>An abort came before this trial's start: the start that follows trains nothing.</summary>
    private bool _abortedBeforeStart;
    /// <summary>Stops the training in hand: the sweep was aborted, or this silo is leaving the cluster.</summary>
    private CancellationTokenSource _stop = new();
    /// <summary>Hyperband's part of the training in hand, when the sweep has early termination.</summary>
    private BandWatch? _bands;

    public async Task Start(TrialAssignment assignment)
    {
        var state = await LoadAsync();
        if (state.Result is { } done)
        {
            // Already trained (a coordinator that lost track of it asks again): report, don't retrain.
            // Not awaited: the coordinator may be waiting on this call.
            _ = outbox.Post(assignment.SweepId, done);
            return;
        }
        if (_abortedBeforeStart)
        {
            // The sweep was aborted while this start was on its way: nothing to train, the coordinator waits to hear so.
            _abortedBeforeStart = false;
            _ = CallCoordinatorAsync(assignment.SweepId, assignment.Trial.Id, "Handing back", c => c.ReportStopped(assignment.Trial.Id));
            return;
        }
        if (_run is null)
        {
            _assignment = assignment;
            _run = RunAsync(assignment);
        }
    }

    public async Task Abort()
    {
        var state = await LoadAsync();
        // Looked at only once the state is read: a start that came first may have begun training meanwhile, since an
        // abort interleaves with it. A coordinator does not wait for its silos to start the trials it sends them, so an
        // abort can also overtake a start.
        if (_run is not null) _stop.Cancel();
        else if (state.Result is null) _abortedBeforeStart = true;
    }

    public Task StopAtBand(int epoch)
    {
        _bands?.StopAt(epoch);
        return Task.CompletedTask;
    }

    /// <summary>
    /// The silo is shutting down (or the grain was idle): a trial in training is stopped and handed back to its
    /// coordinator, which dispatches it to another silo at once rather than waiting to notice this silo is gone.
    /// </summary>
    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        if (_run is not { IsCompleted: false } run) return;
        logger.LogInformation("Trial {TrialId} of sweep {SweepId} stops training because its grain deactivates ({Reason})", _assignment?.Trial.Id, _assignment?.SweepId, reason.Description);
        _stop.Cancel();
        try { await run.WaitAsync(cancellationToken); }
        catch (Exception e) { logger.LogDebug(e, "Trial grain deactivated before its run ended"); }
    }

    public async Task<TrialSnapshot> GetSnapshot()
    {
        var state = await LoadAsync();
        var phase = state.Result is not null ? TrialPhase.Finished : _run is not null ? TrialPhase.Training : TrialPhase.Idle;
        return new TrialSnapshot(phase, _attempts, state.Result);
    }

    /// <summary>
    /// The trial's state, read from the storage at this activation's first call; a call that interleaves meanwhile (an
    /// abort) waits for the same read. A failed read is tried again at the next call.
    /// </summary>
    private async ValueTask<TrialGrainState> LoadAsync()
    {
        var load = _load ??= ReadAsync();
        try
        {
            await load;
        }
        catch when (_load == load)
        {
            _load = null;
            throw;
        }
        return State;
    }

    private IGrainStorage Storage => _storage ??= ServiceProvider.GetRequiredKeyedService<IGrainStorage>(SiloSetup.StorageName);

    private async Task ReadAsync()
    {
        await Storage.ReadStateAsync(StateName, this.GetGrainId(), _state);
        _state.State ??= new TrialGrainState();
    }

    private async Task RunAsync(TrialAssignment assignment)
    {
        var spec = assignment.Trial;
        // No logging scope for the sweep and trial: every message below names both, and a scope per trial (an AsyncLocal
        // copied into each continuation) cost about 5 % of a 2-epoch trial's orchestration (`benchmark coordinator`).
        using var activity = SweepTelemetry.ActivitySource.StartActivity("trial");
        activity?.SetTag("sweep.id", assignment.SweepId);
        activity?.SetTag("trial.id", spec.Id);
        var stopwatch = Stopwatch.StartNew();
        // Band snapshots come from the training thread; they are forwarded from this grain's own context, in order.
        // Without bands (no hyperband) there is nothing to forward: no channel and no task per trial for it.
        var bandReports = assignment.BandEpochs is { Count: > 0 }
            ? Channel.CreateUnbounded<BandSnapshot>(new UnboundedChannelOptions { SingleReader = true })
            : null;
        _bands = bandReports is null ? null : new BandWatch(assignment.BandEpochs!, s => bandReports.Writer.TryWrite(s));
        var forwarding = bandReports is null ? Task.CompletedTask : ForwardBandsAsync(assignment.SweepId, spec.Id, bandReports.Reader);
        TrainingOutcome outcome;
        TrainingRun? run = null;
        while (true)
        {
            _attempts++;
            SweepTelemetry.TrialsStarted.Add(1);
            // A long training must not look like an idle grain to the activation collector.
            DelayDeactivation(TimeSpan.FromHours(1));
            try
            {
                run = await training.TrainAsync(spec.Config, spec.Seed, _stop.Token, _bands, spec.Index, assignment.SweepId);
                outcome = run.Outcome;
                break;
            }
            catch (OperationCanceledException)
            {
                // Stopped (an abort, this silo leaving), not failed: the trial has no result to record.
                bandReports?.Writer.TryComplete();
                await forwarding;
                await HandBackAsync(assignment.SweepId, spec.Id, _attempts);
                return;
            }
            catch (Exception e) when (_attempts <= MaxRetries)
            {
                logger.LogWarning("Trial {TrialId} of sweep {SweepId} threw on attempt {Attempt} ({Error}); retrying",
                    spec.Id, assignment.SweepId, _attempts, e.Message);
            }
            catch (Exception e)
            {
                logger.LogError("Trial {TrialId} of sweep {SweepId} failed after {Attempts} attempts: {Error}",
                    spec.Id, assignment.SweepId, _attempts, e.Message);
                outcome = new TrainingOutcome(TrialStatus.Failed, [], Error: $"{e.GetType().Name}: {e.Message}");
                break;
            }
        }

        // Every band report reaches the coordinator before the result does.
        bandReports?.Writer.TryComplete();
        await forwarding;
        var result = new TrialResult(spec, outcome, options.Value.SiloName, stopwatch.ElapsedMilliseconds, _attempts,
            (long)(run?.Trained.TotalMilliseconds ?? 0), (long)(run?.Queued.TotalMilliseconds ?? 0));
        Record(result);
        activity?.SetTag("trial.status", outcome.Status.ToString().ToLowerInvariant());
        State.Result = result;
        await SaveResultAsync(assignment, result);
        // With the silo's other results, in a batch; the outbox retries, and this trial keeps its result either way.
        await outbox.Post(assignment.SweepId, result);
        // Done: the result is saved, so the activation can go now rather than after the idle collection age (minutes),
        // which would keep every finished trial of a large sweep in memory. A later call reactivates it from its state.
        DeactivateOnIdle();
    }

    /// <summary>
    /// Saves the result, retrying with growing pauses while the store is out of reach (a partitioned Redis): a result
    /// that is not saved is gone once this activation is, and the sweep's export reads results from their grains.
    /// The coordinator still gets the result if every attempt fails; only a later re-ask of this trial would retrain it.
    /// </summary>
    private async Task SaveResultAsync(TrialAssignment assignment, TrialResult result)
    {
        for (int attempt = 1; ; attempt++)
        {
            try
            {
                if (attempt > 1)
                {
                    // A write that timed out may still have landed: start again from what is stored, with its etag.
                    await ReadAsync();
                    if (State.Result is not null) return;
                    State.Result = result;
                }
                await Storage.WriteStateAsync(StateName, this.GetGrainId(), _state);
                return;
            }
            catch (Exception e) when (attempt < MaxSaveAttempts)
            {
                logger.LogWarning("Could not save the result of trial {TrialId} of sweep {SweepId} ({Error}); retrying", assignment.Trial.Id, assignment.SweepId, e.Message);
                await Task.Delay(TimeSpan.FromSeconds(attempt));
            }
            catch (Exception e)
            {
                logger.LogWarning("Could not save the result of trial {TrialId} of sweep {SweepId} ({Error})", assignment.Trial.Id, assignment.SweepId, e.Message);
                return;
            }
        }
    }

    /// <summary>Hands each band snapshot's metrics to the coordinator, which decides whether the trial goes on.</summary>
    private async Task ForwardBandsAsync(string sweepId, string trialId, ChannelReader<BandSnapshot> reports)
    {
        var coordinator = GrainFactory.GetGrainWithoutReflection<ISweepCoordinatorGrain>(sweepId);
        await foreach (var snapshot in reports.ReadAllAsync())
        {
            try
            {
                await coordinator.ReportBand(trialId, snapshot.Epoch, snapshot.Metrics);
            }
            catch (Exception e)
            {
                // The result carries every snapshot too: the coordinator decides from it when this report is lost.
                logger.LogWarning("Could not report band {Epoch} of trial {TrialId} of sweep {SweepId} ({Error})", snapshot.Epoch, trialId, sweepId, e.Message);
            }
        }
    }

    /// <summary>
    /// A stopped trial has no result: tell the coordinator (retrying as a result is retried: a sweep that never hears
    /// would wait for the trial for ever; if the silo dies first, the coordinator notices the lost silo) and forget
    /// this attempt, so the grain can be started afresh.
    /// </summary>
    private async Task HandBackAsync(string sweepId, string trialId, int attempt)
    {
        logger.LogInformation("Trial {TrialId} of sweep {SweepId} stopped during attempt {Attempt}; it will be trained again", trialId, sweepId, attempt);
        _run = null;
        _attempts = 0;
        _stop = new CancellationTokenSource();
        await CallCoordinatorAsync(sweepId, trialId, "Handing back", c => c.ReportStopped(trialId));
    }

    private static void Record(TrialResult result)
    {
        var counter = result.Outcome.Status switch
        {
            TrialStatus.Completed => SweepTelemetry.TrialsCompleted,
            TrialStatus.Diverged => SweepTelemetry.TrialsDiverged,
            _ => SweepTelemetry.TrialsFailed,
        };
        counter.Add(1);
        SweepTelemetry.TrialDuration.Record(result.DurationMs);
    }

    /// <summary>A call the sweep must not miss: retried with growing pauses (a coordinator busy re-dispatching while
    /// silos leave can let a message expire), then given up with a warning.</summary>
    private async Task CallCoordinatorAsync(string sweepId, string trialId, string what, Func<ISweepCoordinatorGrain, Task> call)
    {
        var coordinator = GrainFactory.GetGrainWithoutReflection<ISweepCoordinatorGrain>(sweepId);
        for (int attempt = 1; ; attempt++)
        {
            try
            {
                await call(coordinator);
                return;
            }
            catch (Exception e) when (attempt < 5)
            {
                logger.LogWarning("{What} trial {TrialId} to sweep {SweepId} failed ({Error}); retrying", what, trialId, sweepId, e.Message);
                await Task.Delay(TimeSpan.FromSeconds(attempt));
            }
            catch (Exception e)
            {
                logger.LogWarning("{What} trial {TrialId} to sweep {SweepId} failed for good ({Error})", what, trialId, sweepId, e.Message);
                return;
            }
        }
    }
}
