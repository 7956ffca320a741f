using System.Text;
using Microsoft.Extensions.Logging;
using Orleans.Storage;
using StackExchange.Redis;

namespace TinyNet.Sweeps.Hosting;

/// <summary>
/// Grain state in Redis, read and written in batches: a silo's trial grains activate and save their results by the
/// thousand a second, and one Redis script for every batch of them costs Redis and the silo far less than a command
/// for each. A batch goes as soon as the one before it is answered, so a lone read or write waits for nothing.
/// Keys and values are laid out as Orleans' own Redis grain storage lays them out (a hash of <c>etag</c> and
/// <c>data</c> at <c>{ServiceId}/state/{grain type}/{grain key}/{state name}</c>), so state it saved reads the same.
/// </summary>
public sealed class BatchedRedisGrainStorage : IGrainStorage, ILifecycleParticipant<ISiloLifecycle>, IAsyncDisposable
{
    /// <summary>Keys in one script: bounds the time one script holds Redis (a few hundred microseconds).</summary>
    public const int MaxBatch = 256;

    // Each key's entry in ARGV is (expected etag, new etag, data); an empty expected etag means "no state yet".
    private const string WriteScript =
        """
        local results = {}
        for i, key in ipairs(KEYS) do
          local expected = ARGV[3 * i - 2]
          local etag = redis.call('HGET', key, 'etag')
          if ((not etag or etag == '') and expected == '') or etag == expected then
            redis.call('HSET', key, 'etag', ARGV[3 * i - 1], 'data', ARGV[3 * i])
            results[i] = 0
          else
            results[i] = -1
          end
        end
        return results
        """;

    private const string ReadScript =
        """
        local results = {}
        for i, key in ipairs(KEYS) do
          results[i] = redis.call('HMGET', key, 'etag', 'data')
        end
        return results
        """;

    private readonly ConfigurationOptions _redis;
    private readonly byte[] _keyPrefix;
    private readonly IGrainStorageSerializer _serializer;
    private readonly ILogger _logger;
    private readonly BatchQueue<PendingRead> _reads;
    private readonly BatchQueue<PendingWrite> _writes;
    private ConnectionMultiplexer? _connection;
    private IDatabase? _database;

    public BatchedRedisGrainStorage(ConfigurationOptions redis, string serviceId, IGrainStorageSerializer serializer, ILogger<BatchedRedisGrainStorage> logger)
    {
        (_redis, _serializer, _logger) = (redis, serializer, logger);
        _keyPrefix = Encoding.UTF8.GetBytes($"{serviceId}/state/");
        _reads = new BatchQueue<PendingRead>(ReadBatch, MaxBatch);
        _writes = new BatchQueue<PendingWrite>(WriteBatch, MaxBatch);
    }

    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe(nameof(BatchedRedisGrainStorage), ServiceLifecycleStage.ApplicationServices, ConnectAsync);

    public async Task ConnectAsync(CancellationToken cancellationToken = default)
    {
        _connection = await ConnectionMultiplexer.ConnectAsync(_redis);
        _database = _connection.GetDatabase();
    }

