using Occam.Core;
using Occam.Likelihoods;
using Occam.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace Occam.Inference.Variational;

/// <summary>
/// Bayes by Backprop as a kernel: each step minimises the per-example negative ELBO of the batch, the
/// mean NLL at sampled weights plus KL(q‖p)/N, whose gradient is added in closed form after the
/// backward pass. The raw scales ρ get their own learning rate (a multiple of the means'). At temperature T
/// the KL term is T·KL(q‖N(0, T/λ))/N, whose minimiser approximates exp(log p(θ|D)/T) (prior tempered too).
/// </summary>
public sealed class BayesByBackpropKernel : IKernel<OptimiserState>
{
    private readonly BayesianNetwork _network;
    private readonly Likelihood _likelihood;
    private readonly double _precision;
    private readonly double _scaleFactor;
    private readonly Training.TrainerOptions _training;
    private readonly double _temperature;
    private double _perExample;

    /// <summary>Creates the kernel for a Bayesian network, its likelihood, the Gaussian prior precision λ &gt; 0 and the temperature T &gt; 0.</summary>
    public BayesByBackpropKernel(BayesianNetwork network, Likelihood likelihood, double priorPrecision, double scaleLearningRateFactor, Training.TrainerOptions training, double temperature = 1.0)
    {
        if (!(temperature > 0) || !double.IsFinite(temperature)) throw new ArgumentOutOfRangeException(nameof(temperature), $"The temperature must be positive; got {temperature}.");
        _temperature = temperature;
        _network = network ?? throw new ArgumentNullException(nameof(network));
        _likelihood = likelihood ?? throw new ArgumentNullException(nameof(likelihood));
        _precision = priorPrecision;
        _scaleFactor = scaleLearningRateFactor;
        _training = training ?? throw new ArgumentNullException(nameof(training));
    }

    /// <inheritdoc />
    public OptimiserState Init(RunSetup setup)
    {
        _perExample = 1.0 / setup.TrainingSize;
        _network.train();
        var parameters = _network.parameters().Concat(_likelihood.Parameters).ToList();
        return new OptimiserState(Optimizers.WithScaledGroup(parameters, _network.RawScales, _scaleFactor, _training));
    }

    /// <inheritdoc />
    public (OptimiserState State, StepInfo Info) Step(OptimiserState state, Batch batch, StepContext context)
    {
        state.Schedule(context.LearningRateFactor);
        var optimizer = state.Optimizer;
        var loss = optimizer.step(() =>
        {
            optimizer.zero_grad();
            var l = BatchLoss.MeanNegativeLogLikelihood(_network, _likelihood, batch, 1);
            l.backward();
            return l.detach().add(_network.AddKullbackLeiblerGradient(_precision / _temperature, _perExample * _temperature));
        });
        return (state, new StepInfo(loss.detach()));
    }
}
