using TinyNet.Sweeps.Domain.Trials;

namespace TinyNet.Sweeps.Domain.Search;

/// <summary>Grid and random search: every trial is known up front (the sweep's plan), so the first ask returns them all.</summary>
public sealed class ListSearch(IReadOnlyList<TrialSpec> trials) : ITrialSearch
{
    private bool _asked;

    public int Total => trials.Count;

    public IReadOnlyList<TrialSpec> Ask()
    {
        if (_asked) return [];
        _asked = true;
        return trials;
    }

    public void Tell(TrialResult result) { }
}
