using System.Runtime.InteropServices;
using static TorchSharp.torch;

namespace TinyNet.Sweeps.Training;

/// <summary>
/// float32 tensors in libtorch's own (64-byte aligned) memory, written and read from C# through a span over that memory.
/// Why not torch.tensor(float[]): TorchSharp copies the array into a managed one it pins, whose alignment varies with the
/// heap, and MKL's gemm rounds differently for different alignments, so results would depend on what else runs; the copy
/// also costs a managed allocation the size of every batch.
/// </summary>
internal static class NativeBuffers
{
    public static Tensor Empty(params long[] shape) => empty(shape, ScalarType.Float32);

    /// <summary>The values of a contiguous float32 tensor, in place: valid while the tensor lives.</summary>
    public static Span<float> Values(Tensor tensor)
    {
        if (tensor.dtype != ScalarType.Float32 || !tensor.is_contiguous())
            throw new ArgumentException("Only a contiguous float32 tensor's values can be viewed in place.", nameof(tensor));
        return MemoryMarshal.Cast<byte, float>(tensor.bytes);
    }

    public static void Write(Tensor destination, float[] values)
    {
        var target = Values(destination);
        if (target.Length != values.Length)
            throw new ArgumentException("Destination must be a contiguous tensor of the same size.", nameof(destination));
        values.CopyTo(target);
    }

    /// <summary>
    /// A tensor's values in a new array, in one copy of its storage (TorchSharp's data&lt;float&gt;().ToArray() walks the
    /// elements one by one through an iterator).
    /// </summary>
    public static float[] Read(Tensor source)
    {
        if (source.is_contiguous()) return Values(source).ToArray();
        using var contiguous = source.contiguous();
        return Values(contiguous).ToArray();
    }
}
