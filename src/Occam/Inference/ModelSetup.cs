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

    /// <summary>Gaussian prior on the weights (precision λ, i.e. weight decay λ/N).</summary>
    public GaussianPrior Prior { get; init; } = new(1.0);

    /// <summary>MAP training hyperparameters.</summary>
    public TrainerOptions Training { get; init; } = new();

    /// <summary>Standardise vector inputs and regression targets on the training split (default true).</summary>
    public bool Standardise { get; init; } = true;

    /// <summary>The likelihood to use for data of <paramref name="task"/>.</summary>
    public Likelihood LikelihoodFor(TaskKind task)
    {
        var likelihood = Likelihood ?? Likelihoods.Likelihood.Default(task);
        if (likelihood.Task != task) throw new ArgumentException($"A {likelihood.Name} likelihood cannot model {task} data.", nameof(task));
        return likelihood;
    }
}
