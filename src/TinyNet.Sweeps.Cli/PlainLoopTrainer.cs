using TinyNet.Sweeps.Domain.Trials;
using TinyNet.Sweeps.Training;

namespace TinyNet.Sweeps.Cli;

/// <summary>
/// One TinyNet trial as <see cref="TorchTrialTrainer"/> defines it (same initial weights, batches, forward pass, loss,
/// gradients and SGD/Adam/AdamW steps), written as plain loops over float32 arrays with no TorchSharp. Benchmark only:
/// with no per-op overhead at all, it is the limit of what fused training can reach. It agrees with the torch trainer
/// to float rounding, not bit for bit (sums run in another order), and computes no metrics.
/// </summary>
internal sealed class PlainLoopTrainer
{
    /// <summary>The same streams as the torch engine's generators: initial weights, then batches.</summary>
    private const ulong InitStream = 1, DataStream = 2;

    private const double Beta1 = 0.9, Beta2 = 0.999;

    // Adam's constants as libtorch applies them to float32 tensors.
    private const float OneMinusBeta1 = (float)(1 - Beta1), Beta2Single = (float)Beta2, OneMinusBeta2 = (float)(1 - Beta2), Epsilon = 1e-8f;

    /// <summary>torch's binary_cross_entropy clamps each log at −100, and its backward divides by at least this.</summary>
    private const float BceLogFloor = -100f, BceGradientFloor = 1e-12f;

    /// <param name="LossHistory">One loss per epoch; it stops before the first loss that is not finite (a diverged trial).</param>
    /// <param name="HiddenWeight">w1 [hidden, 4], row-major.</param>
    /// <param name="OutputWeight">w2 [2, hidden], row-major.</param>
    public sealed record Result(IReadOnlyList<double> LossHistory, float[] HiddenWeight, float[] HiddenBias, float[] OutputWeight, float[] OutputBias)
    {
        public bool Diverged { get; init; }
    }

    private readonly TrialConfig _config;
    private readonly int _hidden, _count;

    // Every parameter in one flat array, in the order torch's model creates (and initialises) them: w1, b1, w2, b2.
    // The optimisers are element-wise, so they can run over it whole.
    private readonly int _b1, _w2, _b2;
    private readonly float[] _parameters, _gradients, _slow, _fast;

    private readonly float[] _inputs, _targets, _h, _outputs, _dz2;
    private long _step;

    private PlainLoopTrainer(TrialConfig config)
    {
        _config = config;
        _hidden = config.HiddenUnits;
        _count = BatchGenerator.MixedCount(config.BatchSize, config.CleanRatio);
        if (_hidden < 1 || _count < 1) throw new ArgumentException("The configuration trains no unit or no example.", nameof(config));
        (_b1, _w2, _b2) = (4 * _hidden, 5 * _hidden, 7 * _hidden);
        int parameterCount = 7 * _hidden + 2;
        _parameters = new float[parameterCount];
        _gradients = new float[parameterCount];
        // SGD's momentum buffer, or Adam's first and second moments.
        _slow = new float[parameterCount];
        _fast = new float[parameterCount];
        // Pixels by example (pixel k of example n at [k * count + n]), drawn as the engine draws them, so the two differ
        // only in the network's arithmetic. Every batch alternates a horizontal example (1, 0) and a vertical one (0, 1).
        _inputs = new float[_count * 4];
        _targets = new float[_count * 2];
        for (int n = 0; n < _count; n++) _targets[n * 2 + n % 2] = 1f;
        _h = new float[_count * _hidden];
        _outputs = new float[_count * 2];
        _dz2 = new float[_count * 2];
    }

    public static Result Train(TrialConfig config, int seed) => new PlainLoopTrainer(config).Run(seed);

    private Result Run(int seed)
    {
        Initialise(new Xoshiro256(seed, InitStream));
        var batches = new BatchGenerator(new Xoshiro256(seed, DataStream));
        var history = new List<double>(_config.Epochs);
        bool diverged = false;
        for (int epoch = 0; epoch < _config.Epochs && !diverged; epoch++)
        {
            batches.FillMixedByPixel(_inputs, _config.BatchSize, _config.CleanRatio, _config.NoiseLevel);
            Forward();
            double loss = LossAndOutputGradient();
            if (!double.IsFinite(loss))
            {
                diverged = true;
                break;
            }
            Backward();
            Step();
            history.Add(loss);
        }
        var p = _parameters.AsSpan();
        return new Result(history, p[.._b1].ToArray(), p[_b1.._w2].ToArray(), p[_w2.._b2].ToArray(), p[_b2..].ToArray()) { Diverged = diverged };
    }

    /// <summary>nn.Linear's U(−1/√fan_in, +1/√fan_in), drawn as LaneNetwork draws a lane's, tensor after tensor.</summary>
    private void Initialise(Xoshiro256 rng)
    {
        for (int i = 0; i < _parameters.Length; i++)
        {
            double bound = 1 / Math.Sqrt(i < _w2 ? 4 : _hidden);
            _parameters[i] = (float)((rng.NextDouble() * 2 - 1) * bound);
        }
    }

