using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace TinyNet.Sweeps.Grains;

/// <summary>The meter and activity source of TinyNet.Sweeps; exporters subscribe to them by <see cref="Name"/>.</summary>
public static class SweepTelemetry
{
    public const string Name = "TinyNet.Sweeps";

    public static readonly ActivitySource ActivitySource = new(Name);
    private static readonly Meter Meter = new(Name);

    public static readonly Counter<long> TrialsStarted = Meter.CreateCounter<long>("tinynet.trials.started", "{trial}", "Trials whose training started (each attempt counts)");
    public static readonly Counter<long> TrialsCompleted = Meter.CreateCounter<long>("tinynet.trials.completed", "{trial}", "Trials that trained to the end");
    public static readonly Counter<long> TrialsDiverged = Meter.CreateCounter<long>("tinynet.trials.diverged", "{trial}", "Trials whose loss became NaN or infinite");
    public static readonly Counter<long> TrialsFailed = Meter.CreateCounter<long>("tinynet.trials.failed", "{trial}", "Trials that threw on every attempt");
    public static readonly Histogram<double> TrialDuration = Meter.CreateHistogram<double>("tinynet.trial.duration", "ms", "Wall time of one trial, all attempts included");
    public static readonly Histogram<double> TrainingTime = Meter.CreateHistogram<double>("tinynet.trial.training_time", "ms", "Time one attempt spent training on a worker thread");
    public static readonly Histogram<double> QueueTime = Meter.CreateHistogram<double>("tinynet.trial.queue_time", "ms", "Time one attempt waited in its silo's queue for a free worker");
}
