using System.Net;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans.Configuration;
using Orleans.Runtime;
using Orleans.Runtime.Hosting;
using Orleans.Serialization;
using Orleans.Storage;
using StackExchange.Redis;
using TinyNet.Sweeps.Abstractions;
using TinyNet.Sweeps.Grains;

namespace TinyNet.Sweeps.Hosting;

/// <summary>
/// Where a cluster is: the Redis server it keeps its membership, grain state and reminders in, and its id.
/// <see cref="Redis"/> is HOST:PORT or a whole StackExchange.Redis configuration
/// (<c>host:6379,user=tinynet,password=…,ssl=true</c>): an ACL user and password, TLS.
/// </summary>
public sealed record ClusterAddress(string Redis, string ClusterId = ClusterAddress.DefaultClusterId)
{
    public const string DefaultClusterId = "tinynet";

    /// <summary>TLS with mutual authentication between silos and to gateways; none when null.</summary>
    public ClusterTls? Tls { get; init; }

    /// <summary>The Redis configuration as logs and messages may show it: without its password.</summary>
    public string RedisShown
    {
        get
        {
            try { return ConfigurationOptions.Parse(Redis).ToString(includePassword: false); }
            catch (ArgumentException) { return "(an unreadable Redis configuration)"; }
        }
    }

    /// <summary>Null when StackExchange.Redis can read <paramref name="redis"/>, else why not.</summary>
    public static string? CheckRedis(string redis)
    {
        try
        {
            var options = ConfigurationOptions.Parse(redis);
            return options.EndPoints.Count == 0 ? "it names no HOST:PORT" : null;
        }
        catch (ArgumentException e)
        {
            return e.Message.Split('\n')[0];
        }
    }

    /// <summary>All TinyNet.Sweeps clusters share one service id, so grain state outlives any one cluster id's silos.</summary>
    public const string ServiceId = "tinynet-sweeps";
}

/// <summary>One silo of a multi-machine cluster.</summary>
public sealed record SiloSettings
{
    public required ClusterAddress Cluster { get; init; }
    public int SiloPort { get; init; } = EndpointOptions.DEFAULT_SILO_PORT;
    public int GatewayPort { get; init; } = EndpointOptions.DEFAULT_GATEWAY_PORT;
    /// <summary>The address other silos and clients reach this one at; by default Orleans picks this machine's.</summary>
    public IPAddress? Advertise { get; init; }
    public int Workers { get; init; } = Environment.ProcessorCount;
    public string Name { get; init; } = Environment.MachineName;
}

/// <summary>Silos and clients of a Redis-backed cluster: Redis clustering, grain state in Redis, reminders in Redis.</summary>
public static class RedisCluster
{
    /// <param name="configuration">Read for the section <c>Orleans:Membership</c> (ClusterMembershipOptions), to tune failure detection.</param>
    /// <param name="logger">The process's logger, which the silo logs to and does not own.</param>
    public static IHost BuildSilo(SiloSettings settings, IConfiguration configuration, TelemetryOptions telemetry, Serilog.ILogger logger)
    {
        var redis = ConfigurationOptions.Parse(settings.Cluster.Redis);
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Services.AddTinyNetLogging(logger);
        builder.Services.AddProcessOwnedSignals();
        builder.Services.AddTinyNetTelemetry(telemetry, settings.Name);
        builder.Services.Configure<ClusterMembershipOptions>(configuration.GetSection("Orleans:Membership"));
        builder.UseOrleans(silo => silo
            .UseRedisClustering(o => o.ConfigurationOptions = redis)
            .ConfigureServices(services => services.AddGrainStorage(SiloSetup.StorageName, (sp, _) => new BatchedRedisGrainStorage(
                redis, ClusterAddress.ServiceId, sp.GetRequiredService<IGrainStorageSerializer>(), sp.GetRequiredService<ILogger<BatchedRedisGrainStorage>>())))
            .UseRedisReminderService(o => o.ConfigurationOptions = redis)
            .Configure<ClusterOptions>(o => { o.ClusterId = settings.Cluster.ClusterId; o.ServiceId = ClusterAddress.ServiceId; })
            .Configure<SiloOptions>(o => o.SiloName = settings.Name)
            .Configure<EndpointOptions>(o =>
            {
                o.SiloPort = settings.SiloPort;
                o.GatewayPort = settings.GatewayPort;
                if (settings.Advertise is { } address) o.AdvertisedIPAddress = address;
            })
            .AddActivityPropagation()
            .AddTinyNetSweeps(o => { o.Workers = settings.Workers; o.SiloName = settings.Name; }));
        if (settings.Cluster.Tls is { } tls) builder.UseOrleans(silo => silo.UseTls(tls.Configure));
        // Declared dead (cut off, then back): one error line and exit 1 instead of Orleans' abort with stack traces.
        builder.Services.AddSingleton<IFatalErrorHandler, ExitOnFatalError>();
        builder.Services.AddSingleton<MembershipWatchdog>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<MembershipWatchdog>());
        // Inside Kubernetes, Orleans' hosting takes the pod's name, IP and Orleans labels, and declares silos whose
        // pods are gone dead at once instead of waiting for missed probes.
        if (Environment.GetEnvironmentVariable("KUBERNETES_SERVICE_HOST") is not null)
            builder.UseOrleans(silo => silo.UseKubernetesHosting());
        return builder.Build();
    }

    /// <summary>
    /// Null when Redis answers this configuration, else Redis' own reason (refused, no or wrong password, TLS): a client
    /// asks before it connects, so that the reason is what it shows, rather than blaming silos that never answered.
    /// </summary>
    public static async Task<string?> ProbeRedisAsync(ClusterAddress address)
    {
        var options = ConfigurationOptions.Parse(address.Redis);
        options.AbortOnConnectFail = true;
        try
        {
            await using var connection = await ConnectionMultiplexer.ConnectAsync(options);
            await connection.GetDatabase().PingAsync();
            return null;
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            return e.Message.Split('\n')[0];
        }
    }

    /// <summary>A started client of the cluster at <paramref name="address"/>; dispose it to disconnect.</summary>
    /// <param name="logger">Where the client logs; by default nowhere (a command's output is its own).</param>
    public static async Task<IHost> ConnectAsync(ClusterAddress address, TelemetryOptions? telemetry = null, CancellationToken cancellationToken = default,
        Serilog.ILogger? logger = null)
    {
        var redis = ConfigurationOptions.Parse(address.Redis);
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Services.AddTinyNetLogging(logger ?? Serilog.Core.Logger.None);
        builder.Services.AddProcessOwnedSignals();
        // With an exporter, a client's trace continues into the silos (Orleans activity propagation).
        if (telemetry is not null) builder.Services.AddTinyNetTelemetry(telemetry, "client");
        builder.UseOrleansClient(client => client
            .UseRedisClustering(o => o.ConfigurationOptions = redis)
            .Configure<ClusterOptions>(o => { o.ClusterId = address.ClusterId; o.ServiceId = ClusterAddress.ServiceId; })
            .AddActivityPropagation());
        if (address.Tls is { } tls) builder.UseOrleansClient(client => client.UseTls(tls.Configure));
        builder.Services.AddSerializer(serializer => serializer.AddDomainTypes());
        var host = builder.Build();
        try
        {
            await host.StartAsync(cancellationToken);
        }
        catch
        {
            host.Dispose();
            throw;
        }
        return host;
    }
}
