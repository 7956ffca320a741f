using TinyNet.Sweeps.Domain.Ranking;
using TinyNet.Sweeps.Domain.Sweeps;
using TinyNet.Sweeps.Domain.Trials;

namespace TinyNet.Sweeps.Abstractions;

/// <summary>
/// What a client hands a coordinator: the sweep's plan (the coordinator makes its search from it) and results the
/// client already has (a resume), which stand for the trials the search asks for when their configuration and seed match.
/// </summary>
[GenerateSerializer, Immutable, Alias("TinyNet.Sweeps.SweepLaunch")]
public sealed record SweepLaunch(
    [property: Id(0)] SweepPlan Plan,
    [property: Id(1)] IReadOnlyList<TrialResult> PriorResults);

/// <param name="BandEpochs">Hyperband's band epochs when the sweep has early termination: the trial reports its
/// metrics at each and may be told to stop at one.</param>
[GenerateSerializer, Immutable, Alias("TinyNet.Sweeps.TrialAssignment")]
public sealed record TrialAssignment(
    [property: Id(0)] string SweepId,
    [property: Id(1)] TrialSpec Trial,
    [property: Id(2)] IReadOnlyList<int>? BandEpochs = null);

/// <summary>Hyperband stopped a trial at the band of <paramref name="Epoch"/>.</summary>
[GenerateSerializer, Immutable, Alias("TinyNet.Sweeps.BandStop")]
public sealed record BandStop(
    [property: Id(0)] string TrialId,
    [property: Id(1)] int Epoch);

public enum SweepState { NotStarted, Running, Completed, Cancelled }

/// <param name="Running">Trials handed to silos and not back yet: <paramref name="Training"/> plus <paramref name="Queued"/>.</param>
/// <param name="Training">Of those, the trials on a training worker (as part of a group of lanes, with lanes), as the
/// silos last said (at most a second or so ago).</param>
/// <param name="Queued">Of those, the trials waiting in their silo's queue for a worker.</param>
[GenerateSerializer, Immutable, Alias("TinyNet.Sweeps.SweepProgress")]
public sealed record SweepProgress(
    [property: Id(0)] SweepState State,
    [property: Id(1)] int Total,
    [property: Id(2)] int Completed,
    [property: Id(3)] int Diverged,
    [property: Id(4)] int Failed,
    [property: Id(5)] int Running,
    [property: Id(6)] IReadOnlyList<TrialResult> NewResults,
    [property: Id(7)] int Cursor,
    [property: Id(8)] int Stopped = 0,
    [property: Id(9)] string? Activation = null,
    [property: Id(10)] int Training = 0,
    [property: Id(11)] int Queued = 0)
{
    public int Finished => Completed + Diverged + Failed + Stopped;
    public bool IsOver => State is SweepState.Completed or SweepState.Cancelled && Running == 0;
}

/// <summary>
/// Rows <paramref name="Offset"/> on of a sweep's ranking, at most a few thousand: a client writes the ranking of many
/// configurations page by page instead of receiving it whole.
/// </summary>
/// <param name="Ranked">How many results the ranking folds: pages with different counts are from different rankings
/// (results came in between them).</param>
/// <param name="ParetoFront">With the page that ends the ranking: the config keys on the Pareto front of all its rows.</param>
[GenerateSerializer, Immutable, Alias("TinyNet.Sweeps.RankingPage")]
public sealed record RankingPage(
    [property: Id(0)] string Name,
    [property: Id(1)] MetricSpec Metric,
    [property: Id(2)] int Ranked,
    [property: Id(3)] int TotalRows,
    [property: Id(4)] int Offset,
    [property: Id(5)] IReadOnlyList<RankedConfiguration> Rows,
    [property: Id(6)] IReadOnlyList<string>? ParetoFront)
{
    public bool IsLast => Offset + Rows.Count >= TotalRows;
}

public enum TrialPhase { Idle, Training, Finished }

[GenerateSerializer, Immutable, Alias("TinyNet.Sweeps.TrialSnapshot")]
public sealed record TrialSnapshot(
    [property: Id(0)] TrialPhase Phase,
    [property: Id(1)] int Attempts,
    [property: Id(2)] TrialResult? Result);

[GenerateSerializer, Immutable, Alias("TinyNet.Sweeps.SweepInfo")]
public sealed record SweepInfo(
    [property: Id(0)] string Id,
    [property: Id(1)] string Name,
    [property: Id(2)] MetricSpec Metric,
    [property: Id(3)] DateTimeOffset SubmittedAt,
    [property: Id(4)] int Trials,
    [property: Id(5)] IReadOnlyDictionary<string, string> Labels);

[GenerateSerializer, Immutable, Alias("TinyNet.Sweeps.SweepSummary")]
public sealed record SweepSummary(
    [property: Id(0)] string Id,
    [property: Id(1)] string Name,
    [property: Id(2)] DateTimeOffset SubmittedAt,
    [property: Id(3)] int Trials);
