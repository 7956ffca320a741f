using TinyNet.Sweeps.Domain.Evaluation;
using TinyNet.Sweeps.Domain.Trials;
using TorchSharp;
using static TorchSharp.torch;

using TinyNet.Sweeps.Training;

namespace TinyNet.Sweeps.Training.Tests.Reference;

/// <summary>
/// The engine before lanes ("torch-1"), kept in the tests only as a reference: autograd, nn.functional and the update
/// rules as torch.optim writes them. The fused engine must agree with it within float tolerance.
/// Trains one TinyNet trial as the notebook's training loop does, deterministically from (config, seed):
/// data and initial weights come from seeded C# generators, so concurrent trials cannot disturb each other.
/// Thread-safe; call from as many threads as there are cores.
/// </summary>
internal sealed class SingleTrialTrainer
{
    /// <summary>Stream ids of the trial's generators: the initial weights and the training batches.</summary>
    const ulong InitStream = 1, DataStream = 2;

    public TrainingOutcome Train(TrialConfig config, int seed, CancellationToken cancellationToken = default, BandWatch? bands = null)
    {
        Validate(config);
        TorchRuntime.EnsureInitialized();

        using var trialScope = NewDisposeScope();
        using var net = TinyNetModel.Create(config, new Xoshiro256(seed, InitStream));
        using var optimizer = ParameterOptimizer.Create(config, net.Parameters);
        var batches = new BatchGenerator(new Xoshiro256(seed, DataStream));

        int count = BatchGenerator.MixedCount(config.BatchSize, config.CleanRatio);
        var inputBuffer = new float[count * 4];
        var targetBuffer = new float[count * 2];
        var history = new List<double>(config.Epochs);
        // Filled in place each epoch (the backward pass of the previous epoch is done by then).
        using var inputs = NativeBuffers.Empty(count, 4);
        using var targets = NativeBuffers.Empty(count, 2);

        var snapshots = new List<BandSnapshot>();
        for (int epoch = 0; epoch < config.Epochs; epoch++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (bands?.StopAtEpoch <= epoch)
                return Outcome(TrialStatus.Completed, history, snapshots).StoppedAt(bands.StopAtEpoch);
            batches.FillMixed(inputBuffer, targetBuffer, config.BatchSize, config.CleanRatio, config.NoiseLevel);

            using var epochScope = NewDisposeScope();
            NativeBuffers.Write(inputs, inputBuffer);
            NativeBuffers.Write(targets, targetBuffer);
            using var outputs = net.Forward(inputs);
            if (!TryLoss(config.Loss, outputs, targets, out var loss, out double value))
                return new TrainingOutcome(TrialStatus.Diverged, history,
                    Error: $"Training loss became {value} at epoch {epoch}; the history stops before it.", Bands: NullIfNone(snapshots));

            optimizer.ZeroGrad();
            loss.backward();
            optimizer.Step();
            history.Add(value);

            if (bands is not null && bands.Epochs.Contains(history.Count))
            {
                var snapshot = Snapshot(config, net, history);
                snapshots.Add(snapshot);
                bands.Report(snapshot);
            }
        }

        var final = Evaluate(config, net, history) with { Bands = NullIfNone(snapshots) };
        return bands?.StopAtEpoch <= history.Count ? final.StoppedAt(bands.StopAtEpoch) : final;
    }

    static TrainingOutcome Outcome(TrialStatus status, List<double> history, List<BandSnapshot> snapshots) =>
        new(status, history, Bands: snapshots);

    static IReadOnlyList<BandSnapshot>? NullIfNone(List<BandSnapshot> snapshots) => snapshots.Count == 0 ? null : snapshots;

    /// <summary>Everything a stop at this epoch would keep; evaluation runs without gradients, so training goes on unchanged.</summary>
    static BandSnapshot Snapshot(TrialConfig config, TinyNetModel net, List<double> history)
    {
        var outcome = Evaluate(config, net, history);
        return new BandSnapshot(history.Count, outcome.Metrics!, outcome.Stress!, outcome.Weights!);
    }

    static TrainingOutcome Evaluate(TrialConfig config, TinyNetModel net, List<double> history)
    {
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        var eval = EvalSet.Batch;
        var evalOutputs = new OutputPairs(net.Predict(eval.Inputs, eval.Count));
        var evalTargets = new OutputPairs(eval.Targets);

        var stressPixels = StressCases.All.SelectMany(c => c.Pixels).ToArray();
        var stressOutputs = new OutputPairs(net.Predict(stressPixels, StressCases.All.Count));

        var metrics = TrialEvaluation.Compute(config.Loss, history[^1], evalOutputs, evalTargets, stressOutputs);
        return new TrainingOutcome(TrialStatus.Completed, history, metrics,
            TrialEvaluation.StressResults(stressOutputs), net.ExportWeights());
    }

    /// <summary>False when the loss is not finite. BCE refuses NaN outputs (libtorch throws), so that counts as NaN.</summary>
    static bool TryLoss(LossKind kind, Tensor outputs, Tensor targets, out Tensor loss, out double value)
    {
        try
        {
            loss = Loss(kind, outputs, targets);
        }
        catch (System.Runtime.InteropServices.ExternalException) when (kind == LossKind.Bce && !outputs.isfinite().all().item<bool>())
        {
            (loss, value) = (null!, double.NaN);
            return false;
        }
        value = loss.item<float>();
        return double.IsFinite(value);
    }

    static Tensor Loss(LossKind kind, Tensor outputs, Tensor targets) => kind switch
    {
        LossKind.Mse => nn.functional.mse_loss(outputs, targets),
        LossKind.Bce => nn.functional.binary_cross_entropy(outputs, targets),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    static void Validate(TrialConfig config)
    {
        if (config.Epochs < 1) throw new ArgumentException("Epochs must be at least 1.", nameof(config));
        if (config.HiddenUnits < 1) throw new ArgumentException("HiddenUnits must be at least 1.", nameof(config));
        if (config.CleanRatio is < 0 or > 1) throw new ArgumentException("CleanRatio must be in [0, 1].", nameof(config));
        if (BatchGenerator.MixedCount(config.BatchSize, config.CleanRatio) < 1)
            throw new ArgumentException("BatchSize yields no examples (each part needs at least one H/V pair).", nameof(config));
    }
}
