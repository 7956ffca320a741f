namespace TinyNet.Sweeps.Abstractions;

/// <summary>The cluster's list of sweeps, for <c>tinynet-sweeps list</c>. One grain, keyed <see cref="Key"/>.</summary>
[Alias("TinyNet.Sweeps.ISweepRegistryGrain")]
public interface ISweepRegistryGrain : IGrainWithStringKey
{
    const string Key = "all";

    [Alias("Register")]
    Task Register(SweepSummary sweep);

    [Alias("List")]
    Task<IReadOnlyList<SweepSummary>> List();
}
