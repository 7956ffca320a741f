using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Orleans.Serialization;
using Orleans.Storage;
using StackExchange.Redis;
using TinyNet.Sweeps.Hosting;

namespace TinyNet.Sweeps.Cluster.Tests;

/// <summary>Grain state read and written in batches, against a redis-server of its own (its command counts are this class's).</summary>
public sealed class BatchedRedisGrainStorageTests(RedisServer redis) : IClassFixture<RedisServer>, IAsyncLifetime
{
    private const string ServiceId = "batched-storage-tests";
    private BatchedRedisGrainStorage _storage = null!;
    private ConnectionMultiplexer _inspector = null!;

    public async Task InitializeAsync()
    {
        var serializer = new ServiceCollection().AddSerializer().BuildServiceProvider().GetRequiredService<Serializer>();
        _storage = new BatchedRedisGrainStorage(ConfigurationOptions.Parse(redis.Address), ServiceId,
            new OrleansGrainStorageSerializer(serializer), NullLogger<BatchedRedisGrainStorage>.Instance);
        await _storage.ConnectAsync();
        _inspector = await ConnectionMultiplexer.ConnectAsync($"{redis.Address},allowAdmin=true");
    }

    public async Task DisposeAsync()
    {
        await _storage.DisposeAsync();
        await _inspector.DisposeAsync();
    }

    private static GrainId Trial(string key) => GrainId.Create("trial", key);

    [Fact]
    public async Task A_state_never_written_reads_as_new_and_a_written_one_reads_back_with_its_etag()
    {
        var fresh = new GrainState<List<int>>();
        await _storage.ReadStateAsync("trial", Trial("never"), fresh);
        Assert.False(fresh.RecordExists);
        Assert.Null(fresh.ETag);
        Assert.Empty(fresh.State!);

        var written = new GrainState<List<int>> { State = [1, 2, 3] };
        await _storage.WriteStateAsync("trial", Trial("round-trip"), written);
        var read = new GrainState<List<int>>();
        await _storage.ReadStateAsync("trial", Trial("round-trip"), read);

        Assert.True(read.RecordExists);
        Assert.Equal([1, 2, 3], read.State);
        Assert.NotNull(read.ETag);
        Assert.Equal(written.ETag, read.ETag);
    }

    [Fact]
    public async Task State_is_laid_out_as_Orleans_Redis_storage_lays_it_out()
    {
        await _storage.WriteStateAsync("trial", Trial("layout"), new GrainState<List<int>> { State = [7] });

        var fields = await _inspector.GetDatabase().HashGetAllAsync($"{ServiceId}/state/trial/layout/trial");

        Assert.Equal(["data", "etag"], fields.Select(f => f.Name.ToString()).Order());
    }

    [Fact]
    public async Task A_write_with_a_stale_etag_is_refused_and_its_neighbours_in_the_batch_are_not()
    {
        var first = new GrainState<List<int>> { State = [1] };
        await _storage.WriteStateAsync("trial", Trial("contended"), first);
        var stale = new GrainState<List<int>> { State = [2], ETag = "an-older-etag" };
        var neighbours = Enumerable.Range(0, 50).Select(i => new GrainState<List<int>> { State = [i] }).ToList();

        var staleWrite = _storage.WriteStateAsync("trial", Trial("contended"), stale);
        var neighbourWrites = neighbours.Select((s, i) => _storage.WriteStateAsync("trial", Trial($"neighbour-{i}"), s)).ToList();

        await Assert.ThrowsAsync<InconsistentStateException>(() => staleWrite);
        await Task.WhenAll(neighbourWrites);
        var kept = new GrainState<List<int>>();
        await _storage.ReadStateAsync("trial", Trial("contended"), kept);
        Assert.Equal([1], kept.State);
        Assert.Equal(first.ETag, kept.ETag);
        for (int i = 0; i < neighbours.Count; i++)
        {
            var read = new GrainState<List<int>>();
            await _storage.ReadStateAsync("trial", Trial($"neighbour-{i}"), read);
            Assert.Equal([i], read.State);
        }
    }

    [Fact]
    public async Task A_state_written_before_must_be_written_with_its_etag()
    {
        await _storage.WriteStateAsync("trial", Trial("owned"), new GrainState<List<int>> { State = [1] });

        // A second activation that never read the state (no etag) must not overwrite it.
        await Assert.ThrowsAsync<InconsistentStateException>(() =>
            _storage.WriteStateAsync("trial", Trial("owned"), new GrainState<List<int>> { State = [2] }));
    }

    [Fact]
    public async Task Thousands_of_concurrent_reads_and_writes_take_a_few_Redis_scripts_not_one_command_each()
    {
        const int Grains = 2_000;
        long before = await ScriptCalls();

        await Task.WhenAll(Enumerable.Range(0, Grains).Select(i =>
            _storage.ReadStateAsync("trial", Trial($"many-{i}"), new GrainState<List<int>>())));
        var states = Enumerable.Range(0, Grains).Select(i => new GrainState<List<int>> { State = [i] }).ToList();
        await Task.WhenAll(states.Select((s, i) => _storage.WriteStateAsync("trial", Trial($"many-{i}"), s)));

        long calls = await ScriptCalls() - before;
        // At most 256 keys a script: 2 × 2,000 operations take at least 16 scripts; one command each would be 4,000.
        Assert.InRange(calls, 2 * (Grains / BatchedRedisGrainStorage.MaxBatch), Grains / 4);
        var read = new GrainState<List<int>>();
        await _storage.ReadStateAsync("trial", Trial("many-1234"), read);
        Assert.Equal([1234], read.State);
    }

    [Fact]
    public async Task A_storage_whose_redis_is_gone_fails_the_call_instead_of_waiting_for_ever()
    {
        var unreachable = ConfigurationOptions.Parse($"127.0.0.1:{RedisServer.FreePort()},abortConnect=false,connectTimeout=500,asyncTimeout=1000");
        var serializer = new ServiceCollection().AddSerializer().BuildServiceProvider().GetRequiredService<Serializer>();
        await using var storage = new BatchedRedisGrainStorage(unreachable, ServiceId, new OrleansGrainStorageSerializer(serializer),
            NullLogger<BatchedRedisGrainStorage>.Instance);
        await storage.ConnectAsync();

        var failure = await Assert.ThrowsAnyAsync<Exception>(() =>
            storage.WriteStateAsync("trial", Trial("nowhere"), new GrainState<List<int>> { State = [1] }).WaitAsync(TimeSpan.FromSeconds(30)));

        Assert.IsNotType<TimeoutException>(failure);
        Assert.Contains("Redis", failure.Message);
    }

    /// <summary>EVAL and EVALSHA calls the server has answered so far.</summary>
    private async Task<long> ScriptCalls()
    {
        var server = _inspector.GetServer(_inspector.GetEndPoints()[0]);
        var stats = (await server.InfoAsync("commandstats")).SelectMany(g => g);
        return stats.Where(s => s.Key is "cmdstat_eval" or "cmdstat_evalsha")
            .Sum(s => long.Parse(s.Value.Split(',')[0]["calls=".Length..]));
    }
}
