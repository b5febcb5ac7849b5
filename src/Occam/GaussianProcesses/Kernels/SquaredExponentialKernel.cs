using static TorchSharp.torch;

namespace Occam.GaussianProcesses.Kernels;

/// <summary>The squared exponential (RBF) kernel k = exp(−r²/2), r² = Σ_d (x_d − x′_d)²/ℓ_d², with shared or ARD lengthscales.</summary>
public sealed class SquaredExponentialKernel : StationaryKernel
{
    /// <summary>One lengthscale (default 1) shared by all dimensions, or one per dimension (ARD); all positive and finite.</summary>
    public SquaredExponentialKernel(params double[] lengthscales) : base(nameof(SquaredExponentialKernel), lengthscales) { }

    /// <inheritdoc />
    protected override Tensor FromDistance(Tensor squaredDistance, Func<Tensor> distance) =>
        (squaredDistance.requires_grad ? squaredDistance.mul(-0.5) : squaredDistance.mul_(-0.5)).exp_();   // in place when no graph is recorded
}
