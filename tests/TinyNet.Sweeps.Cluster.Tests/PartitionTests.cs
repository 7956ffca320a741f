using System.Diagnostics;
using System.Text.Json;
using TinyNet.Sweeps.Abstractions;
using TinyNet.Sweeps.Domain.Trials;
using TinyNet.Sweeps.Training;
using Xunit.Abstractions;

namespace TinyNet.Sweeps.Cluster.Tests;

/// <summary>
/// A sweep across machines on a network (<see cref="VirtualNetwork"/>): Redis on one host, a silo on each of the
/// others with its own address, the client on the root side. A silo cut off mid-sweep is declared dead and its trials
/// run on the others; once its cable is back it learns it is dead and exits in one line. Redis cut off for ten seconds
/// pauses the sweep, which then finishes. Either way every trial has exactly one result, in the cluster and in the
/// client's trials.jsonl, equal bit for bit to training it directly here. Needs root, which CI has: without it these
/// tests fail, saying so.
/// </summary>
// In the collection of the other multi-silo tests, not beside them: silos on two cores, starved by another test's
// training, miss the tuned one-second probes and are declared dead for nothing.
[Collection(RedisCollection.Name)]
public sealed class PartitionTests(ITestOutputHelper output)
{
    // 30 trials of one shape, so a silo trains its share as one group of lanes: several seconds, long enough to cut a
    // silo or Redis off mid-sweep.
    private const string SweepYaml = """
        name: partition
        method: grid
        seeds: 30
        parameters:
          epochs: {value: 10000}
        """;

    private const string Redispatched = "trials were on silos that left the cluster; dispatching them again";

