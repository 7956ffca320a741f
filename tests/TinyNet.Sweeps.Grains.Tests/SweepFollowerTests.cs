using TinyNet.Sweeps.Abstractions;
using TinyNet.Sweeps.Domain.Ranking;
using TinyNet.Sweeps.Domain.Trials;
using TinyNet.Sweeps.Hosting;

namespace TinyNet.Sweeps.Grains.Tests;

/// <summary>
/// A client following a sweep whose coordinator is reactivated on another silo mid-sweep: the new activation records the
/// results again in another order (and at first only those it recovered), so a cursor into the old order skipped some
/// (found by deploy/compose-smoke.sh: 46 of 48 trials in the client's trials.jsonl, exit 0).
/// </summary>
public sealed class SweepFollowerTests
{
    private static readonly IReadOnlyList<TrialResult> Results = [.. Enumerable.Range(0, 12).Select(Result)];

    [Fact]
    public async Task A_follower_hands_on_every_result_once_when_the_coordinator_is_reactivated_in_another_order()
    {
        var coordinator = new MovingCoordinator(Results, readBeforeMove: 6);
        var handedOn = new List<string>();

        bool over = await SweepFollower.FollowAsync(coordinator, (IReadOnlyList<TrialResult> page) => handedOn.AddRange(page.Select(r => r.Trial.Id)),
            null, CancellationToken.None);

        Assert.True(over);
        Assert.True(coordinator.Moved, "the coordinator never moved: the test did not test anything");
        Assert.Equal(Results.Select(r => r.Trial.Id).Order(), handedOn.Order());
    }

    [Fact]
    public async Task An_export_reads_every_result_once_when_the_coordinator_is_reactivated_between_pages()
    {
        var coordinator = new MovingCoordinator(Results, readBeforeMove: 6, pageSize: 3, growAfterMove: false);
        string folder = Path.Combine(Path.GetTempPath(), $"tinynet-export-{Guid.NewGuid():N}");
        try
        {
            using (var output = Domain.Export.ResultsFolderLock.Acquire(folder, "test"))
            {
                var exported = await SweepFollower.ExportAsync(coordinator, new SweepInfo("s", "s", SweepDriver.Metric, DateTimeOffset.UnixEpoch, Results.Count, new Dictionary<string, string>()), output);
                Assert.True(coordinator.Moved);
                Assert.Equal(Results.Count, exported.Cursor);
            }
            // Every result once: the lines written before the move were written again, not kept beside the new ones.
            Assert.Equal(Results.Count, File.ReadLines(Path.Combine(folder, Domain.Export.TrialLog.FileName)).Count());
            Assert.Equal(Results.Select(r => r.Trial.Id).Order(), Domain.Export.TrialLog.Read(folder).Results.Select(r => r.Trial.Id).Order());
            Assert.Empty(Directory.GetFiles(folder, "*.tmp"));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static TrialResult Result(int i) => new(
        TrialIdentity.Create(new TrialConfig { LearningRate = 0.01 * (i + 1) }, seed: 0, index: i),
        new TrainingOutcome(TrialStatus.Completed, [0.5], new TrialMetrics(0.5, 0.5, 0.5, 0.25, 0.1, 0.9, 0.5), [], null),
        "silo", 1, 1);

    /// <summary>
    /// A coordinator that is "reactivated" after a client has read <c>readBeforeMove</c> results: the new activation has
    /// the results in reverse order, at first only the last half of them (those it recovered), the rest as they are re-reported.
    /// </summary>
    private sealed class MovingCoordinator(IReadOnlyList<TrialResult> all, int readBeforeMove, int pageSize = 4, bool growAfterMove = true) : CoordinatorStub
    {
        private List<TrialResult> _recorded = [.. all];
        private string _activation = "first";
        private int _callsAfterMove;

        public bool Moved => _activation != "first";

        public override Task<SweepProgress> GetProgress(int cursor, TimeSpan maxWait)
        {
            if (!Moved && cursor >= readBeforeMove)
            {
                _activation = "second";
                _recorded = [.. all.Reverse().Take(growAfterMove ? all.Count / 2 : all.Count)];
            }
            else if (Moved && growAfterMove && ++_callsAfterMove % 2 == 0 && _recorded.Count < all.Count)
            {
                _recorded.Add(all.Reverse().ElementAt(_recorded.Count));
            }
            cursor = Math.Clamp(cursor, 0, _recorded.Count);
            var page = _recorded.Skip(cursor).Take(pageSize).ToList();
            bool over = _recorded.Count == all.Count;
            return Task.FromResult(new SweepProgress(over ? SweepState.Completed : SweepState.Running, all.Count, _recorded.Count, 0, 0,
                Running: over ? 0 : all.Count - _recorded.Count, page, cursor + page.Count, Activation: _activation));
        }

        public override Task<SweepRanking> GetRanking() => Task.FromResult(Ranker.Rank("s", SweepDriver.Metric, _recorded));

        public override Task<RankingPage> GetRankingPage(int offset, int count) =>
            Task.FromResult(RankingReaderTests.Page(Ranker.Rank("s", SweepDriver.Metric, _recorded), _recorded.Count, offset, Math.Min(count, pageSize)));
    }
}
