using TinyNet.Sweeps.Domain.Trials;
using TorchSharp;
using static TinyNet.Sweeps.Training.LaneOps;
using static TorchSharp.torch;

namespace TinyNet.Sweeps.Training;

/// <summary>
/// TinyNet 4 → hidden → 2 for many trials at once. Each lane's parameters are one row of a flat [lanes, P] tensor
/// (w1, b1, w2, b2 in nn.Linear's [out, in] layout, P = 7·hidden + 2), so the optimiser updates every parameter of
/// every lane in a handful of ops. Forward and backward are written out by hand (no autograd), each op one of
/// <see cref="LaneOps"/>' lane-exact ones. Hidden activation per group, sigmoid outputs, as the notebook's TinyNet.
/// </summary>
internal sealed class LaneNetwork : IDisposable
{
    readonly Activation _activation;
    readonly LossKind _loss;
    readonly int _hidden;
    /// <summary>Element-wise ops that are not lane-exact run in these buffers, reused every epoch.</summary>
    readonly LaneRows _hiddenRows = new(), _outputRows = new(), _logRows = new(), _logComplementRows = new();
    LaneWeights _weights = null!;
    LaneWeights _gradients = null!;

    public LaneNetwork(Activation activation, LossKind loss, int hidden)
    {
        (_activation, _loss, _hidden) = (activation, loss, hidden);
    }

    /// <summary>[lanes, P]: every lane's parameters in one row. The optimiser updates it in place.</summary>
    public Tensor Parameters => _weights.Flat;

    /// <summary>[lanes, P]: the gradients of the last <see cref="LossAndGradients"/>, laid out as <see cref="Parameters"/>.</summary>
    public Tensor Gradients => _gradients.Flat;

    public long Lanes => Parameters.shape[0];

    public static int ParameterCount(int hidden) => 7 * hidden + 2;

    /// <summary>nn.Linear's default init, U(−1/√fan_in, +1/√fan_in), each lane from its own trial's generator.</summary>
    public void Initialize(IReadOnlyList<Xoshiro256> generators)
    {
        int lanes = generators.Count, count = ParameterCount(_hidden);
        var values = new float[lanes * count];
        // Per trial in nn.Linear's order (weight, bias, weight, bias), as one trial alone draws them.
        (int Size, int FanIn)[] parts = [(4 * _hidden, 4), (_hidden, 4), (2 * _hidden, _hidden), (2, _hidden)];
        for (int lane = 0; lane < lanes; lane++)
        {
            int at = lane * count;
            foreach (var (size, fanIn) in parts)
            {
                double bound = 1 / Math.Sqrt(fanIn);
                for (int i = 0; i < size; i++) values[at++] = (float)((generators[lane].NextDouble() * 2 - 1) * bound);
            }
        }
        var flat = NativeBuffers.Empty(lanes, count);
        NativeBuffers.Write(flat, values);
        Replace(flat);
    }

    /// <summary>Outputs [lanes, 2, n] for inputs [1, 4, n] shared by every lane, with other weights of this shape.</summary>
    public Tensor Evaluate(Tensor inputs, Tensor flatWeights)
    {
        using var weights = new LaneWeights(flatWeights, _hidden, owned: false);
        using LaneRows hiddenRows = new(), outputRows = new();
        // A copy: the rows buffer goes with this call.
        return Forward(inputs.unsqueeze(1), weights, hiddenRows, outputRows, out _).clone();
    }

