using static TorchSharp.torch;

namespace Occam.GaussianProcesses.Kernels;

/// <summary>
/// The rational quadratic kernel k = (1 + r²/(2α))^(−α) (Rasmussen &amp; Williams 2006, eq. 4.19): a scale
/// mixture of squared exponentials, tending to one as α → ∞. Shared or ARD lengthscales; α trainable.
/// </summary>
public sealed class RationalQuadraticKernel : StationaryKernel
{
    /// <summary>Creates the kernel with mixture parameter <paramref name="alpha"/> (positive) and lengthscale(s).</summary>
    public RationalQuadraticKernel(double alpha = 1.0, params double[] lengthscales) : base(nameof(RationalQuadraticKernel), lengthscales)
    {
        Alpha = Own(new Hyperparameter($"{nameof(RationalQuadraticKernel)}.Alpha", [alpha]));
    }

    /// <summary>The mixture parameter α.</summary>
    public Hyperparameter Alpha { get; }

    /// <inheritdoc />
    protected override Tensor FromDistance(Tensor squaredDistance, Func<Tensor> distance)
    {
        var alpha = Alpha.Value();
        return (-alpha * (squaredDistance / (2.0 * alpha)).log1p()).exp();
    }

    /// <inheritdoc />
    protected override string Describe() => $", α={Format(Alpha)}";
}
