using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;
using Orleans.TestingHost;
using TinyNet.Sweeps.Abstractions;
using TinyNet.Sweeps.Training;

namespace TinyNet.Sweeps.Grains.Tests;

/// <summary>An in-process cluster of three silos (Orleans TestingHost), two training workers each.</summary>
public abstract class ClusterFixture : IAsyncLifetime
{
    public const int Silos = 3;
    public const int WorkersPerSilo = 2;

    public InProcessTestCluster Cluster { get; private set; } = null!;

    protected abstract void ConfigureTraining(IServiceCollection services);

    public async Task InitializeAsync()
    {
        var builder = new InProcessTestClusterBuilder(Silos);
        builder.Options.ConfigureFileLogging = false;
        builder.ConfigureSilo((silo, siloBuilder) =>
        {
            siloBuilder.AddMemoryGrainStorage(SiloSetup.StorageName)
                .AddTinyNetSweeps(o => { o.Workers = WorkersPerSilo; o.SiloName = silo.SiloName; });
            ConfigureTraining(siloBuilder.Services);
        });
        builder.ConfigureClient(client => client.Services.AddSerializer(s => s.AddDomainTypes()));
        Cluster = builder.Build();
        await Cluster.DeployAsync();
    }

    public async Task DisposeAsync() => await Cluster.DisposeAsync();
}

public sealed class ScriptedClusterFixture : ClusterFixture
{
    protected override void ConfigureTraining(IServiceCollection services) =>
        services.AddSingleton<ITrialTrainer, ScriptedTrainer>();
}

/// <summary>Real TorchSharp training behind the real worker pool.</summary>
public sealed class TorchClusterFixture : ClusterFixture
{
    protected override void ConfigureTraining(IServiceCollection services) { }
}