    /// <summary>
    /// Activations are feature by example ([lanes, features, n], the transpose of PyTorch's [n, features]) so that
    /// element-wise loops and sums run along the examples. <paramref name="wideInputs"/> is [lanes or 1, 1, 4, n];
    /// <paramref name="wideHidden"/> is the hidden activations as [lanes, 1, hidden, n].
    /// </summary>
    Tensor Forward(Tensor wideInputs, LaneWeights w, LaneRows hiddenRows, LaneRows outputRows, out Tensor wideHidden)
    {
        var z1 = Mix(w.W1Wide, wideInputs).add_(w.B1Wide, One);
        var hidden = _activation switch
        {
            Activation.Sigmoid => hiddenRows.Apply(z1, rows => rows.sigmoid_()),
            Activation.Relu => z1.relu_(),
            Activation.Tanh => hiddenRows.Apply(z1, rows => rows.tanh_()),
            _ => throw new InvalidOperationException($"Unknown activation {_activation}"),
        };
        wideHidden = hidden.unsqueeze(1);
        var z2 = Mix(w.W2Wide, wideHidden).add_(w.B2Wide, One);
        return outputRows.Apply(z2, rows => rows.sigmoid_());
    }

    /// <summary>
    /// One forward and backward pass on a batch (<paramref name="wideInputs"/> [lanes, 1, 4, n], targets [1, 2, n]):
    /// each lane's mean loss [lanes], as torch's mse_loss or binary_cross_entropy define it, with the gradients left
    /// in <see cref="Gradients"/>.
    /// </summary>
    public Tensor LossAndGradients(Tensor wideInputs, Tensor targets, Tensor oneMinusTargets)
    {
        var outputs = Forward(wideInputs, _weights, _hiddenRows, _outputRows, out var wideHidden);
        var hidden = wideHidden.squeeze(1);
        long count = targets.shape[2] * 2;
        using var perElement = (1.0 / count).ToScalar();
        Tensor lossSum, outputGrad;
        if (_loss == LossKind.Mse)
        {
            var error = Minus(outputs, targets);
            lossSum = error.mul(error).sum([1, 2]);
            using var twice = (2.0 / count).ToScalar();
            outputGrad = error.mul_(twice);
        }
        else
        {
            var logLikelihood = Plus(targets.mul(FlooredLog(outputs, _logRows)), oneMinusTargets.mul(FlooredLog(OneMinus(outputs), _logComplementRows)));
            lossSum = logLikelihood.sum([1, 2]).mul_(MinusOne);
            // d/do of −[t log o + (1 − t) log(1 − o)] with torch's guard against o(1 − o) = 0.
            using var epsilon = 1e-12.ToScalar();
            outputGrad = Minus(outputs, targets).div_(OneMinus(outputs).mul_(outputs).clamp_min_(epsilon)).mul_(perElement);
        }

        // Output sigmoid, then the output layer.
        var z2Grad = outputGrad.mul_(OneMinus(outputs).mul_(outputs));
        _gradients.W2.copy_(Outer(z2Grad, wideHidden));
        _gradients.B2.copy_(z2Grad.sum(2));

        // Back through the output layer (two outputs: two products, no reduction) and the hidden activation.
        var hiddenGrad = Plus(_weights.W2Columns[0].mul(z2Grad.narrow(1, 0, 1)), _weights.W2Columns[1].mul(z2Grad.narrow(1, 1, 1)));
        var z1Grad = _activation switch
        {
            Activation.Sigmoid => hiddenGrad.mul_(OneMinus(hidden).mul_(hidden)),
            // ReLU outputs are 0 or positive: their sign is the gradient's mask.
            Activation.Relu => hiddenGrad.mul_(hidden.sign()),
            Activation.Tanh => hiddenGrad.mul_(OneMinus(hidden.mul(hidden))),
            _ => throw new InvalidOperationException($"Unknown activation {_activation}"),
        };
        _gradients.W1.copy_(Outer(z1Grad, wideInputs));
        _gradients.B1.copy_(z1Grad.sum(2));
        return lossSum.mul_(perElement);
    }

    /// <summary>Keeps only the lanes at <paramref name="keep"/> (in that order); the others' trials have ended.</summary>
    public void KeepLanes(Tensor keep) => Replace(Parameters.index_select(0, keep));

