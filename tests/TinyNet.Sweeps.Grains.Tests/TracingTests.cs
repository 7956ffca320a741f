using System.Collections.Concurrent;
using System.Diagnostics;
using TinyNet.Sweeps.Abstractions;
using TinyNet.Sweeps.Domain.Trials;

namespace TinyNet.Sweeps.Grains.Tests;

public sealed class TracingTests(ScriptedClusterFixture fixture) : IClassFixture<ScriptedClusterFixture>
{
    private static readonly ActivitySource Client = new("TinyNet.Sweeps.Tests.Client");

    [Fact]
    public async Task One_trace_runs_from_the_client_through_the_coordinator_and_trial_into_training()
    {
        var stopped = new ConcurrentBag<Activity>();
        using var listener = new ActivityListener
        {
            // What an OpenTelemetry exporter subscribes to: ours and Orleans' call spans.
            ShouldListenTo = source => source.Name is "TinyNet.Sweeps" or "TinyNet.Sweeps.Tests.Client" || source.Name.StartsWith("Microsoft.Orleans"),
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = stopped.Add,
        };
        ActivitySource.AddActivityListener(listener);
        var trials = SweepDriver.Trials([new TrialConfig { LearningRate = 0.0123, Epochs = 5 }], seeds: 2);

        ActivityTraceId traceId;
        using (var submit = Client.StartActivity("submit")!)
        {
            traceId = submit.TraceId;
            await SweepDriver.RunAsync(fixture.Cluster.Client, trials);
        }

        // A trial's span ends only after its report has been taken, which may be just after the sweep is over.
        List<Activity> ours = [], trialSpans = [], trainSpans = [];
        for (var deadline = DateTime.UtcNow.AddSeconds(10); DateTime.UtcNow < deadline; await Task.Delay(50))
        {
            ours = stopped.Where(a => a.TraceId == traceId).ToList();
            trialSpans = ours.Where(a => a.OperationName == "trial").ToList();
            trainSpans = ours.Where(a => a.OperationName == "train").ToList();
            if (trialSpans.Count >= trials.Count && trainSpans.Count >= trials.Count) break;
        }
        Assert.NotEmpty(trialSpans);
        Assert.NotEmpty(trainSpans);
        // Training runs on a worker thread; its span must still hang under its trial's.
        Assert.All(trainSpans, train => Assert.Contains(trialSpans, trial => trial.SpanId == train.ParentSpanId));
        Assert.Contains(ours, a => a.Source.Name.StartsWith("Microsoft.Orleans"));
    }
}
