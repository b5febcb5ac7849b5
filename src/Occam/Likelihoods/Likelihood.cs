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

    /// <summary>The Bayesian model average of S members from their raw outputs [S, N, O].</summary>
    public abstract Predictive Predict(Tensor raw);

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
