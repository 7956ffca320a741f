using System.Collections.Concurrent;
using Microsoft.Win32.SafeHandles;
using Orleans.Storage;

namespace TinyNet.Sweeps.Hosting;

/// <summary>
/// Grain state for an embedded cluster: every silo lives in this process, so they share one table of serialized
/// states instead of Orleans' memory storage, which keeps state in storage grains and so costs a grain call for each
/// read and write (a trial's activation and its result: two per trial). States are stored serialized, so a grain never
/// shares an object with the store, and written with ETags, as a real store checks them.
/// </summary>
public sealed class InProcessGrainStorage(InProcessGrainStorage.Table table, IGrainStorageSerializer serializer) : IGrainStorage
{
    /// <summary>
    /// The states themselves, one table for every silo of the process. The bytes go to a temporary file (appended, never
    /// rewritten; deleted when the table is disposed or the process ends) and only their place stays in memory: every
    /// trial of a sweep saves its result, and held on the heap they were most of a large sweep's memory.
    /// </summary>
    public sealed class Table : IDisposable
    {
        internal ConcurrentDictionary<(string State, GrainId Grain), Entry> Entries { get; } = new();
        private readonly SafeFileHandle _file = File.OpenHandle(
            Path.Combine(Path.GetTempPath(), $"tinynet-grain-states-{Guid.NewGuid():N}.bin"),
            FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, FileOptions.DeleteOnClose);
        private readonly Lock _appending = new();
        private long _end;
        private long _version;

        internal Entry Store(ReadOnlySpan<byte> data)
        {
            long at;
            lock (_appending)
            {
                at = _end;
                _end += data.Length;
            }
            RandomAccess.Write(_file, data, at);
            return new Entry(at, data.Length, Interlocked.Increment(ref _version));
        }

        internal BinaryData Load(Entry entry)
        {
            var bytes = new byte[entry.Length];
            RandomAccess.Read(_file, bytes, entry.Offset);
            return new BinaryData(bytes);
        }

        public void Dispose() => _file.Dispose();
    }

    private ConcurrentDictionary<(string State, GrainId Grain), Entry> Entries => table.Entries;

    public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        if (Entries.TryGetValue((stateName, grainId), out var entry))
        {
            grainState.State = serializer.Deserialize<T>(table.Load(entry));
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
        var written = table.Store(serializer.Serialize(grainState.State).ToMemory().Span);
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

    /// <summary>Where a state's bytes are in the table's file, and its version.</summary>
    internal sealed record Entry(long Offset, int Length, long Version)
    {
        public string ETag => Version.ToString(System.Globalization.CultureInfo.InvariantCulture);
    }
}
