using Microsoft.Extensions.DependencyInjection;
using Orleans.Configuration;
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

    protected virtual void ConfigureSilo(ISiloBuilder silo) { }

    public async Task InitializeAsync()
    {
        var builder = new InProcessTestClusterBuilder(Silos);
        builder.Options.ConfigureFileLogging = false;
        builder.ConfigureSilo((silo, siloBuilder) =>
        {
            siloBuilder.AddMemoryGrainStorage(SiloSetup.StorageName)
                .UseInMemoryReminderService()
                .AddActivityPropagation()
                .AddTinyNetSweeps(o => { o.Workers = WorkersPerSilo; o.SiloName = silo.SiloName; });
            ConfigureTraining(siloBuilder.Services);
            ConfigureSilo(siloBuilder);
        });
        builder.ConfigureClient(client =>
        {
            client.AddActivityPropagation();
            client.Services.AddSerializer(s => s.AddDomainTypes());
        });
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

/// <summary>A scripted cluster of its own, for tests that kill silos; dead silos are noticed within seconds.</summary>
public sealed class SiloLossClusterFixture : ClusterFixture
{
    protected override void ConfigureTraining(IServiceCollection services) =>
        services.AddSingleton<ITrialTrainer, ScriptedTrainer>();

    protected override void ConfigureSilo(ISiloBuilder silo) => silo.Configure<ClusterMembershipOptions>(o =>
    {
        o.ProbeTimeout = TimeSpan.FromMilliseconds(500);
        o.NumMissedProbesLimit = 2;
        o.NumVotesForDeathDeclaration = 1;
    });
}

/// <summary>Real TorchSharp training behind the real worker pool.</summary>
public sealed class TorchClusterFixture : ClusterFixture
{
    protected override void ConfigureTraining(IServiceCollection services) { }
}
