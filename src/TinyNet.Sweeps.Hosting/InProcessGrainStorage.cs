using System.Collections.Concurrent;
using Orleans.Storage;

namespace TinyNet.Sweeps.Hosting;

/// <summary>
/// Grain state for an embedded cluster: every silo lives in this process, so they share one dictionary of serialized
/// states instead of Orleans' memory storage, which keeps state in storage grains and so costs a grain call for each
/// read and write (a trial's activation and its result: two per trial). States are stored serialized, so a grain never
/// shares an object with the store, and written with ETags, as a real store checks them.
/// </summary>
public sealed class InProcessGrainStorage(InProcessGrainStorage.Table table, IGrainStorageSerializer serializer) : IGrainStorage
{
    /// <summary>The states themselves, one table for every silo of the process.</summary>
    public sealed class Table
    {
        internal ConcurrentDictionary<(string State, GrainId Grain), Entry> Entries { get; } = new();
        private long _version;

        internal string NewETag() => Interlocked.Increment(ref _version).ToString(System.Globalization.CultureInfo.InvariantCulture);
    }

    private ConcurrentDictionary<(string State, GrainId Grain), Entry> Entries => table.Entries;

    public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        if (Entries.TryGetValue((stateName, grainId), out var entry))
        {
            grainState.State = serializer.Deserialize<T>(entry.Data);
            grainState.ETag = entry.ETag;
            grainState.RecordExists = true;
        }
        else
        {
            grainState.State ??= Activator.CreateInstance<T>();
            grainState.ETag = null;
            grainState.RecordExists = false;
        }
        return Task.CompletedTask;
    }

    public Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        var written = new Entry(serializer.Serialize(grainState.State), table.NewETag());
        var key = (stateName, grainId);
        while (true)
        {
            if (Entries.TryGetValue(key, out var current))
            {
                CheckETag(current.ETag, grainState.ETag, stateName, grainId);
                if (Entries.TryUpdate(key, written, current)) break;
            }
            else
            {
                CheckETag(null, grainState.ETag, stateName, grainId);
                if (Entries.TryAdd(key, written)) break;
            }
        }
        grainState.ETag = written.ETag;
        grainState.RecordExists = true;
        return Task.CompletedTask;
    }

    public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        var key = (stateName, grainId);
        if (Entries.TryGetValue(key, out var current))
        {
            CheckETag(current.ETag, grainState.ETag, stateName, grainId);
            Entries.TryRemove(KeyValuePair.Create(key, current));
        }
        grainState.State = Activator.CreateInstance<T>();
        grainState.ETag = null;
        grainState.RecordExists = false;
        return Task.CompletedTask;
    }

    private static void CheckETag(string? stored, string? given, string stateName, GrainId grainId)
    {
        if (stored != given)
            throw new InconsistentStateException($"State {stateName} of {grainId} was written by someone else", stored ?? "none", given ?? "none");
    }

    internal sealed record Entry(BinaryData Data, string ETag);
}
