using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Orleans.Configuration;
using Orleans.Runtime.Hosting;
using Orleans.Storage;
using TinyNet.Sweeps.Grains;

namespace TinyNet.Sweeps.Hosting;

public sealed record EmbeddedClusterOptions
{
    /// <summary>Silos started in this process.</summary>
    public int Silos { get; init; } = 1;

    /// <summary>Training workers per silo; by default the machine's cores are shared among the silos.</summary>
    public int? WorkersPerSilo { get; init; }

    public TelemetryOptions Telemetry { get; init; } = new();

    /// <summary>Where the silos log (Orleans through Microsoft.Extensions.Logging); the caller owns it. None by default.</summary>
    public Serilog.ILogger Logger { get; init; } = Serilog.Core.Logger.None;

    /// <summary>More configuration for each silo, after the product's own (a benchmark's stand-in trainer, say).</summary>
    public Action<ISiloBuilder>? ConfigureSilo { get; init; }
}

/// <summary>
/// A whole Orleans cluster inside this process: localhost clustering, in-memory grain state shared by its silos
/// (<see cref="InProcessGrainStorage"/>), N silos.
/// Nothing to install or start by hand.
/// </summary>
public sealed class EmbeddedCluster : IAsyncDisposable
{
    private readonly List<IHost> _silos;
    private readonly InProcessGrainStorage.Table _states;

    private EmbeddedCluster(List<IHost> silos, InProcessGrainStorage.Table states) => (_silos, _states) = (silos, states);

    public IClusterClient Client => _silos[0].Services.GetRequiredService<IClusterClient>();

    public int Silos => _silos.Count;

    public int WorkersPerSilo { get; private init; }

    public static async Task<EmbeddedCluster> StartAsync(EmbeddedClusterOptions options, CancellationToken cancellationToken = default)
    {
        if (options.Silos < 1) throw new ArgumentOutOfRangeException(nameof(options), "An embedded cluster needs at least one silo.");
        int workers = options.WorkersPerSilo ?? Math.Max(1, Environment.ProcessorCount / options.Silos);
        string clusterId = $"embedded-{Guid.NewGuid():N}";
        var silos = new List<IHost>();
        var states = new InProcessGrainStorage.Table();
        IPEndPoint? primary = null;
        try
        {
            for (int i = 0; i < options.Silos; i++)
            {
                int siloPort = FreeTcpPort(), gatewayPort = FreeTcpPort();
                primary ??= new IPEndPoint(IPAddress.Loopback, siloPort);
                string name = $"silo-{i + 1}";
                var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
                builder.Services.AddTinyNetLogging(options.Logger);
                builder.Services.AddProcessOwnedSignals();
                // One exporter per process: every silo here shares the same static meters.
                if (i == 0) builder.Services.AddTinyNetTelemetry(options.Telemetry, name);
                builder.UseOrleans(silo => silo
                    .UseLocalhostClustering(siloPort, gatewayPort, primary, serviceId: "tinynet-sweeps", clusterId: clusterId)
                    .Configure<SiloOptions>(o => o.SiloName = name)
                    .ConfigureServices(services => services.AddGrainStorage(SiloSetup.StorageName,
                        (sp, _) => new InProcessGrainStorage(states, sp.GetRequiredService<IGrainStorageSerializer>())))
                    .UseInMemoryReminderService()
                    .AddTinyNetSweeps(o => { o.Workers = workers; o.SiloName = name; }));
                if (options.ConfigureSilo is { } configure) builder.UseOrleans(configure);
                var host = builder.Build();
                silos.Add(host);
                await host.StartAsync(cancellationToken);
            }
        }
        catch
        {
            foreach (var host in silos) await StopQuietly(host);
            states.Dispose();
            throw;
        }
        return new EmbeddedCluster(silos, states) { WorkersPerSilo = workers };
    }

    public async ValueTask DisposeAsync()
    {
        // Secondary silos first, so the primary (which the others joined through) goes last.
        for (int i = _silos.Count - 1; i >= 0; i--) await StopQuietly(_silos[i]);
        _states.Dispose();
    }

    private static async Task StopQuietly(IHost host)
    {
        try { await host.StopAsync(TimeSpan.FromSeconds(10)); }
        catch (Exception) { /* shutting down: nothing left to save */ }
        host.Dispose();
    }

    private static int FreeTcpPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
