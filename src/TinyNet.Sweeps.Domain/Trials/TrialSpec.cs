namespace TinyNet.Sweeps.Domain.Trials;

/// <summary>
/// One trial of a sweep: a configuration and a seed. The id depends only on those two, so the same
/// trial keeps its id across runs of the sweep (that is what makes resume work).
/// </summary>
/// <param name="Id">Stable id, <c>{ConfigKey}-s{Seed}</c>.</param>
/// <param name="ConfigKey">Stable key of the configuration; seeds of one configuration share it.</param>
/// <param name="Index">Position in the sweep's trial order (grid order, then seeds; for adaptive searches, the order asked).</param>
/// <param name="Label">The name of the explicit configuration the trial came from, if any; not part of the id.</param>
public sealed record TrialSpec(string Id, string ConfigKey, int Index, TrialConfig Config, int Seed, string? Label = null);