    [Fact]
    public async Task A_silo_cut_off_mid_sweep_is_declared_dead_its_trials_run_elsewhere_and_once_back_it_exits_and_each_trial_has_one_result()
    {
        await using var cluster = await ClusterOnNetwork.StartAsync("a", "b", "c");
        string work = Directory.CreateTempSubdirectory("tinynet-partition-").FullName;
        try
        {
            output.WriteLine($"{DateTime.UtcNow:HH:mm:ss.fff} three silos joined");
            var (submit, sweepId) = await SubmitAsync(cluster, work);
            output.WriteLine($"{DateTime.UtcNow:HH:mm:ss.fff} submitted {sweepId}");
            var client = await cluster.ConnectAsync();
            var management = client.GetGrain<IManagementGrain>(0);
            var coordinator = client.GetGrain<ISweepCoordinatorGrain>(sweepId);
            var coordinatorAddress = await management.GetActivationAddress(coordinator);
            string coordinatorHost = cluster.HostAt(coordinatorAddress!.Endpoint.Address);
            // Every trial out on a silo and none back: the victim holds its share.
            var started = await WaitForProgress(coordinator, p => p.Running == p.Total);
            Assert.True(started.Finished == 0, "trials finished before a silo could be cut off; make them longer");

            string victim = cluster.Silos.Keys.First(h => h != coordinatorHost);
            output.WriteLine($"{DateTime.UtcNow:HH:mm:ss.fff} cutting silo-{victim} off (the coordinator is on silo-{coordinatorHost})");
            cluster.Network[victim].Disconnect();
            Assert.False(cluster.Network[victim].Accepts(ClusterOnNetwork.GatewayPort), $"silo-{victim}'s gateway still answers with its cable pulled");

            // The others declare it dead, and the coordinator dispatches its trials to them.
            await Poll(() => cluster.MembershipStatusAsync(victim), status => status == SiloStatus.Dead, $"silo-{victim}'s row in the membership table");
            output.WriteLine($"{DateTime.UtcNow:HH:mm:ss.fff} silo-{victim} is dead in the membership table");
            await ChildProcesses.WaitForOutput(cluster.Silos[coordinatorHost], Redispatched, TimeSpan.FromSeconds(60));

            // Its cable back, the silo learns from the membership table that it was declared dead, and exits in one line.
            cluster.Network[victim].Reconnect();
            output.WriteLine($"{DateTime.UtcNow:HH:mm:ss.fff} silo-{victim} reconnected");
            var dead = cluster.Silos[victim];
            Assert.True(dead.WaitForExit(60_000), $"silo-{victim} still runs a minute after it came back:\n{Tail(ChildProcesses.Output(dead))}");
            dead.WaitForExit();
            output.WriteLine($"{DateTime.UtcNow:HH:mm:ss.fff} silo-{victim} exited {dead.ExitCode}");
            string said = ChildProcesses.Output(dead);
            Assert.True(dead.ExitCode == 1, $"silo-{victim} exited {dead.ExitCode}:\n{Tail(said)}");
            Assert.Single(said.Split('\n'), l => l.Contains("was declared dead by the cluster"));
            Assert.DoesNotContain("FATAL EXCEPTION", said);

            // Each trial once, the cut-off silo's included: whichever of its two trainings reported first (it may have
            // reported what it trained while cut off, before it learned it was dead: Orleans takes messages from it).
            var results = await FinishAsync(cluster, submit, coordinator, work);
            output.WriteLine($"trials per silo: {string.Join(", ", results.GroupBy(r => r.Silo).Select(g => $"{g.Key} {g.Count()}"))}");
        }
        catch
        {
            output.WriteLine(cluster.Tails());
            throw;
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    [Fact]
    public async Task Redis_cut_off_for_ten_seconds_mid_sweep_pauses_the_sweep_which_then_finishes_with_every_trial_once()
    {
        await using var cluster = await ClusterOnNetwork.StartAsync("a", "b");
        string work = Directory.CreateTempSubdirectory("tinynet-partition-").FullName;
        try
        {
            output.WriteLine($"{DateTime.UtcNow:HH:mm:ss.fff} two silos joined");
            var (submit, sweepId) = await SubmitAsync(cluster, work);
            output.WriteLine($"{DateTime.UtcNow:HH:mm:ss.fff} submitted {sweepId}");
            var coordinator = (await cluster.ConnectAsync()).GetGrain<ISweepCoordinatorGrain>(sweepId);
            var started = await WaitForProgress(coordinator, p => p.Running == p.Total);
            Assert.True(started.Finished == 0, "trials finished before Redis could be cut off; make them longer");

            output.WriteLine($"{DateTime.UtcNow:HH:mm:ss.fff} cutting Redis off for 10 s");
            cluster.RedisHost.Disconnect();
            Assert.False(cluster.RedisHost.Accepts(ClusterOnNetwork.RedisPort), "Redis still answers with its cable pulled");
            await Task.Delay(TimeSpan.FromSeconds(10));
            cluster.RedisHost.Reconnect();
            output.WriteLine($"{DateTime.UtcNow:HH:mm:ss.fff} Redis reconnected");

            await FinishAsync(cluster, submit, coordinator, work);
            // Redis out of reach is no sign that it lost the cluster: every silo waited for it, and is still a member.
            foreach (var (host, silo) in cluster.Silos)
            {
                Assert.False(silo.HasExited, $"silo-{host} exited while Redis was out of reach:\n{Tail(ChildProcesses.Output(silo))}");
                Assert.True(await cluster.MembershipStatusAsync(host) == SiloStatus.Active, $"silo-{host} left the cluster:\n{Tail(ChildProcesses.Output(silo))}");
            }
        }
        catch
        {
            output.WriteLine(cluster.Tails());
            throw;
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    /// <summary>Submits the sweep from the root side with --wait, so that the client follows it into its trials.jsonl.</summary>
    private static async Task<(Process Client, string SweepId)> SubmitAsync(ClusterOnNetwork cluster, string work)
    {
        string file = Path.Combine(work, "partition.yaml");
        await File.WriteAllTextAsync(file, SweepYaml);
        var client = cluster.StartCli($"submit {file} --wait --out {Path.Combine(work, "results")}");
        // The sweep's id is its first line of output, once the cluster has saved the sweep.
        await ChildProcesses.WaitForOutput(client, "partition-", TimeSpan.FromSeconds(60));
        string sweepId = ChildProcesses.Output(client).Split('\n').First(l => l.StartsWith("partition-", StringComparison.Ordinal)).Trim();
        return (client, sweepId);
    }

    /// <summary>
    /// Waits for the sweep and its client to finish and checks that every trial has exactly one result, in the
    /// coordinator and in the client's trials.jsonl, each equal to training the trial here.
    /// </summary>
    private async Task<IReadOnlyList<TrialResult>> FinishAsync(ClusterOnNetwork cluster, Process submit, ISweepCoordinatorGrain coordinator, string work)
    {
        using (var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3)))
            await submit.WaitForExitAsync(timeout.Token);
        submit.WaitForExit();
        Assert.True(submit.ExitCode == 0, ChildProcesses.Output(submit));
        output.WriteLine($"{DateTime.UtcNow:HH:mm:ss.fff} the client has every result");

        var final = await WaitForProgress(coordinator, p => p.IsOver);
        Assert.Equal(SweepState.Completed, final.State);
        var results = await Call(() => coordinator.GetProgress(0, TimeSpan.Zero));
        Assert.Equal(30, results.NewResults.Count);
        Assert.Equal(30, results.NewResults.Select(r => r.Trial.Id).Distinct().Count());
        Assert.All(results.NewResults, r => Assert.Equal(TrialStatus.Completed, r.Outcome.Status));

        // The client wrote each trial once, as it arrived.
        var lines = File.ReadAllLines(Path.Combine(work, "results", "trials.jsonl")).Where(l => l.Length > 0).ToList();
        var ids = lines.Select(l => JsonDocument.Parse(l).RootElement.GetProperty("id").GetString()).ToList();
        Assert.Equal(30, lines.Count);
        Assert.Equal(results.NewResults.Select(r => r.Trial.Id).Order(), ids.Order());

        // Determinism makes "nothing lost, nothing wrong" checkable: every result is what training the trial here gives,
        // here all at once as lanes of one group, which gives what each gives alone.
        var trainer = new TorchTrialTrainer();
        var direct = trainer.TrainGroup([.. results.NewResults.Select(r => new LaneRequest(r.Trial.Config, r.Trial.Seed))]);
        for (int i = 0; i < results.NewResults.Count; i++)
        {
            Assert.Equal(direct[i]!.Metrics, results.NewResults[i].Outcome.Metrics);
            Assert.Equal(direct[i]!.LossHistory, results.NewResults[i].Outcome.LossHistory);
        }
        output.WriteLine($"{DateTime.UtcNow:HH:mm:ss.fff} every result checked");
        return results.NewResults;
    }

    private Task<SweepProgress> WaitForProgress(ISweepCoordinatorGrain coordinator, Func<SweepProgress, bool> condition) =>
        Poll(() => coordinator.GetProgress(int.MaxValue, TimeSpan.FromSeconds(1)), condition, "the sweep's progress");

    /// <summary>
    /// Reads until <paramref name="done"/>, through failures, each call cut short: while a silo is cut off, calls
    /// through it fail or go unanswered until the cluster gives up on it.
    /// </summary>
    private async Task<T> Poll<T>(Func<Task<T>> read, Func<T, bool> done, string what)
    {
        var deadline = DateTime.UtcNow.AddMinutes(2);
        string last = "no answer";
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                var value = await Call(read);
                if (done(value)) return value;
                last = $"{value}";
            }
            catch (Exception e)
            {
                last = $"{e.GetType().Name}: {e.Message.Split('\n')[0]}";
                output.WriteLine($"{DateTime.UtcNow:HH:mm:ss.fff} reading {what}: {last}");
            }
            await Task.Delay(250);
        }
        throw new TimeoutException($"waited two minutes for {what} in vain; last: {last}");
    }

    private static Task<T> Call<T>(Func<Task<T>> call) => call().WaitAsync(TimeSpan.FromSeconds(5));

    private static string Tail(string text) => string.Join('\n', text.Split('\n').TakeLast(25));
}
