using TorchSharp;
using static TorchSharp.torch;

namespace Occam.Priors;

/// <summary>
/// Isotropic Gaussian prior on the weights, p(w) = N(0, λ⁻¹ I) with precision λ (L2).
/// <para>
/// The mapping to weight decay: MAP maximises log p(D|w) + log p(w); Occam's trainer minimises the
/// per-example average (1/N)[−log p(D|w)] + (λ/2N)‖w‖², whose prior gradient is (λ/N)·w. So a
/// prior precision λ on N training examples is coupled (L2) weight decay <c>λ / N</c> applied to the
/// gradient, for every optimiser (SGD, Adam, AdamW), and the fixed point of training is the mode
/// of the stated posterior. Conversely, weight decay d on N examples is the prior precision d·N.
/// </para>
/// </summary>
public sealed record GaussianPrior
{
    /// <summary>Creates the prior with precision λ ≥ 0 (0 = flat, maximum likelihood).</summary>
    public GaussianPrior(double precision = 1.0)
    {
        if (!(precision >= 0) || !double.IsFinite(precision))
            throw new ArgumentOutOfRangeException(nameof(precision), $"Prior precision must be finite and non-negative; got {precision}.");
        Precision = precision;
    }

    /// <summary>Prior precision λ (inverse variance of each weight).</summary>
    public double Precision { get; }

    /// <summary>The coupled weight decay λ / N that makes per-example-averaged training find this prior's MAP.</summary>
    public double WeightDecay(long trainingSize)
    {
        if (trainingSize < 1) throw new ArgumentOutOfRangeException(nameof(trainingSize), "Training size must be positive.");
        return Precision / trainingSize;
    }

    /// <summary>The prior precision equivalent to coupled weight decay d on N examples: d·N.</summary>
    public static GaussianPrior FromWeightDecay(double weightDecay, long trainingSize) => new(weightDecay * trainingSize);

    /// <summary>log p(w) = −(λ/2)‖w‖² + (P/2) log(λ / 2π), for a weight vector [P] (λ &gt; 0).</summary>
    public double LogDensity(Tensor weights)
    {
        ArgumentNullException.ThrowIfNull(weights);
        if (!(Precision > 0)) throw new InvalidOperationException("A flat prior (precision 0) has no normalised density.");
        using var scope = NewDisposeScope();
        var p = weights.numel();
        var sq = weights.to_type(ScalarType.Float64).square().sum().item<double>();
        return -0.5 * Precision * sq + 0.5 * p * Math.Log(Precision / (2 * Math.PI));
    }

    /// <summary>Draws <paramref name="count"/> weight vectors [count, P] from the prior (prior predictive checks).</summary>
    public Tensor Sample(int count, long parameterCount, Generator? generator = null)
    {
        if (!(Precision > 0)) throw new InvalidOperationException("Cannot sample from a flat prior.");
        return randn(new long[] { count, parameterCount }, generator: generator) / Math.Sqrt(Precision);
    }
}
