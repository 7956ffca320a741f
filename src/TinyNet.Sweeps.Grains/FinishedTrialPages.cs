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

    /// <summary>Each page as last read or written, with the ETag the storage gave it.</summary>
    private readonly List<GrainState<FinishedTrialPage>> _pages = new();
    /// <summary>Every id in the pages, and those added since, each once.</summary>
    private readonly HashSet<string> _known = new();
    /// <summary>Every id, in page order; those from <see cref="_saved"/> on are not written yet.</summary>
    private readonly List<string> _ids = new();
    private int _saved;

    public int PageCount => _pages.Count;

    /// <summary>Ids added and not saved yet.</summary>
    public int Unsaved => _ids.Count - _saved;

    /// <summary>Reads the first <paramref name="pageCount"/> pages; their ids, in order.</summary>
    public async Task<IReadOnlyList<string>> ReadAsync(int pageCount)
    {
        for (int i = _pages.Count; i < pageCount; i++)
        {
            var page = new GrainState<FinishedTrialPage>(new FinishedTrialPage());
            await storage.ReadStateAsync(PageName(i), owner, page);
            page.State ??= new FinishedTrialPage();
            _pages.Add(page);
            foreach (string id in page.State.TrialIds) Add(id);
        }
        _saved = _ids.Count;
        return _ids.ToList();
    }

    /// <summary>A finished trial, to be written by the next <see cref="SaveAsync"/>; one already listed is ignored.</summary>
    public void Add(string trialId)
    {
        if (_known.Add(trialId)) _ids.Add(trialId);
    }

    /// <summary>Writes the ids added since the last save: the last page again, and new pages as it fills.</summary>
    public async Task SaveAsync()
    {
        while (_saved < _ids.Count)
        {
            int pageIndex = _saved / PageSize;
            if (pageIndex == _pages.Count) _pages.Add(new GrainState<FinishedTrialPage>(new FinishedTrialPage()));
            var page = _pages[pageIndex];
            page.State ??= new FinishedTrialPage();
            int start = pageIndex * PageSize, end = Math.Min(_ids.Count, start + PageSize);
            page.State.TrialIds = _ids.GetRange(start, end - start);
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
        }
    }

    private string PageName(int index) => $"{stateName}-{index}";
}
