using Occam.Likelihoods;
using Occam.Priors;
using static TorchSharp.torch;

namespace Occam.Core;

/// <summary>
/// The (tempered) log posterior of a network's weights on N training examples, the one place where
/// Occam's scaling conventions live:
/// <code>
/// log p(θ | D) = Σₙ log p(yₙ | xₙ, θ) + log p(θ) + const          (full data)
/// LogPosterior(θ, B) = (N/|B|) Σ_{n∈B} log p(yₙ | xₙ, θ) + log p(θ)  (mini-batch B, unbiased)
/// </code>
/// <list type="bullet">
/// <item>Optimisers (MAP, ensembles, MC dropout, SWA) minimise the <b>per-example</b> negative log
/// posterior −LogPosterior/N = mean batch NLL − log p(θ)/N; for a Gaussian prior of precision λ the
/// prior term is coupled weight decay λ/N (<see cref="GaussianPrior"/>).</item>
/// <item>Variational methods use the same scale: Bayes by Backprop minimises mean batch NLL + KL(q‖p)/N;
/// IVON's effective sample size λ defaults to N and its weight decay δ = prior precision / N.</item>
/// <item>Temperature T: the tempered posterior is p_T(θ|D) ∝ exp(LogPosterior(θ)/T); T = 1 is the
/// Bayes posterior, T &lt; 1 a "cold" one. The mode does not depend on T, so optimisers ignore it;
/// samplers scale their injected noise by √T; the Laplace approximation scales its covariance by T; IVON runs
/// with ess = N/T and weight decay λ/N; VI weights its KL by T against the prior N(0, T/λ). Each tempers the prior
/// together with the likelihood.</item>
/// </list>
/// </summary>
public sealed class LogPosterior
{
    /// <summary>Creates the log posterior.</summary>
    /// <param name="likelihood">The observation model.</param>
    /// <param name="prior">The prior over θ.</param>
    /// <param name="trainingSize">N, the number of training examples (≥ 1).</param>
    /// <param name="temperature">T &gt; 0 (default 1, the Bayes posterior).</param>
    public LogPosterior(Likelihood likelihood, IPrior prior, long trainingSize, double temperature = 1.0)
    {
        Likelihood = likelihood ?? throw new ArgumentNullException(nameof(likelihood));
        Prior = prior ?? throw new ArgumentNullException(nameof(prior));
        if (trainingSize < 1) throw new ArgumentOutOfRangeException(nameof(trainingSize), $"The training set must hold at least one example; got {trainingSize}.");
        if (!(temperature > 0) || !double.IsFinite(temperature)) throw new ArgumentOutOfRangeException(nameof(temperature), $"Temperature must be positive and finite; got {temperature}.");
        TrainingSize = trainingSize;
        Temperature = temperature;
    }

    /// <summary>The observation model.</summary>
    public Likelihood Likelihood { get; }

    /// <summary>The prior over θ.</summary>
    public IPrior Prior { get; }

    /// <summary>N, the number of training examples.</summary>
    public long TrainingSize { get; }

    /// <summary>Temperature T (1: the Bayes posterior).</summary>
    public double Temperature { get; }

    /// <summary>
    /// The mean negative log-likelihood of a batch, (1/|B|) Σ −log p(y|f), from raw outputs [B, O] and
    /// targets, as a scalar that carries gradients to the outputs.
    /// </summary>
    public Tensor MeanNegativeLogLikelihood(Tensor outputs, Tensor targets) => Likelihood.NegativeLogLikelihood(outputs, targets).mean();

    /// <summary>
    /// (N/|B|) Σ_B log p(y|x, θ) + log p(θ) at the space's current weights for a batch, a float64 scalar
    /// that carries gradients to the weights (not divided by T).
    /// </summary>
    public Tensor Evaluate(WeightSpace space, Tensor inputs, Tensor targets)
    {
        ArgumentNullException.ThrowIfNull(space);
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentNullException.ThrowIfNull(targets);
        using var scope = NewDisposeScope();
        var nll = Likelihood.NegativeLogLikelihood(space.Forward(inputs), targets);
        double scale = (double)TrainingSize / nll.shape[0];
        var data = -nll.sum().to_type(ScalarType.Float64) * scale;
        var theta = cat(space.Parameters.Select(p => p.reshape(-1)).ToArray());
        return (data + Prior.LogDensity(theta)).MoveToOuterDisposeScope();
    }
}
