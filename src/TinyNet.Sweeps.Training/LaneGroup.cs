using TinyNet.Sweeps.Domain.Evaluation;
using TinyNet.Sweeps.Domain.Trials;
using static TorchSharp.torch;

namespace TinyNet.Sweeps.Training;

/// <summary>
/// One group's training: the lanes still running, their network and optimiser state, and the outcome of each lane that
/// has left. Lanes leave at epoch boundaries (finished, diverged, stopped, cancelled); the survivors' state is then
/// compacted, which copies values and so changes nothing in their arithmetic.
/// </summary>
internal sealed class LaneGroup : IDisposable
{
    /// <summary>Stream ids of a trial's generators: the initial weights and the training batches.</summary>
    const ulong InitStream = 1, DataStream = 2;

    readonly LaneGroupKey _key;
    readonly List<Lane> _lanes;
    readonly TrainingOutcome?[] _outcomes;
    readonly LaneNetwork _network;
    readonly LaneOptimizer _optimizer;
    readonly int _count;
    readonly Tensor _targets, _oneMinusTargets;
    Tensor? _inputs, _wideInputs;

    readonly Action<int, TrainingOutcome?>? _onLeave;

    public LaneGroup(LaneGroupKey key, IReadOnlyList<LaneRequest> requests, Action<int, TrainingOutcome?>? onLeave)
    {
        _key = key;
        _onLeave = onLeave;
        _lanes = requests.Select((r, i) => new Lane(r, i)).ToList();
        _outcomes = new TrainingOutcome?[requests.Count];
        _count = key.BatchCount;
        _network = new LaneNetwork(key.Activation, key.Loss, key.HiddenUnits);
        _network.Initialize(requests.Select(r => new Xoshiro256(r.Seed, InitStream)).ToList());
        _optimizer = LaneOptimizer.Create(key, requests.Select(r => r.Config).ToList());

        // Every batch alternates a horizontal example (1, 0) and a vertical one (0, 1): the targets never change.
        // Stored [1, 2, n] like every activation: the H row then the V row.
        var targets = new float[_count * 2];
        for (int i = 0; i < _count; i++) targets[(i % 2) * _count + i] = 1f;
        _targets = NativeBuffers.Empty(1, 2, _count).DetachFromDisposeScope();
        NativeBuffers.Write(_targets, targets);
        _oneMinusTargets = LaneOps.OneMinus(_targets).DetachFromDisposeScope();
    }

    public IReadOnlyList<TrainingOutcome?> Run()
    {
        while (true)
        {
            // Leaving before the next epoch: a cancelled lane, or one hyperband stopped at a band it has reached.
            Leave(lane => lane.Request.CancellationToken.IsCancellationRequested ? new Exit(null)
                : lane.Request.Bands?.StopAtEpoch <= lane.History.Count
                    ? new Exit(new TrainingOutcome(TrialStatus.Completed, lane.History, Bands: lane.Snapshots).StoppedAt(lane.Request.Bands.StopAtEpoch))
                    : null);
            if (_lanes.Count == 0) return _outcomes;

            using var epochScope = NewDisposeScope();
            float[] losses = TrainEpoch();
            var diverged = new Dictionary<Lane, TrainingOutcome>();
            for (int k = 0; k < _lanes.Count; k++)
            {
                var lane = _lanes[k];
                if (float.IsFinite(losses[k])) lane.History.Add(losses[k]);
                else diverged[lane] = new TrainingOutcome(TrialStatus.Diverged, lane.History,
                    Error: $"Training loss became {(double)losses[k]} at epoch {lane.History.Count}; the history stops before it.",
                    Bands: NullIfNone(lane.Snapshots));
            }

            var atBand = _lanes.Where(l => !diverged.ContainsKey(l) && l.Request.Bands is { } b && b.Epochs.Contains(l.History.Count)).ToList();
            var finishing = _lanes.Where(l => !diverged.ContainsKey(l) && l.History.Count == l.Request.Config.Epochs).ToHashSet();
            var evaluated = Evaluate(atBand.Union(finishing).ToList());
            foreach (var lane in atBand)
            {
                var snapshot = new BandSnapshot(lane.History.Count, evaluated[lane].Metrics!, evaluated[lane].Stress!, evaluated[lane].Weights!);
                lane.Snapshots.Add(snapshot);
                lane.Request.Bands!.Report(snapshot);
            }
            Leave(lane =>
            {
                if (diverged.TryGetValue(lane, out var outcome)) return new Exit(outcome);
                if (!finishing.Contains(lane)) return null;
                var final = evaluated[lane] with { Bands = NullIfNone(lane.Snapshots) };
                return new Exit(lane.Request.Bands?.StopAtEpoch <= lane.History.Count ? final.StoppedAt(lane.Request.Bands.StopAtEpoch) : final);
            });
        }
    }

