using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using TinyNet.Sweeps.Hosting;

namespace TinyNet.Sweeps.Cluster.Tests;

/// <summary>
/// tinynet-sweeps silos as separate processes on loopback, one training worker each, with failure detection
/// tuned to seconds so a killed silo is declared dead quickly. Disposing kills whatever is still running.
/// </summary>
public sealed class ClusterUnderTest(RedisServer redis) : IAsyncDisposable
{
    private readonly List<SiloProcess> _silos = new();
    private readonly List<IHost> _clients = new();

    public string ClusterId { get; } = $"test-{Guid.NewGuid():N}"[..16];
    public ClusterAddress Address => new(redis.Address, ClusterId);
    public IReadOnlyList<SiloProcess> Silos => _silos;

    public static string CliDll => CliBinary.Dll;

    /// <summary>Orleans' failure detection tuned to seconds (for the silo command's environment).</summary>
    public static IReadOnlyDictionary<string, string> QuickFailureDetection { get; } = new Dictionary<string, string>
    {
        ["TINYNET_ORLEANS__MEMBERSHIP__PROBETIMEOUT"] = "00:00:01",
        ["TINYNET_ORLEANS__MEMBERSHIP__NUMMISSEDPROBESLIMIT"] = "2",
        ["TINYNET_ORLEANS__MEMBERSHIP__NUMVOTESFORDEATHDECLARATION"] = "1",
        ["TINYNET_ORLEANS__MEMBERSHIP__TABLEREFRESHTIMEOUT"] = "00:00:02",
    };

    /// <param name="extraArguments">More options for the silo command (TLS, say).</param>
    public async Task<SiloProcess> StartSiloAsync(string extraArguments = "")
    {
        int siloPort = RedisServer.FreePort(), gatewayPort = RedisServer.FreePort();
        string name = $"silo-{_silos.Count + 1}";
        var process = ChildProcesses.Start("dotnet",
            $"{CliDll} silo --redis {redis.Address} --cluster-id {ClusterId} --silo-port {siloPort} --gateway-port {gatewayPort} " +
            $"--advertise 127.0.0.1 --workers 1 --name {name} {extraArguments}", QuickFailureDetection);
        var silo = new SiloProcess(name, siloPort, process);
        _silos.Add(silo);
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (!ChildProcesses.Output(process).Contains("joined cluster"))
        {
            if (process.HasExited || DateTime.UtcNow > deadline)
                throw new InvalidOperationException($"{name} did not join the cluster:\n{ChildProcesses.Output(process)}");
            await Task.Delay(100);
        }
        return silo;
    }

    /// <summary>Runs a client command (submit, status, ...) to the end and returns its exit code and output.</summary>
    /// <param name="redisAddress">What --redis gets; by default the test server's address.</param>
    public async Task<(int ExitCode, string Output)> RunCliAsync(string arguments, string? redisAddress = null)
    {
        var process = ChildProcesses.Start("dotnet", $"{CliDll} {arguments} --redis {redisAddress ?? redis.Address} --cluster-id {ClusterId}");
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        await process.WaitForExitAsync(timeout.Token);
        process.WaitForExit(); // drain the output readers
        return (process.ExitCode, ChildProcesses.Output(process));
    }

    public async Task<IClusterClient> ConnectAsync()
    {
        var host = await RedisCluster.ConnectAsync(Address);
        _clients.Add(host);
        return host.Services.GetRequiredService<IClusterClient>();
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var host in _clients)
        {
            try { await host.StopAsync(TimeSpan.FromSeconds(2)); } catch (Exception) { /* cleaning up */ }
            host.Dispose();
        }
        foreach (var silo in _silos) ChildProcesses.Kill(silo.Process);
    }
}

public sealed record SiloProcess(string Name, int SiloPort, Process Process)
{
    /// <summary>SIGTERM: the silo leaves the cluster the way `docker stop` asks it to.</summary>
    public void Stop()
    {
        using var kill = Process.Start("kill", $"-TERM {Process.Id}");
        kill.WaitForExit();
        if (!Process.WaitForExit(40_000)) ChildProcesses.Kill(Process);
        else Process.WaitForExit(); // without a timeout, this also waits for the last of its output to be read
    }
}
