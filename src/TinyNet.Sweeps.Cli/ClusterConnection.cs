using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using TinyNet.Sweeps.Abstractions;
using TinyNet.Sweeps.Hosting;

namespace TinyNet.Sweeps.Cli;

/// <summary>The <c>--redis</c> and <c>--cluster-id</c> options every multi-machine command shares, and connecting with them.</summary>
internal sealed class ClusterConnection
{
    public Option<string?> Redis { get; } = new("--redis") { Description = "The cluster's Redis: HOST:PORT, or a StackExchange.Redis configuration such as HOST:PORT,user=NAME,password=SECRET,ssl=true (or TINYNET_REDIS, or Redis in appsettings.json). Passwords are never printed." };
    public Option<string?> ClusterId { get; } = new("--cluster-id") { Description = $"The cluster's id (or TINYNET_CLUSTERID); default {ClusterAddress.DefaultClusterId}." };

    public Option<string?> TlsCertificate { get; } = new("--tls-cert") { Description = "Use TLS with mutual authentication: this process's certificate, PEM or .pfx/.p12 (or TINYNET_TLS__CERTIFICATE; a .pfx password only from TINYNET_TLS__PASSWORD). Every silo and client of the cluster needs one." };
    public Option<string?> TlsKey { get; } = new("--tls-key") { Description = "The PEM private key of --tls-cert, when not in the same file (or TINYNET_TLS__KEY)." };
    public Option<string?> TlsCa { get; } = new("--tls-ca") { Description = "PEM of the CA that signs the cluster's certificates; peers must chain to it (or TINYNET_TLS__CA; default: the machine's trusted roots)." };

    /// <summary>How long a client waits for the cluster's first gateway.</summary>
    public static TimeSpan ConnectTimeout { get; } = TimeSpan.FromSeconds(20);

    public void AddTo(Command command)
    {
        command.Options.Add(Redis);
        command.Options.Add(ClusterId);
        command.Options.Add(TlsCertificate);
        command.Options.Add(TlsKey);
        command.Options.Add(TlsCa);
    }

    public ClusterAddress Address(ParseResult parse)
    {
        var settings = Settings.Load();
        string redis = parse.GetValue(Redis) ?? settings["Redis"]
            ?? throw new UsageException("Which cluster? Give --redis HOST:PORT (or set TINYNET_REDIS, or Redis in appsettings.json).");
        if (ClusterAddress.CheckRedis(redis) is { } problem)
            throw new UsageException($"--redis (or TINYNET_REDIS, or Redis in appsettings.json) is not a Redis configuration: {problem}. " +
                                     "Allowed: HOST:PORT, or HOST:PORT followed by options such as ,user=NAME,password=SECRET,ssl=true.");
        return new ClusterAddress(redis, parse.GetValue(ClusterId) ?? settings["ClusterId"] ?? ClusterAddress.DefaultClusterId)
        {
            Tls = Tls(parse, settings),
        };
    }

    private ClusterTls? Tls(ParseResult parse, Microsoft.Extensions.Configuration.IConfiguration settings)
    {
        var section = settings.GetSection("Tls");
        string? certificate = parse.GetValue(TlsCertificate) ?? section["Certificate"];
        string? key = parse.GetValue(TlsKey) ?? section["Key"], ca = parse.GetValue(TlsCa) ?? section["Ca"];
        if (certificate is null)
            return key is null && ca is null ? null : throw new UsageException("--tls-key and --tls-ca go with --tls-cert (or TINYNET_TLS__CERTIFICATE): the certificate this process shows.");
        var tls = new ClusterTls(certificate, key, ca, section["Password"]);
        try { tls.Load(); }
        catch (ClusterTlsException e) { throw new UsageException($"--tls-cert: {e.Message}. Allowed: a PEM certificate with its key (--tls-key, or in the same file) or a .pfx/.p12."); }
        return tls;
    }

    /// <summary>A connected client; a cluster that cannot be reached is a one-line error, not a stack trace.</summary>
    public static async Task<Connected> ConnectAsync(ClusterAddress address, CancellationToken cancellationToken)
    {
        // Orleans' client keeps looking for gateways; with no silo up it would wait forever.
        if (await RedisCluster.ProbeRedisAsync(address) is { } refused)
            throw new ClusterUnreachableException(
                $"Could not reach cluster '{address.ClusterId}' through Redis at {address.RedisShown}: {refused} " +
                "Is Redis up, and does --redis give its password (password=SECRET) and TLS (ssl=true) as the cluster's silos do?");
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(ConnectTimeout);
        try
        {
            var host = await RedisCluster.ConnectAsync(address, Settings.Telemetry(null, null), timeout.Token);
            return new Connected(host);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            string tlsHint = address.Tls is null
                ? "; if its silos use TLS, give this client a certificate their CA signed (--tls-cert, --tls-key, --tls-ca)."
                : "; or the silos refused this client's certificate (--tls-cert), or do not use TLS.";
            throw new ClusterUnreachableException(
                $"No silo of cluster '{address.ClusterId}' answered within {ConnectTimeout.TotalSeconds:0} s (Redis {address.RedisShown} is reachable). " +
                $"Start one with: tinynet-sweeps silo --redis {address.RedisShown} --cluster-id {address.ClusterId}{tlsHint}");
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            throw new ClusterUnreachableException(
                $"Could not reach cluster '{address.ClusterId}' through Redis at {address.RedisShown}: {e.Message.Split('\n')[0]} " +
                $"Is Redis up, and has at least one silo joined (tinynet-sweeps silo --redis {address.RedisShown})?");
        }
    }

    /// <summary>The coordinator of an existing sweep; a wrong id is refused with what exists.</summary>
    public static async Task<(ISweepCoordinatorGrain Coordinator, SweepInfo Info)> FindSweepAsync(IClusterClient client, string sweepId)
    {
        var coordinator = client.GetGrain<ISweepCoordinatorGrain>(sweepId);
        if (await coordinator.GetInfo() is { } info) return (coordinator, info);
        var known = await client.GetGrain<ISweepRegistryGrain>(ISweepRegistryGrain.Key).List();
        string hint = known.Count == 0 ? "The cluster has no sweeps yet." : $"Known sweeps: {string.Join(", ", known.TakeLast(5).Select(s => s.Id))} (see 'tinynet-sweeps list').";
        throw new UsageException($"There is no sweep '{sweepId}' in this cluster. {hint}");
    }

    public sealed class Connected(IHost host) : IAsyncDisposable
    {
        public IClusterClient Client => host.Services.GetRequiredService<IClusterClient>();

        public async ValueTask DisposeAsync()
        {
            try { await host.StopAsync(TimeSpan.FromSeconds(5)); }
            catch (Exception) { /* disconnecting: nothing to save */ }
            host.Dispose();
        }
    }
}

/// <summary>The cluster could not be reached; printed as one line, exit code 1.</summary>
public sealed class ClusterUnreachableException(string message) : Exception(message);