    public async Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        var read = new PendingRead(Key(stateName, grainId), NewCompletion<(RedisValue, RedisValue)>());
        _reads.Enqueue(read);
        var (etag, data) = await read.Done.Task;
        // As Orleans' storage reads it: a hash with empty data is a cleared state that keeps its etag.
        grainState.ETag = etag.IsNullOrEmpty ? null : (string?)etag;
        grainState.RecordExists = !data.IsNullOrEmpty;
        grainState.State = data.IsNullOrEmpty ? Activator.CreateInstance<T>() : _serializer.Deserialize<T>(new BinaryData((ReadOnlyMemory<byte>)data));
    }

    public Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        WriteAsync(stateName, grainId, grainState, _serializer.Serialize(grainState.State).ToMemory(), exists: true);

    public async Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        await WriteAsync(stateName, grainId, grainState, ReadOnlyMemory<byte>.Empty, exists: false);
        grainState.State = Activator.CreateInstance<T>();
    }

    private async Task WriteAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState, ReadOnlyMemory<byte> data, bool exists)
    {
        string newETag = Guid.NewGuid().ToString("N");
        var write = new PendingWrite(Key(stateName, grainId), grainState.ETag ?? "", newETag, data, NewCompletion<bool>());
        _writes.Enqueue(write);
        if (!await write.Done.Task)
            throw new InconsistentStateException($"State {stateName} of {grainId} was written by someone else", "(in Redis)", grainState.ETag ?? "none");
        grainState.ETag = newETag;
        grainState.RecordExists = exists;
    }

    private async Task ReadBatch(List<PendingRead> batch)
    {
        try
        {
            var results = (RedisResult[])(await Database.ScriptEvaluateAsync(ReadScript, [.. batch.Select(r => r.Key)]))!;
            for (int i = 0; i < batch.Count; i++)
            {
                var fields = (RedisValue[])results[i]!;
                batch[i].Done.TrySetResult((fields[0], fields[1]));
            }
        }
        catch (Exception e)
        {
            Fail(batch.Select(r => r.Done), "read", batch.Count, e);
        }
    }

    private async Task WriteBatch(List<PendingWrite> batch)
    {
        try
        {
            var values = new RedisValue[3 * batch.Count];
            for (int i = 0; i < batch.Count; i++)
                (values[3 * i], values[3 * i + 1], values[3 * i + 2]) = (batch[i].ExpectedETag, batch[i].NewETag, batch[i].Data);
            var results = (RedisResult[])(await Database.ScriptEvaluateAsync(WriteScript, [.. batch.Select(w => w.Key)], values))!;
            for (int i = 0; i < batch.Count; i++) batch[i].Done.TrySetResult((int)results[i] == 0);
        }
        catch (Exception e)
        {
            Fail(batch.Select(w => w.Done), "write", batch.Count, e);
        }
    }

    private void Fail<TResult>(IEnumerable<TaskCompletionSource<TResult>> pending, string what, int count, Exception e)
    {
        _logger.LogWarning("Could not {What} {Count} grain states in Redis ({Error})", what, count, e.Message);
        var failure = new OrleansException($"Could not {what} grain state in Redis ({e.GetType().Name}: {e.Message})", e);
        foreach (var done in pending) done.TrySetException(failure);
    }

    private IDatabase Database => _database ?? throw new InvalidOperationException("The grain storage is not connected to Redis yet.");

    /// <summary>Orleans' Redis storage key: prefix, grain type, '/', grain key, '/', state name.</summary>
    private RedisKey Key(string stateName, GrainId grainId)
    {
        var type = grainId.Type.AsSpan();
        var key = grainId.Key.AsSpan();
        var bytes = new byte[_keyPrefix.Length + type.Length + 1 + key.Length + 1 + Encoding.UTF8.GetByteCount(stateName)];
        var rest = bytes.AsSpan();
        _keyPrefix.CopyTo(rest);
        rest = rest[_keyPrefix.Length..];
        type.CopyTo(rest);
        rest[type.Length] = (byte)'/';
        rest = rest[(type.Length + 1)..];
        key.CopyTo(rest);
        rest[key.Length] = (byte)'/';
        Encoding.UTF8.GetBytes(stateName, rest[(key.Length + 1)..]);
        return bytes;
    }

    private static TaskCompletionSource<TResult> NewCompletion<TResult>() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    public async ValueTask DisposeAsync()
    {
        if (_connection is { } connection) await connection.DisposeAsync();
    }

    private sealed record PendingRead(RedisKey Key, TaskCompletionSource<(RedisValue ETag, RedisValue Data)> Done);

    private sealed record PendingWrite(RedisKey Key, RedisValue ExpectedETag, RedisValue NewETag, ReadOnlyMemory<byte> Data, TaskCompletionSource<bool> Done);
}
