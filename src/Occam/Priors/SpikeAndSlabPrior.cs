using System.Globalization;
using Occam.Core;
using TorchSharp;
using static TorchSharp.torch;

namespace Occam.Priors;

/// <summary>
/// A spike-and-slab prior for selecting input features of Occam's <see cref="Models.Mlp"/>. Each input j has
/// an inclusion indicator γⱼ ~ Bernoulli(ρⱼ); the group wⱼ of the H first-layer weights leaving input j
/// (row j of W_1, see <see cref="MlpLayout"/>) is N(0, σ_slab² I) when γⱼ = 1 and lies in a narrow spike
/// N(0, σ_spike² I) when γⱼ = 0. Every other weight and bias has the Gaussian prior <see cref="Rest"/>.
/// <para>
/// The spike is a narrow Gaussian, not a point mass at zero, so that γ can be summed out into a smooth
/// density: p(wⱼ) = ρⱼ N(wⱼ; 0, σ_slab² I) + (1 − ρⱼ) N(wⱼ; 0, σ_spike² I), a mixture over the whole group.
/// Optimisers and the SG-MCMC samplers use it unchanged, through <see cref="LogDensity"/> and the closed-form
/// gradient −∇log p(wⱼ) = (rⱼ/σ_slab² + (1 − rⱼ)/σ_spike²)·wⱼ, where
/// rⱼ = p(γⱼ = 1 | wⱼ) = ρⱼN_slab / (ρⱼN_slab + (1 − ρⱼ)N_spike) is the conditional inclusion probability.
/// </para>
/// <para>
/// Posterior inclusion probabilities are Rao-Blackwellised: given posterior draws θ⁽ˢ⁾, p(γⱼ = 1 | D) =
/// E[p(γⱼ = 1 | wⱼ) | D] ≈ (1/S) Σₛ rⱼ(θ⁽ˢ⁾) (γ is independent of the data given w), which has a lower
/// variance than counting which component a draw falls in (<see cref="InclusionProbabilities(Tensor)"/>).
/// With wide hidden layers the groups are long and rⱼ is almost 0 or 1, so a chain rarely moves a feature
/// between spike and slab; the probabilities then say where the chains settled.
/// </para>
/// </summary>
public sealed class SpikeAndSlabPrior : IPrior
{
    /// <summary>Creates the prior.</summary>
    /// <param name="layout">The network's layout: its inputs are the features d.</param>
    /// <param name="inclusion">ρⱼ in (0, 1): one value for every feature, or d values.</param>
    /// <param name="slabSd">σ_slab &gt; σ_spike.</param>
    /// <param name="spikeSd">σ_spike &gt; 0.</param>
    /// <param name="rest">The prior of every other weight (default N(0, 1)); it may not override the first layer's weights.</param>
    /// <exception cref="ArgumentException">A value out of range (the message names it).</exception>
    public SpikeAndSlabPrior(MlpLayout layout, IReadOnlyList<double> inclusion, double slabSd = 1.0, double spikeSd = 0.1, InformativeGaussianPrior? rest = null)
    {
        Layout = layout ?? throw new ArgumentNullException(nameof(layout));
        ArgumentNullException.ThrowIfNull(inclusion);
        if (inclusion.Count != 1 && inclusion.Count != layout.Inputs)
            throw new ArgumentException($"Give one inclusion probability or one per input feature ({layout.Inputs}); got {inclusion.Count}.", nameof(inclusion));
        if (inclusion.Any(r => !(r > 0 && r < 1)))
            throw new ArgumentException($"Inclusion probabilities must lie strictly between 0 and 1; got {string.Join(", ", inclusion)}.", nameof(inclusion));
        if (!(spikeSd > 0) || !double.IsFinite(spikeSd)) throw new ArgumentException($"The spike scale must be positive and finite; got {spikeSd}.", nameof(spikeSd));
        if (!(slabSd > spikeSd) || !double.IsFinite(slabSd)) throw new ArgumentException($"The slab scale must be finite and larger than the spike scale ({spikeSd}); got {slabSd}.", nameof(slabSd));
        Inclusion = inclusion.Count == 1 ? Enumerable.Repeat(inclusion[0], layout.Inputs).ToArray() : [.. inclusion];
        SlabSd = slabSd;
        SpikeSd = spikeSd;
        Rest = rest ?? new InformativeGaussianPrior(1.0);
    }

