using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace TinyNet.Sweeps.Cluster.Tests;

/// <summary>
/// A throw-away redis-server on loopback for the whole test run. Installs Debian's redis-server when the machine
/// lacks it; when that is impossible the tests fail with the reason, they are never skipped.
/// </summary>
public class RedisServer : IAsyncLifetime
{
    private Process? _process;

    /// <summary>When set, the server asks for it (requirepass) and <see cref="Address"/> gives it.</summary>
    protected virtual string? Password => null;

    public int Port { get; private set; }
    /// <summary>What --redis takes: HOST:PORT, with the password when the server has one.</summary>
    public string Address => Password is null ? HostAndPort : $"{HostAndPort},password={Password}";
    public string HostAndPort => $"127.0.0.1:{Port}";

    public async Task InitializeAsync()
    {
        string binary = FindOrInstall();
        Port = FreePort();
        _process = ChildProcesses.Start(binary, $"--port {Port} --bind 127.0.0.1 --save \"\" --appendonly no --protected-mode no" +
            (Password is null ? "" : $" --requirepass {Password}"));
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

    internal static string FindOrInstall()
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

/// <summary>A redis-server of its own that refuses clients without its password.</summary>
public sealed class PasswordRedisServer : RedisServer
{
    public const string Secret = "tinynet-test-secret";
    protected override string? Password => Secret;
}

[CollectionDefinition(Name)]
public sealed class RedisCollection : ICollectionFixture<RedisServer>
{
    public const string Name = "redis";
}
