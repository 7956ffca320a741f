using TinyNet.Sweeps.Abstractions;

namespace TinyNet.Sweeps.Grains;

/// <summary>
/// References to trial grains without <c>GetGrain&lt;ITrialGrain&gt;</c>'s cost: Orleans reads the interface's
/// attributes again at every call to find its grain type, and a silo starts thousands of trials a second.
/// </summary>
internal static class TrialGrainReferences
{
    private sealed record Types(GrainType Grain, GrainInterfaceType Interface);

    private static Types? s_types;

    public static ITrialGrain GetTrialGrain(this IGrainFactory grains, string sweepId, string trialId)
    {
        var types = s_types ??= Find(grains);
        return (ITrialGrain)grains.GetGrain(GrainId.Create(types.Grain, ITrialGrain.KeyFor(sweepId, trialId)), types.Interface);
    }

    private static Types Find(IGrainFactory grains)
    {
        var reference = (GrainReference)grains.GetGrain<ITrialGrain>("any");
        return new Types(reference.GrainId.Type, reference.InterfaceType);
    }
}
