using TinyNet.Sweeps.Domain.Trials;
using TinyNet.Sweeps.Training;

namespace TinyNet.Sweeps.Cli.Tests;

/// <summary>The plain-loop reference of <c>benchmark engine</c> trains what the torch trainer trains, to float rounding.</summary>
public class PlainLoopTrainerTests
{
    /// <summary>
    /// Every activation, loss and optimiser, with momentum, weight decay, an odd batch size and a clean part. Agreement to
    /// rounding has one natural exception: when a ReLU pre-activation lands within rounding of 0, the two sides may
    /// disagree on whether that example passes the unit, and Adam's normalised step turns that into a 1e-3 difference
    /// (relu, adamw, bce, 8 units, noise 0.6, seed 0 does so at epoch 48: z = 2e-8 here, 6e-9 in torch). These
    /// configurations meet no such crossing in their 50 epochs.
    /// </summary>
    public static TheoryData<string, TrialConfig> Configurations() => new()
    {
        { "relu sgd mse", new TrialConfig { Epochs = 50 } },
        { "sigmoid sgd+momentum+decay bce", new TrialConfig { Activation = Activation.Sigmoid, Momentum = 0.9, WeightDecay = 0.001, Loss = LossKind.Bce, LearningRate = 0.2, Epochs = 50 } },
        { "tanh sgd+momentum mse, batch 33", new TrialConfig { Activation = Activation.Tanh, Momentum = 0.5, BatchSize = 33, CleanRatio = 0.3, Epochs = 50 } },
        { "tanh adam+decay mse", new TrialConfig { Activation = Activation.Tanh, Optimizer = OptimizerKind.Adam, LearningRate = 0.01, WeightDecay = 0.01, CleanRatio = 0.2, HiddenUnits = 5, Epochs = 50 } },
        { "sigmoid adamw bce", new TrialConfig { Activation = Activation.Sigmoid, Optimizer = OptimizerKind.AdamW, LearningRate = 0.02, WeightDecay = 0.05, Loss = LossKind.Bce, HiddenUnits = 8, NoiseLevel = 0.6, Epochs = 50 } },
        { "relu adam bce, batch 16", new TrialConfig { Optimizer = OptimizerKind.Adam, LearningRate = 0.05, Loss = LossKind.Bce, BatchSize = 16, Epochs = 50 } },
    };

    [Theory]
    [MemberData(nameof(Configurations))]
    public void Plain_loop_matches_the_torch_trainer(string name, TrialConfig config)
    {
        foreach (int seed in new[] { 0, 11 })
        {
            var torch = new TorchTrialTrainer().Train(config, seed);
            var plain = PlainLoopTrainer.Train(config, seed);

            Assert.Equal(TrialStatus.Completed, torch.Status);
            Assert.False(plain.Diverged, name);
            Close($"{name}, seed {seed}: loss", torch.LossHistory, plain.LossHistory);
            var w = torch.Weights!;
            Close($"{name}, seed {seed}: w1", w.HiddenWeight.SelectMany(r => r).ToList(), plain.HiddenWeight.Select(v => (double)v).ToList());
            Close($"{name}, seed {seed}: b1", w.HiddenBias, plain.HiddenBias.Select(v => (double)v).ToList());
            Close($"{name}, seed {seed}: w2", w.OutputWeight.SelectMany(r => r).ToList(), plain.OutputWeight.Select(v => (double)v).ToList());
            Close($"{name}, seed {seed}: b2", w.OutputBias, plain.OutputBias.Select(v => (double)v).ToList());
        }
    }

    [Fact]
    public void Training_moves_the_weights_and_lowers_the_loss()
    {
        var config = new TrialConfig { Activation = Activation.Tanh, Optimizer = OptimizerKind.Adam, LearningRate = 0.05 };
        var first = PlainLoopTrainer.Train(config with { Epochs = 1 }, 5);
        var trained = PlainLoopTrainer.Train(config with { Epochs = 300 }, 5);
        Assert.Equal(300, trained.LossHistory.Count);
        Assert.True(trained.LossHistory.TakeLast(20).Average() < first.LossHistory[0] / 2,
            $"loss {first.LossHistory[0]} at the start, {trained.LossHistory[^1]} after 300 epochs");
    }

    /// <summary>Relative 1e-3, with an absolute floor for values that pass near zero.</summary>
    private static void Close(string what, IReadOnlyList<double> expected, IReadOnlyList<double> actual)
    {
        Assert.Equal(expected.Count, actual.Count);
        for (int i = 0; i < expected.Count; i++)
        {
            double tolerance = 1e-3 * Math.Max(Math.Abs(expected[i]), Math.Abs(actual[i])) + 1e-6;
            Assert.True(Math.Abs(expected[i] - actual[i]) <= tolerance, $"{what}[{i}]: torch {expected[i]:R}, plain loop {actual[i]:R}");
        }
    }
}
