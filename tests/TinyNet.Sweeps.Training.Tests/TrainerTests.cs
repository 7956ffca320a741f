using System.Diagnostics;
using TinyNet.Sweeps.Domain.Evaluation;
using TinyNet.Sweeps.Domain.Trials;

namespace TinyNet.Sweeps.Training.Tests;

public class TrainerTests
{
    static readonly TorchTrialTrainer Trainer = new();

    static long[] Bits(IEnumerable<double> values) => values.Select(BitConverter.DoubleToInt64Bits).ToArray();

    /// <summary>Every double of an outcome, in a fixed order, as raw bits.</summary>
    static long[] Fingerprint(TrainingOutcome o)
    {
        var m = o.Metrics!;
        var w = o.Weights!;
        return Bits(o.LossHistory
            .Concat([m.FinalLoss, m.EvalLoss, m.EvalAccuracy, m.Brier, m.CalibrationError, m.ClearConfidence, m.AmbiguousConfidence])
            .Concat(o.Stress!.SelectMany(s => new[] { s.H, s.V }))
            .Concat(w.HiddenWeight.SelectMany(r => r)).Concat(w.HiddenBias)
            .Concat(w.OutputWeight.SelectMany(r => r)).Concat(w.OutputBias));
    }

    [Fact]
    public void Same_config_and_seed_is_bit_identical_alone_and_in_parallel()
    {
        var config = new TrialConfig { Activation = Activation.Tanh, Optimizer = OptimizerKind.AdamW, LearningRate = 0.02, WeightDecay = 0.01, CleanRatio = 0.2, Epochs = 150, HiddenUnits = 5 };
        var alone = Fingerprint(Trainer.Train(config, 7));

        var parallel = new TrainingOutcome[4];
        Parallel.For(0, 4, new ParallelOptions { MaxDegreeOfParallelism = 4 }, i => parallel[i] = Trainer.Train(config, 7));

        Assert.All(parallel, o => Assert.Equal(alone, Fingerprint(o)));
        Assert.NotEqual(alone, Fingerprint(Trainer.Train(config, 8)));
    }

    [Fact]
    public void Concurrent_different_trials_match_their_solo_runs()
    {
        var configs = new[]
        {
            new TrialConfig { Activation = Activation.Sigmoid, Epochs = 100 },
            new TrialConfig { Optimizer = OptimizerKind.Adam, LearningRate = 0.01, Loss = LossKind.Bce, Epochs = 100 },
            new TrialConfig { Optimizer = OptimizerKind.Sgd, Momentum = 0.9, WeightDecay = 0.001, Epochs = 100, BatchSize = 33 },
        };
        var solo = configs.Select((c, i) => Fingerprint(Trainer.Train(c, i))).ToArray();
        var together = new long[configs.Length][];
        Parallel.For(0, configs.Length, i => together[i] = Fingerprint(Trainer.Train(configs[i], i)));
        for (int i = 0; i < configs.Length; i++) Assert.Equal(solo[i], together[i]);
    }

    [Fact]
    public void Outcome_has_history_metrics_stress_cases_and_weights_of_the_right_shape()
    {
        var config = new TrialConfig { HiddenUnits = 5, Epochs = 40 };
        var o = Trainer.Train(config, 3);

        Assert.Equal(TrialStatus.Completed, o.Status);
        Assert.Null(o.Error);
        Assert.Equal(40, o.LossHistory.Count);
        Assert.Equal(o.LossHistory[^1], o.Metrics!.FinalLoss);
        Assert.Equal(StressCases.All.Select(c => c.Name), o.Stress!.Select(s => s.Case));
        Assert.Equal(StressCases.All.Select(c => c.Expected), o.Stress!.Select(s => s.Expected));
        Assert.Equal(5, o.Weights!.HiddenWeight.Count);
        Assert.All(o.Weights.HiddenWeight, r => Assert.Equal(4, r.Count));
        Assert.Equal(5, o.Weights.HiddenBias.Count);
        Assert.Equal(2, o.Weights.OutputWeight.Count);
        Assert.All(o.Weights.OutputWeight, r => Assert.Equal(5, r.Count));
        Assert.Equal(2, o.Weights.OutputBias.Count);
        Assert.InRange(o.Metrics.EvalAccuracy, 0, 1);
        Assert.InRange(o.Metrics.Brier, 0, 2);
    }

