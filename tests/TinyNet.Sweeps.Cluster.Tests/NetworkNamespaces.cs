using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace TinyNet.Sweeps.Cluster.Tests;

/// <summary>
/// Machines on one LAN, made of Linux network namespaces: each host is a namespace with an address of its own, cabled
/// (a veth pair) to a bridge. The bridge lives in a namespace of its own too, away from the root namespace's firewall
/// (Docker's, say, drops bridged traffic it does not know); the root namespace joins the LAN by one more cable with
/// an address, so this process and whatever it starts here reach every host as another machine would. Pulling a host's
/// cable (its link down at the bridge) cuts it off from everyone: packets vanish, no connection is refused.
/// Needs root and iproute2; creating one throws with the reason when either is missing, so the tests fail, never skip.
/// Disposing kills whatever runs in the hosts and removes every namespace and link; so does this process's exit, and
/// the next network created removes what a killed test run left behind.
/// </summary>
public sealed class VirtualNetwork : IAsyncDisposable
{
    // Every name starts "tn" + the network's id: the root namespace's link fits Linux's 15 characters.
    private const string Prefix = "tn";
    private static readonly string MarkerDirectory = Path.Combine(Path.GetTempPath(), "tinynet-netns");
    private static string? s_ip;

    private readonly string _id;
    private readonly Dictionary<string, VirtualHost> _hosts = new();
    private int _disposed;

    private VirtualNetwork(string id, string subnet)
    {
        _id = id;
        Subnet = subnet;
        AppDomain.CurrentDomain.ProcessExit += OnProcessExit;
    }

    /// <summary>The first three octets of the LAN's /24.</summary>
    public string Subnet { get; }

    /// <summary>The root namespace's address on the LAN: where this process's connections to the hosts come from.</summary>
    public IPAddress RootAddress => IPAddress.Parse($"{Subnet}.1");

    public VirtualHost this[string name] => _hosts[name];

    private string Lan => $"{Prefix}{_id}-lan";
    private string MarkerFile => Path.Combine(MarkerDirectory, _id);

    /// <summary>A LAN with a host for each name (a short word: it names the host's namespace and cable).</summary>
    public static async Task<VirtualNetwork> CreateAsync(params string[] hostNames)
    {
        CheckPrivileges();
        RemoveLeftovers();
        var network = new VirtualNetwork(Guid.NewGuid().ToString("N")[..5], PickSubnet());
        try
        {
            Directory.CreateDirectory(MarkerDirectory);
            // Written first: a test run killed from here on leaves a marker for the next one to clean up after.
            await File.WriteAllTextAsync(network.MarkerFile, Environment.ProcessId.ToString());
            string lan = network.Lan, rootLink = $"{Prefix}{network._id}";
            Ip("netns", "add", lan);
            Ip("-n", lan, "link", "add", "name", "lan", "type", "bridge");
            Ip("-n", lan, "link", "set", "dev", "lan", "up");
            Ip("link", "add", "name", rootLink, "type", "veth", "peer", "name", "root", "netns", lan);
            Ip("-n", lan, "link", "set", "dev", "root", "master", "lan", "up");
            Ip("addr", "add", $"{network.RootAddress}/24", "dev", rootLink);
            Ip("link", "set", "dev", rootLink, "up");
            for (int i = 0; i < hostNames.Length; i++)
            {
                var host = new VirtualHost(hostNames[i], $"{Prefix}{network._id}-{hostNames[i]}", lan, $"to-{hostNames[i]}",
                    IPAddress.Parse($"{network.Subnet}.{i + 2}"), s_ip!);
                network._hosts.Add(host.Name, host);
                Ip("netns", "add", host.Namespace);
                Ip("-n", lan, "link", "add", "name", host.Cable, "type", "veth", "peer", "name", "eth0", "netns", host.Namespace);
                Ip("-n", lan, "link", "set", "dev", host.Cable, "master", "lan", "up");
                Ip("-n", host.Namespace, "addr", "add", $"{host.Address}/24", "dev", "eth0");
                Ip("-n", host.Namespace, "link", "set", "dev", "eth0", "up");
                Ip("-n", host.Namespace, "link", "set", "dev", "lo", "up");
            }
            return network;
        }
        catch
        {
            await network.DisposeAsync();
            throw;
        }
    }

