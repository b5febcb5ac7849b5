using Occam.Core;
using Occam.Likelihoods;
using Occam.Priors;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Occam.Inference.Sampling;

/// <summary>
/// What a sampler moves: a network's weights θ (K chains stacked along the member dimension of an MLP, or
/// one chain) and the likelihood's own parameters ψ (a learned Gaussian noise's log σ, one per chain). The
/// potential is Û(θ, ψ) = −(N/n) Σᵢ log p(yᵢ|xᵢ, θ, ψ) − log p(θ): the model's prior on θ and a flat prior on
/// ψ (for log σ, the scale-invariant p(σ) ∝ 1/σ). <see cref="Gradient"/> leaves ∇Û/N in the parameters'
/// gradients, the per-example scale that samplers multiply by their per-example step sizes.
/// </summary>
public sealed class SamplerTarget
{
    /// <summary>Creates the target; the network and likelihood stay the caller's.</summary>
    /// <param name="network">The network (K stacked members for K batched chains), updated in place by the kernels.</param>
    /// <param name="likelihood">The likelihood, sized for the same K.</param>
    /// <param name="prior">The prior on θ (for K &gt; 1 batched chains, one that treats the rows of a stacked MLP as members: Gaussian, Laplace, informative Gaussian or spike-and-slab).</param>
    public SamplerTarget(nn.Module<Tensor, Tensor> network, Likelihood likelihood, IPrior prior)
    {
        Network = network ?? throw new ArgumentNullException(nameof(network));
        Likelihood = likelihood ?? throw new ArgumentNullException(nameof(likelihood));
        Prior = prior ?? throw new ArgumentNullException(nameof(prior));
        Weights = WeightSpace.Of(network);
        Blocks = [.. Weights.Parameters, .. likelihood.Parameters];
    }

    /// <summary>The network.</summary>
    public nn.Module<Tensor, Tensor> Network { get; }

    /// <summary>The likelihood.</summary>
    public Likelihood Likelihood { get; }

    /// <summary>The prior on θ.</summary>
    public IPrior Prior { get; }

    /// <summary>The network's weight space.</summary>
    public WeightSpace Weights { get; }

    /// <summary>Everything the sampler moves: the network's parameters, then the likelihood's.</summary>
    public IReadOnlyList<Parameter> Blocks { get; }

    /// <summary>
    /// Sets every block's gradient to ∇Û/N for the batch: the mean negative log-likelihood's gradient (summed
    /// over stacked chains, whose gradients do not mix) plus −∇log p(θ)/N. Returns the batch's mean negative
    /// log-likelihood per chain (detached, averaged over chains).
    /// </summary>
    /// <param name="batch">[B, ...] for one chain, [K, B, ...] for K stacked chains.</param>
    /// <param name="chains">K.</param>
    /// <param name="trainingSize">N.</param>
    /// <param name="likelihoodScale">Multiplies the likelihood term (1; tests use n/N to drop the N/n scaling).</param>
    public Tensor Gradient(Batch batch, int chains, long trainingSize, double likelihoodScale = 1.0)
    {
        foreach (var p in Blocks) p.grad?.zero_();
        var nll = Likelihood.NegativeLogLikelihood(Network.call(batch.Inputs), batch.Targets);
        var loss = chains == 1 ? nll.mean() : nll.mean(new long[] { 1 }).sum();
        ChainLosses = nll.detach().reshape(chains, -1).mean(new long[] { 1 });
        (likelihoodScale == 1.0 ? loss : loss * likelihoodScale).backward();
        Prior.AddNegativeLogDensityGradient(Weights, 1.0 / trainingSize);
        return loss.detach() / chains;
    }

    /// <summary>
    /// The last <see cref="Gradient"/>'s mean negative log-likelihood of each chain's batch, [K] (detached; it
    /// belongs to the dispose scope of that call, so read it in the same step), or null before the first call.
    /// </summary>
    public Tensor? ChainLosses { get; private set; }

    /// <summary>The chains' weight vectors [K, P] (a detached copy).</summary>
    public Tensor Thetas(int chains)
    {
        using var theta = Weights.Get();
        return theta.view(chains, -1).clone();
    }

    /// <summary>The chains' likelihood parameters [K, Q] (a detached copy; Q = 0 when it has none).</summary>
    public Tensor LikelihoodValues(int chains)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var parts = Likelihood.Parameters.Select(p => p.detach().reshape(chains, -1).to_type(ScalarType.Float32)).ToArray();
        var values = parts.Length == 0 ? zeros(chains, 0) : cat(parts, 1);
        return values.clone().MoveToOuterDisposeScope();
    }

    /// <summary>
    /// log p(θ_k | D) up to a constant for each chain k, estimated on the fixed inputs and targets given
    /// (the likelihood sum scaled by N/n), float64 [K], without gradients.
    /// </summary>
    public double[] LogPosterior(Tensor inputs, Tensor targets, int chains, long trainingSize)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var nll = Likelihood.NegativeLogLikelihood(Network.call(inputs), chains == 1 ? targets : targets.unsqueeze(0).expand([chains, .. targets.shape]));
        var data = -nll.to_type(ScalarType.Float64).reshape(chains, -1).sum(1) * ((double)trainingSize / inputs.shape[0]);
        var thetas = Thetas(chains);
        var values = data.data<double>().ToArray();
        for (int k = 0; k < chains; k++) values[k] += Prior.LogDensity(thetas[k]).item<double>();
        return values;
    }
}
