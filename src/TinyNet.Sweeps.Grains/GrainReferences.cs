using TinyNet.Sweeps.Abstractions;

namespace TinyNet.Sweeps.Grains;

/// <summary>
/// Grain references without <c>GetGrain&lt;T&gt;(key)</c>'s cost: Orleans reads the interface's attributes again at every
/// call to find its grain type (1-3 % of a sweep of short trials), and a silo starts and reports thousands of trials a
/// second. Each interface's types are looked up once, through Orleans itself.
/// </summary>
internal static class GrainReferences
{
    public static ITrialGrain GetTrialGrain(this IGrainFactory grains, string sweepId, string trialId) =>
        grains.GetGrainWithoutReflection<ITrialGrain>(ITrialGrain.KeyFor(sweepId, trialId));

    /// <summary>What <c>GetGrain&lt;TGrain&gt;(key)</c> returns.</summary>
    public static TGrain GetGrainWithoutReflection<TGrain>(this IGrainFactory grains, string key) where TGrain : IGrainWithStringKey
    {
        var types = TypesOf<TGrain>.Value ??= Find<TGrain>(grains);
        return (TGrain)grains.GetGrain(GrainId.Create(types.Grain, key), types.Interface);
    }

    private static Types Find<TGrain>(IGrainFactory grains) where TGrain : IGrainWithStringKey
    {
        var reference = (GrainReference)(object)grains.GetGrain<TGrain>("any");
        return new Types(reference.GrainId.Type, reference.InterfaceType);
    }

    private sealed record Types(GrainType Grain, GrainInterfaceType Interface);

    private static class TypesOf<TGrain>
    {
        public static Types? Value;
    }
}
