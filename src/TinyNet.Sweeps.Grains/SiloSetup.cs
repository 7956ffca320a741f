using Orleans.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;
using Orleans.Storage;
using TinyNet.Sweeps.Abstractions;
using TinyNet.Sweeps.Training;

namespace TinyNet.Sweeps.Grains;

public static class SiloSetup
{
    /// <summary>The grain storage provider holding trial state.</summary>
    public const string StorageName = "sweeps";

    /// <summary>
    /// Grain addresses a silo caches (Orleans' default is a million): the trials in training at once on a silo of 64 workers
    /// (128 lanes each). A full cache held ~300 bytes an address, so 20,000 made a 100,000-trial sweep hold 3 MB that a
    /// 10,000-trial sweep did not, all of finished trials.
    /// </summary>
    public const int DirectoryCacheSize = 8_192;

    /// <summary>
    /// Registers what every TinyNet.Sweeps silo needs, whatever its clustering: the training service and the
    /// serializer for domain types. The caller adds clustering and a grain storage named <see cref="StorageName"/>.
    /// </summary>
    public static ISiloBuilder AddTinyNetSweeps(this ISiloBuilder silo, Action<TrainingOptions>? configure = null)
    {
        silo.Services.AddOptions<TrainingOptions>().Configure(o => configure?.Invoke(o));
        silo.Services.AddOptions<CoordinatorOptions>();
        // Orleans caches the address of every grain a silo has called, up to a million: with a grain per trial that is
        // every trial of a large sweep, most long deactivated. The trials in flight at once are far fewer.
        silo.Configure<GrainDirectoryOptions>(o => o.CacheSize = DirectoryCacheSize);
        silo.Services.AddSingleton<ITrialTrainer, TorchTrialTrainer>();
        silo.Services.AddSingleton<ITrainingService, TrainingWorkerPool>();
        silo.Services.AddSingleton<TrialResultOutbox>();
        silo.Services.AddSerializer(serializer => serializer.AddDomainTypes());
        // Grain state in Orleans' own version-tolerant binary format rather than the default Newtonsoft JSON:
        // a trial's state holds its whole result, and the binary form is several times cheaper to write.
        silo.Services.AddSingleton<IGrainStorageSerializer, OrleansGrainStorageSerializer>();
        return silo;
    }
}
