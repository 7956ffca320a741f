using TinyNet.Sweeps.Domain.Trials;

namespace TinyNet.Sweeps.Training.Tests;

/// <summary>
/// Hyperband's part of training: snapshots at band epochs change nothing about the training, and a stop at a band,
/// however late it comes, gives exactly what training only that far gives.
/// </summary>
public class BandWatchTests
{
    static readonly TorchTrialTrainer Trainer = new();
    static readonly TrialConfig Config = new() { Activation = Activation.Tanh, Optimizer = OptimizerKind.Adam, LearningRate = 0.02, CleanRatio = 0.2, Epochs = 60, HiddenUnits = 4 };

    static long[] Bits(TrainingOutcome o) =>
        [.. o.LossHistory.Concat(MetricNames.All.Select(o.Metrics!.Get)).Concat(o.Stress!.SelectMany(s => new[] { s.H, s.V }))
            .Concat(o.Weights!.HiddenWeight.SelectMany(r => r)).Concat(o.Weights.OutputBias).Select(BitConverter.DoubleToInt64Bits)];

    [Fact]
    public void Band_snapshots_are_reported_in_order_and_leave_the_training_bit_identical()
    {
        var reported = new List<int>();
        var watched = Trainer.Train(Config, 3, bands: new BandWatch([9, 27], s => reported.Add(s.Epoch)));

        Assert.Equal([9, 27], reported);
        Assert.Equal(TrialStatus.Completed, watched.Status);
        Assert.Equal([9, 27], watched.Bands!.Select(b => b.Epoch));
        Assert.Equal(Bits(Trainer.Train(Config, 3)), Bits(watched));
    }

    [Fact]
    public void A_stop_at_a_band_gives_what_training_that_far_gives_even_when_it_comes_after_the_band()
    {
        // The decision arrives while the trial is already past the band (at its second report).
        BandWatch? watch = null;
        watch = new BandWatch([9, 27], s => { if (s.Epoch == 27) watch!.StopAt(9); });
        var stopped = Trainer.Train(Config, 3, bands: watch);
        var trainedToNine = Trainer.Train(Config with { Epochs = 9 }, 3);

        Assert.Equal(TrialStatus.Stopped, stopped.Status);
        Assert.Equal(9, stopped.LossHistory.Count);
        Assert.Equal(Bits(trainedToNine), Bits(stopped));
        Assert.Equal([9], stopped.Bands!.Select(b => b.Epoch));
    }

    [Fact]
    public void The_earliest_stop_wins()
    {
        var watch = new BandWatch([9, 27], _ => { });
        watch.StopAt(27);
        watch.StopAt(9);
        watch.StopAt(27);

        Assert.Equal(9, watch.StopAtEpoch);
        Assert.Equal(9, Trainer.Train(Config, 3, bands: watch).LossHistory.Count);
    }
}
