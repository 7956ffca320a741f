using TorchSharp;
using static TorchSharp.torch;

namespace TinyNet.Sweeps.Training;

/// <summary>
/// The few tensor operations the fused engine is built from, chosen so that a lane's arithmetic never depends on how
/// many lanes share the computation or where it sits among them.
/// <para>
/// Every tensor is <c>[lanes, …]</c>, lane first. libtorch runs an element-wise kernel over a contiguous tensor as one
/// flat loop: SIMD for the bulk, a scalar loop for the last few elements. Add, subtract, multiply, divide, square root
/// and max round the same either way (IEEE), so they may see the lanes as one flat array. Exp, log and tanh do not
/// (vectorised approximations against libm), so <see cref="LaneRows"/> runs them on rows that cannot be merged across
/// lanes: each lane is then one row with its own tail, whatever the lane count. Reductions sum over dimensions inside
/// a lane only, and libtorch's sum treats each lane's slice alike. No fused kernel (add with alpha, addcmul, lerp) is
/// used: their SIMD path rounds once (FMA) where their scalar tail rounds twice.
/// </para>
/// Scalars live in static fields: a temporary <see cref="Scalar"/> can be finalised while libtorch still reads it.
/// </summary>
internal static class LaneOps
{
    public static readonly Scalar Zero = 0.0.ToScalar(), One = 1.0.ToScalar(), MinusOne = (-1.0).ToScalar();
    public static readonly Scalar LogFloor = (-100.0).ToScalar();

    /// <summary>a + b, through the alpha overload with a held scalar (the short overload makes a temporary one).</summary>
    public static Tensor Plus(Tensor a, Tensor b) => a.add(b, One);

    /// <summary>a − b (TorchSharp's sub passes no alpha, so there is no temporary scalar to hold).</summary>
    public static Tensor Minus(Tensor a, Tensor b) => a.sub(b);

    /// <summary>1 − a, element-wise.</summary>
    public static Tensor OneMinus(Tensor a) => a.mul(MinusOne).add_(One, One);

    /// <summary>
    /// A layer's pre-activation without bias: Σ over inputs of w·a, with wide weights [lanes, out, in, 1] and wide
    /// activations [lanes or 1, 1, in, n]: [lanes, out, n]. Examples run along the last axis, so every loop is long.
    /// A broadcast product and a sum over a small axis, not a batched matmul: BLAS blocks differently with the batch.
    /// </summary>
    public static Tensor Mix(Tensor wideWeights, Tensor wideActivations) => wideWeights.mul(wideActivations).sum(2);

    /// <summary>A weight gradient: Σ over examples of g ⊗ a, with g [lanes, out, n] and wide a [lanes, 1, in, n]: [lanes, out, in].</summary>
    public static Tensor Outer(Tensor gradients, Tensor wideActivations) => gradients.unsqueeze(2).mul(wideActivations).sum(3);

    /// <summary>A [lanes] tensor viewed to broadcast against a [lanes, …] tensor of <paramref name="rank"/> dimensions.</summary>
    public static Tensor PerLaneScalar(Tensor values, long rank) =>
        values.view([values.shape[0], .. Enumerable.Repeat(1L, (int)rank - 1)]);
}

/// <summary>
/// Runs an element-wise op that rounds differently in its SIMD and scalar paths one lane per row: the rows sit in a
/// buffer padded past each lane's end, so libtorch cannot merge them into one flat loop. The buffer is kept for the
/// next call of the same shape (one per use in an epoch, since its result lives until the epoch ends).
/// </summary>
internal sealed class LaneRows : IDisposable
{
    Tensor? _rows, _shaped;
    long[] _shape = [];

    public Tensor Apply(Tensor t, Action<Tensor> inPlace)
    {
        if (!_shape.SequenceEqual(t.shape))
        {
            Dispose();
            long lanes = t.shape[0], size = t.numel() / lanes;
            long stride = size + 16 - size % 16;
            using var buffer = torch.empty([lanes, stride], ScalarType.Float32);
            _rows = buffer.narrow(1, 0, size).DetachFromDisposeScope();
            _shaped = _rows.view(t.shape).DetachFromDisposeScope();
            _shape = t.shape;
        }
        _shaped!.copy_(t);
        inPlace(_rows!);
        return _shaped;
    }

    public void Dispose()
    {
        _rows?.Dispose();
        _shaped?.Dispose();
        (_rows, _shaped, _shape) = (null, null, []);
    }
}
