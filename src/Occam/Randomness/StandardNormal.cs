using System.Runtime.Intrinsics;
using Occam.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace Occam.Randomness;

/// <summary>
/// Fresh N(0, 1) tensors whose draws depend on libtorch's global generator only, as <c>randn_like</c>'s
/// do, so <c>torch.random.manual_seed</c> makes them reproducible. Float32 tensors in CPU memory are
/// filled by a <see cref="VectorNormalGenerator"/> seeded with one draw from the global generator
/// (several times faster than libtorch's serial <c>normal_</c>); other dtypes and devices use <c>randn_like</c>.
/// </summary>
internal static class StandardNormal
{
    /// <summary>A new tensor shaped like <paramref name="like"/> (same dtype and device), filled with independent N(0, 1) draws.</summary>
    public static Tensor Like(Tensor like)
    {
        if (like.dtype != ScalarType.Float32 || like.device_type != DeviceType.CPU || !Vector256.IsHardwareAccelerated || like.numel() > int.MaxValue)
            return randn_like(like);
        ulong seed;
        using (var draw = randint(long.MaxValue, [1], dtype: ScalarType.Int64)) seed = (ulong)draw.item<long>();
        var result = empty(like.shape, ScalarType.Float32);
        new VectorNormalGenerator(seed).Fill(TensorStorage.Floats(result));
        return result;
    }
}
