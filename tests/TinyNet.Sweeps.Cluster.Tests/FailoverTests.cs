using TinyNet.Sweeps.Abstractions;
using TinyNet.Sweeps.Domain.Trials;
using TinyNet.Sweeps.Training;
using Xunit.Abstractions;

namespace TinyNet.Sweeps.Cluster.Tests;

/// <summary>
/// A sweep on three silo processes survives SIGKILL of a silo, of the coordinator's silo, and the loss of every
/// silo: each trial ends with exactly one result, equal bit for bit to training it directly here.
/// </summary>
[Collection(RedisCollection.Name)]
public sealed class FailoverTests(RedisServer redis, ITestOutputHelper output)
{
    // 30 trials of 1,500 steps: a few seconds on three one-worker silos, long enough to strike mid-sweep.
    private const string SweepYaml = """
        name: failover
        method: grid
        seeds: 10
        parameters:
          activation: {values: [relu, sigmoid, tanh]}
          epochs: {value: 1500}
          batch_size: {value: 32}
        """;

    [Fact]
    public Task Killing_a_silo_mid_sweep_loses_nothing() => RunAndDisrupt(async (cluster, coordinatorSilo) =>
    {
        var victim = cluster.Silos.First(s => s != coordinatorSilo);
        output.WriteLine($"SIGKILL {victim.Name} (the coordinator is on {coordinatorSilo.Name})");
        ChildProcesses.Kill(victim.Process);
        return false;
    });

    [Fact]
    public Task Killing_the_coordinators_silo_mid_sweep_loses_nothing() => RunAndDisrupt(async (cluster, coordinatorSilo) =>
    {
        output.WriteLine($"SIGKILL {coordinatorSilo.Name}, which hosts the coordinator");
        ChildProcesses.Kill(coordinatorSilo.Process);
        return false;
    });

    [Fact]
    public Task Sigterm_to_a_silo_stops_its_trials_and_the_silo_exits_143() => RunAndDisrupt(async (cluster, coordinatorSilo) =>
    {
        var victim = cluster.Silos.First(s => s != coordinatorSilo);
        output.WriteLine($"SIGTERM {victim.Name} (the coordinator is on {coordinatorSilo.Name})");
        victim.Stop();
        Assert.True(victim.Process.HasExited, $"{victim.Name} did not exit:\n{ChildProcesses.Output(victim.Process)}");
        Assert.True(victim.Process.ExitCode == 143, ChildProcesses.Output(victim.Process));
        // Its trials in hand stopped there (and were handed back) rather than training on while the silo left.
        Assert.Contains("stops training because its grain deactivates", ChildProcesses.Output(victim.Process));
        return false;
    });

    [Fact]
    public Task Stopping_every_silo_and_starting_them_again_resumes_the_sweep() => RunAndDisrupt(async (cluster, _) =>
    {
        output.WriteLine("stopping every silo");
        foreach (var silo in cluster.Silos.ToList()) silo.Stop();
        for (int i = 0; i < 3; i++) await cluster.StartSiloAsync();
        output.WriteLine("three new silos joined");
        return true;
    });

