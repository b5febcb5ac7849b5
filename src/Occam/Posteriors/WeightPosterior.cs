using Occam.Core;
using Occam.Inference;
using Occam.Likelihoods;
using Occam.Models;
using Occam.Posteriors.Weights;
using TorchSharp;
using static TorchSharp.torch;

namespace Occam.Posteriors;

/// <summary>
/// A posterior in weight space: a network, its likelihood and a belief over its weights
/// (<see cref="IWeightDistribution"/>: members, samples, a Gaussian, dropout masks). It predicts by
/// running the network at S draws and averaging the likelihood's predictives: the Bayesian model
/// average (1/S) Σₛ p(y | x, θₛ). MAP, deep ensembles, MC dropout, IVON, Bayes by Backprop and SWA
/// end here; samplers and SWAG will too.
/// </summary>
public sealed class WeightPosterior : Posterior, INetworkPosterior
{
    /// <summary>Assembles the posterior; it takes ownership of the network, the likelihood and the distribution.</summary>
    /// <param name="method">Method name for reports.</param>
    /// <param name="frame">Task, input shape and standardisation.</param>
    /// <param name="spec">How to rebuild the network when loading.</param>
    /// <param name="network">A single-member network whose weight layout the distribution uses (its own weights are only a template).</param>
    /// <param name="likelihood">The likelihood; it holds K members when each of K fixed weight vectors has its own (e.g. an ensemble's noise).</param>
    /// <param name="distribution">The belief over the network's weights.</param>
    /// <param name="seed">Default seed of the draws at prediction time.</param>
    public WeightPosterior(string method, ModelFrame frame, NetworkSpec spec, nn.Module<Tensor, Tensor> network, Likelihood likelihood,
        IWeightDistribution distribution, long seed = 0) : base(method, frame, seed)
    {
        Spec = spec ?? throw new ArgumentNullException(nameof(spec));
        Network = network ?? throw new ArgumentNullException(nameof(network));
        Likelihood = likelihood ?? throw new ArgumentNullException(nameof(likelihood));
        Distribution = distribution ?? throw new ArgumentNullException(nameof(distribution));
        Weights = WeightSpace.Of(network);
        network.eval();
    }

    /// <summary>How the network is rebuilt when loading.</summary>
    public NetworkSpec Spec { get; }

    /// <summary>The network (evaluation mode) the draws run through.</summary>
    public nn.Module<Tensor, Tensor> Network { get; }

    /// <summary>The network's weight space.</summary>
    public WeightSpace Weights { get; }

    /// <summary>The likelihood (e.g. with the learned noise).</summary>
    public Likelihood Likelihood { get; }

    /// <summary>The belief over the weights.</summary>
    public IWeightDistribution Distribution { get; }

    /// <inheritdoc />
    public Tensor? CentreWeights() => Distribution.CentreWeights(Weights);

    /// <inheritdoc />
    public override Device Device => Weights.Device;

    /// <inheritdoc />
    protected override ChunkPredictor BeginPrediction(PredictOptions options, long seed, Generator generator)
    {
        var draws = Distribution.Draw(Weights, new DrawRequest(options.Samples, options.AtMean, seed, generator));
        return new ChunkPredictor(chunk => Likelihood.Predict(draws.Outputs(chunk)), draws);
    }

    /// <inheritdoc />
    public override void Save(string directory)
    {
        ThrowIfDisposed();
        WeightPosteriorStore.Save(this, directory);
    }

    /// <inheritdoc />
    protected override void DisposeCore()
    {
        Network.Dispose();
        Likelihood.Dispose();
        Distribution.Dispose();
    }
}
