using System.Diagnostics;
using System.Threading.Channels;
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

/// <summary>
/// One dedicated thread per worker, each training one trial at a time with TorchSharp at one thread, so
/// training never runs on (or starves) the Orleans scheduler and the silo stays responsive.
/// </summary>
public sealed class TrainingWorkerPool : ITrainingService, IDisposable
{
    private readonly ITrialTrainer _trainer;
    private readonly ILogger<TrainingWorkerPool> _logger;
    private readonly Channel<WorkItem> _queue = Channel.CreateUnbounded<WorkItem>(new UnboundedChannelOptions { SingleWriter = false });
    private readonly Thread[] _threads;
    /// <summary>Cancelled when the silo shuts down: every trial in hand stops at its next epoch.</summary>
    private readonly CancellationTokenSource _shutdown = new();

    /// <summary>How long disposing waits for the workers to leave libtorch (a trial stops within one epoch).</summary>
    private static readonly TimeSpan JoinTimeout = TimeSpan.FromSeconds(30);

    public TrainingWorkerPool(ITrialTrainer trainer, IOptions<TrainingOptions> options, ILogger<TrainingWorkerPool> logger)
    {
        _trainer = trainer;
        _logger = logger;
        WorkerCount = Math.Max(1, options.Value.Workers);
        _threads = Enumerable.Range(0, WorkerCount)
            .Select(i => new Thread(WorkLoop) { IsBackground = true, Name = $"trainer-{i}" })
            .ToArray();
        foreach (var thread in _threads) thread.Start();
    }

    public int WorkerCount { get; }

    public Task<TrainingRun> TrainAsync(TrialConfig config, int seed, CancellationToken cancellationToken = default, BandWatch? bands = null)
    {
        var item = new WorkItem(config, seed, bands, CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _shutdown.Token),
            Stopwatch.GetTimestamp(), Activity.Current?.Context ?? default);
        if (!_queue.Writer.TryWrite(item))
        {
            item.Dispose();
            throw new OperationCanceledException("The silo's trainer is shutting down.");
        }
        return item.Completion.Task;
    }

    private void WorkLoop()
    {
        var reader = _queue.Reader;
        while (reader.WaitToReadAsync().AsTask().GetAwaiter().GetResult())
        {
            while (reader.TryRead(out var item))
            {
                using var done = item;
                if (item.CancellationToken.IsCancellationRequested)
                {
                    item.Completion.TrySetCanceled(item.CancellationToken);
                    continue;
                }
                long started = Stopwatch.GetTimestamp();
                // The worker thread has no ambient trace: continue the trial's own.
                using var activity = SweepTelemetry.ActivitySource.StartActivity("train", ActivityKind.Internal, item.Parent);
                var queued = Stopwatch.GetElapsedTime(item.Queued, started);
                SweepTelemetry.QueueTime.Record(queued.TotalMilliseconds);
                try
                {
                    var outcome = _trainer.Train(item.Config, item.Seed, item.CancellationToken, item.Bands);
                    var trained = Stopwatch.GetElapsedTime(started);
                    SweepTelemetry.TrainingTime.Record(trained.TotalMilliseconds);
                    item.Completion.TrySetResult(new TrainingRun(outcome, queued, trained));
                }
                catch (OperationCanceledException e)
                {
                    item.Completion.TrySetCanceled(e.CancellationToken);
                }
                catch (Exception e)
                {
                    _logger.LogDebug(e, "Training threw");
                    item.Completion.TrySetException(e);
                }
            }
        }
    }

    /// <summary>
    /// Stops every trial in hand and waits for the workers to leave libtorch: a process that exits while a thread is
    /// inside a native call can crash on the way out, which would turn a clean exit code into a signal.
    /// </summary>
    public void Dispose()
    {
        _queue.Writer.TryComplete();
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

        public WorkItem(TrialConfig config, int seed, BandWatch? bands, CancellationTokenSource stop, long queued, ActivityContext parent)
        {
            (Config, Seed, Bands, _stop, Queued, Parent) = (config, seed, bands, stop, queued, parent);
            // A trial still queued when it is stopped ends at once; one in training ends at its next epoch.
            _endWhenStopped = stop.Token.Register(() => Completion.TrySetCanceled(stop.Token));
        }

        public TrialConfig Config { get; }
        public int Seed { get; }
        public BandWatch? Bands { get; }
        public long Queued { get; }
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