    [Fact]
    public async Task Killing_the_coordinators_silo_mid_bayes_sweep_with_hyperband_changes_no_trial_and_no_stop()
    {
        await using var cluster = new ClusterUnderTest(redis);
        string work = Directory.CreateTempSubdirectory("tinynet-adaptive-failover-").FullName;
        try
        {
            for (int i = 0; i < 3; i++) await cluster.StartSiloAsync();
            string file = Path.Combine(work, "adaptive-long.yaml");
            await File.WriteAllTextAsync(file, AdaptiveSweeps.Long);
            var (exitCode, submitted) = await cluster.RunCliAsync($"submit {file}");
            Assert.True(exitCode == 0, submitted);
            string sweepId = submitted.Split('\n', StringSplitOptions.RemoveEmptyEntries).First(l => l.StartsWith("adaptive-long-")).Trim();
            var client = await cluster.ConnectAsync();
            var coordinator = client.GetGrain<ISweepCoordinatorGrain>(sweepId);
            var coordinatorAddress = await client.GetGrain<IManagementGrain>(0).GetActivationAddress(coordinator);
            var coordinatorSilo = cluster.Silos.Single(s => s.SiloPort == coordinatorAddress!.Endpoint.Port);
            var first = await WaitFor(coordinator, p => p.Finished >= 6, TimeSpan.FromMinutes(2));
            Assert.True(first.Finished < first.Total, "the sweep ended before it could be disrupted; make its trials longer");

            // The coordinator goes, with its search, its hyperband decisions and the results waiting for them.
            output.WriteLine($"SIGKILL {coordinatorSilo.Name} at {first.Finished}/{first.Total}");
            ChildProcesses.Kill(coordinatorSilo.Process);
            await cluster.StartSiloAsync();
            coordinator = (await cluster.ConnectAsync()).GetGrain<ISweepCoordinatorGrain>(sweepId);
            var final = await WaitFor(coordinator, p => p.IsOver, TimeSpan.FromMinutes(4));
            Assert.Equal(SweepState.Completed, final.State);
            var clustered = (await coordinator.GetProgress(0, TimeSpan.Zero)).NewResults.ToDictionary(r => r.Trial.Id);

            // The same file run embedded, undisturbed: the same trials asked for, the same stopped, the same numbers.
            string embeddedDir = Path.Combine(work, "embedded");
            var run = ChildProcesses.Start("dotnet", $"{CliBinary.Dll} run {file} --out {embeddedDir}");
            await run.WaitForExitAsync();
            run.WaitForExit();
            Assert.True(run.ExitCode == 0, ChildProcesses.Output(run));
            var embedded = TinyNet.Sweeps.Domain.Export.TrialLog.Read(embeddedDir).Results.ToDictionary(r => r.Trial.Id);

            Assert.Equal(24, clustered.Count);
            Assert.Equal(embedded.Keys.Order(), clustered.Keys.Order());
            Assert.Contains(clustered.Values, r => r.Outcome.Status == TrialStatus.Stopped);
            var differences = clustered.Values.OrderBy(r => r.Trial.Index)
                .Where(r => embedded[r.Trial.Id] is var e && (e.Trial.Index != r.Trial.Index || e.Outcome.Status != r.Outcome.Status
                            || e.Outcome.Metrics != r.Outcome.Metrics || !e.Outcome.LossHistory.SequenceEqual(r.Outcome.LossHistory)))
                .Select(r => $"trial {r.Trial.Index} {r.Trial.Id}: clustered {r.Outcome.Status} after {r.Outcome.LossHistory.Count} epochs on {r.Silo}, " +
                             $"embedded {embedded[r.Trial.Id].Outcome.Status} after {embedded[r.Trial.Id].Outcome.LossHistory.Count}")
                .ToList();
            Assert.True(differences.Count == 0, string.Join("\n", differences));
        }
        catch
        {
            foreach (var silo in cluster.Silos) output.WriteLine($"--- {silo.Name} ---\n{Tail(ChildProcesses.Output(silo.Process))}");
            throw;
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    /// <param name="disrupt">Kills or stops silos mid-sweep; returns true when the test's client must reconnect.</param>
    private async Task RunAndDisrupt(Func<ClusterUnderTest, SiloProcess, Task<bool>> disrupt)
    {
        await using var cluster = new ClusterUnderTest(redis);
        try
        {
            for (int i = 0; i < 3; i++) await cluster.StartSiloAsync();
            string file = Path.Combine(Path.GetTempPath(), $"failover-{Guid.NewGuid():N}.yaml");
            await File.WriteAllTextAsync(file, SweepYaml);
            var (exitCode, submitted) = await cluster.RunCliAsync($"submit {file}");
            File.Delete(file); // submitted: the cluster holds the plan
            Assert.True(exitCode == 0, submitted);
            string sweepId = submitted.Split('\n', StringSplitOptions.RemoveEmptyEntries).First(l => l.StartsWith("failover-")).Trim();

            var client = await cluster.ConnectAsync();
            var coordinator = client.GetGrain<ISweepCoordinatorGrain>(sweepId);
            var coordinatorAddress = await client.GetGrain<IManagementGrain>(0).GetActivationAddress(coordinator);
            var coordinatorSilo = cluster.Silos.Single(s => s.SiloPort == coordinatorAddress!.Endpoint.Port);
            var first = await WaitFor(coordinator, p => p.Finished >= 3, TimeSpan.FromMinutes(2));
            Assert.True(first.Finished < first.Total, "the sweep ended before it could be disrupted; make its trials longer");
            output.WriteLine($"{first.Finished}/{first.Total} finished when disrupted");

            if (await disrupt(cluster, coordinatorSilo))
                coordinator = (await cluster.ConnectAsync()).GetGrain<ISweepCoordinatorGrain>(sweepId);
            var final = await WaitFor(coordinator, p => p.IsOver, TimeSpan.FromMinutes(4));

            Assert.Equal(SweepState.Completed, final.State);
            var results = (await coordinator.GetProgress(0, TimeSpan.Zero)).NewResults;
            Assert.Equal(30, results.Count);
            Assert.Equal(30, results.Select(r => r.Trial.Id).Distinct().Count());
            Assert.All(results, r => Assert.Equal(TrialStatus.Completed, r.Outcome.Status));
            // Determinism makes "nothing lost, nothing wrong" checkable: every result is what training it here gives.
            var trainer = new TorchTrialTrainer();
            foreach (var result in results)
            {
                var direct = trainer.Train(result.Trial.Config, result.Trial.Seed);
                Assert.Equal(direct.Metrics, result.Outcome.Metrics);
                Assert.Equal(direct.LossHistory, result.Outcome.LossHistory);
            }
            output.WriteLine($"trials per silo: {string.Join(", ", results.GroupBy(r => r.Silo).Select(g => $"{g.Key} {g.Count()}"))}");
        }
        catch
        {
            foreach (var silo in cluster.Silos) output.WriteLine($"--- {silo.Name} ---\n{Tail(ChildProcesses.Output(silo.Process))}");
            throw;
        }
    }

    /// <summary>Polls through failures: while a silo is dying, calls to it fail until the cluster notices.</summary>
    private async Task<SweepProgress> WaitFor(ISweepCoordinatorGrain coordinator, Func<SweepProgress, bool> condition, TimeSpan limit)
    {
        var deadline = DateTime.UtcNow + limit;
        SweepProgress? last = null;
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                last = await coordinator.GetProgress(int.MaxValue, TimeSpan.FromSeconds(1));
                if (condition(last)) return last;
            }
            catch (Exception e)
            {
                output.WriteLine($"{DateTime.UtcNow:HH:mm:ss.fff} progress call failed: {e.GetType().Name}: {e.Message.Split('\n')[0]}");
                await Task.Delay(500);
            }
        }
        throw new TimeoutException($"gave up after {limit}: last progress {last}");
    }

    private static string Tail(string text) => string.Join('\n', text.Split('\n').TakeLast(25));
}
