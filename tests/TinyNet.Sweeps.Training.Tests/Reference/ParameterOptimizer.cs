using TinyNet.Sweeps.Domain.Trials;
using TorchSharp;
using static TorchSharp.torch;
using Parameter = TorchSharp.Modules.Parameter;

using TinyNet.Sweeps.Training;

namespace TinyNet.Sweeps.Training.Tests.Reference;

/// <summary>
/// PyTorch's SGD, Adam and AdamW update rules, as torch.optim's single-tensor implementations write them.
/// Why not TorchSharp's optim: it turns every constant of every step into a temporary <see cref="Scalar"/> whose
/// handle goes to libtorch while nothing keeps the managed object alive, so the garbage collector can finalize it
/// mid-call (seen as "toFloat at c10/core/Scalar.h" when trials train in parallel). Here every Scalar is held in a
/// field or a <c>using</c> for as long as libtorch may read it, and no overload that fills in a Scalar default
/// (such as <c>add_(Scalar)</c>, which passes alpha = 1) is called.
/// </summary>
internal abstract class ParameterOptimizer : IDisposable
{
    protected readonly IReadOnlyList<Parameter> Parameters;
    private readonly List<IDisposable> _owned = new();

    protected ParameterOptimizer(IReadOnlyList<Parameter> parameters) => Parameters = parameters;

    public static ParameterOptimizer Create(TrialConfig config, IReadOnlyList<Parameter> parameters) => config.Optimizer switch
    {
        OptimizerKind.Sgd => new Sgd(parameters, config.LearningRate, config.Momentum, config.WeightDecay),
        OptimizerKind.Adam => new Adam(parameters, config.LearningRate, config.WeightDecay, decoupled: false),
        OptimizerKind.AdamW => new Adam(parameters, config.LearningRate, config.WeightDecay, decoupled: true),
        _ => throw new ArgumentOutOfRangeException(nameof(config), config.Optimizer, "Unknown optimizer"),
    };

    /// <summary>Zeroes the gradients in place, as TorchSharp's <c>zero_grad</c> does.</summary>
    public void ZeroGrad()
    {
        foreach (var p in Parameters)
        {
            using var grad = p.grad;
            grad?.zero_();
        }
    }

    /// <summary>One update of every parameter from its gradient.</summary>
    public void Step()
    {
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        for (int i = 0; i < Parameters.Count; i++)
        {
            using var grad = Parameters[i].grad ?? throw new InvalidOperationException("step() before backward()");
            Update(i, Parameters[i], grad);
        }
        AfterStep();
    }

    protected abstract void Update(int index, Parameter param, Tensor grad);

    protected virtual void AfterStep() { }

    /// <summary>A Scalar (or tensor) that lives as long as this optimizer.</summary>
    protected T Own<T>(T value) where T : IDisposable
    {
        _owned.Add(value);
        return value;
    }

    public virtual void Dispose()
    {
        foreach (var owned in _owned) owned.Dispose();
    }

    /// <summary>torch.optim.SGD without dampening or Nesterov.</summary>
    private sealed class Sgd : ParameterOptimizer
    {
        private readonly bool _decay, _momentum;
        private readonly Scalar _negativeLr, _weightDecay, _momentumFactor, _one;
        private readonly Tensor?[] _buffers;

        public Sgd(IReadOnlyList<Parameter> parameters, double lr, double momentum, double weightDecay) : base(parameters)
        {
            (_decay, _momentum) = (weightDecay != 0, momentum != 0);
            _negativeLr = Own((-lr).ToScalar());
            _weightDecay = Own(weightDecay.ToScalar());
            _momentumFactor = Own(momentum.ToScalar());
            _one = Own(1.0.ToScalar());
            _buffers = new Tensor?[parameters.Count];
        }

        protected override void Update(int index, Parameter param, Tensor grad)
        {
            var d = _decay ? grad.add(param, _weightDecay) : grad;
            if (_momentum)
            {
                if (_buffers[index] is not { } buffer)
                    _buffers[index] = Own(d.clone().detach().DetachFromDisposeScope());
                else
                    buffer.mul_(_momentumFactor).add_(d, _one);
                d = _buffers[index]!;
            }
            param.add_(d, _negativeLr);
        }
    }

    /// <summary>torch.optim.Adam (weight decay added to the gradient) or AdamW (decoupled decay); no AMSGrad.</summary>
    private sealed class Adam : ParameterOptimizer
    {
        private const double Beta1 = 0.9, Beta2 = 0.999, Epsilon = 1e-8;
        private readonly double _lr;
        private readonly bool _decoupled, _decay;
        private readonly Scalar _weightDecay, _beta2, _oneMinusBeta2, _epsilon, _decayFactor, _one;
        private readonly Tensor _oneMinusBeta1;
        private readonly Tensor[] _expAvg, _expAvgSq;
        private long _step;
        private Scalar? _negativeStepSize, _biasCorrection2Sqrt;

        public Adam(IReadOnlyList<Parameter> parameters, double lr, double weightDecay, bool decoupled) : base(parameters)
        {
            (_lr, _decoupled, _decay) = (lr, decoupled, weightDecay != 0);
            _weightDecay = Own(weightDecay.ToScalar());
            _beta2 = Own(Beta2.ToScalar());
            _oneMinusBeta2 = Own((1 - Beta2).ToScalar());
            _epsilon = Own(Epsilon.ToScalar());
            _decayFactor = Own((1 - lr * weightDecay).ToScalar());
            _one = Own(1.0.ToScalar());
            // lerp_ takes its weight as a tensor in TorchSharp; a float32 0-d tensor computes as PyTorch's float weight.
            _oneMinusBeta1 = Own(tensor((float)(1 - Beta1)).DetachFromDisposeScope());
            _expAvg = parameters.Select(p => Own(zeros_like(p).DetachFromDisposeScope())).ToArray();
            _expAvgSq = parameters.Select(p => Own(zeros_like(p).DetachFromDisposeScope())).ToArray();
        }

        protected override void Update(int index, Parameter param, Tensor grad)
        {
            if (index == 0) BeginStep();
            if (_decoupled) param.mul_(_decayFactor);
            else if (_decay) grad = grad.add(param, _weightDecay);

            _expAvg[index].lerp_(grad, _oneMinusBeta1);
            _expAvgSq[index].mul_(_beta2).addcmul_(grad, grad, _oneMinusBeta2);
            using var denom = _expAvgSq[index].sqrt();
            // add_(Scalar) would pass a temporary alpha of 1: name it, as everywhere here.
            denom.div_(_biasCorrection2Sqrt!).add_(_epsilon, _one);
            param.addcdiv_(_expAvg[index], denom, _negativeStepSize!);
        }

        private void BeginStep()
        {
            _step++;
            double biasCorrection1 = 1 - Math.Pow(Beta1, _step);
            double biasCorrection2 = 1 - Math.Pow(Beta2, _step);
            _negativeStepSize?.Dispose();
            _biasCorrection2Sqrt?.Dispose();
            _negativeStepSize = (-(_lr / biasCorrection1)).ToScalar();
            _biasCorrection2Sqrt = Math.Sqrt(biasCorrection2).ToScalar();
        }

        public override void Dispose()
        {
            _negativeStepSize?.Dispose();
            _biasCorrection2Sqrt?.Dispose();
            base.Dispose();
        }
    }
}
