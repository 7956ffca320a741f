using Microsoft.Extensions.Logging;
using TinyNet.Sweeps.Abstractions;
using TinyNet.Sweeps.Domain.Trials;

namespace TinyNet.Sweeps.Grains;

/// <summary>
/// A silo's trial results on their way to their coordinators, sent in batches of at most <see cref="MaxBatch"/>, one call
/// at a time per sweep: results that arrive while a batch is on its way go in the next one, so a busy coordinator gets
/// bigger, fewer batches, while an idle one hears of a result at once (a worker may be waiting for its next trial).
/// </summary>
public sealed class TrialResultOutbox
{
    public const int MaxBatch = 256;
    /// <summary>Attempts to deliver one batch before its results are given up (their trials keep them; a re-ask reports them again).</summary>
    public const int MaxAttempts = 5;

    private readonly Func<string, IReadOnlyList<TrialResult>, Task> _send;
    private readonly ILogger _logger;
    private readonly TimeSpan _linger;
    private readonly Func<int, TimeSpan> _retryDelay;
    private readonly object _gate = new();
    private readonly Dictionary<string, SweepBox> _boxes = new();

    public TrialResultOutbox(IGrainFactory grains, ILogger<TrialResultOutbox> logger)
        : this((sweepId, results) => grains.GetGrainWithoutReflection<ISweepCoordinatorGrain>(sweepId).ReportResults(results), logger,
               linger: TimeSpan.Zero, retryDelay: attempt => TimeSpan.FromSeconds(attempt))
    {
    }

    /// <param name="send">Delivers one batch of a sweep's results.</param>
    /// <param name="linger">How long a batch that is not full waits for more results before it goes.</param>
    public TrialResultOutbox(Func<string, IReadOnlyList<TrialResult>, Task> send, ILogger logger, TimeSpan linger, Func<int, TimeSpan> retryDelay)
    {
        (_send, _logger, _linger, _retryDelay) = (send, logger, linger, retryDelay);
    }

    /// <summary>Queues a result; the task completes when its batch was delivered, or failed for good (logged).</summary>
    public Task Post(string sweepId, TrialResult result)
    {
        var item = new Item(result, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        lock (_gate)
        {
            if (!_boxes.TryGetValue(sweepId, out var box)) _boxes[sweepId] = box = new SweepBox();
            box.Items.Add(item);
            if (box.Items.Count >= MaxBatch) box.Full.TrySetResult();
            if (!box.Sending)
            {
                box.Sending = true;
                _ = Task.Run(() => SendLoop(sweepId, box));
            }
        }
        return item.Delivered.Task;
    }

    private async Task SendLoop(string sweepId, SweepBox box)
    {
        while (true)
        {
            Task full;
            lock (_gate) full = box.Full.Task;
            // Wait for company, unless a whole batch is already there.
            if (_linger > TimeSpan.Zero) await Task.WhenAny(full, Task.Delay(_linger));
            List<Item> batch;
            lock (_gate)
            {
                batch = box.Items.GetRange(0, Math.Min(MaxBatch, box.Items.Count));
                box.Items.RemoveRange(0, batch.Count);
                if (box.Items.Count < MaxBatch) box.Full = NewSignal();
            }
            await Deliver(sweepId, batch);
            lock (_gate)
            {
                if (box.Items.Count > 0) continue;
                box.Sending = false;
                _boxes.Remove(sweepId);
                return;
            }
        }
    }

    private async Task Deliver(string sweepId, List<Item> batch)
    {
        var results = batch.Select(i => i.Result).ToList();
        for (int attempt = 1; ; attempt++)
        {
            try
            {
                await _send(sweepId, results);
                break;
            }
            catch (Exception e) when (attempt < MaxAttempts)
            {
                _logger.LogWarning("Reporting {Count} results to sweep {SweepId} failed ({Error}); retrying", results.Count, sweepId, e.Message);
                await Task.Delay(_retryDelay(attempt));
            }
            catch (Exception e)
            {
                _logger.LogError("Could not report {Count} results to sweep {SweepId} ({Error}); their trials keep them", results.Count, sweepId, e.Message);
                break;
            }
        }
        foreach (var item in batch) item.Delivered.TrySetResult();
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    private sealed record Item(TrialResult Result, TaskCompletionSource Delivered);

    private sealed class SweepBox
    {
        public List<Item> Items { get; } = new();
        public TaskCompletionSource Full { get; set; } = NewSignal();
        public bool Sending { get; set; }
    }
}
