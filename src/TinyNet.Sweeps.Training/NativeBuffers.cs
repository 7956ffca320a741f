using static TorchSharp.torch;

namespace TinyNet.Sweeps.Training;

/// <summary>
/// float32 tensors in libtorch's own (64-byte aligned) memory, filled from C# arrays.
/// Why not torch.tensor(float[]): TorchSharp wraps the managed array, whose alignment varies with the heap,
/// and MKL's gemm rounds differently for different alignments, so results would depend on what else runs.
/// </summary>
internal static class NativeBuffers
{
    public static Tensor Empty(params long[] shape) => empty(shape, ScalarType.Float32);

    public static void Write(Tensor destination, float[] values)
    {
        if (destination.numel() != values.Length || !destination.is_contiguous())
            throw new ArgumentException("Destination must be a contiguous tensor of the same size.", nameof(destination));
        // The wrapped array is only read by an element-wise copy, which does not depend on alignment.
        using var source = tensor(values, destination.shape);
        destination.copy_(source);
    }
}
