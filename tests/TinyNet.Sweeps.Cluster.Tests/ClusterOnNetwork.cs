using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using StackExchange.Redis;
using TinyNet.Sweeps.Hosting;

namespace TinyNet.Sweeps.Cluster.Tests;

/// <summary>
/// A cluster across machines of a <see cref="VirtualNetwork"/>: redis-server on the host "redis", a silo on each other
/// host, advertising its host's address, with failure detection tuned to seconds; clients run on the root side.
/// Disposing stops the clients, kills every process and removes the network.
/// </summary>
public sealed class ClusterOnNetwork : IAsyncDisposable
{
    public const int RedisPort = 6379;
    /// <summary>The silo command's default, as every silo has an address of its own.</summary>
    public const int GatewayPort = 30000;

    private readonly List<IHost> _clients = new();
    private readonly Dictionary<string, Process> _silos = new();
    private Process? _redis;

    private ClusterOnNetwork(VirtualNetwork network) => Network = network;

    public VirtualNetwork Network { get; }
    public VirtualHost RedisHost => Network["redis"];
    public string ClusterId { get; } = $"net-{Guid.NewGuid():N}"[..16];
    public string Redis => $"{RedisHost.Address}:{RedisPort}";
    public IReadOnlyDictionary<string, Process> Silos => _silos;

    /// <summary>Starts Redis and a silo on each of <paramref name="siloHosts"/>, and waits until every silo has joined.</summary>
    public static async Task<ClusterOnNetwork> StartAsync(params string[] siloHosts)
    {
        var cluster = new ClusterOnNetwork(await VirtualNetwork.CreateAsync(["redis", .. siloHosts]));
        try
        {
            cluster._redis = cluster.RedisHost.Start(RedisServer.FindOrInstall(),
                $"--bind {cluster.RedisHost.Address} --port {RedisPort} --save \"\" --appendonly no --protected-mode no");
            var deadline = DateTime.UtcNow.AddSeconds(20);
            while (!cluster.RedisHost.Accepts(RedisPort))
            {
                if (cluster._redis.HasExited || DateTime.UtcNow > deadline)
                    throw new InvalidOperationException($"redis-server did not start on {cluster.Redis}: {ChildProcesses.Output(cluster._redis)}");
                await Task.Delay(100);
            }
            foreach (string host in siloHosts)
                cluster._silos[host] = cluster.Network[host].Start("dotnet",
                    $"{CliBinary.Dll} silo --redis {cluster.Redis} --cluster-id {cluster.ClusterId} --advertise {cluster.Network[host].Address} " +
                    $"--workers 1 --name silo-{host}", ClusterUnderTest.QuickFailureDetection);
            foreach (var silo in cluster._silos.Values) await ChildProcesses.WaitForOutput(silo, "joined cluster", TimeSpan.FromSeconds(60));
            return cluster;
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
    }

    /// <summary>The host whose silo is at <paramref name="address"/>.</summary>
    public string HostAt(IPAddress address) => _silos.Keys.Single(h => Network[h].Address.Equals(address));

    /// <summary>
    /// The status of the silo on <paramref name="host"/> in the membership table, read from Redis as Orleans' Redis
    /// clustering keeps it (a hash of rows named after silo addresses), so that no silo or gateway has to answer.
    /// </summary>
    public async Task<SiloStatus?> MembershipStatusAsync(string host)
    {
        using var redis = await ConnectionMultiplexer.ConnectAsync(Redis);
        var rows = await redis.GetDatabase().HashGetAllAsync($"{ClusterAddress.ServiceId}/members/{ClusterId}");
        var row = rows.FirstOrDefault(r => r.Name.ToString().StartsWith($"S{Network[host].Address}:", StringComparison.Ordinal));
        return row.Value.HasValue ? (SiloStatus)JsonDocument.Parse(row.Value.ToString()).RootElement.GetProperty("Status").GetInt32() : null;
    }

    /// <summary>Starts a tinynet-sweeps client command on the root side (this process's namespace).</summary>
    public Process StartCli(string arguments) =>
        ChildProcesses.Start("dotnet", $"{CliBinary.Dll} {arguments} --redis {Redis} --cluster-id {ClusterId}");

    public async Task<IClusterClient> ConnectAsync()
    {
        var host = await RedisCluster.ConnectAsync(new ClusterAddress(Redis, ClusterId));
        _clients.Add(host);
        return host.Services.GetRequiredService<IClusterClient>();
    }

    /// <summary>The last lines of every silo's output, for a failing test's report.</summary>
    public string Tails(int lines = 30) => string.Join('\n', _silos.Select(s =>
        $"--- silo-{s.Key} ---\n{string.Join('\n', ChildProcesses.Output(s.Value).Split('\n').TakeLast(lines))}"));

    public async ValueTask DisposeAsync()
    {
        foreach (var host in _clients)
        {
            try { await host.StopAsync(TimeSpan.FromSeconds(2)); } catch (Exception) { /* cleaning up */ }
            host.Dispose();
        }
        foreach (var silo in _silos.Values) ChildProcesses.Kill(silo);
        ChildProcesses.Kill(_redis);
        await Network.DisposeAsync();
    }
}
