using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace TinyNet.Sweeps.Cluster.Tests;

/// <summary>
/// A throw-away redis-server on loopback for the whole test run. Installs Debian's redis-server when the machine
/// lacks it; when that is impossible the tests fail with the reason, they are never skipped.
/// </summary>
public sealed class RedisServer : IAsyncLifetime
{
    private Process? _process;

    public int Port { get; private set; }
    public string Address => $"127.0.0.1:{Port}";

    public async Task InitializeAsync()
    {
        string binary = FindOrInstall();
        Port = FreePort();
        _process = ChildProcesses.Start(binary, $"--port {Port} --bind 127.0.0.1 --save \"\" --appendonly no --protected-mode no");
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (!CanConnect(Port))
        {
            if (_process.HasExited || DateTime.UtcNow > deadline)
                throw new InvalidOperationException($"redis-server did not start on port {Port}: {ChildProcesses.Output(_process)}");
            await Task.Delay(100);
        }
    }

    public Task DisposeAsync()
    {
        ChildProcesses.Kill(_process);
        return Task.CompletedTask;
    }

    private static string FindOrInstall()
    {
        foreach (string candidate in new[] { "/usr/bin/redis-server", "/usr/local/bin/redis-server" })
            if (File.Exists(candidate)) return candidate;
        // The README's test command must work on a fresh machine: bring Debian's redis-server in.
        return DebianPackages.EnsureInstalled("redis-server", "/usr/bin/redis-server") is { } problem
            ? throw new InvalidOperationException($"redis-server is missing and could not be installed: {problem}")
            : "/usr/bin/redis-server";
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static bool CanConnect(int port)
    {
        try
        {
            using var client = new TcpClient();
            client.Connect(IPAddress.Loopback, port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}

[CollectionDefinition(Name)]
public sealed class RedisCollection : ICollectionFixture<RedisServer>
{
    public const string Name = "redis";
}
