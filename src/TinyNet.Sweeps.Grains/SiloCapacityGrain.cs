using TinyNet.Sweeps.Abstractions;

namespace TinyNet.Sweeps.Grains;

/// <summary>Placed on the silo it describes (the coordinator activates it with a placement hint).</summary>
public sealed class SiloCapacityGrain(ITrainingService training) : Grain, ISiloCapacityGrain
{
    public Task<int> GetWorkerCount() => Task.FromResult(training.WorkerCount);

    public Task<int> GetTraining(string sweepId) => Task.FromResult(training.TrainingCount(sweepId));
}
