using System.Collections;
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

    /// <summary>
    /// Each summary as one value in one array, not as a result object with its outcome (about 150 bytes and two objects a
    /// trial): a 100,000-trial sweep keeps them all.
    /// </summary>
    private readonly List<Recorded> _summaries = new();
    /// <summary>Whole results by position: the latest <see cref="DetailWindow"/>, and those kept whole whatever their age.</summary>
    private readonly Dictionary<int, TrialResult> _whole = new();
    /// <summary>Positions of results the sweep did not train (a resume's): the client's launch holds them anyway, so they stay whole.</summary>
    private readonly HashSet<int> _keptWhole = new();

    public int DetailWindow { get; } = detailWindow;

    public int Count => _summaries.Count;

    /// <summary>Every result's summary, in order; each is made when it is read.</summary>
    public IReadOnlyList<TrialResult> Summaries => new SummaryList(_summaries);

    public void EnsureCapacity(int results) => _summaries.EnsureCapacity(results);

    public void Add(TrialResult result, bool keepWhole = false)
    {
        int position = _summaries.Count;
        _summaries.Add(Recorded.Of(result));
        _whole[position] = result;
        if (keepWhole) _keptWhole.Add(position);
        int leaving = position - DetailWindow;
        if (leaving >= 0 && !_keptWhole.Contains(leaving)) _whole.Remove(leaving);
    }

    /// <summary>Results from <paramref name="start"/> on, at most <paramref name="max"/>: whole where kept, else null (fetch it from its trial).</summary>
    public (TrialResult Summary, TrialResult? Whole)[] Page(int start, int max)
    {
        int end = Math.Min(_summaries.Count, start + max);
        var page = new (TrialResult, TrialResult?)[Math.Max(0, end - start)];
        for (int i = start; i < end; i++) page[i - start] = (_summaries[i].ToSummary(), _whole.GetValueOrDefault(i));
        return page;
    }

    /// <summary>What <see cref="TrialResult.Summary"/> keeps of a result, as a value.</summary>
    private readonly record struct Recorded(
        TrialSpec Trial, TrialStatus Status, TrialMetrics? Metrics, string? Error, string Silo,
        long DurationMs, int Attempts, long TrainingMs, long QueueMs)
    {
        public static Recorded Of(TrialResult result) => new(
            result.Trial, result.Outcome.Status, result.Outcome.Metrics, result.Outcome.Error, result.Silo,
            result.DurationMs, result.Attempts, result.TrainingMs, result.QueueMs);

        public TrialResult ToSummary() =>
            new(Trial, new TrainingOutcome(Status, [], Metrics, Error: Error), Silo, DurationMs, Attempts, TrainingMs, QueueMs);
    }

    private sealed class SummaryList(List<Recorded> summaries) : IReadOnlyList<TrialResult>
    {
        public TrialResult this[int index] => summaries[index].ToSummary();
        public int Count => summaries.Count;
        public IEnumerator<TrialResult> GetEnumerator()
        {
            for (int i = 0; i < summaries.Count; i++) yield return summaries[i].ToSummary();
        }
        IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
    }
}
