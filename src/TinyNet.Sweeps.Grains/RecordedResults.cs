using TinyNet.Sweeps.Domain.Trials;

namespace TinyNet.Sweeps.Grains;

/// <summary>
/// A sweep's results in the order the coordinator recorded them. Every result is kept as its summary (status, metrics:
/// what ranking needs); the whole result (loss history, stress outputs, weights) only for the latest
/// <see cref="DetailWindow"/>, which is what a client following the sweep asks for. Older whole results live in their
/// trial grains' saved state and in the client's trials.jsonl, so memory stays flat however large the sweep.
/// </summary>
public sealed class RecordedResults(int detailWindow = RecordedResults.DefaultDetailWindow)
{
    /// <summary>A client a few seconds behind a sweep of fast trials still finds its results here.</summary>
    public const int DefaultDetailWindow = 8192;

    private readonly List<TrialResult> _summaries = new();
    /// <summary>The whole result at the same position, or null once it has left the window.</summary>
    private readonly List<TrialResult?> _detail = new();
    /// <summary>Results the sweep did not train (a resume's): the client's launch holds them anyway, so they stay whole.</summary>
    private readonly HashSet<string> _keptWhole = new();

    public int DetailWindow { get; } = detailWindow;

    public int Count => _summaries.Count;

    public IReadOnlyList<TrialResult> Summaries => _summaries;

    public void Add(TrialResult result, bool keepWhole = false)
    {
        _summaries.Add(result.Summary());
        _detail.Add(result);
        if (keepWhole) _keptWhole.Add(result.Trial.Id);
        int leaving = _detail.Count - 1 - DetailWindow;
        if (leaving >= 0 && _detail[leaving] is { } old && !_keptWhole.Contains(old.Trial.Id)) _detail[leaving] = null;
    }

    /// <summary>Results from <paramref name="start"/> on, at most <paramref name="max"/>: whole where kept, else null (fetch it from its trial).</summary>
    public (TrialResult Summary, TrialResult? Whole)[] Page(int start, int max)
    {
        int end = Math.Min(_summaries.Count, start + max);
        var page = new (TrialResult, TrialResult?)[Math.Max(0, end - start)];
        for (int i = start; i < end; i++) page[i - start] = (_summaries[i], _detail[i]);
        return page;
    }
}
