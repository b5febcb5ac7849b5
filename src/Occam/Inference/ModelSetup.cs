using Occam.Data;
using Occam.Likelihoods;
using Occam.Models;
using Occam.Priors;
using Occam.Training;

namespace Occam.Inference;

/// <summary>The model every network-based method starts from: architecture, likelihood, prior and MAP training.</summary>
public sealed record ModelSetup
{
    /// <summary>Architecture (default: one hidden layer of 50 ReLU units).</summary>
    public NetworkSpec Network { get; init; } = new MlpSpec([50]);

    /// <summary>Observation model; null picks the task's default (learned-noise Gaussian, or categorical).</summary>
    public Likelihood? Likelihood { get; init; }

    /// <summary>Prior on the weights (default Gaussian with precision λ = 1, i.e. weight decay λ/N).</summary>
    public IPrior Prior { get; init; } = new GaussianPrior(1.0);

    /// <summary>MAP training hyperparameters.</summary>
    public TrainerOptions Training { get; init; } = new();

    /// <summary>Standardise vector inputs and regression targets on the training split (default true).</summary>
    public bool Standardise { get; init; } = true;

    /// <summary>The likelihood to use for data of <paramref name="task"/>.</summary>
    /// <exception cref="ArgumentException">The setup's likelihood models the other task.</exception>
    public Likelihood LikelihoodFor(TaskKind task)
    {
        var likelihood = Likelihood ?? Likelihoods.Likelihood.Default(task);
        if (likelihood.Task != task) throw new ArgumentException($"A {likelihood.Name} likelihood cannot model {task.ToString().ToLowerInvariant()} data.", nameof(task));
        return likelihood;
    }

    /// <summary>The prior as a Gaussian, for methods whose algebra needs one (Laplace, variational inference).</summary>
    /// <exception cref="ArgumentException">Another prior; the message names the method.</exception>
    public GaussianPrior GaussianPrior(string method) => Prior as GaussianPrior
        ?? throw new ArgumentException($"{method} needs a Gaussian prior; this model has a {Prior.Name} prior.", nameof(Prior));
}
