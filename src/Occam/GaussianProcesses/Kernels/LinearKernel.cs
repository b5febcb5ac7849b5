using static TorchSharp.torch;

namespace Occam.GaussianProcesses.Kernels;

/// <summary>
/// The linear (dot-product) kernel k = σ² x·x′: Bayesian linear regression through the origin with
/// weights N(0, σ²I). Its matrix has rank at most D.
/// </summary>
public sealed class LinearKernel : Kernel
{
    /// <summary>Creates the kernel with weight variance <paramref name="variance"/> (positive, finite).</summary>
    public LinearKernel(double variance = 1.0) => Variance = new Hyperparameter("LinearKernel.Variance", [variance]);

    /// <summary>The weight variance σ².</summary>
    public Hyperparameter Variance { get; }

    /// <inheritdoc />
    public override IReadOnlyList<Hyperparameter> Hyperparameters => [Variance];

    /// <inheritdoc />
    protected internal override Tensor MatrixCore(Tensor x1, Tensor x2) => Variance.Value() * x1.mm(x2.T);

    /// <inheritdoc />
    protected internal override Tensor DiagonalCore(Tensor x) => Variance.Value() * x.square().sum(1);

    /// <inheritdoc />
    public override string ToString() => $"LinearKernel(σ²={Format(Variance)})";

    /// <inheritdoc />
    protected override void DisposeCore() => Variance.Dispose();
}
