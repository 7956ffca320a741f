using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using TinyNet.Sweeps.Domain.Trials;

namespace TinyNet.Sweeps.Grains.Tests;

public sealed class TelemetryTests(ScriptedClusterFixture fixture) : IClassFixture<ScriptedClusterFixture>
{
    [Fact]
    public async Task Trial_counters_and_the_duration_histogram_are_recorded()
    {
        var totals = new ConcurrentDictionary<string, double>();
        using var listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter.Name == SweepTelemetry.Name) l.EnableMeasurementEvents(instrument);
            },
        };
        listener.SetMeasurementEventCallback<long>((i, value, _, _) => totals.AddOrUpdate(i.Name, value, (_, t) => t + value));
        listener.SetMeasurementEventCallback<double>((i, _, _, _) => totals.AddOrUpdate(i.Name, 1, (_, t) => t + 1));
        listener.Start();
        var trials = SweepDriver.Trials(
            [new TrialConfig { LearningRate = 0.03 }, new TrialConfig { LearningRate = ScriptedTrainer.BrokenRate },
             new TrialConfig { LearningRate = ScriptedTrainer.DivergingRate }], seeds: 1);

        await SweepDriver.RunAsync(fixture.Cluster.Client, trials);

        // Other test classes may run sweeps at the same time, hence "at least".
        Assert.True(totals.GetValueOrDefault("tinynet.trials.completed") >= 1);
        Assert.True(totals.GetValueOrDefault("tinynet.trials.diverged") >= 1);
        Assert.True(totals.GetValueOrDefault("tinynet.trials.failed") >= 1);
        Assert.True(totals.GetValueOrDefault("tinynet.trials.started") >= 1 + (1 + TrialGrain.MaxRetries) + 1);
        Assert.True(totals.GetValueOrDefault("tinynet.trial.duration") >= 3);
    }
}

public sealed class TrialTimingTests(ScriptedClusterFixture fixture) : IClassFixture<ScriptedClusterFixture>
{
    [Fact]
    public async Task A_result_tells_training_time_from_time_queued_behind_other_trials()
    {
        // Scripted trials sleep their epochs in ms. Each silo holds two trials per worker, so half of them wait their turn.
        var trials = SweepDriver.Trials(Enumerable.Range(1, 24).Select(i => new TrialConfig { LearningRate = 0.0003 * i, Epochs = 150 }), seeds: 1);

        var (results, _) = await SweepDriver.RunAsync(fixture.Cluster.Client, trials);

        Assert.All(results, r => Assert.InRange(r.TrainingMs, 150, r.DurationMs));
        Assert.All(results, r => Assert.True(r.TrainingMs + r.QueueMs <= r.DurationMs + 1, $"{r.TrainingMs} + {r.QueueMs} > {r.DurationMs}"));
        Assert.Contains(results, r => r.QueueMs >= 100); // queued behind a whole trial on its worker
    }
}
