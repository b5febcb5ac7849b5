using System.Runtime.InteropServices;
using TorchSharp;
using static TorchSharp.torch;

namespace Occam.Runtime;

/// <summary>Direct access to a tensor's memory for Occam's fused CPU kernels.</summary>
internal static class TensorStorage
{
    /// <summary>
    /// The elements of a contiguous float32 tensor in CPU memory, as a span over its storage (no copy:
    /// writes go to the tensor). Libtorch does not see such writes, so use it only outside any autograd
    /// graph that has saved the tensor.
    /// </summary>
    /// <exception cref="ArgumentException">Not float32 (a cast span would misread the bytes).</exception>
    public static Span<float> Floats(Tensor tensor)
    {
        if (tensor.dtype != ScalarType.Float32) throw new ArgumentException($"Expected a float32 tensor; got {tensor.dtype}.", nameof(tensor));
        return MemoryMarshal.Cast<byte, float>(tensor.bytes);
    }
}
