using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using TinyNet.Sweeps.Abstractions;
using TinyNet.Sweeps.Domain.Export;
using TinyNet.Sweeps.Domain.Trials;
using TinyNet.Sweeps.Hosting;
using TinyNet.Sweeps.Training;

namespace TinyNet.Sweeps.Grains.Tests;

public sealed class RecordedResultsTests
{
    static TrialResult Result(int index) =>
        new(new TrialSpec($"t{index}", "c", index, new TrialConfig(), index), ScriptedTrainer.Completed(new TrialConfig(), index), "silo", 1, 1);

    [Fact]
    public void Only_the_latest_results_are_kept_whole_and_every_one_as_its_summary()
    {
        var recorded = new RecordedResults(detailWindow: 3);
        for (int i = 0; i < 10; i++) recorded.Add(Result(i), keepWhole: i == 1);

        var page = recorded.Page(0, 100);

        Assert.Equal(10, page.Length);
        Assert.Equal([1, 7, 8, 9], page.Select((p, i) => (p, i)).Where(x => x.p.Whole is not null).Select(x => x.i));
        Assert.All(page, p => Assert.Empty(p.Summary.Outcome.LossHistory));
        Assert.All(page, p => Assert.Null(p.Summary.Outcome.Weights));
        Assert.All(page, p => Assert.NotNull(p.Summary.Outcome.Metrics));
        Assert.NotEmpty(page[9].Whole!.Outcome.LossHistory);
        Assert.Equal(10, recorded.Summaries.Count);
    }

    [Fact]
    public void Every_summary_read_back_equals_the_results_own_summary_whatever_its_outcome()
    {
        var completed = Result(0);
        var failed = Result(1) with { Outcome = new TrainingOutcome(TrialStatus.Failed, [0.5], Error: "libtorch said no"), TrainingMs = 12, QueueMs = 3 };
        var diverged = Result(2) with { Outcome = new TrainingOutcome(TrialStatus.Diverged, [0.5, double.NaN]), Silo = "other", Attempts = 2 };
        var stopped = Result(3) with { Outcome = Result(3).Outcome with { Status = TrialStatus.Stopped } };
        TrialResult[] results = [completed, failed, diverged, stopped];
        var recorded = new RecordedResults(detailWindow: 1);
        foreach (var result in results) recorded.Add(result);

        Assert.Equal(results.Select(r => r.Summary()), recorded.Summaries);
        Assert.Equal(results.Select(r => r.Summary()), recorded.Page(0, 10).Select(p => p.Summary));
        Assert.Equal([null, null, null, stopped], recorded.Page(0, 10).Select(p => p.Whole));
    }

    [Fact]
    public void A_page_starts_at_its_cursor_and_holds_at_most_the_maximum()
    {
        var recorded = new RecordedResults();
        for (int i = 0; i < 10; i++) recorded.Add(Result(i));

        Assert.Equal(["t4", "t5", "t6"], recorded.Page(4, 3).Select(p => p.Summary.Trial.Id));
        Assert.Empty(recorded.Page(10, 3));
    }
}

/// <summary>
/// A coordinator that keeps only two results whole (a client far behind gets the rest from the trial grains) and hands
/// over three a call (a client catches up in pages).
/// </summary>
public sealed class SmallDetailWindowClusterFixture : ClusterFixture
{
    protected override void ConfigureTraining(IServiceCollection services) =>
        services.AddSingleton<ITrialTrainer, ScriptedTrainer>();

    protected override void ConfigureSilo(ISiloBuilder silo) => silo.Configure<CoordinatorOptions>(o => { o.ResultDetailWindow = 2; o.ResultsPerProgress = 3; });
}

public sealed class ResultsReadBackTests(SmallDetailWindowClusterFixture fixture) : IClassFixture<SmallDetailWindowClusterFixture>
{
    [Fact]
    public async Task Results_that_left_the_coordinators_window_come_back_whole_from_their_trials()
    {
        var trials = SweepDriver.Trials(Enumerable.Range(1, 8).Select(i => new TrialConfig { LearningRate = 0.01 * i, Epochs = 7 }), seeds: 2);
        var coordinator = fixture.Cluster.Client.GetGrain<ISweepCoordinatorGrain>($"test-{Guid.NewGuid():N}");
        await coordinator.Start(SweepDriver.Launch("window", trials));
        var followed = await SweepDriver.FollowAsync(coordinator, TimeSpan.FromMinutes(2));

        var later = new List<TrialResult>();
        await SweepFollower.FollowAsync(coordinator, (IReadOnlyList<TrialResult> page) => later.AddRange(page), null, CancellationToken.None);

        Assert.Equal(trials.Count, followed.Count);
        Assert.Equal(trials.Count, later.Count);
        Assert.InRange((await coordinator.GetProgress(0, TimeSpan.Zero)).NewResults.Count, 1, 3);
        // Whole, not summaries: the scripted trainer gives every trial a loss history and stress outputs.
        Assert.All(later, r => Assert.NotEmpty(r.Outcome.LossHistory));
        Assert.All(later, r => Assert.NotNull(r.Outcome.Stress));
        Assert.Equal(followed.Select(Json), later.Select(Json));
    }

    static string Json(TrialResult result) => JsonSerializer.Serialize(result, SweepJson.Options);
}