    /// <summary>A lane leaving the group with its outcome, or with none when its trial was cancelled.</summary>
    sealed record Exit(TrainingOutcome? Outcome);

    /// <summary>One step of every lane on a fresh batch from its own generator; each lane's loss before the step.</summary>
    float[] TrainEpoch()
    {
        int lanes = _lanes.Count, laneSize = _count * 4;
        if (_inputs is null || _inputs.shape[0] != lanes)
        {
            _inputs?.Dispose();
            _wideInputs?.Dispose();
            _inputs = NativeBuffers.Empty(lanes, 4, _count).DetachFromDisposeScope();
            _wideInputs = _inputs.unsqueeze(1).DetachFromDisposeScope();
        }
        // Drawn straight into libtorch's buffer, in the pixels-by-example layout: no scratch batch, no copy.
        var inputs = NativeBuffers.Values(_inputs);
        for (int k = 0; k < lanes; k++)
        {
            var config = _lanes[k].Request.Config;
            _lanes[k].Data.FillMixedByPixel(inputs.Slice(k * laneSize, laneSize), config.BatchSize, config.CleanRatio, config.NoiseLevel);
        }

        var loss = _network.LossAndGradients(_wideInputs!, _targets, _oneMinusTargets);
        float[] losses = NativeBuffers.Read(loss);
        _optimizer.Step(_network.Parameters, _network.Gradients);
        return losses;
    }

    /// <summary>Every metric, the stress outputs and the weights of these lanes now (no training happens here).</summary>
    Dictionary<Lane, TrainingOutcome> Evaluate(List<Lane> lanes)
    {
        var outcomes = new Dictionary<Lane, TrainingOutcome>();
        if (lanes.Count == 0) return outcomes;
        using var scope = NewDisposeScope();
        var evaluated = lanes.ToHashSet();
        var rows = Enumerable.Range(0, _lanes.Count).Where(k => evaluated.Contains(_lanes[k])).Select(k => (long)k).ToArray();
        var inputs = EvaluationInputs.Tensor;
        // Lanes in chunks, so that the [lanes, examples, hidden, 4] product stays within a few tens of MiB.
        int chunk = (int)Math.Clamp((8L << 20) / (EvaluationInputs.Count * _key.HiddenUnits * 4L), 1, rows.Length);
        int examples = EvaluationInputs.Count;
        // One lane's outputs as pairs (h0, v0, h1, v1, …), a buffer for every lane in turn: the metrics keep none of it.
        var pairs = new float[examples * 2];
        for (int start = 0; start < rows.Length; start += chunk)
        {
            using var chunkScope = NewDisposeScope();
            var selected = rows[start..Math.Min(rows.Length, start + chunk)];
            using var index = tensor(selected);
            // Only these lanes' weights leave libtorch, for their outputs and their results.
            var weightsOfChunk = _network.Parameters.index_select(0, index);
            using var outputTensor = _network.Evaluate(inputs, weightsOfChunk);
            var outputs = NativeBuffers.Values(outputTensor);
            var weights = _network.ExportWeights(weightsOfChunk);
            for (int j = 0; j < selected.Length; j++)
            {
                var lane = _lanes[(int)selected[j]];
                // [2, n] (the H row, the V row) → pairs.
                var laneRows = outputs.Slice(j * examples * 2, examples * 2);
                for (int i = 0; i < examples; i++) (pairs[2 * i], pairs[2 * i + 1]) = (laneRows[i], laneRows[examples + i]);
                var evalOutputs = new OutputPairs(pairs, 0, EvalSet.Size * 2);
                var stressOutputs = new OutputPairs(pairs, EvalSet.Size * 2, pairs.Length - EvalSet.Size * 2);
                var metrics = TrialEvaluation.Compute(_key.Loss, lane.History[^1], evalOutputs, new OutputPairs(EvalSet.Batch.Targets), stressOutputs);
                outcomes[lane] = new TrainingOutcome(TrialStatus.Completed, lane.History, metrics,
                    TrialEvaluation.StressResults(stressOutputs), weights[j]);
            }
        }
        return outcomes;
    }

