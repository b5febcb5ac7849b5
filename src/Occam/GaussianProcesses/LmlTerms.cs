using static TorchSharp.torch;

namespace Occam.GaussianProcesses;

/// <summary>
/// A log marginal likelihood (or bound) as differentiable float64 scalar tensors, split as in
/// <see cref="MarginalLikelihood"/>. <see cref="Total"/> can be back-propagated to the raw
/// hyperparameters (first derivatives; the gradient is assembled analytically, so double backward is not
/// supported). Owns its tensors; sealed and idempotently disposable.
/// </summary>
public sealed class LmlTerms : IDisposable
{
    internal LmlTerms(Tensor dataFit, Tensor complexity, double constant, Tensor? penalty, double jitter)
    {
        DataFit = dataFit;
        Complexity = complexity;
        Penalty = penalty;
        Constant = constant;
        Jitter = jitter;
        Total = penalty is null ? dataFit + complexity + constant : dataFit + complexity + penalty + constant;
    }

    /// <summary>The data-fit part, a float64 scalar tensor.</summary>
    public Tensor DataFit { get; }

    /// <summary>The complexity (log-determinant) part, a float64 scalar tensor.</summary>
    public Tensor Complexity { get; }

    /// <summary>The extra term of a bound (the SGPR trace term), or null.</summary>
    public Tensor? Penalty { get; }

    /// <summary>The constant part.</summary>
    public double Constant { get; }

    /// <summary>The sum of the parts, a float64 scalar tensor to back-propagate.</summary>
    public Tensor Total { get; }

    /// <summary>The jitter the Cholesky factorisation needed (0 when none).</summary>
    public double Jitter { get; }

    /// <summary>The values as plain numbers.</summary>
    public MarginalLikelihood ToRecord() =>
        new(DataFit.item<double>(), Complexity.item<double>(), Constant, Penalty?.item<double>() ?? 0);

    /// <summary>Moves every tensor to the dispose scope enclosing the current one; returns this.</summary>
    internal LmlTerms MoveToOuterDisposeScope()
    {
        DataFit.MoveToOuterDisposeScope();
        Complexity.MoveToOuterDisposeScope();
        Penalty?.MoveToOuterDisposeScope();
        Total.MoveToOuterDisposeScope();
        return this;
    }

    /// <summary>Releases the tensors; idempotent.</summary>
    public void Dispose()
    {
        DataFit.Dispose();
        Complexity.Dispose();
        Penalty?.Dispose();
        Total.Dispose();
    }
}
