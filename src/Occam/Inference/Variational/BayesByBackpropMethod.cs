using Occam.Data;
using Occam.Likelihoods;
using Occam.Models;
using Occam.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace Occam.Inference.Variational;

/// <summary>
/// Mean-field Gaussian variational inference, Bayes by Backprop (Blundell et al. 2015): fit
/// q(w) = N(μ, diag σ²) by minimising the negative ELBO per training example,
/// (1/N)·(E_q[−log p(D|w)] + KL(q‖p)), i.e. the batch-mean negative log-likelihood at sampled
/// weights plus KL/N, with the KL to the prior p = N(0, λ⁻¹I) in closed form. Linear layers sample
/// by local reparameterisation, Conv2d layers by Flipout. The likelihood's own parameters (a learned
/// noise) stay point estimates, trained jointly. The result is a <see cref="DiagonalGaussianPosterior"/>
/// over the plain network.
/// </summary>
public sealed class BayesByBackpropMethod : NetworkMethod
{
    /// <summary>Creates the method; the prior must be proper (precision λ &gt; 0) for the KL term.</summary>
    /// <exception cref="ArgumentException">A flat prior or invalid options.</exception>
    public BayesByBackpropMethod(ModelSetup setup, VariationalOptions? options = null) : base(setup)
    {
        if (!(setup.Prior.Precision > 0))
            throw new ArgumentException("Variational inference needs a proper Gaussian prior (precision > 0) for its KL term; got precision 0.", nameof(setup));
        Options = (options ?? new VariationalOptions()).Validate();
    }

    /// <summary>Samples, initial σ, MAP initialisation and prediction options.</summary>
    public VariationalOptions Options { get; }

    /// <inheritdoc />
    public override string Name => "vi";

    /// <summary>Trains the Bayesian network; the returned member holds the <see cref="BayesianNetwork"/> (turned into the posterior by <see cref="CreatePosterior"/>).</summary>
    protected override IReadOnlyList<NetworkMember> FitMembers(Dataset data, Likelihood likelihood, NetworkDescription description, FitContext context)
    {
        var start = Setup.Network.Create(description.InputShape, description.Outputs, 1, context.Seed);
        Likelihood? sized = null;
        BayesianNetwork? network = null;
        optim.Optimizer? optimizer = null;
        try
        {
            BayesianNetwork.EnsureSupported(start); // refuse before any training
            if (Options.InitialiseFromMap)
            {
                var map = TrainOne(data, likelihood, description, context, 1, "vi: map");
                start.Dispose();
                (start, sized) = (map.Network, map.Likelihood); // the MAP's learned noise is the starting point too
            }
            else sized = likelihood.ForMembers(1, context.ResolvedDevice);
            start.to(context.ResolvedDevice);
            var bayesian = BayesianNetwork.FromNetwork(start, Options.InitialSd);
            network = bayesian;
            bayesian.TrainingSamples = Options.TrainingSamples;
            double precision = Setup.Prior.Precision, count = data.Count;
            var hooks = new TrainingHooks
            {
                GradientPenalty = () => bayesian.AddKullbackLeiblerGradient(precision, 1 / count),
                HandlesPrior = true,
                Optimizer = parameters => optimizer = Optimizers.WithScaledGroup(parameters, bayesian.RawScales, Options.ScaleLearningRateFactor, Setup.Training),
            };
            Trainer.Train(bayesian, sized, data, Setup.Prior, Setup.Training, context, 1, "vi", hooks);
            return [new NetworkMember(bayesian, sized, false)];
        }
        catch
        {
            network?.Dispose();
            sized?.Dispose();
            throw;
        }
        finally
        {
            optimizer?.Dispose();
            start.Dispose(); // the Bayesian network holds copies of its weights
        }
    }

    /// <summary>Copies μ into a plain network and wraps it with σ in a <see cref="DiagonalGaussianPosterior"/>.</summary>
    protected override IPosterior CreatePosterior(TaskKind task, IReadOnlyList<NetworkMember> members, Standardiser standardiser,
        NetworkDescription description, Dataset data, FitContext context)
    {
        var member = members[0];
        var bayesian = (BayesianNetwork)member.Network;
        var network = description.Spec.Create(description.InputShape, description.Outputs, 1, context.Seed);
        Tensor? sd = null;
        try
        {
            network.to(context.ResolvedDevice);
            using (var means = bayesian.Means.detach()) FlatParameters.Set(network, means);
            sd = bayesian.StandardDeviations();
            var posterior = new DiagonalGaussianPosterior(Name, task, network, member.Likelihood, sd, standardiser, description,
                Options.PredictionSamples, Options.Prediction, context.Seed);
            bayesian.Dispose();
            return posterior;
        }
        catch
        {
            network.Dispose();
            sd?.Dispose();
            throw;
        }
    }
}