    /// <summary>Each lane's weights, as a trial's result exports them.</summary>
    /// <param name="flatWeights">[lanes, P]: all of <see cref="Parameters"/>, or a selection of its rows.</param>
    public NetworkWeights[] ExportWeights(Tensor flatWeights)
    {
        int lanes = (int)flatWeights.shape[0], count = ParameterCount(_hidden), h = _hidden;
        float[] flat = NativeBuffers.Read(flatWeights);
        return Enumerable.Range(0, lanes).Select(k =>
        {
            int at = k * count;
            return new NetworkWeights(Rows(flat, at, h, 4), Slice(flat, at + 4 * h, h), Rows(flat, at + 5 * h, 2, h), Slice(flat, at + 7 * h, 2));
        }).ToArray();
    }

    static double[] Slice(float[] flat, int at, int size)
    {
        var values = new double[size];
        for (int i = 0; i < size; i++) values[i] = flat[at + i];
        return values;
    }

    static IReadOnlyList<IReadOnlyList<double>> Rows(float[] flat, int at, int rows, int columns) =>
        Enumerable.Range(0, rows).Select(r => (IReadOnlyList<double>)Slice(flat, at + r * columns, columns)).ToArray();

    /// <summary>Takes new parameters [lanes, P] (out of any dispose scope) and a gradient buffer of their shape.</summary>
    void Replace(Tensor flat)
    {
        _weights?.Dispose();
        _gradients?.Dispose();
        _weights = new LaneWeights(flat.DetachFromDisposeScope(), _hidden, owned: true);
        _gradients = new LaneWeights(zeros_like(flat).DetachFromDisposeScope(), _hidden, owned: true);
    }

    public void Dispose()
    {
        _weights?.Dispose();
        _gradients?.Dispose();
        foreach (var rows in new[] { _hiddenRows, _outputRows, _logRows, _logComplementRows }) rows.Dispose();
    }

    /// <summary>log, floored at −100 as torch's binary_cross_entropy floors it.</summary>
    static Tensor FlooredLog(Tensor t, LaneRows rows) => rows.Apply(t, r => r.log_()).clamp_min(LogFloor);
}

/// <summary>Views of a flat [lanes, P] parameter (or gradient) tensor as TinyNet's four tensors, made once.</summary>
internal sealed class LaneWeights : IDisposable
{
    readonly bool _owned;
    readonly List<Tensor> _views = [];

    public LaneWeights(Tensor flat, int hidden, bool owned)
    {
        (Flat, _owned) = (flat, owned);
        long lanes = flat.shape[0];
        W1 = View(flat.narrow(1, 0, 4 * hidden).view(lanes, hidden, 4));
        B1 = View(flat.narrow(1, 4 * hidden, hidden));
        W2 = View(flat.narrow(1, 5 * hidden, 2 * hidden).view(lanes, 2, hidden));
        B2 = View(flat.narrow(1, 7 * hidden, 2));
        W1Wide = View(W1.unsqueeze(3));
        B1Wide = View(B1.unsqueeze(2));
        W2Wide = View(W2.unsqueeze(3));
        B2Wide = View(B2.unsqueeze(2));
        W2Columns = [View(W2.select(1, 0).unsqueeze(2)), View(W2.select(1, 1).unsqueeze(2))];
    }

    Tensor View(Tensor t)
    {
        _views.Add(t.DetachFromDisposeScope());
        return t;
    }

    public Tensor Flat { get; }
    /// <summary>[lanes, hidden, 4], [lanes, hidden], [lanes, 2, hidden], [lanes, 2].</summary>
    public Tensor W1 { get; }
    public Tensor B1 { get; }
    public Tensor W2 { get; }
    public Tensor B2 { get; }
    /// <summary>The same, shaped to broadcast against [lanes, 1, in, n] activations.</summary>
    public Tensor W1Wide { get; }
    public Tensor B1Wide { get; }
    public Tensor W2Wide { get; }
    public Tensor B2Wide { get; }
    /// <summary>Each output's weights, [lanes, hidden, 1].</summary>
    public Tensor[] W2Columns { get; }

    public void Dispose()
    {
        foreach (var view in _views) view.Dispose();
        if (_owned) Flat.Dispose();
    }
}
