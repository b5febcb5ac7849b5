using static TorchSharp.torch;

namespace Occam.GaussianProcesses.Kernels;

/// <summary>A kernel built from two parts that it owns: the base of <see cref="SumKernel"/> and <see cref="ProductKernel"/>.</summary>
public abstract class CompositeKernel : Kernel
{
    /// <summary>Takes ownership of both parts.</summary>
    protected CompositeKernel(Kernel left, Kernel right)
    {
        Left = left ?? throw new ArgumentNullException(nameof(left));
        Right = right ?? throw new ArgumentNullException(nameof(right));
    }

    /// <summary>The first part.</summary>
    public Kernel Left { get; }

    /// <summary>The second part.</summary>
    public Kernel Right { get; }

    /// <inheritdoc />
    public override IReadOnlyList<Hyperparameter> Hyperparameters =>
        Left.Hyperparameters.Concat(Right.Hyperparameters).Distinct(ReferenceEqualityComparer.Instance).Cast<Hyperparameter>().ToList();

    /// <inheritdoc />
    protected internal override void CheckInputDimension(long dimension)
    {
        Left.CheckInputDimension(dimension);
        Right.CheckInputDimension(dimension);
    }

    /// <inheritdoc />
    protected override void DisposeCore()
    {
        Left.Dispose();
        Right.Dispose();
    }
}
