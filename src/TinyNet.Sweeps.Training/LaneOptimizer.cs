using TinyNet.Sweeps.Domain.Trials;
using TorchSharp;
using static TinyNet.Sweeps.Training.LaneOps;
using static TorchSharp.torch;

namespace TinyNet.Sweeps.Training;

/// <summary>
/// torch.optim's SGD, Adam and AdamW update rules applied lane by lane, in place, to the network's flat [lanes, P]
/// parameters: each lane's learning rate, momentum and weight decay are entries of [lanes, 1] tensors, so one op updates
/// every parameter of every trial with its own hyperparameters. Whether momentum or weight decay is used at all is the
/// same for every lane (part of the group's key): a lane computes exactly the terms it would compute alone.
/// </summary>
internal abstract class LaneOptimizer : IDisposable
{
    /// <summary>[lanes, 1]; <see cref="KeepLanes"/> keeps them in step with the network.</summary>
    protected Tensor LearningRate, WeightDecay;

    protected LaneOptimizer(IReadOnlyList<TrialConfig> lanes)
    {
        LearningRate = LaneValues(lanes, c => c.LearningRate);
        WeightDecay = LaneValues(lanes, c => c.WeightDecay);
    }

    public static LaneOptimizer Create(LaneGroupKey key, IReadOnlyList<TrialConfig> lanes) => key.Optimizer switch
    {
        OptimizerKind.Sgd => new Sgd(lanes, key.UsesMomentum, key.UsesWeightDecay),
        OptimizerKind.Adam => new Adam(lanes, key.UsesWeightDecay, decoupled: false),
        OptimizerKind.AdamW => new Adam(lanes, key.UsesWeightDecay, decoupled: true),
        _ => throw new ArgumentOutOfRangeException(nameof(key), key.Optimizer, "Unknown optimizer"),
    };

    /// <summary>One update of every parameter of every lane from its gradient, in place.</summary>
    public abstract void Step(Tensor parameters, Tensor gradients);

    /// <summary>Keeps the state of the lanes at <paramref name="keep"/>, as the network keeps their parameters.</summary>
    public virtual void KeepLanes(Tensor keep)
    {
        LearningRate = Keep(LearningRate, keep)!;
        WeightDecay = Keep(WeightDecay, keep)!;
    }

    protected static Tensor? Keep(Tensor? t, Tensor keep)
    {
        if (t is null) return null;
        var kept = t.index_select(0, keep).DetachFromDisposeScope();
        t.Dispose();
        return kept;
    }

    /// <summary>A lane-wise value computed in double, as torch computes its Python-float hyperparameters, then float32.</summary>
    protected static Tensor LaneValues(IReadOnlyList<TrialConfig> lanes, Func<TrialConfig, double> value)
    {
        var t = NativeBuffers.Empty(lanes.Count, 1);
        NativeBuffers.Write(t, lanes.Select(c => (float)value(c)).ToArray());
        return t.DetachFromDisposeScope();
    }

    public virtual void Dispose()
    {
        LearningRate.Dispose();
        WeightDecay.Dispose();
    }

    /// <summary>torch.optim.SGD without dampening or Nesterov: d = g + wd·p; buf = m·buf + d (d at first); p −= lr·buf.</summary>
    sealed class Sgd(IReadOnlyList<TrialConfig> lanes, bool momentum, bool decay) : LaneOptimizer(lanes)
    {
        Tensor _momentum = LaneValues(lanes, c => c.Momentum);
        Tensor? _buffer;

        public override void Step(Tensor parameters, Tensor gradients)
        {
            var d = decay ? Plus(gradients, WeightDecay.mul(parameters)) : gradients;
            if (momentum)
            {
                if (_buffer is null) _buffer = d.clone().DetachFromDisposeScope();
                else _buffer.mul_(_momentum).add_(d, One);
                d = _buffer;
            }
            parameters.sub_(LearningRate.mul(d));
        }

        public override void KeepLanes(Tensor keep)
        {
            base.KeepLanes(keep);
            _momentum = Keep(_momentum, keep)!;
            _buffer = Keep(_buffer, keep);
        }

        public override void Dispose()
        {
            _momentum.Dispose();
            _buffer?.Dispose();
            base.Dispose();
        }
    }

    /// <summary>
    /// torch.optim.Adam (weight decay added to the gradient) or AdamW (decoupled: p ·= 1 − lr·wd first); no AMSGrad.
    /// m = m + (1 − β1)(g − m) as torch's lerp; v = β2·v + (1 − β2)·g²; p −= (lr / bc1) · m / (√v / √bc2 + ε).
    /// </summary>
    sealed class Adam : LaneOptimizer
    {
        const double Beta1 = 0.9, Beta2 = 0.999, Epsilon = 1e-8;
        static readonly Scalar OneMinusBeta1 = (1 - Beta1).ToScalar(), Beta2Scalar = Beta2.ToScalar(),
            OneMinusBeta2 = (1 - Beta2).ToScalar(), EpsilonScalar = Epsilon.ToScalar();

        readonly bool _decay, _decoupled;
        readonly double[] _learningRates;
        Tensor? _decayFactor, _stepSize, _m, _v;
        long _step;
        /// <summary>Which of the group's first lanes are left, to compute each one's step size from its rate in double.</summary>
        int[] _lanes;

        public Adam(IReadOnlyList<TrialConfig> lanes, bool decay, bool decoupled) : base(lanes)
        {
            (_decay, _decoupled) = (decay, decoupled);
            _learningRates = lanes.Select(c => c.LearningRate).ToArray();
            _lanes = Enumerable.Range(0, lanes.Count).ToArray();
            if (decay && decoupled) _decayFactor = LaneValues(lanes, c => 1 - c.LearningRate * c.WeightDecay);
        }

        public override void Step(Tensor parameters, Tensor gradients)
        {
            _step++;
            double biasCorrection1 = 1 - Math.Pow(Beta1, _step), biasCorrection2 = 1 - Math.Pow(Beta2, _step);
            _stepSize ??= NativeBuffers.Empty(_lanes.Length, 1).DetachFromDisposeScope();
            NativeBuffers.Write(_stepSize, _lanes.Select(k => (float)(_learningRates[k] / biasCorrection1)).ToArray());
            using var biasCorrection2Sqrt = Math.Sqrt(biasCorrection2).ToScalar();

            var g = gradients;
            if (_decay && _decoupled) parameters.mul_(_decayFactor!);
            else if (_decay) g = Plus(g, WeightDecay.mul(parameters));

            _m ??= zeros_like(parameters).DetachFromDisposeScope();
            _v ??= zeros_like(parameters).DetachFromDisposeScope();
            _m.add_(Minus(g, _m).mul_(OneMinusBeta1), One);
            _v.mul_(Beta2Scalar).add_(g.mul(g).mul_(OneMinusBeta2), One);
            var denominator = _v.sqrt().div_(biasCorrection2Sqrt).add_(EpsilonScalar, One);
            parameters.sub_(_stepSize.mul(_m.div(denominator)));
        }

        public override void KeepLanes(Tensor keep)
        {
            base.KeepLanes(keep);
            _decayFactor = Keep(_decayFactor, keep);
            _stepSize = Keep(_stepSize, keep);
            _m = Keep(_m, keep);
            _v = Keep(_v, keep);
            _lanes = keep.data<long>().ToArray().Select(i => _lanes[i]).ToArray();
        }

        public override void Dispose()
        {
            _decayFactor?.Dispose();
            _stepSize?.Dispose();
            _m?.Dispose();
            _v?.Dispose();
            base.Dispose();
        }
    }
}
