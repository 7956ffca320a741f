using TinyNet.Sweeps.Abstractions;

namespace TinyNet.Sweeps.Grains;

[GenerateSerializer, Alias("TinyNet.Sweeps.SweepRegistryState")]
public sealed class SweepRegistryState
{
    [Id(0)] public List<SweepSummary> Sweeps { get; set; } = new();
}

public sealed class SweepRegistryGrain(
    [PersistentState("registry", SiloSetup.StorageName)] IPersistentState<SweepRegistryState> state) : Grain, ISweepRegistryGrain
{
    public async Task Register(SweepSummary sweep)
    {
        if (state.State.Sweeps.Any(s => s.Id == sweep.Id)) return;
        state.State.Sweeps.Add(sweep);
        await state.WriteStateAsync();
    }

    public Task<IReadOnlyList<SweepSummary>> List() =>
        Task.FromResult<IReadOnlyList<SweepSummary>>(state.State.Sweeps.OrderBy(s => s.SubmittedAt).ToList());
}
