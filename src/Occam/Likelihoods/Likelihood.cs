using Occam.Data;
using Occam.Inference;
using TorchSharp;
using static TorchSharp.torch;

namespace Occam.Likelihoods;

/// <summary>
/// The observation model p(y | f(x; w)) on a network's raw outputs f. It gives the training loss
/// (negative log-likelihood), turns member outputs into a <see cref="Predictive"/>, and gives the
/// output-space Hessian Λ of the negative log-likelihood used by Laplace's GGN (Jᵀ Λ J).
/// Raw outputs have shape [..., N, O]; a leading dimension indexes members or samples.
/// </summary>
public abstract class Likelihood : IDisposable
{
    /// <summary>Regression or classification.</summary>
    public abstract TaskKind Task { get; }

    /// <summary>A short name for reports.</summary>
    public abstract string Name { get; }

    /// <summary>Raw network outputs O needed for T regression targets or C classes.</summary>
    public abstract int OutputCount(int width);

    /// <summary>Learnable likelihood parameters (e.g. the log noise scale), trained with the network.</summary>
    public virtual IReadOnlyList<TorchSharp.Modules.Parameter> Parameters => [];

    /// <summary>A fresh copy for K members stacked along a leading dimension (K = 1: no leading dimension), its parameters on <paramref name="device"/>.</summary>
    public abstract Likelihood ForMembers(int members, Device? device = null);

    /// <summary>Per-example negative log-likelihood [..., N] (summed over regression targets).</summary>
    /// <param name="raw">Raw outputs [..., N, O].</param>
    /// <param name="targets">float [..., N, T] or int64 labels [..., N].</param>
    public abstract Tensor NegativeLogLikelihood(Tensor raw, Tensor targets);

    /// <summary>
    /// The per-example loss [..., N] that training minimises (default: <see cref="NegativeLogLikelihood"/>).
    /// A likelihood may reweight examples here to condition the gradients without moving the optimum
    /// (β-NLL, <see cref="HeteroscedasticGaussianLikelihood"/>); evidence, metrics and curvature always use
    /// the exact negative log-likelihood.
    /// </summary>
    /// <param name="raw">Raw outputs [..., N, O].</param>
    /// <param name="targets">float [..., N, T] or int64 labels [..., N].</param>
    public virtual Tensor TrainingLoss(Tensor raw, Tensor targets) => NegativeLogLikelihood(raw, targets);

    /// <summary>The Bayesian model average of S members from their raw outputs [S, N, O] (member s uses this likelihood's member s when it holds K = S members).</summary>
    public abstract Predictive Predict(Tensor raw);

    /// <summary>
    /// The predictive of a latent Gaussian over the raw outputs, f(x) ~ N(<paramref name="mean"/> [N, O],
    /// <paramref name="covariance"/> [N, O, O]) per input (float64; a linearised Laplace or a GP): in closed
    /// form for regression (the latent variance is the epistemic part), from S latent samples for
    /// classification (with probit probabilities by default), so mutual information stays positive.
    /// </summary>
    public abstract Predictive PredictLatent(Tensor mean, Tensor covariance, LatentPrediction prediction);

    /// <summary>K single-member likelihoods of the same kind as one likelihood of K members (e.g. the noise of each ensemble member).</summary>
    /// <exception cref="ArgumentException">Mixed kinds, or members that already stack members.</exception>
    public virtual Likelihood Stack(IReadOnlyList<Likelihood> members)
    {
        ArgumentNullException.ThrowIfNull(members);
        if (members.Count == 0 || members.Any(m => m.GetType() != GetType()))
            throw new ArgumentException($"Stacking needs {GetType().Name} members only.", nameof(members));
        return ForMembers(members.Count);
    }

    /// <summary>
    /// Output-space Hessian (or Fisher, where the Hessian is not PSD) of the negative log-likelihood
    /// with respect to the raw outputs, [..., N, O, O].
    /// </summary>
    public abstract Tensor OutputHessian(Tensor raw);

    /// <summary>Values of the learned or fixed scalars for reports (e.g. noise sd per member).</summary>
    public virtual IReadOnlyDictionary<string, double[]> Describe() => new Dictionary<string, double[]>();

    /// <summary>Releases the learnable parameters.</summary>
    public virtual void Dispose() => GC.SuppressFinalize(this);

    /// <summary>The default likelihood of a task: learned homoscedastic Gaussian or categorical.</summary>
    public static Likelihood Default(TaskKind task) =>
        task == TaskKind.Regression ? new GaussianLikelihood() : new CategoricalLikelihood();
}
