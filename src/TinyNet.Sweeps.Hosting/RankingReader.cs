using TinyNet.Sweeps.Abstractions;
using TinyNet.Sweeps.Domain.Export;
using TinyNet.Sweeps.Domain.Ranking;

namespace TinyNet.Sweeps.Hosting;

/// <summary>
/// Reads a sweep's ranking from its coordinator a page at a time. The ranking of a sweep of 10,000 configurations is
/// tens of megabytes as objects: received whole, it was most of a client's peak memory at the end of a large sweep.
/// </summary>
public static class RankingReader
{
    /// <summary>Rows a call: a few hundred kilobytes on the wire.</summary>
    public const int PageRows = 500;

    /// <summary>
    /// Writes ranking.csv, ranking.json and ranking.md into <paramref name="folder"/> (when given) as the pages come, and
    /// returns the ranking's first <paramref name="top"/> rows to show. Meant for a sweep that is over: when results come
    /// in between two pages, it starts again from the first.
    /// </summary>
    /// <exception cref="ResultsWriteException">A file could not be written; the old ones, if any, stay.</exception>
    public static async Task<SweepRanking> ExportAsync(ISweepCoordinatorGrain coordinator, ResultsFolderLock? folder, int top)
    {
        while (true)
        {
            var first = await coordinator.GetRankingPage(0, PageRows);
            using var files = folder is null ? null : RankingFiles.Begin(folder, first.Name, first.Metric);
            var shown = new List<RankedConfiguration>();
            for (var page = first; ; page = await coordinator.GetRankingPage(page.Offset + page.Rows.Count, PageRows))
            {
                if (page.Ranked != first.Ranked) break;
                files?.Write(page.Rows);
                shown.AddRange(page.Rows.Take(top - shown.Count));
                if (page.IsLast || (files is null && shown.Count >= top))
                {
                    files?.Complete(page.ParetoFront ?? []);
                    return new SweepRanking(first.Name, first.Metric, shown);
                }
            }
        }
    }
}
