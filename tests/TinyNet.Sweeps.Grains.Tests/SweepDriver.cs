using TinyNet.Sweeps.Abstractions;
using TinyNet.Sweeps.Domain.Ranking;
using TinyNet.Sweeps.Domain.Sweeps;
using TinyNet.Sweeps.Domain.Trials;

namespace TinyNet.Sweeps.Grains.Tests;

/// <summary>Runs a sweep against a cluster the way a client does: start, poll, rank.</summary>
public static class SweepDriver
{
    public static readonly MetricSpec Metric = new(MetricNames.CalibrationError, MetricGoal.Minimize);

    public static async Task<(IReadOnlyList<TrialResult> Results, SweepRanking Ranking)> RunAsync(
        IClusterClient client, IReadOnlyList<TrialSpec> trials, IReadOnlyList<TrialResult>? prior = null)
    {
        string sweepId = $"test-{Guid.NewGuid():N}";
        var coordinator = client.GetGrain<ISweepCoordinatorGrain>(sweepId);
        await coordinator.Start(Launch("test", trials, prior));
        var results = await FollowAsync(coordinator, TimeSpan.FromMinutes(3));
        return (results, await coordinator.GetRanking());
    }

    /// <summary>Every result of a sweep, collected with long polls until it is over; a sweep still going after <paramref name="timeout"/> fails the test.</summary>
    public static async Task<IReadOnlyList<TrialResult>> FollowAsync(ISweepCoordinatorGrain coordinator, TimeSpan timeout)
    {
        var results = new List<TrialResult>();
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var progress = await coordinator.GetProgress(results.Count, TimeSpan.FromSeconds(1));
            results.AddRange(progress.NewResults);
            if (progress.IsOver && results.Count >= progress.Finished) return results;
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"sweep did not finish within {timeout}: {progress.State}, {progress.Finished}/{progress.Total} finished, {progress.Running} running");
        }
    }

    /// <summary>
    /// The launch of a sweep of exactly these trials, made as <see cref="Trials"/> makes them (each configuration once
    /// per seed): the plan of their configurations and seeds, which asks for the same trials in the same order.
    /// </summary>
    public static SweepLaunch Launch(string name, IReadOnlyList<TrialSpec> trials, IReadOnlyList<TrialResult>? prior = null)
    {
        var plan = SweepPlan.OfConfigurations(name, Metric, trials.Select(t => t.Config).Distinct().Select(c => (c, (string?)null)),
            [.. trials.Select(t => t.Seed).Distinct()]);
        Assert.Equal(trials, plan.ListedTrials);
        return new SweepLaunch(plan, prior ?? []);
    }

    public static IReadOnlyList<TrialSpec> Trials(IEnumerable<TrialConfig> configs, int seeds)
    {
        var trials = new List<TrialSpec>();
        foreach (var config in configs)
            for (int seed = 0; seed < seeds; seed++)
                trials.Add(TrialIdentity.Create(config, seed, trials.Count));
        return trials;
    }
}