    /// <summary>The network's layout.</summary>
    public MlpLayout Layout { get; }

    /// <summary>ρⱼ per input feature.</summary>
    public IReadOnlyList<double> Inclusion { get; }

    /// <summary>σ_slab.</summary>
    public double SlabSd { get; }

    /// <summary>σ_spike.</summary>
    public double SpikeSd { get; }

    /// <summary>The Gaussian prior of every weight outside the first layer's weight matrix.</summary>
    public InformativeGaussianPrior Rest { get; }

    /// <summary>For tests: a deliberately wrong prior.</summary>
    internal SpikeAndSlabDefect Defect { get; init; }

    /// <inheritdoc />
    public string Name => string.Create(CultureInfo.InvariantCulture,
        $"spike-slab(slab={SlabSd:G4}, spike={SpikeSd:G4}, inclusion={(Inclusion.Distinct().Count() == 1 ? Inclusion[0].ToString("G4", CultureInfo.InvariantCulture) : "per feature")}, rest={Rest.Name})");

    /// <summary>log p(θ) for θ [P] (any float dtype): Σⱼ log p(wⱼ) + log p_rest(rest), a float64 scalar carrying gradients to θ; the caller owns it.</summary>
    /// <exception cref="ArgumentException">θ is not a weight vector of this layout.</exception>
    public Tensor LogDensity(Tensor theta)
    {
        ArgumentNullException.ThrowIfNull(theta);
        if (theta.dim() != 1) throw new ArgumentException($"Expected a weight vector [P]; got [{string.Join(", ", theta.shape)}].", nameof(theta));
        var blocks = Resolve(theta.shape[0]);
        using var scope = NewDisposeScope();
        var (slab, spike) = Components(theta.unsqueeze(0), blocks);
        return (logaddexp(slab, spike).sum() + Rest.LogDensity(theta, FirstLayerLength(blocks))).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// rⱼ = p(γⱼ = 1 | wⱼ) for weight rows [S, P]: float64 [S, d], the caller owns it.
    /// </summary>
    public Tensor ConditionalInclusion(Tensor thetas)
    {
        ArgumentNullException.ThrowIfNull(thetas);
        if (thetas.dim() != 2) throw new ArgumentException($"Expected weight vectors [S, P]; got [{string.Join(", ", thetas.shape)}].", nameof(thetas));
        var blocks = Resolve(thetas.shape[1]);
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var (slab, spike) = Components(thetas.detach(), blocks);
        return (slab - spike).sigmoid().MoveToOuterDisposeScope();
    }

    /// <summary>The Rao-Blackwellised posterior inclusion probability of each feature from draws θ [S, P]: (1/S) Σₛ rⱼ(θ⁽ˢ⁾), d values.</summary>
    public double[] InclusionProbabilities(Tensor thetas)
    {
        using var r = ConditionalInclusion(thetas);
        using var mean = r.mean(new long[] { 0 }).cpu();
        return mean.data<double>().ToArray();
    }

    /// <inheritdoc />
    public void AddNegativeLogDensityGradient(WeightSpace space, double scale) => MemberGradient.Add(space, scale, NegativeGradient);

    /// <summary>
    /// Draws [count, size] float32 weight vectors: γⱼ ~ Bernoulli(ρⱼ), wⱼ from the slab or the spike, the rest
    /// from <see cref="Rest"/>. The caller owns the result.
    /// </summary>
    public Tensor Sample(int count, long size, Generator? generator = null)
    {
        if (count < 1 || size < 1) throw new ArgumentOutOfRangeException(nameof(count), "Need at least one draw of at least one weight.");
        var blocks = Resolve(size);
        using var scope = NewDisposeScope();
        int d = blocks.Inputs, h = blocks.FanOut;
        var theta = Rest.Sample(count, size, generator);
        var rho = tensor(Inclusion.ToArray()).expand(count, d);
        var gamma = rand(new long[] { count, d }, ScalarType.Float64, generator: generator).lt(rho).to_type(ScalarType.Float64);
        var sd = gamma * SlabSd + (1 - gamma) * SpikeSd;
        var w = randn(new long[] { count, d, h }, ScalarType.Float64, generator: generator) * sd.unsqueeze(2);
        theta.narrow(1, 0, (long)d * h).copy_(w.reshape(count, -1));
        return theta.MoveToOuterDisposeScope();
    }

    /// <summary>−∇log p per row [K, P] (float64) for detached weight rows.</summary>
    private Tensor NegativeGradient(Tensor rows)
    {
        var blocks = Resolve(rows.shape[1]);
        using var scope = NewDisposeScope();
        int d = blocks.Inputs, h = blocks.FanOut;
        var (slab, spike) = Components(rows, blocks);
        var r = (slab - spike).sigmoid();                                           // [K, d]
        var factor = r / (SlabSd * SlabSd) + (1 - r) / (SpikeSd * SpikeSd);
        var w = rows.narrow(1, 0, (long)d * h).to_type(ScalarType.Float64).view(-1, d, h);
        var first = (w * factor.unsqueeze(2)).reshape(rows.shape[0], -1);
        return cat(new[] { first, Rest.NegativeGradient(rows, FirstLayerLength(blocks)) }, 1).MoveToOuterDisposeScope();
    }

    /// <summary>log ρⱼ + log N(wⱼ; 0, σ_slab² I) and log(1 − ρⱼ) + log N(wⱼ; 0, σ_spike² I) per row, float64 [K, d] each.</summary>
    private (Tensor Slab, Tensor Spike) Components(Tensor rows, MlpBlocks blocks)
    {
        int d = blocks.Inputs, h = blocks.FanOut;
        var squares = rows.narrow(1, 0, (long)d * h).to_type(ScalarType.Float64).view(-1, d, h).square().sum(2); // ‖wⱼ‖² [K, d]
        var rho = Inclusion.ToArray();
        if (Defect == SpikeAndSlabDefect.SwappedOdds) rho = [.. rho.Select(r => 1 - r)];
        var logRho = tensor(rho.Select(r => Math.Log(r)).ToArray(), device: rows.device);
        var logNotRho = tensor(rho.Select(r => Math.Log(1 - r)).ToArray(), device: rows.device);
        var slab = logRho + LogGaussian(squares, SlabSd, h);
        var spike = logNotRho + LogGaussian(squares, SpikeSd, h);
        return (slab, spike);
    }

    /// <summary>log N(w; 0, σ² I_h) from ‖w‖².</summary>
    private static Tensor LogGaussian(Tensor squares, double sd, int h) => squares * (-0.5 / (sd * sd)) - 0.5 * h * Math.Log(2 * Math.PI * sd * sd);

    private static long FirstLayerLength(MlpBlocks blocks) => (long)blocks.Inputs * blocks.FanOut;

    /// <summary>The layout for θ of <paramref name="parameters"/> entries, checking that the rest prior leaves the first layer's weights alone.</summary>
    private MlpBlocks Resolve(long parameters)
    {
        var blocks = Layout.Resolve(parameters);
        if (Rest.OverriddenBlocks(parameters).Any(b => b.Offset < FirstLayerLength(blocks)))
            throw new ArgumentException("The spike-and-slab prior sets the first layer's weights; an override of the rest prior may not cover them.", nameof(parameters));
        return blocks;
    }
}

/// <summary>Deliberately wrong spike-and-slab priors that the ground-truth tests must reject.</summary>
internal enum SpikeAndSlabDefect
{
    /// <summary>The correct prior.</summary>
    None,

    /// <summary>ρ and 1 − ρ exchanged (in the density, its gradient and the conditional).</summary>
    SwappedOdds,
}