    public ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            AppDomain.CurrentDomain.ProcessExit -= OnProcessExit;
            Remove(_id);
        }
        return ValueTask.CompletedTask;
    }

    private void OnProcessExit(object? sender, EventArgs e) => _ = DisposeAsync();

    /// <summary>Kills the processes in the network's namespaces, then removes the namespaces (their links go with them) and the marker.</summary>
    private static void Remove(string id)
    {
        string prefix = $"{Prefix}{id}-";
        var namespaces = TryIp("netns", "list").Output.Split('\n').Select(l => l.Split(' ')[0]).Where(n => n.StartsWith(prefix, StringComparison.Ordinal));
        foreach (string ns in namespaces)
        {
            foreach (string pid in TryIp("netns", "pids", ns).Output.Split('\n', StringSplitOptions.RemoveEmptyEntries))
                if (int.TryParse(pid, out int processId)) KillProcess(processId);
            TryIp("netns", "del", ns);
        }
        TryIp("link", "del", $"{Prefix}{id}");
        File.Delete(Path.Combine(MarkerDirectory, id));
    }

    /// <summary>Networks whose test run died without cleaning up: their marker names a process that is gone.</summary>
    private static void RemoveLeftovers()
    {
        if (!Directory.Exists(MarkerDirectory)) return;
        foreach (string marker in Directory.GetFiles(MarkerDirectory))
        {
            bool ownerAlive = int.TryParse(File.ReadAllText(marker), out int owner) && Directory.Exists($"/proc/{owner}");
            if (!ownerAlive) Remove(Path.GetFileName(marker));
        }
    }

    private static void KillProcess(int processId)
    {
        try
        {
            using var process = Process.GetProcessById(processId);
            process.Kill(entireProcessTree: true);
            process.WaitForExit(10_000);
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException)
        {
            // Already gone.
        }
    }

    private static string PickSubnet()
    {
        string routes = Ip("-4", "route", "show", "table", "all");
        for (int attempt = 0; attempt < 100; attempt++)
        {
            string subnet = $"10.{Random.Shared.Next(200, 250)}.{Random.Shared.Next(0, 256)}";
            if (!routes.Contains(subnet + ".", StringComparison.Ordinal)) return subnet;
        }
        throw new InvalidOperationException("no free 10.200-249.x.0/24 subnet for a test network:\n" + routes);
    }

    /// <summary>Throws with the reason when this process cannot make network namespaces.</summary>
    private static void CheckPrivileges()
    {
        if (!OperatingSystem.IsLinux()) throw new PlatformNotSupportedException("these tests make Linux network namespaces: run them on Linux, as root");
        s_ip ??= new[] { "/usr/sbin/ip", "/sbin/ip", "/usr/bin/ip", "/bin/ip" }.FirstOrDefault(File.Exists)
            ?? (DebianPackages.EnsureInstalled("iproute2", "/usr/sbin/ip") is { } problem
                ? throw new InvalidOperationException($"these tests need iproute2's ip, which is missing and could not be installed: {problem}")
                : "/usr/sbin/ip");
        string probe = $"{Prefix}probe{Environment.ProcessId}";
        var (exit, output) = TryIp("netns", "add", probe);
        TryIp("netns", "del", probe);
        if (exit != 0)
            throw new InvalidOperationException("these tests make network namespaces, which needs root (CAP_SYS_ADMIN and CAP_NET_ADMIN; CI runs " +
                $"them as root): 'ip netns add' exited {exit} as user {Environment.UserName}: {output.Trim()}");
    }

    internal static string Ip(params string[] arguments)
    {
        var (exit, output) = TryIp(arguments);
        return exit == 0 ? output : throw new InvalidOperationException($"'ip {string.Join(' ', arguments)}' exited {exit}: {output.Trim()}");
    }

    private static (int Exit, string Output) TryIp(params string[] arguments)
    {
        var start = new ProcessStartInfo(s_ip ?? "ip") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string argument in arguments) start.ArgumentList.Add(argument);
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        string stderr = process.StandardError.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, stdout.Result + stderr);
    }
}

/// <summary>One machine of a <see cref="VirtualNetwork"/>: a network namespace and its cable to the LAN's bridge.</summary>
/// <param name="Lan">The namespace of the bridge, where <paramref name="Cable"/> is plugged in.</param>
public sealed record VirtualHost(string Name, string Namespace, string Lan, string Cable, IPAddress Address, string IpCommand)
{
    /// <summary>Starts a process inside the host (ip netns exec execs it, so the process returned is that process).</summary>
    public Process Start(string file, string arguments, IReadOnlyDictionary<string, string>? environment = null) =>
        ChildProcesses.Start(IpCommand, $"netns exec {Namespace} {file} {arguments}", environment);

    /// <summary>Pulls the host's cable: it and the rest of the LAN stop hearing each other.</summary>
    public void Disconnect() => VirtualNetwork.Ip("-n", Lan, "link", "set", "dev", Cable, "down");

    public void Reconnect() => VirtualNetwork.Ip("-n", Lan, "link", "set", "dev", Cable, "up");

    /// <summary>Whether this process can open a TCP connection to the host's <paramref name="port"/> within a second.</summary>
    public bool Accepts(int port)
    {
        using var client = new TcpClient();
        try { return client.ConnectAsync(Address, port).Wait(TimeSpan.FromSeconds(1)); }
        catch (AggregateException e) when (e.InnerException is SocketException) { return false; }
    }
}
