using static TorchSharp.torch;

namespace Occam.GaussianProcesses.Kernels;

/// <summary>k(x, x′) = s · k₀(x, x′) with a trainable output scale s &gt; 0 (the signal variance); owns its base kernel.</summary>
public sealed class ScaleKernel : Kernel
{
    private readonly Kernel _base;

    /// <summary>Wraps <paramref name="baseKernel"/> (taking ownership) with output scale <paramref name="outputscale"/> (positive, finite).</summary>
    public ScaleKernel(Kernel baseKernel, double outputscale = 1.0)
    {
        _base = baseKernel ?? throw new ArgumentNullException(nameof(baseKernel));
        Outputscale = new Hyperparameter("ScaleKernel.Outputscale", [outputscale]);
    }

    /// <summary>The output scale s (a variance).</summary>
    public Hyperparameter Outputscale { get; }

    /// <summary>The wrapped kernel.</summary>
    public Kernel Base => _base;

    /// <inheritdoc />
    public override IReadOnlyList<Hyperparameter> Hyperparameters =>
        new[] { Outputscale }.Concat(_base.Hyperparameters).Distinct(ReferenceEqualityComparer.Instance).Cast<Hyperparameter>().ToList();

    /// <inheritdoc />
    protected internal override Tensor MatrixCore(Tensor x1, Tensor x2)
    {
        var inner = _base.MatrixCore(x1, x2);
        var scale = Outputscale.Value();
        return scale.requires_grad || inner.requires_grad ? scale * inner : inner.mul_(scale);   // in place when no graph is recorded
    }

    /// <inheritdoc />
    protected internal override Tensor DiagonalCore(Tensor x) => Outputscale.Value() * _base.DiagonalCore(x);

    /// <inheritdoc />
    protected internal override void CheckInputDimension(long dimension) => _base.CheckInputDimension(dimension);

    /// <inheritdoc />
    public override string ToString() => $"{Format(Outputscale)} * {_base}";

    /// <inheritdoc />
    protected override void DisposeCore()
    {
        Outputscale.Dispose();
        _base.Dispose();
    }
}
