using Orleans.Runtime;
using Orleans.Storage;
using TinyNet.Sweeps.Hosting;

namespace TinyNet.Sweeps.Cli.Tests;

/// <summary>The embedded cluster's grain state: one table for every silo of the process, ETags checked as a store does.</summary>
public sealed class InProcessGrainStorageTests
{
    private sealed class JsonStates : IGrainStorageSerializer
    {
        public BinaryData Serialize<T>(T? input) => BinaryData.FromObjectAsJson(input);
        public T Deserialize<T>(BinaryData input) => input.ToObjectFromJson<T>()!;
    }

    public sealed class Counter
    {
        public List<int> Values { get; set; } = new();
    }

    private static readonly GrainId Grain = GrainId.Create("test", "one");

    [Fact]
    public async Task A_state_written_by_one_silo_is_read_by_another_as_a_copy_of_its_own()
    {
        using var table = new InProcessGrainStorage.Table();
        var silo1 = new InProcessGrainStorage(table, new JsonStates());
        var silo2 = new InProcessGrainStorage(table, new JsonStates());

        var missing = new GrainState<Counter>(new Counter());
        await silo2.ReadStateAsync("s", Grain, missing);
        Assert.False(missing.RecordExists);
        Assert.Null(missing.ETag);

        var written = new GrainState<Counter>(new Counter { Values = [1, 2] });
        await silo1.WriteStateAsync("s", Grain, written);
        written.State!.Values.Add(3); // changing the grain's object afterwards changes nothing stored

        var read = new GrainState<Counter>(new Counter());
        await silo2.ReadStateAsync("s", Grain, read);
        Assert.True(read.RecordExists);
        Assert.Equal([1, 2], read.State!.Values);
        Assert.Equal(written.ETag, read.ETag);

        var other = new GrainState<Counter>(new Counter());
        await silo2.ReadStateAsync("another state", Grain, other);
        Assert.False(other.RecordExists);
    }

    [Fact]
    public async Task A_write_with_a_stale_ETag_is_refused_and_a_clear_removes_the_state()
    {
        using var table = new InProcessGrainStorage.Table();
        var storage = new InProcessGrainStorage(table, new JsonStates());
        var first = new GrainState<Counter>(new Counter { Values = [1] });
        await storage.WriteStateAsync("s", Grain, first);
        var stale = new GrainState<Counter>(new Counter { Values = [9] }) { ETag = null };

        await Assert.ThrowsAsync<InconsistentStateException>(() => storage.WriteStateAsync("s", Grain, stale));
        first.State!.Values.Add(2);
        await storage.WriteStateAsync("s", Grain, first); // the holder of the current ETag writes on

        await storage.ClearStateAsync("s", Grain, first);
        var read = new GrainState<Counter>(new Counter());
        await storage.ReadStateAsync("s", Grain, read);
        Assert.False(read.RecordExists);
    }

    [Fact]
    public async Task States_of_many_grains_and_names_are_kept_apart_and_each_write_gives_a_new_ETag()
    {
        using var table = new InProcessGrainStorage.Table();
        var storage = new InProcessGrainStorage(table, new JsonStates());
        var grains = Enumerable.Range(0, 2000).Select(i => GrainId.Create(i % 2 == 0 ? "trial" : "coordinator", $"g{i}")).ToList();
        var etags = new HashSet<string>();
        foreach (var (grain, i) in grains.Select((g, i) => (g, i)))
            foreach (string name in new[] { "a", "b" })
            {
                var state = new GrainState<Counter>(new Counter { Values = [i, name.Length] });
                await storage.WriteStateAsync(name, grain, state);
                Assert.True(etags.Add(state.ETag!));
                state.State!.Values.Add(-1);
                await storage.WriteStateAsync(name, grain, state);
                Assert.True(etags.Add(state.ETag!));
            }

        await storage.ClearStateAsync("a", grains[7], new GrainState<Counter>(new Counter()) { ETag = await ETagOf("a", grains[7]) });
        foreach (var (grain, i) in grains.Select((g, i) => (g, i)))
            foreach (string name in new[] { "a", "b" })
            {
                var read = new GrainState<Counter>(new Counter());
                await storage.ReadStateAsync(name, grain, read);
                if (i == 7 && name == "a") Assert.False(read.RecordExists);
                else Assert.Equal([i, name.Length, -1], read.State!.Values);
            }

        async Task<string?> ETagOf(string name, GrainId grain)
        {
            var read = new GrainState<Counter>(new Counter());
            await storage.ReadStateAsync(name, grain, read);
            return read.ETag;
        }
    }

    public sealed class Blob
    {
        public string Text { get; set; } = "";
    }

    [Fact]
    public async Task States_of_every_size_written_at_once_read_back_whole_whether_still_buffered_or_in_the_file()
    {
        using var table = new InProcessGrainStorage.Table();
        var storage = new InProcessGrainStorage(table, new JsonStates());
        const int buffer = InProcessGrainStorage.Table.BufferSize;
        // Small records stay in the write buffer until it fills; those about its size fill it; larger ones go straight to the file.
        int[] sizes = [0, 1, 17, 1000, buffer / 2, buffer - 64, buffer - 1, buffer, buffer + 1, 3 * buffer, 5, 40_000];
        string TextOf(int writer, int i, int round) => new((char)('a' + (writer + i + round) % 26), sizes[(writer + i) % sizes.Length]);

        await Task.WhenAll(Enumerable.Range(0, 4).Select(writer => Task.Run(async () =>
        {
            for (int round = 0; round < 3; round++)
                for (int i = 0; i < 40; i++)
                {
                    var grain = GrainId.Create("trial", $"w{writer}-{i}");
                    var read = new GrainState<Blob>(new Blob());
                    await storage.ReadStateAsync("s", grain, read);
                    Assert.Equal(round == 0 ? "" : TextOf(writer, i, round - 1), read.State!.Text);
                    read.State = new Blob { Text = TextOf(writer, i, round) };
                    await storage.WriteStateAsync("s", grain, read);
                }
        })));

        for (int writer = 0; writer < 4; writer++)
            for (int i = 0; i < 40; i++)
            {
                var read = new GrainState<Blob>(new Blob());
                await storage.ReadStateAsync("s", GrainId.Create("trial", $"w{writer}-{i}"), read);
                Assert.Equal(TextOf(writer, i, 2), read.State!.Text);
            }
    }
}
