using Occam.Core;
using Occam.Likelihoods;
using Occam.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace Occam.Inference.Variational;

/// <summary>
/// Bayes by Backprop as a kernel: each step minimises the per-example negative ELBO of the batch, the
/// mean NLL at sampled weights plus KL(q‖p)/N, whose gradient is added in closed form after the
/// backward pass. The raw scales ρ get their own learning rate (a multiple of the means').
/// </summary>
public sealed class BayesByBackpropKernel : IKernel<OptimiserState>
{
    private readonly BayesianNetwork _network;
    private readonly Likelihood _likelihood;
    private readonly double _precision;
    private readonly double _scaleFactor;
    private readonly Training.TrainerOptions _training;
    private double _perExample;

    /// <summary>Creates the kernel for a Bayesian network, its likelihood and the Gaussian prior precision λ &gt; 0.</summary>
    public BayesByBackpropKernel(BayesianNetwork network, Likelihood likelihood, double priorPrecision, double scaleLearningRateFactor, Training.TrainerOptions training)
    {
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
            return l.detach().add(_network.AddKullbackLeiblerGradient(_precision, _perExample));
        });
        return (state, new StepInfo(loss.detach()));
    }
}
