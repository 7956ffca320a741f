using TinyNet.Sweeps.Domain.Trials;
using TorchSharp;

namespace TinyNet.Sweeps.Training.Tests;

public class TorchLoadsTests
{
    [Fact]
    public void TorchSharp_loads_and_computes()
    {
        TorchRuntime.EnsureInitialized();
        using var a = torch.tensor(new float[] { 1, 2, 3 });
        Assert.Equal(14f, (a * a).sum().item<float>());
    }

    [Fact]
    public void A_tiny_training_reduces_the_loss()
    {
        var config = new TrialConfig { Activation = Activation.Relu, Optimizer = OptimizerKind.Adam, LearningRate = 0.01, Epochs = 300 };
        var outcome = new TorchTrialTrainer().Train(config, seed: 1);

        Assert.Equal(TrialStatus.Completed, outcome.Status);
        Assert.Equal(300, outcome.LossHistory.Count);
        double first = outcome.LossHistory.Take(20).Average(), last = outcome.LossHistory.TakeLast(20).Average();
        Assert.True(last < first * 0.8, $"loss {first} -> {last}");
    }
}
