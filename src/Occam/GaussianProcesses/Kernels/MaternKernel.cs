using static TorchSharp.torch;

namespace Occam.GaussianProcesses.Kernels;

/// <summary>
/// The Matérn kernel with ν = 1/2, 3/2 or 5/2 (Rasmussen &amp; Williams 2006, eq. 4.16–4.17) on the scaled
/// distance r = √(Σ_d (x_d − x′_d)²/ℓ_d²), with shared or ARD lengthscales.
/// </summary>
public sealed class MaternKernel : StationaryKernel
{
    /// <summary>Creates the kernel; one lengthscale (default 1) shared by all dimensions, or one per dimension (ARD).</summary>
    public MaternKernel(MaternSmoothness smoothness, params double[] lengthscales) : base(nameof(MaternKernel), lengthscales)
    {
        if (!Enum.IsDefined(smoothness)) throw new ArgumentOutOfRangeException(nameof(smoothness), smoothness, "Matérn smoothness must be Half, ThreeHalves or FiveHalves.");
        Smoothness = smoothness;
    }

    /// <summary>ν.</summary>
    public MaternSmoothness Smoothness { get; }

    /// <inheritdoc />
    protected override Tensor FromDistance(Tensor squaredDistance, Func<Tensor> distance)
    {
        var r = distance();
        switch (Smoothness)
        {
            case MaternSmoothness.Half:
                return (-r).exp();
            case MaternSmoothness.ThreeHalves:
            {
                var s = Math.Sqrt(3) * r;
                return (1.0 + s) * (-s).exp();
            }
            default:
            {
                var s = Math.Sqrt(5) * r;
                return (1.0 + s + s.square() / 3.0) * (-s).exp();
            }
        }
    }

    /// <inheritdoc />
    protected override string Describe() => Smoothness switch
    {
        MaternSmoothness.Half => ", ν=1/2",
        MaternSmoothness.ThreeHalves => ", ν=3/2",
        _ => ", ν=5/2",
    };
}
