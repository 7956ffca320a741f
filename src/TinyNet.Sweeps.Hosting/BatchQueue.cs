namespace TinyNet.Sweeps.Hosting;

/// <summary>
/// Hands queued items to one sender in batches, one batch at a time: items that come while a batch is on its way wait
/// and go together in the next, so batches grow with the load while an item that comes alone goes at once.
/// </summary>
/// <param name="send">Sends one batch and settles each of its items itself; it must not throw.</param>
internal sealed class BatchQueue<T>(Func<List<T>, Task> send, int maxBatch)
{
    private readonly Lock _gate = new();
    private readonly List<T> _waiting = [];
    private bool _sending;

    public void Enqueue(T item)
    {
        lock (_gate)
        {
            _waiting.Add(item);
            if (_sending) return;
            _sending = true;
        }
        // Off the caller's context: a grain's turn must not run the sending.
        _ = Task.Run(SendAll);
    }

    private async Task SendAll()
    {
        while (true)
        {
            List<T> batch;
            lock (_gate)
            {
                if (_waiting.Count == 0)
                {
                    _sending = false;
                    return;
                }
                int count = Math.Min(maxBatch, _waiting.Count);
                batch = _waiting.GetRange(0, count);
                _waiting.RemoveRange(0, count);
            }
            await send(batch);
        }
    }
}
