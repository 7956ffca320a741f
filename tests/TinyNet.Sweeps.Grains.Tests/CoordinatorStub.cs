using TinyNet.Sweeps.Abstractions;
using TinyNet.Sweeps.Domain.Ranking;
using TinyNet.Sweeps.Domain.Trials;

namespace TinyNet.Sweeps.Grains.Tests;

/// <summary>A coordinator as a client sees it, for tests of the client side: each test answers the calls it makes.</summary>
internal abstract class CoordinatorStub : ISweepCoordinatorGrain
{
    public virtual Task<SweepProgress> GetProgress(int cursor, TimeSpan maxWait) => throw new NotSupportedException();
    public virtual Task<SweepRanking> GetRanking() => throw new NotSupportedException();
    public virtual Task<RankingPage> GetRankingPage(int offset, int count) => throw new NotSupportedException();
    public virtual Task<SweepInfo?> GetInfo() => throw new NotSupportedException();
    public Task Start(SweepLaunch launch) => throw new NotSupportedException();
    public Task ReportResult(TrialResult result) => throw new NotSupportedException();
    public Task ReportResults(IReadOnlyList<TrialResult> results) => throw new NotSupportedException();
    public Task ReportBand(string trialId, int epoch, TrialMetrics metrics) => throw new NotSupportedException();
    public Task Cancel() => throw new NotSupportedException();
    public Task Abort() => throw new NotSupportedException();
    public Task ReportStopped(string trialId) => throw new NotSupportedException();
}
