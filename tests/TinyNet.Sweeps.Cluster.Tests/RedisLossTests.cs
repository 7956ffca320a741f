using StackExchange.Redis;

namespace TinyNet.Sweeps.Cluster.Tests;

/// <summary>A redis-server of its own, since these tests empty it.</summary>
public sealed class PrivateRedisServer : RedisServer;

/// <summary>Redis restarted empty mid-sweep (here: flushed, which leaves it just as empty).</summary>
public sealed class RedisLossTests(PrivateRedisServer redis) : IClassFixture<PrivateRedisServer>
{
    [Fact]
    public async Task A_silo_whose_redis_lost_the_cluster_exits_and_the_client_says_in_one_line_that_the_sweep_is_gone()
    {
        await using var cluster = new ClusterUnderTest(redis);
        var silo = await cluster.StartSiloAsync();
        // Four trials that train for minutes as one group of lanes, far longer than the silo takes to notice that Redis
        // emptied (MembershipWatchdog: three reads 3 s apart, on a busy machine more): the sweep is still running when
        // its silo leaves. Trials of about ten seconds once finished first in CI, and the client rightly saw them done.
        string sweep = Path.Combine(Path.GetTempPath(), $"tinynet-long-{Guid.NewGuid():N}.yaml");
        File.WriteAllText(sweep, "name: long\nmethod: grid\nseeds: 4\nparameters:\n  epochs:\n    value: 100000\n  batch_size:\n    value: 1024\n  hidden_units:\n    value: 64\n");
        try
        {
            var client = ChildProcesses.Start("dotnet", $"{CliBinary.Dll} submit {sweep} --wait --redis {redis.Address} --cluster-id {cluster.ClusterId}");
            // Started, and the client following it (it prints the sweep's id once the cluster has saved the sweep).
            await WaitForAsync(() => ChildProcesses.Output(silo.Process).Contains("starts: 4 trials") && ChildProcesses.Output(client).Contains("long-"),
                TimeSpan.FromSeconds(60), "the sweep to start", client);

            using (var admin = await ConnectionMultiplexer.ConnectAsync($"{redis.Address},allowAdmin=true"))
                await admin.GetServer(redis.HostAndPort).FlushAllDatabasesAsync();

            // The silo notices it is no longer a member and leaves with an error, rather than lingering unreachable.
            Assert.True(silo.Process.WaitForExit(60_000), "the silo did not leave after Redis lost the cluster:\n" + ChildProcesses.Output(silo.Process));
            silo.Process.WaitForExit();
            Assert.NotEqual(0, silo.Process.ExitCode);
            Assert.Contains("no longer lists this silo", ChildProcesses.Output(silo.Process));

            // A supervisor starts it again; the client, which kept asking meanwhile, hears that its sweep is gone.
            await cluster.StartSiloAsync();
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(120));
            await client.WaitForExitAsync(timeout.Token);
            client.WaitForExit();
            string output = ChildProcesses.Output(client);
            Assert.True(client.ExitCode == 1, output);
            string error = Assert.Single(output.Split('\n', StringSplitOptions.RemoveEmptyEntries), l => l.StartsWith("error:"));
            Assert.True(error.Contains("is gone from the cluster"), output);
            Assert.Contains("Submit the sweep file again", error);
            Assert.DoesNotContain("   at ", output);
        }
        finally
        {
            File.Delete(sweep);
        }
    }

    private static async Task WaitForAsync(Func<bool> condition, TimeSpan timeout, string what, System.Diagnostics.Process client)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!condition())
        {
            if (DateTime.UtcNow > deadline || client.HasExited)
                throw new TimeoutException($"waited for {what} in vain; client:\n{ChildProcesses.Output(client)}");
            await Task.Delay(100);
        }
    }
}
