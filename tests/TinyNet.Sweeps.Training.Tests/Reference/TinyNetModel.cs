using TinyNet.Sweeps.Domain.Trials;
using TorchSharp;
using static TorchSharp.torch;
using Parameter = TorchSharp.Modules.Parameter;

using TinyNet.Sweeps.Training;

namespace TinyNet.Sweeps.Training.Tests.Reference;

/// <summary>
/// TinyNet 4 → hidden → 2 as raw parameters and functional ops (no nn.Module: fewer native calls per step).
/// Hidden activation per config, sigmoid outputs, as the notebook's TinyNet_Sigmoid / TinyNet_ReLU.
/// </summary>
internal sealed class TinyNetModel : IDisposable
{
    readonly Activation _activation;
    readonly Parameter _w1, _b1, _w2, _b2;

    TinyNetModel(Activation activation, Parameter w1, Parameter b1, Parameter w2, Parameter b2)
    {
        _activation = activation;
        (_w1, _b1, _w2, _b2) = (w1, b1, w2, b2);
    }

    public IReadOnlyList<Parameter> Parameters => [_w1, _b1, _w2, _b2];

    /// <summary>nn.Linear's default init, U(−1/√fan_in, +1/√fan_in) for weights and biases, from the trial's generator.</summary>
    public static TinyNetModel Create(TrialConfig config, Xoshiro256 rng)
    {
        int hidden = config.HiddenUnits;
        return new TinyNetModel(config.Activation,
            UniformParameter(rng, [hidden, 4], fanIn: 4),
            UniformParameter(rng, [hidden], fanIn: 4),
            UniformParameter(rng, [2, hidden], fanIn: hidden),
            UniformParameter(rng, [2], fanIn: hidden));
    }

    static Parameter UniformParameter(Xoshiro256 rng, long[] shape, int fanIn)
    {
        double bound = 1 / Math.Sqrt(fanIn);
        var values = new float[shape.Aggregate(1L, (a, b) => a * b)];
        for (int i = 0; i < values.Length; i++) values[i] = (float)((rng.NextDouble() * 2 - 1) * bound);
        using var data = NativeBuffers.Empty(shape);
        NativeBuffers.Write(data, values);
        return new Parameter(data.detach(), requires_grad: true).DetachFromDisposeScope() as Parameter
            ?? throw new InvalidOperationException("Parameter lost its type.");
    }

    public Tensor Forward(Tensor inputs)
    {
        using var z1 = nn.functional.linear(inputs, _w1, _b1);
        using var h = _activation switch
        {
            Activation.Sigmoid => sigmoid(z1),
            Activation.Relu => nn.functional.relu(z1),
            Activation.Tanh => tanh(z1),
            _ => throw new ArgumentOutOfRangeException(nameof(inputs), _activation, "Unknown activation"),
        };
        using var z2 = nn.functional.linear(h, _w2, _b2);
        return sigmoid(z2);
    }

    /// <summary>Outputs for <paramref name="count"/> examples, flat [h0, v0, h1, v1, ...]; call under no_grad.</summary>
    public float[] Predict(float[] pixels, int count)
    {
        using var inputs = NativeBuffers.Empty(count, 4);
        NativeBuffers.Write(inputs, pixels);
        using var outputs = Forward(inputs);
        return outputs.data<float>().ToArray();
    }

    public NetworkWeights ExportWeights() => new(Rows(_w1), Flat(_b1), Rows(_w2), Flat(_b2));

    static double[] Flat(Tensor t) => t.detach().data<float>().ToArray().Select(v => (double)v).ToArray();

    static IReadOnlyList<IReadOnlyList<double>> Rows(Tensor t)
    {
        double[] flat = Flat(t);
        int columns = (int)t.shape[1];
        return Enumerable.Range(0, (int)t.shape[0]).Select(r => (IReadOnlyList<double>)flat[(r * columns)..((r + 1) * columns)]).ToArray();
    }

    public void Dispose()
    {
        _w1.Dispose(); _b1.Dispose(); _w2.Dispose(); _b2.Dispose();
    }
}
