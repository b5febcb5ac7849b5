using Occam.Core;
using TorchSharp;
using static TorchSharp.torch;

namespace Occam.Priors;

/// <summary>
/// Isotropic Gaussian prior on the weights, p(θ) = N(0, λ⁻¹ I) with precision λ (L2). λ = 0 is the
/// improper flat prior (maximum likelihood), whose log density is taken as 0.
/// <para>
/// The mapping to weight decay (see <see cref="LogPosterior"/>): optimisers minimise the per-example
/// objective (1/N)[−log p(D|θ)] + (λ/2N)‖θ‖², whose prior gradient is (λ/N)·θ, so a prior precision λ
/// on N training examples is coupled (L2) weight decay λ/N, and weight decay d is the precision d·N.
/// </para>
/// </summary>
public sealed record GaussianPrior : IPrior
{
    /// <summary>Creates the prior with precision λ ≥ 0 (0 = flat).</summary>
    public GaussianPrior(double precision = 1.0)
    {
        if (!(precision >= 0) || !double.IsFinite(precision))
            throw new ArgumentOutOfRangeException(nameof(precision), $"Prior precision must be finite and non-negative; got {precision}.");
        Precision = precision;
    }

    /// <summary>Prior precision λ (inverse variance of each weight).</summary>
    public double Precision { get; }

    /// <inheritdoc />
    public string Name => FormattableString.Invariant($"gaussian(precision={Precision:G4})");

    /// <summary>The coupled weight decay λ / N that makes per-example-averaged training find this prior's MAP.</summary>
    public double WeightDecay(long trainingSize)
    {
        if (trainingSize < 1) throw new ArgumentOutOfRangeException(nameof(trainingSize), "Training size must be positive.");
        return Precision / trainingSize;
    }

    /// <summary>The prior precision equivalent to coupled weight decay d on N examples: d·N.</summary>
    public static GaussianPrior FromWeightDecay(double weightDecay, long trainingSize) => new(weightDecay * trainingSize);

    /// <summary>log p(θ) = −(λ/2)‖θ‖² + (P/2) log(λ / 2π) (0 for the flat prior), differentiable in θ.</summary>
    public Tensor LogDensity(Tensor theta)
    {
        ArgumentNullException.ThrowIfNull(theta);
        if (theta.dim() != 1) throw new ArgumentException($"Expected a weight vector [P]; got [{string.Join(", ", theta.shape)}].", nameof(theta));
        if (Precision == 0) return zeros(1, ScalarType.Float64, theta.device).squeeze();
        using var scope = NewDisposeScope();
        var sq = theta.to_type(ScalarType.Float64).square().sum();
        return (-0.5 * Precision * sq + 0.5 * theta.numel() * Math.Log(Precision / (2 * Math.PI))).MoveToOuterDisposeScope();
    }

    /// <inheritdoc />
    public void AddNegativeLogDensityGradient(WeightSpace space, double scale)
    {
        ArgumentNullException.ThrowIfNull(space);
        double decay = scale * Precision;
        if (decay == 0) return;
        using var noGrad = no_grad();
        foreach (var p in space.Parameters)
            p.grad?.add_(p, alpha: decay);
    }

    /// <inheritdoc />
    public Tensor Sample(int count, long size, Generator? generator = null)
    {
        if (!(Precision > 0)) throw new InvalidOperationException("Cannot sample from a flat prior (precision 0).");
        if (count < 1 || size < 1) throw new ArgumentOutOfRangeException(nameof(count), "Need at least one draw of at least one weight.");
        return randn(new long[] { count, size }, generator: generator).div_(Math.Sqrt(Precision));
    }
}
