using TinyNet.Sweeps.Domain.Trials;

namespace TinyNet.Sweeps.Domain.Search;

/// <summary>
/// A sweep's search, asked for trials and told their results, one small class per method as wandb/sweeps keeps one
/// module per method. The coordinator holds one, not a fixed list of trials: an adaptive search decides its next trials
/// from the results of earlier ones.
/// </summary>
/// <remarks>
/// Deterministic by contract: what <see cref="Ask"/> returns depends only on the sweep and on the results told so far
/// taken in trial-index order, never on the order they arrived in, so the same file gives the same trials on any
/// cluster. A search asks for nothing more until it has the results it waits for.
/// </remarks>
public interface ITrialSearch
{
    /// <summary>Trials the sweep runs in all (for an adaptive search, at most this many).</summary>
    int Total { get; }

    /// <summary>The next trials to run, in index order; empty while the search waits for results, or when it is done.</summary>
    IReadOnlyList<TrialSpec> Ask();

    /// <summary>A finished trial's result (completed, diverged, failed), in any order.</summary>
    void Tell(TrialResult result);
}
