using static TorchSharp.torch;

namespace Occam.GaussianProcesses.Kernels;

/// <summary>k(x, x′) = k₁(x, x′) · k₂(x, x′) (elementwise; positive semi-definite by the Schur product theorem); owns both parts.</summary>
public sealed class ProductKernel : CompositeKernel
{
    /// <summary>Takes ownership of both parts.</summary>
    public ProductKernel(Kernel left, Kernel right) : base(left, right) { }

    /// <inheritdoc />
    protected internal override Tensor MatrixCore(Tensor x1, Tensor x2) => Left.MatrixCore(x1, x2) * Right.MatrixCore(x1, x2);

    /// <inheritdoc />
    protected internal override Tensor DiagonalCore(Tensor x) => Left.DiagonalCore(x) * Right.DiagonalCore(x);

    /// <inheritdoc />
    public override string ToString() => $"({Left} * {Right})";
}
