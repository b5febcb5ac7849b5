using Occam.Core;
using TorchSharp;
using static TorchSharp.torch;

namespace Occam.Priors;

/// <summary>
/// Independent Laplace prior on every weight, p(θ) = Πᵢ (1/2b) exp(−|θᵢ|/b) with scale b &gt; 0 (L1; the
/// Bayesian lasso's prior). Each weight has variance 2b²; the density has a cusp at 0, so its MAP sets
/// weights exactly to zero where the data do not pull them away.
/// <para>
/// MAP training uses the <b>subgradient</b> of −log p: (1/b)·sign(θ), with sign(0) = 0, added to the
/// parameters' gradients by <see cref="AddNegativeLogDensityGradient"/>, scaled by 1/N like coupled weight
/// decay (see <see cref="LogPosterior"/>). The optimiser (SGD, Adam) therefore reaches the L1-penalised
/// optimum up to an oscillation of the order of the learning rate around weights whose optimum is 0; a
/// decaying schedule (cosine) shrinks it. The per-example objective is mean NLL + ‖θ‖₁/(N b), which for a
/// Gaussian likelihood of noise σ is the lasso (1/2N)‖y − Xθ‖² + α‖θ‖₁ with α = σ²/(N b).
/// </para>
/// <para>
/// Samplers use the same gradient (the SG-MCMC target) and <see cref="LogDensity"/> (HMC's acceptance
/// test and the traces). Laplace approximations and variational inference need a Gaussian prior and
/// refuse this one.
/// </para>
/// </summary>
public sealed record LaplacePrior : IPrior
{
    /// <summary>Creates the prior with scale b (finite, positive).</summary>
    /// <exception cref="ArgumentOutOfRangeException">b is not positive and finite.</exception>
    public LaplacePrior(double scale = 1.0)
    {
        if (!(scale > 0) || !double.IsFinite(scale))
            throw new ArgumentOutOfRangeException(nameof(scale), $"Laplace prior scale must be positive and finite; got {scale}.");
        Scale = scale;
    }

    /// <summary>Scale b of each weight's Laplace density (its standard deviation is √2·b).</summary>
    public double Scale { get; }

    /// <inheritdoc />
    public string Name => FormattableString.Invariant($"laplace(scale={Scale:G4})");

    /// <summary>The lasso penalty α = σ²/(N b) that this prior implies for a Gaussian likelihood of noise σ on N examples.</summary>
    public double LassoPenalty(double noiseSd, long trainingSize)
    {
        if (trainingSize < 1) throw new ArgumentOutOfRangeException(nameof(trainingSize), "Training size must be positive.");
        if (!(noiseSd > 0)) throw new ArgumentOutOfRangeException(nameof(noiseSd), "Noise standard deviation must be positive.");
        return noiseSd * noiseSd / (trainingSize * Scale);
    }

    /// <summary>
    /// log p(θ) = −‖θ‖₁/b − P log(2b) for θ [P] (any float dtype): a float64 scalar that carries gradients to θ
    /// (autograd's gradient of |θ| at 0 is 0, the subgradient used by training). The caller owns the result.
    /// </summary>
    public Tensor LogDensity(Tensor theta)
    {
        ArgumentNullException.ThrowIfNull(theta);
        if (theta.dim() != 1) throw new ArgumentException($"Expected a weight vector [P]; got [{string.Join(", ", theta.shape)}].", nameof(theta));
        using var scope = NewDisposeScope();
        var l1 = theta.to_type(ScalarType.Float64).abs().sum();
        return (-l1 / Scale - theta.numel() * Math.Log(2 * Scale)).MoveToOuterDisposeScope();
    }

    /// <summary>Adds <paramref name="scale"/>·sign(θ)/b to each parameter's gradient, in place (no allocation kept; parameters without a gradient are skipped).</summary>
    public void AddNegativeLogDensityGradient(WeightSpace space, double scale)
    {
        ArgumentNullException.ThrowIfNull(space);
        double step = scale / Scale;
        if (step == 0) return;
        using var noGrad = no_grad();
        foreach (var p in space.Parameters)
        {
            if (p.grad is not { } grad) continue;
            using var sign = p.sign();
            grad.add_(sign, alpha: step);
        }
    }

    /// <summary>
    /// Draws [count, size] float32 weights, each the difference of two exponentials of mean b (a Laplace(0, b)
    /// draw), from <paramref name="generator"/> (libtorch's default when null). The caller owns the result.
    /// </summary>
    public Tensor Sample(int count, long size, Generator? generator = null)
    {
        if (count < 1 || size < 1) throw new ArgumentOutOfRangeException(nameof(count), "Need at least one draw of at least one weight.");
        using var scope = NewDisposeScope();
        var shape = new long[] { count, size };
        // 1 − U ∈ (0, 1] keeps the logarithms finite.
        var e1 = rand(shape, generator: generator).neg_().log1p_();
        var e2 = rand(shape, generator: generator).neg_().log1p_();
        return ((e2 - e1) * Scale).MoveToOuterDisposeScope();
    }
}
