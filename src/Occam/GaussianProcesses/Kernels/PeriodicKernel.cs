using TorchSharp;
using static TorchSharp.torch;

namespace Occam.GaussianProcesses.Kernels;

/// <summary>
/// The periodic kernel of MacKay (1998), k = exp(−2 Σ_d sin²(π(x_d − x′_d)/p) / ℓ²), with one period p
/// and one lengthscale ℓ (both trainable). Summing over dimensions makes it a product of one-dimensional
/// periodic kernels, so it is positive semi-definite in any dimension.
/// </summary>
public sealed class PeriodicKernel : Kernel
{
    /// <summary>Creates the kernel with period <paramref name="period"/> and lengthscale <paramref name="lengthscale"/> (both positive, finite).</summary>
    public PeriodicKernel(double period = 1.0, double lengthscale = 1.0)
    {
        Period = new Hyperparameter("PeriodicKernel.Period", [period]);
        try { Lengthscale = new Hyperparameter("PeriodicKernel.Lengthscale", [lengthscale]); }
        catch { Period.Dispose(); throw; }
    }

    /// <summary>The period p.</summary>
    public Hyperparameter Period { get; }

    /// <summary>The lengthscale ℓ.</summary>
    public Hyperparameter Lengthscale { get; }

    /// <inheritdoc />
    public override IReadOnlyList<Hyperparameter> Hyperparameters => [Period, Lengthscale];

    /// <inheritdoc />
    protected internal override Tensor MatrixCore(Tensor x1, Tensor x2)
    {
        // sin(u − v) = sin u cos v − cos u sin v, with u = πx/p, one input dimension at a time.
        var u = Math.PI * x1 / Period.Value();
        var v = ReferenceEquals(x1, x2) ? u : Math.PI * x2 / Period.Value();
        var (su, cu) = (u.sin(), u.cos());
        var (sv, cv) = ReferenceEquals(x1, x2) ? (su, cu) : (v.sin(), v.cos());
        Tensor? sum = null;
        for (long d = 0; d < x1.size(1); d++)
        {
            var sine = su.select(1, d).unsqueeze(1) * cv.select(1, d).unsqueeze(0) - cu.select(1, d).unsqueeze(1) * sv.select(1, d).unsqueeze(0);
            var term = sine.square();
            sum = sum is null ? term : sum + term;
        }
        return (-2.0 * sum! / Lengthscale.Value().square()).exp();
    }

    /// <inheritdoc />
    protected internal override Tensor DiagonalCore(Tensor x) =>
        ones(x.size(0), dtype: ScalarType.Float64, device: x.device);

    /// <inheritdoc />
    public override string ToString() => $"PeriodicKernel(p={Format(Period)}, ℓ={Format(Lengthscale)})";

    /// <inheritdoc />
    protected override void DisposeCore()
    {
        Period.Dispose();
        Lengthscale.Dispose();
    }
}