    // Forward and Backward read every field into a local first: the JIT then keeps them in registers.
    private void Forward()
    {
        var (p, x, hs, outputs) = (_parameters, _inputs, _h, _outputs);
        var activation = _config.Activation;
        int hidden = _hidden, b1 = _b1, w2 = _w2, b2 = _b2, count = _count;
        for (int n = 0; n < count; n++)
        {
            for (int j = 0; j < hidden; j++)
            {
                float z = p[b1 + j];
                for (int k = 0; k < 4; k++) z += x[k * count + n] * p[j * 4 + k];
                hs[n * hidden + j] = activation switch
                {
                    Activation.Sigmoid => Sigmoid(z),
                    Activation.Relu => Math.Max(z, 0f),
                    Activation.Tanh => MathF.Tanh(z),
                    _ => throw new ArgumentOutOfRangeException(nameof(activation), activation, "Unknown activation"),
                };
            }
            for (int c = 0; c < 2; c++)
            {
                float z = p[b2 + c];
                for (int j = 0; j < hidden; j++) z += hs[n * hidden + j] * p[w2 + c * hidden + j];
                outputs[n * 2 + c] = Sigmoid(z);
            }
        }
    }

    private static float Sigmoid(float z) => 1f / (1f + MathF.Exp(-z));

    /// <summary>The mean loss over every output, as torch's item() gives it (float32), and ∂loss/∂z2 into <see cref="_dz2"/>.</summary>
    private double LossAndOutputGradient()
    {
        int n = _outputs.Length;
        double sum = 0;
        for (int i = 0; i < n; i++)
        {
            float o = _outputs[i], t = _targets[i], dOutput;
            if (_config.Loss == LossKind.Mse)
            {
                float d = o - t;
                sum += d * d;
                dOutput = 2f / n * d;
            }
            else
            {
                // torch: (t − 1)·max(log1p(−o), −100) − t·max(log o, −100); backward (o − t) / max((1 − o)·o, 1e-12).
                float logO = Math.Max((float)Math.Log(o), BceLogFloor), logNotO = Math.Max((float)Math.Log(1.0 - o), BceLogFloor);
                sum += (t - 1) * logNotO - t * logO;
                dOutput = (o - t) / Math.Max((1 - o) * o, BceGradientFloor) / n;
            }
            // Through the output sigmoid: y·(1 − y).
            _dz2[i] = dOutput * (1 - o) * o;
        }
        return (float)(sum / n);
    }

    private void Backward()
    {
        var (p, g, x, hs, dz2s) = (_parameters, _gradients, _inputs, _h, _dz2);
        var activation = _config.Activation;
        int hidden = _hidden, b1 = _b1, w2 = _w2, b2 = _b2, count = _count;
        Array.Clear(g);
        for (int n = 0; n < count; n++)
        {
            float dz2a = dz2s[n * 2], dz2b = dz2s[n * 2 + 1];
            for (int j = 0; j < hidden; j++)
            {
                float h = hs[n * hidden + j];
                g[w2 + j] += dz2a * h;
                g[w2 + hidden + j] += dz2b * h;
                float dh = dz2a * p[w2 + j] + dz2b * p[w2 + hidden + j];
                // Each activation's derivative from its output, as torch's backward computes it.
                float dz1 = activation switch
                {
                    Activation.Sigmoid => dh * (1 - h) * h,
                    Activation.Relu => h > 0 ? dh : 0f,
                    _ => dh * (1 - h * h),
                };
                g[b1 + j] += dz1;
                for (int k = 0; k < 4; k++) g[j * 4 + k] += dz1 * x[k * count + n];
            }
            g[b2] += dz2a;
            g[b2 + 1] += dz2b;
        }
    }

    /// <summary>LaneOptimizer's rules: torch.optim's SGD, Adam and AdamW, element by element.</summary>
    private void Step()
    {
        var (p, g) = (_parameters, _gradients);
        float lr = (float)_config.LearningRate, decay = (float)_config.WeightDecay;
        _step++;
        if (_config.Optimizer == OptimizerKind.Sgd)
        {
            float momentum = (float)_config.Momentum;
            for (int i = 0; i < p.Length; i++)
            {
                float d = g[i] + decay * p[i];
                if (momentum != 0)
                    d = _slow[i] = _step == 1 ? d : momentum * _slow[i] + d;
                p[i] -= lr * d;
            }
            return;
        }

        bool decoupled = _config.Optimizer == OptimizerKind.AdamW;
        float decayFactor = (float)(1 - _config.LearningRate * _config.WeightDecay);
        float stepSize = (float)(_config.LearningRate / (1 - Math.Pow(Beta1, _step)));
        float biasCorrection2Sqrt = (float)Math.Sqrt(1 - Math.Pow(Beta2, _step));
        for (int i = 0; i < p.Length; i++)
        {
            float grad = g[i];
            if (decoupled) p[i] *= decayFactor;
            else grad += decay * p[i];
            _slow[i] += OneMinusBeta1 * (grad - _slow[i]);
            _fast[i] = Beta2Single * _fast[i] + OneMinusBeta2 * grad * grad;
            p[i] -= stepSize * _slow[i] / (MathF.Sqrt(_fast[i]) / biasCorrection2Sqrt + Epsilon);
        }
    }
}
