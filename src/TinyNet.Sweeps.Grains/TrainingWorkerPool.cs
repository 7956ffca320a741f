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

    public async Task<TrainingOutcome> TrainAsync(TrialConfig config, int seed, CancellationToken cancellationToken = default)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _shutdown.Token);
        var item = new WorkItem(config, seed, stop.Token, new TaskCompletionSource<TrainingOutcome>(TaskCreationOptions.RunContinuationsAsynchronously),
            Stopwatch.GetTimestamp(), Activity.Current?.Context ?? default);
        // A trial still queued when it is stopped ends at once; one in training ends at its next epoch.
        await using var queued = stop.Token.Register(() => item.Completion.TrySetCanceled(stop.Token));
        if (!_queue.Writer.TryWrite(item)) throw new OperationCanceledException("The silo's trainer is shutting down.");
        return await item.Completion.Task;
    }

    private void WorkLoop()
    {
        var reader = _queue.Reader;
        while (reader.WaitToReadAsync().AsTask().GetAwaiter().GetResult())
        {
            while (reader.TryRead(out var item))
            {
                if (item.CancellationToken.IsCancellationRequested)
                {
                    item.Completion.TrySetCanceled(item.CancellationToken);
                    continue;
                }
                long started = Stopwatch.GetTimestamp();
                // The worker thread has no ambient trace: continue the trial's own.
                using var activity = SweepTelemetry.ActivitySource.StartActivity("train", ActivityKind.Internal, item.Parent);
                SweepTelemetry.QueueTime.Record(Stopwatch.GetElapsedTime(item.Queued, started).TotalMilliseconds);
                try
                {
                    var outcome = _trainer.Train(item.Config, item.Seed, item.CancellationToken);
                    SweepTelemetry.TrainingTime.Record(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                    item.Completion.TrySetResult(outcome);
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

    private sealed record WorkItem(TrialConfig Config, int Seed, CancellationToken CancellationToken, TaskCompletionSource<TrainingOutcome> Completion, long Queued,
        ActivityContext Parent);
}
