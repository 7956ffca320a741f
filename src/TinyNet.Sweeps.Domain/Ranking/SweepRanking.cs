using TinyNet.Sweeps.Domain.Sweeps;
using TinyNet.Sweeps.Domain.Trials;

namespace TinyNet.Sweeps.Domain.Ranking;

/// <summary>Mean, sample standard deviation and count of one metric over the completed seeds of a configuration.</summary>
public sealed record MetricSummary(double Mean, double StdDev, int N);

/// <summary>One row of the ranking: a configuration with all its seeds folded together.</summary>
public sealed record RankedConfiguration(
    int Rank,
    string ConfigKey,
    string? Label,
    TrialConfig Config,
    IReadOnlyList<int> Seeds,
    int Completed,
    int Diverged,
    int Failed,
    IReadOnlyDictionary<string, MetricSummary> Metrics,
    int Stopped = 0)
{
    public int Trials => Completed + Diverged + Failed + Stopped;
}

public sealed record SweepRanking(string Name, MetricSpec Metric, IReadOnlyList<RankedConfiguration> Rows);
