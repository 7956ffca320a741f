using TinyNet.Sweeps.Abstractions;
using TinyNet.Sweeps.Domain.Export;
using TinyNet.Sweeps.Domain.Ranking;
using TinyNet.Sweeps.Domain.Trials;
using TinyNet.Sweeps.Hosting;

namespace TinyNet.Sweeps.Grains.Tests;

/// <summary>A client writes a sweep's ranking files from pages of its coordinator's ranking, never holding it whole.</summary>
public sealed class RankingReaderTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), $"tinynet-ranking-{Guid.NewGuid():N}");

    public void Dispose()
    {
        if (Directory.Exists(_dir)) Directory.Delete(_dir, recursive: true);
    }

    /// <summary>Ten configurations, one of whose two seeds diverged for every third, so that the rows differ in kind.</summary>
    private static List<TrialResult> Results(int configurations, double shift = 0) =>
    [
        .. Enumerable.Range(0, configurations).SelectMany(c => Enumerable.Range(0, 2).Select(seed =>
        {
            var trial = TrialIdentity.Create(new TrialConfig { LearningRate = 0.01 * (c + 1) }, seed, index: 2 * c + seed);
            var metrics = new TrialMetrics(0.5, 0.3 + 0.01 * ((c * 7) % 5) + shift, 0.9, 0.2, 0.1 + 0.01 * c + 0.001 * seed, 0.9, 0.5);
            var outcome = c % 3 == 0 && seed == 1
                ? new TrainingOutcome(TrialStatus.Diverged, [double.NaN])
                : new TrainingOutcome(TrialStatus.Completed, [0.5], metrics, [], null);
            return new TrialResult(trial, outcome, "silo", 1, 1);
        })),
    ];

    public static RankingPage Page(SweepRanking ranking, int ranked, int offset, int count)
    {
        var rows = ranking.Rows.Skip(offset).Take(count).ToArray();
        bool last = offset + rows.Length >= ranking.Rows.Count;
        return new RankingPage(ranking.Name, ranking.Metric, ranked, ranking.Rows.Count, offset, rows, last ? SweepStatistics.ParetoFront(ranking.Rows) : null);
    }

    private static Dictionary<string, string> Files(string folder) =>
        new[] { RankingExporter.CsvFile, RankingExporter.JsonFile, RankingExporter.MarkdownFile }
            .ToDictionary(name => name, name => File.ReadAllText(Path.Combine(folder, name)));

    private Dictionary<string, string> WrittenWhole(SweepRanking ranking)
    {
        string folder = Path.Combine(_dir, "whole");
        using (var output = ResultsFolderLock.Acquire(folder, "test")) RankingExporter.WriteAll(ranking, output);
        return Files(folder);
    }

    [Fact]
    public async Task Files_written_page_by_page_are_those_of_the_whole_ranking_and_the_top_rows_come_back()
    {
        var ranking = Ranker.Rank("paged", SweepDriver.Metric, Results(10));
        var coordinator = new PagedCoordinator(_ => ranking, pageSize: 3);
        string folder = Path.Combine(_dir, "paged");

        SweepRanking top;
        using (var output = ResultsFolderLock.Acquire(folder, "test")) top = await RankingReader.ExportAsync(coordinator, output, top: 5);

        Assert.Equal(4, coordinator.Calls);
        Assert.Equal(WrittenWhole(ranking), Files(folder));
        Assert.Equal(ranking.Rows.Take(5), top.Rows);
        Assert.Equal((ranking.Name, ranking.Metric), (top.Name, top.Metric));
    }

    [Fact]
    public async Task Only_showing_reads_no_further_than_the_top_rows()
    {
        var ranking = Ranker.Rank("paged", SweepDriver.Metric, Results(10));
        var coordinator = new PagedCoordinator(_ => ranking, pageSize: 3);

        var top = await RankingReader.ExportAsync(coordinator, folder: null, top: 4);

        Assert.Equal(2, coordinator.Calls);
        Assert.Equal(ranking.Rows.Take(4), top.Rows);
    }

    [Fact]
    public async Task Results_coming_in_between_pages_start_the_files_again_from_the_first_page()
    {
        var before = Ranker.Rank("moving", SweepDriver.Metric, Results(10));
        // From the third call on, the sweep has a result more: every row's metric has moved, so mixing pages would show.
        var after = Ranker.Rank("moving", SweepDriver.Metric, [.. Results(10, shift: 0.05), .. Results(11).TakeLast(1)]);
        var coordinator = new PagedCoordinator(call => call < 3 ? before : after, pageSize: 3);
        string folder = Path.Combine(_dir, "moving");

        using (var output = ResultsFolderLock.Acquire(folder, "test")) await RankingReader.ExportAsync(coordinator, output, top: 20);

        Assert.Equal(WrittenWhole(after), Files(folder));
        Assert.Empty(Directory.GetFiles(folder, "*.tmp"));
    }

    /// <summary>Pages of <c>rankingAt(call)</c>, the call counted from 1; a ranking's result count tells rankings apart.</summary>
    private sealed class PagedCoordinator(Func<int, SweepRanking> rankingAt, int pageSize) : CoordinatorStub
    {
        public int Calls { get; private set; }

        public override Task<RankingPage> GetRankingPage(int offset, int count)
        {
            var ranking = rankingAt(++Calls);
            return Task.FromResult(Page(ranking, ranking.Rows.Sum(r => r.Trials), offset, Math.Min(count, pageSize)));
        }
    }
}
