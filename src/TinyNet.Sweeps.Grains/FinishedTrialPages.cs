using Orleans.Storage;

namespace TinyNet.Sweeps.Grains;

/// <summary>One page of a sweep's finished trial ids, in the order they were recorded.</summary>
[GenerateSerializer, Alias("TinyNet.Sweeps.FinishedTrialPage")]
public sealed class FinishedTrialPage
{
    [Id(0)] public List<string> TrialIds { get; set; } = new();
}

/// <summary>
/// The ids of a sweep's finished trials, persisted in pages of at most <see cref="PageSize"/> ids under the coordinator's
/// own grain id: saving after a batch of results rewrites only the last page (and starts new ones), so the cost of saving
/// does not grow with the sweep, where one list of every id made a 10,000-trial sweep quadratic.
/// </summary>
public sealed class FinishedTrialPages(IGrainStorage storage, GrainId owner, string stateName)
{
    public const int PageSize = 256;

    /// <summary>
    /// The last page as last read or written, with the ETag the storage gave it: only it is written again. Full pages
    /// before it are never rewritten, so nothing of them is kept.
    /// </summary>
    private GrainState<FinishedTrialPage>? _lastPage;
    private int _pageCount;
    /// <summary>The ids read back from the pages (a reactivation's), which the coordinator will add again as it recovers their results.</summary>
    private readonly HashSet<string> _readBack = new();
    /// <summary>The ids from the start of the first page not yet full and written on, in order; those from <see cref="_saved"/> on are not written yet.</summary>
    private readonly List<string> _tail = new();
    /// <summary>How many ids came before <see cref="_tail"/>: those of the full pages.</summary>
    private int _beforeTail;
    private int _saved;

    public int PageCount => _pageCount;

    /// <summary>Ids added and not saved yet.</summary>
    public int Unsaved => _beforeTail + _tail.Count - _saved;

    /// <summary>Reads the first <paramref name="pageCount"/> pages; their ids, in order.</summary>
    public async Task<IReadOnlyList<string>> ReadAsync(int pageCount)
    {
        var ids = new List<string>();
        for (int i = _pageCount; i < pageCount; i++)
        {
            var page = new GrainState<FinishedTrialPage>(new FinishedTrialPage());
            await storage.ReadStateAsync(PageName(i), owner, page);
            page.State ??= new FinishedTrialPage();
            foreach (string id in page.State.TrialIds)
                if (_readBack.Add(id)) ids.Add(id);
            _lastPage = page;
            _pageCount++;
        }
        // The last page read is the one written next, with the ids it holds.
        _beforeTail = _pageCount == 0 ? 0 : (_pageCount - 1) * PageSize;
        _tail.Clear();
        if (_lastPage?.State is { } last) _tail.AddRange(last.TrialIds);
        _saved = _beforeTail + _tail.Count;
        return ids;
    }

    /// <summary>A finished trial, to be written by the next <see cref="SaveAsync"/>; one read back from the pages is ignored.</summary>
    /// <remarks>The coordinator adds each trial once; only those it recovers after a reactivation can come again.</remarks>
    public void Add(string trialId)
    {
        if (!_readBack.Contains(trialId)) _tail.Add(trialId);
    }

    /// <summary>Writes the ids added since the last save: the last page again, and new pages as it fills.</summary>
    public async Task SaveAsync()
    {
        while (_saved < _beforeTail + _tail.Count)
        {
            int pageIndex = _saved / PageSize;
            if (pageIndex == _pageCount)
            {
                _lastPage = new GrainState<FinishedTrialPage>(new FinishedTrialPage());
                _pageCount++;
            }
            var page = _lastPage!;
            int start = pageIndex * PageSize, end = Math.Min(_beforeTail + _tail.Count, start + PageSize);
            page.State ??= new FinishedTrialPage();
            page.State.TrialIds = _tail.GetRange(start - _beforeTail, end - start);
            try
            {
                await storage.WriteStateAsync(PageName(pageIndex), owner, page);
            }
            catch (InconsistentStateException)
            {
                // A write that timed out may have landed after all (a store cut off mid-write), leaving this page's ETag
                // behind. The coordinator's list is the sweep's: take the stored ETag and write it again.
                var stored = new GrainState<FinishedTrialPage>(new FinishedTrialPage());
                await storage.ReadStateAsync(PageName(pageIndex), owner, stored);
                page.ETag = stored.ETag;
                await storage.WriteStateAsync(PageName(pageIndex), owner, page);
            }
            _saved = end;
            // A full page that is written is never written again: its ids can go.
            while (_saved - _beforeTail >= PageSize)
            {
                _tail.RemoveRange(0, PageSize);
                _beforeTail += PageSize;
            }
        }
    }

    private string PageName(int index) => $"{stateName}-{index}";
}
