using Occam.Core;
using Occam.Likelihoods;
using Occam.Posteriors;
using Occam.Posteriors.Weights;
using TorchSharp;
using static TorchSharp.torch;

namespace Occam.Inference.Variational;

/// <summary>
/// Mean-field Gaussian variational inference, Bayes by Backprop (Blundell et al. 2015): fit
/// q(w) = N(μ, diag σ²) by minimising the negative ELBO per training example,
/// (1/N)·(E_q[−log p(D|w)] + KL(q‖p)), i.e. the batch-mean negative log-likelihood at sampled
/// weights plus KL/N, with the KL to the prior p = N(0, λ⁻¹I) in closed form. Linear layers sample
/// by local reparameterisation, Conv2d layers by Flipout. The likelihood's own parameters (a learned
/// noise) stay point estimates, trained jointly. The result is a diagonal Gaussian over the plain network.
/// </summary>
public sealed class BayesByBackpropMethod : NetworkMethod<VariationalOptions>
{
    /// <summary>Creates the method; the prior must be a proper Gaussian (precision λ &gt; 0) for the KL term.</summary>
    /// <exception cref="ArgumentException">A flat or non-Gaussian prior, or invalid options.</exception>
    public BayesByBackpropMethod(ModelSetup setup, VariationalOptions? options = null) : base("vi", setup, options ?? new VariationalOptions())
    {
        if (!(setup.GaussianPrior("Variational inference").Precision > 0))
            throw new ArgumentException("Variational inference needs a proper Gaussian prior (precision > 0) for its KL term; got precision 0.", nameof(setup));
    }

    /// <summary>The registry entry.</summary>
    public static MethodEntry Entry { get; } = MethodEntry.Create("vi", "Bayes by Backprop: mean-field Gaussian variational inference (local reparameterisation, Flipout)",
        new VariationalOptions(), (setup, options) => new BayesByBackpropMethod(setup, options));

    /// <inheritdoc />
    public override IPosteriorMethod With(ModelSetup setup) => new BayesByBackpropMethod(setup, Options);

    /// <inheritdoc />
    protected override IPosterior Fit(NetworkFit fit)
    {
        var seed = fit.Context.Seed;
        nn.Module<Tensor, Tensor>? start = null;
        Likelihood? likelihood = null;
        BayesianNetwork? bayesian = null;
        try
        {
            start = Setup.Network.Create(fit.Frame.InputShape, fit.Frame.Outputs, 1, seed);
            BayesianNetwork.EnsureSupported(start); // refuse before any training
            if (Options.InitialiseFromMap)
            {
                start.Dispose();
                (start, likelihood) = TrainMap(fit, 1, seed, "vi: map"); // the MAP's learned noise is the starting point too
            }
            else likelihood = fit.Likelihood.ForMembers(1, fit.Context.ResolvedDevice);
            start.to(fit.Context.ResolvedDevice);
            bayesian = BayesianNetwork.FromNetwork(start, Options.InitialSd);
            bayesian.TrainingSamples = Options.TrainingSamples;
            var kernel = new BayesByBackpropKernel(bayesian, likelihood, Setup.GaussianPrior(Name).Precision, Options.ScaleLearningRateFactor, Setup.Training, Options.Temperature);
            var (state, _) = Runner.Run(kernel, fit.Data, Setup.Training.Run(Name), fit.Context);
            state.Dispose();
            var network = Setup.Network.Create(fit.Frame.InputShape, fit.Frame.Outputs, 1, seed);
            network.to(fit.Context.ResolvedDevice);
            var mean = bayesian.Means.detach().clone();
            WeightSpace.Of(network).Set(mean);
            var weights = new DiagonalGaussianWeights(mean, bayesian.StandardDeviations(), Options.Samples);
            var posterior = new WeightPosterior(Name, fit.Frame, Setup.Network, network, likelihood, weights, seed);
            likelihood = null;
            return posterior;
        }
        finally
        {
            likelihood?.Dispose();
            bayesian?.Dispose();
            start?.Dispose(); // the Bayesian network holds copies of its weights
        }
    }
}
