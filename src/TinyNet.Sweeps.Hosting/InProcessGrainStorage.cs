using System.Buffers.Binary;
using System.Globalization;
using System.IO.Hashing;
using System.Text;
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
    /// The states themselves, one table for every silo of the process. Each write appends a record (the state's key, then
    /// its bytes) to a temporary file, deleted when the table is disposed or the process ends; memory keeps only a 128-bit
    /// hash of each key and where its latest record is, about 44 bytes a state with nothing for the GC to trace. Every
    /// trial of a sweep saves its result: held on the heap, the bytes and then the keys (a string and a grain id) were
    /// most of what a 100,000-trial sweep kept. Records are gathered in a buffer and written to the file a buffer at a
    /// time: a system call for each trial's result was 3 % of a trial's orchestration (`benchmark coordinator` profiles).
    /// </summary>
    public sealed class Table : IDisposable
    {
        /// <summary>Bytes of records gathered before they are written to the file; a larger record goes to the file at once.</summary>
        public const int BufferSize = 64 * 1024;

        private readonly Dictionary<UInt128, Place> _places = new();
        private readonly Lock _gate = new();
        private readonly SafeFileHandle _file = OpenNamelessFile();
        /// <summary>Records not in the file yet: they start at <see cref="_written"/>, the file's length.</summary>
        private readonly byte[] _buffer = new byte[BufferSize];
        private int _buffered;
        private long _written;

        /// <summary>
        /// A temporary file that goes with its last handle however the process ends. On Unix its name is removed as soon
        /// as it is open (the open handle keeps the data), so a process killed by SIGKILL or the OOM killer leaves
        /// nothing in the temporary folder; delete-on-close, what Windows has, needs a clean exit, and the file holds
        /// every trial's result of the process's sweeps.
        /// </summary>
        private static SafeFileHandle OpenNamelessFile()
        {
            string path = Path.Combine(Path.GetTempPath(), $"tinynet-grain-states-{Guid.NewGuid():N}.bin");
            if (OperatingSystem.IsWindows())
                return File.OpenHandle(path, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, FileOptions.DeleteOnClose);
            var file = File.OpenHandle(path, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None);
            File.Delete(path);
            return file;
        }

        internal bool TryFind(StateKey key, out Place place)
        {
            lock (_gate) return _places.TryGetValue(key.Hash, out place);
        }

        /// <summary>Appends <paramref name="data"/> under <paramref name="key"/> and makes it the key's state, if its latest ETag is <paramref name="expectedETag"/>.</summary>
        internal Place Write(StateKey key, ReadOnlyMemory<byte> data, string? expectedETag, Func<string?, Exception> refused)
        {
            int length = key.Bytes.Length + data.Length;
            lock (_gate)
            {
                string? current = _places.TryGetValue(key.Hash, out var place) ? place.ETag : null;
                if (current != expectedETag) throw refused(current);
                if (_buffered + length > BufferSize) Flush();
                var written = new Place(_written + _buffered, key.Bytes.Length, data.Length);
                if (length > BufferSize)
                {
                    // Larger than the buffer (a state of hundreds of hidden units): straight to the file, after what was buffered.
                    RandomAccess.Write(_file, [key.Bytes, data], _written);
                    _written += length;
                }
                else
                {
                    key.Bytes.CopyTo(_buffer.AsSpan(_buffered));
                    data.Span.CopyTo(_buffer.AsSpan(_buffered + key.Bytes.Length));
                    _buffered += length;
                }
                _places[key.Hash] = written;
                return written;
            }
        }

        /// <summary>Writes the buffered records to the file. Called under <see cref="_gate"/>.</summary>
        private void Flush()
        {
            RandomAccess.Write(_file, _buffer.AsSpan(0, _buffered), _written);
            _written += _buffered;
            _buffered = 0;
        }

        internal void Remove(StateKey key, string? expectedETag, Func<string?, Exception> refused)
        {
            lock (_gate)
            {
                if (!_places.TryGetValue(key.Hash, out var place)) return;
                if (place.ETag != expectedETag) throw refused(place.ETag);
                _places.Remove(key.Hash);
            }
        }

        /// <summary>The state's bytes at <paramref name="place"/>, after checking that the record there is <paramref name="key"/>'s.</summary>
        internal BinaryData Load(StateKey key, Place place)
        {
            var record = new byte[place.KeyLength + place.DataLength];
            bool inFile;
            lock (_gate)
            {
                inFile = place.Offset < _written;
                if (!inFile) _buffer.AsSpan((int)(place.Offset - _written), record.Length).CopyTo(record);
            }
            // Records in the file are never rewritten, so reading them needs no lock.
            if (inFile) RandomAccess.Read(_file, record, place.Offset);
            // Two keys with one 128-bit hash would share a place; checked rather than trusted, though it is not expected to happen.
            if (!record.AsSpan(0, place.KeyLength).SequenceEqual(key.Bytes))
                throw new InvalidOperationException("Two grain states' keys have the same 128-bit hash in the embedded store");
            return new BinaryData(record.AsMemory(place.KeyLength));
        }

        public void Dispose() => _file.Dispose();
    }

    public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        var key = StateKey.Of(stateName, grainId);
        if (table.TryFind(key, out var place))
        {
            grainState.State = serializer.Deserialize<T>(table.Load(key, place));
            grainState.ETag = place.ETag;
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
        var written = table.Write(StateKey.Of(stateName, grainId), serializer.Serialize(grainState.State).ToMemory(),
            grainState.ETag, stored => Refused(stateName, grainId, stored, grainState.ETag));
        grainState.ETag = written.ETag;
        grainState.RecordExists = true;
        return Task.CompletedTask;
    }

    public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        table.Remove(StateKey.Of(stateName, grainId), grainState.ETag, stored => Refused(stateName, grainId, stored, grainState.ETag));
        grainState.State = Activator.CreateInstance<T>();
        grainState.ETag = null;
        grainState.RecordExists = false;
        return Task.CompletedTask;
    }

    private static InconsistentStateException Refused(string stateName, GrainId grainId, string? stored, string? given) =>
        new($"State {stateName} of {grainId} was written by someone else", stored ?? "none", given ?? "none");

    /// <summary>A state's key as bytes (its name, its grain's type and key, each with its length) and their hash.</summary>
    internal readonly record struct StateKey(byte[] Bytes, UInt128 Hash)
    {
        public static StateKey Of(string stateName, GrainId grainId)
        {
            var name = Encoding.UTF8.GetBytes(stateName);
            var type = grainId.Type.AsSpan();
            var id = grainId.Key.AsSpan();
            var bytes = new byte[12 + name.Length + type.Length + id.Length];
            var span = bytes.AsSpan();
            Append(ref span, name);
            Append(ref span, type);
            Append(ref span, id);
            return new StateKey(bytes, XxHash128.HashToUInt128(bytes));
        }

        private static void Append(ref Span<byte> span, ReadOnlySpan<byte> part)
        {
            BinaryPrimitives.WriteInt32LittleEndian(span, part.Length);
            part.CopyTo(span[4..]);
            span = span[(4 + part.Length)..];
        }
    }

    /// <summary>Where a state's latest record is. Records are appended, never rewritten, so the offset also names the version.</summary>
    internal readonly record struct Place(long Offset, int KeyLength, int DataLength)
    {
        public string ETag => Offset.ToString(CultureInfo.InvariantCulture);
    }
}