    [Fact]
    public void Initial_weights_follow_nn_Linear_bounds()
    {
        // One SGD step at a tiny learning rate barely moves the weights from their init.
        var o = Trainer.Train(new TrialConfig { HiddenUnits = 16, LearningRate = 1e-9, Epochs = 1 }, 1);
        Assert.All(o.Weights!.HiddenWeight.SelectMany(r => r).Concat(o.Weights.HiddenBias), v => Assert.InRange(Math.Abs(v), 0, 0.5 + 1e-6));
        Assert.All(o.Weights.OutputWeight.SelectMany(r => r).Concat(o.Weights.OutputBias), v => Assert.InRange(Math.Abs(v), 0, 0.25 + 1e-6));
        Assert.Contains(o.Weights.HiddenWeight.SelectMany(r => r), v => Math.Abs(v) > 0.4); // spread over the range, not clustered
    }

    [Theory]
    [InlineData(Activation.Relu, OptimizerKind.Sgd, LossKind.Mse, 1e30)]
    [InlineData(Activation.Relu, OptimizerKind.Adam, LossKind.Bce, 1e20)]
    public void Exploding_learning_rate_is_reported_as_diverged_not_thrown(Activation activation, OptimizerKind optimizer, LossKind loss, double lr)
    {
        // Sigmoid outputs bound both losses, so only weights overflowing float32 make the loss NaN (lr 1e6 still completes).
        var config = new TrialConfig { Activation = activation, Optimizer = optimizer, Loss = loss, LearningRate = lr, Epochs = 200 };
        var o = Trainer.Train(config, 1);

        Assert.Equal(TrialStatus.Diverged, o.Status);
        Assert.InRange(o.LossHistory.Count, 1, 199);
        Assert.All(o.LossHistory, v => Assert.True(double.IsFinite(v)));
        Assert.Contains("NaN", o.Error);
        Assert.Null(o.Metrics);
    }

    [Fact]
    public void Cancellation_is_observed_before_and_during_training()
    {
        Assert.Throws<OperationCanceledException>(() => Trainer.Train(new TrialConfig(), 1, new CancellationToken(canceled: true)));

        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));
        var sw = Stopwatch.StartNew();
        Assert.ThrowsAny<OperationCanceledException>(() => Trainer.Train(new TrialConfig { Epochs = 10_000_000 }, 1, cts.Token));
        Assert.True(sw.Elapsed < TimeSpan.FromSeconds(10), $"took {sw.Elapsed}");
    }

    [Fact]
    public void Invalid_configs_are_rejected()
    {
        Assert.Throws<ArgumentException>(() => Trainer.Train(new TrialConfig { Epochs = 0 }, 1));
        Assert.Throws<ArgumentException>(() => Trainer.Train(new TrialConfig { BatchSize = 1 }, 1));
        Assert.Throws<ArgumentException>(() => Trainer.Train(new TrialConfig { HiddenUnits = 0 }, 1));
    }

}

/// <summary>Runs alone: RSS is process-wide, so tests training in parallel would blur the measurement.</summary>
[CollectionDefinition(nameof(MemoryTests), DisableParallelization = true)]
public class MemoryTestsCollection;

[Collection(nameof(MemoryTests))]
public class MemoryTests
{
    static readonly TorchTrialTrainer Trainer = new();

    [Fact]
    public void Repeated_trials_do_not_leak_native_memory()
    {
        var config = new TrialConfig { Optimizer = OptimizerKind.Adam, LearningRate = 0.01, Epochs = 60 };
        for (int i = 0; i < 200; i++) Trainer.Train(config, i);
        long before = RssAfterGc();
        for (int i = 0; i < 500; i++) Trainer.Train(config, i);
        long growth = RssAfterGc() - before;
        // 30,000 epochs: leaking even one [64, 4] tensor (>= 1.3 KB with its native bookkeeping) per epoch adds ~40 MB.
        // The bound leaves room for malloc arena noise (measured standalone: +1.4 MB over 3,300 trials).
        Assert.True(growth < 24 * 1024 * 1024, $"RSS grew {growth / 1024} KiB over 500 trials");
    }

    static long RssAfterGc()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        using var p = Process.GetCurrentProcess();
        return p.WorkingSet64;
    }
}
