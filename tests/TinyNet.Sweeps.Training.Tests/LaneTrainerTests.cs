using TinyNet.Sweeps.Domain.Trials;
using TinyNet.Sweeps.Training.Tests.Reference;
using Xunit.Abstractions;

namespace TinyNet.Sweeps.Training.Tests;

public sealed class LaneTrainerTests(ITestOutputHelper output)
{
    static readonly LaneTrainer Lanes = new();

    static long[] Bits(IEnumerable<double> values) => values.Select(BitConverter.DoubleToInt64Bits).ToArray();

    /// <summary>Every double of an outcome (status, history, metrics, stress, weights, bands) as raw bits.</summary>
    internal static long[] Fingerprint(TrainingOutcome? o)
    {
        if (o is null) return [-1];
        var values = new List<double> { (int)o.Status };
        values.AddRange(o.LossHistory);
        if (o.Metrics is { } m)
            values.AddRange([m.FinalLoss, m.EvalLoss, m.EvalAccuracy, m.Brier, m.CalibrationError, m.ClearConfidence, m.AmbiguousConfidence]);
        if (o.Stress is { } stress) values.AddRange(stress.SelectMany(s => new[] { s.H, s.V }));
        if (o.Weights is { } w)
            values.AddRange(w.HiddenWeight.SelectMany(r => r).Concat(w.HiddenBias).Concat(w.OutputWeight.SelectMany(r => r)).Concat(w.OutputBias));
        foreach (var band in o.Bands ?? []) values.AddRange([band.Epoch, band.Metrics.EvalLoss, band.Weights.OutputBias[0]]);
        return Bits(values);
    }

    /// <summary>Group shapes that cover every activation, loss and optimiser, with and without momentum and decay.</summary>
    public static TheoryData<TrialConfig> Shapes => new()
    {
        new TrialConfig { Activation = Activation.Sigmoid, Optimizer = OptimizerKind.Sgd, LearningRate = 0.5, HiddenUnits = 3 },
        new TrialConfig { Activation = Activation.Relu, Optimizer = OptimizerKind.Sgd, LearningRate = 0.1, Momentum = 0.9, WeightDecay = 0.001, HiddenUnits = 5, BatchSize = 33 },
        new TrialConfig { Activation = Activation.Tanh, Optimizer = OptimizerKind.Adam, LearningRate = 0.01, WeightDecay = 0.01, Loss = LossKind.Bce, HiddenUnits = 16 },
        new TrialConfig { Activation = Activation.Relu, Optimizer = OptimizerKind.AdamW, LearningRate = 0.02, WeightDecay = 0.05, CleanRatio = 0.5, Loss = LossKind.Bce, HiddenUnits = 1 },
        new TrialConfig { Activation = Activation.Sigmoid, Optimizer = OptimizerKind.Adam, LearningRate = 0.005, HiddenUnits = 37, BatchSize = 6 },
    };

    /// <summary>
    /// Neighbours for <paramref name="shape"/>: same group key, everything else drawn (learning rate, momentum, decay,
    /// noise, epochs, seed), so that lanes really differ.
    /// </summary>
    static List<LaneRequest> Neighbours(TrialConfig shape, int count, Random random) =>
        Enumerable.Range(0, count).Select(_ => new LaneRequest(shape with
        {
            LearningRate = shape.LearningRate * (0.25 + random.NextDouble() * 2),
            Momentum = shape.Momentum == 0 ? 0 : 0.5 + random.NextDouble() * 0.45,
            WeightDecay = shape.WeightDecay == 0 ? 0 : random.NextDouble() * 0.1 + 1e-4,
            NoiseLevel = random.NextDouble(),
            Epochs = 5 + random.Next(40),
        }, random.Next())).ToList();