    /// <summary>Records the outcome of every lane <paramref name="exitOf"/> lets leave, and compacts the rest.</summary>
    void Leave(Func<Lane, Exit?> exitOf)
    {
        var keep = new List<long>();
        for (int k = 0; k < _lanes.Count; k++)
        {
            if (exitOf(_lanes[k]) is { } exit)
            {
                var outcome = exit.Outcome is { } o ? Copy(o) : null;
                _outcomes[_lanes[k].Index] = outcome;
                _onLeave?.Invoke(_lanes[k].Index, outcome);
            }
            else keep.Add(k);
        }
        if (keep.Count == _lanes.Count) return;
        var kept = keep.Select(k => _lanes[(int)k]).ToList();
        _lanes.Clear();
        _lanes.AddRange(kept);
        if (kept.Count == 0) return;
        using var scope = NewDisposeScope();
        using var index = tensor(keep.ToArray());
        _network.KeepLanes(index);
        _optimizer.KeepLanes(index);
    }

    /// <summary>The outcome with lists of its own: the lane's history and snapshots are no longer written once it leaves.</summary>
    static TrainingOutcome Copy(TrainingOutcome outcome) => outcome with
    {
        LossHistory = outcome.LossHistory.ToArray(),
        Bands = outcome.Bands?.ToArray(),
    };

    static IReadOnlyList<BandSnapshot>? NullIfNone(List<BandSnapshot> snapshots) => snapshots.Count == 0 ? null : snapshots;

    public void Dispose()
    {
        _network.Dispose();
        _optimizer.Dispose();
        _targets.Dispose();
        _oneMinusTargets.Dispose();
        _inputs?.Dispose();
        _wideInputs?.Dispose();
    }

    sealed class Lane(LaneRequest request, int index)
    {
        public LaneRequest Request { get; } = request;
        /// <summary>Position in the group's request list, where its outcome goes.</summary>
        public int Index { get; } = index;
        public BatchGenerator Data { get; } = new(new Xoshiro256(request.Seed, DataStream));
        public List<double> History { get; } = new(request.Config.Epochs);
        public List<BandSnapshot> Snapshots { get; } = [];
    }
}

/// <summary>The eval set then the stress cases, as one shared [1, 4, n] input (pixels by example), made once per process.</summary>
internal static class EvaluationInputs
{
    public static int Count => EvalSet.Size + StressCases.All.Count;

    static readonly Lazy<Tensor> Shared = new(() =>
    {
        float[] examples = [.. EvalSet.Batch.Inputs, .. StressCases.All.SelectMany(c => c.Pixels)];
        var pixels = new float[examples.Length];
        for (int i = 0; i < Count; i++)
            for (int p = 0; p < 4; p++) pixels[p * Count + i] = examples[i * 4 + p];
        var t = NativeBuffers.Empty(1, 4, Count).DetachFromDisposeScope();
        NativeBuffers.Write(t, pixels);
        return t;
    }, LazyThreadSafetyMode.ExecutionAndPublication);

    public static Tensor Tensor => Shared.Value;
}
