using Occam.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace Occam.Randomness;

/// <summary>
/// A persistent flat buffer that <see cref="Next"/> refills with fresh standard normal draws, for
/// methods that perturb every weight every step. Float32 buffers in CPU memory are filled by
/// <see cref="VectorNormalGenerator"/> straight into the tensor's storage; other dtypes and devices
/// use libtorch's <c>normal_</c> with a private generator. Either way the draws depend on the seed only.
/// </summary>
internal sealed class NormalNoise : IDisposable
{
    private readonly VectorNormalGenerator? _vector;
    private readonly Generator? _generator;
    private bool _disposed;

    /// <summary>Creates the buffer [<paramref name="length"/>] on <paramref name="device"/>.</summary>
    public NormalNoise(long length, ScalarType dtype, Device device, ulong seed)
    {
        if (length < 1 || length > int.MaxValue) throw new ArgumentOutOfRangeException(nameof(length), $"Noise length must lie in [1, {int.MaxValue}]; got {length}.");
        Buffer = empty(length, dtype, device).DetachFromDisposeScope();
        if (dtype == ScalarType.Float32 && device.type == DeviceType.CPU && System.Runtime.Intrinsics.Vector256.IsHardwareAccelerated)
            _vector = new VectorNormalGenerator(seed);
        else
            _generator = new Generator(seed, device);
    }

    /// <summary>The buffer (fixed for the lifetime, so views of it can be cached).</summary>
    public Tensor Buffer { get; }

    /// <summary>Refills <see cref="Buffer"/> with independent N(0, 1) draws and returns it.</summary>
    public Tensor Next()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_vector is not null) _vector.Fill(TensorStorage.Floats(Buffer)); // a view of the CPU storage
        else
        {
            using var noGrad = no_grad();
            Buffer.normal_(0, 1, _generator);
        }
        return Buffer;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        Buffer.Dispose();
        _generator?.Dispose();
    }
}