    [Theory]
    [MemberData(nameof(Shapes))]
    public void A_lane_is_bit_identical_whatever_the_group_size_neighbours_and_position(TrialConfig shape)
    {
        var random = new Random(shape.HiddenUnits);
        var subjects = Neighbours(shape with { Epochs = 30 }, 3, random);
        var alone = subjects.Select(s => Fingerprint(Lanes.TrainGroup([s])[0])).ToArray();

        foreach (int size in new[] { 7, 64, 512 })
        {
            var group = Neighbours(shape, size - subjects.Count, random);
            var positions = new List<int>();
            foreach (var subject in subjects)
            {
                int at = random.Next(group.Count + 1);
                group.Insert(at, subject);
            }
            var outcomes = Lanes.TrainGroup(group);
            for (int i = 0; i < subjects.Count; i++)
            {
                int at = group.IndexOf(subjects[i]);
                Assert.True(alone[i].SequenceEqual(Fingerprint(outcomes[at])), $"lane {at} of {size} differs from the same trial alone");
            }
        }
        Assert.NotEqual(alone[0], alone[1]);
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Agrees_with_the_single_trial_engine_within_float_tolerance(TrialConfig shape)
    {
        var config = shape with { Epochs = 60 };
        foreach (int seed in new[] { 1, 2, 3 })
        {
            var fused = Lanes.TrainGroup([new LaneRequest(config, seed)])[0]!;
            var reference = new SingleTrialTrainer().Train(config, seed);

            Assert.Equal(reference.Status, fused.Status);
            double worst = 0;
            for (int e = 0; e < reference.LossHistory.Count; e++)
                worst = Math.Max(worst, Math.Abs(reference.LossHistory[e] - fused.LossHistory[e]) / Math.Max(1e-3, Math.Abs(reference.LossHistory[e])));
            var (a, b) = (reference.Weights!, fused.Weights!);
            var weightsA = a.HiddenWeight.SelectMany(r => r).Concat(a.HiddenBias).Concat(a.OutputWeight.SelectMany(r => r)).Concat(a.OutputBias).ToArray();
            var weightsB = b.HiddenWeight.SelectMany(r => r).Concat(b.HiddenBias).Concat(b.OutputWeight.SelectMany(r => r)).Concat(b.OutputBias).ToArray();
            double worstWeight = weightsA.Zip(weightsB, (x, y) => Math.Abs(x - y)).Max();
            output.WriteLine($"seed {seed}: worst relative loss difference {worst:E2}, worst weight difference {worstWeight:E2}");
            Assert.True(worst < 1e-5, $"loss history differs by {worst:E2} (relative)");
            Assert.True(worstWeight < 1e-5, $"weights differ by {worstWeight:E2}");
            Assert.Equal(reference.Metrics!.EvalAccuracy, fused.Metrics!.EvalAccuracy, 2);
        }
    }

    [Fact]
    public void Lanes_leave_when_cancelled_diverged_or_done_and_the_rest_go_on_unchanged()
    {
        var shape = new TrialConfig { Optimizer = OptimizerKind.Sgd, Epochs = 40 };
        var steady = new LaneRequest(shape, 5);
        using var cancel = new CancellationTokenSource();
        cancel.Cancel();
        var group = new[]
        {
            new LaneRequest(shape with { LearningRate = 1e30, Epochs = 400 }, 1, default), // diverges
            new LaneRequest(shape, 2, cancel.Token),                                     // cancelled
            steady,
            new LaneRequest(shape with { Epochs = 3 }, 3),                               // done early
        };

        var outcomes = Lanes.TrainGroup(group);

        Assert.Equal(TrialStatus.Diverged, outcomes[0]!.Status);
        Assert.Null(outcomes[1]);
        Assert.Equal(3, outcomes[3]!.LossHistory.Count);
        Assert.Equal(Fingerprint(Lanes.TrainGroup([steady])[0]), Fingerprint(outcomes[2]));
    }

    [Fact]
    public void A_group_refuses_lanes_of_another_shape()
    {
        var error = Assert.Throws<ArgumentException>(() => Lanes.TrainGroup(
            [new LaneRequest(new TrialConfig(), 1), new LaneRequest(new TrialConfig { HiddenUnits = 4 }, 1)]));
        Assert.Contains("key", error.Message);
    }

    [Fact]
    public void Lanes_stopped_by_hyperband_end_as_they_were_at_the_band()
    {
        var config = new TrialConfig { Optimizer = OptimizerKind.Adam, LearningRate = 0.01, Epochs = 30 };
        var stopped = new BandWatch([10, 20], _ => { });
        stopped.StopAt(10);
        var running = new BandWatch([10, 20], _ => { });
        var outcomes = Lanes.TrainGroup([new LaneRequest(config, 1, default, stopped), new LaneRequest(config, 2, default, running)]);

        Assert.Equal(TrialStatus.Stopped, outcomes[0]!.Status);
        Assert.Equal(10, outcomes[0]!.LossHistory.Count);
        var shortRun = Lanes.TrainGroup([new LaneRequest(config with { Epochs = 10 }, 1)])[0]!;
        Assert.Equal(shortRun.Weights!.HiddenBias, outcomes[0]!.Weights!.HiddenBias);
        Assert.Equal(TrialStatus.Completed, outcomes[1]!.Status);
        Assert.Equal(2, outcomes[1]!.Bands!.Count);
    }
}
