using Occam.Core;
using Occam.Likelihoods;
using Occam.Priors;
using TorchSharp;
using static TorchSharp.torch;

namespace Occam.Training;

/// <summary>
/// Maximum a posteriori training as a kernel: each step minimises the per-example negative log
/// posterior of the batch (see <see cref="LogPosterior"/>): the mean NLL by backpropagation, the prior
/// through <see cref="IPrior.AddNegativeLogDensityGradient"/> with scale 1/N (coupled weight decay λ/N
/// for a Gaussian), with the options' optimiser (SGD, Adam, AdamW). A module that stacks K members
/// (outputs [K, B, O]) trains K independent problems in one pass. The likelihood's own parameters (a
/// learned noise) are trained jointly, without prior. MAP, deep ensembles, MC dropout and the MAP stage
/// of post-hoc methods all train with it.
/// </summary>
public sealed class MapKernel : IKernel<OptimiserState>
{
    private readonly nn.Module<Tensor, Tensor> _network;
    private readonly Likelihood _likelihood;
    private readonly IPrior _prior;
    private readonly TrainerOptions _options;
    private WeightSpace? _weights;
    private long _count;
    private int _members = 1;

    /// <summary>Creates the kernel for a network (trained in place) and its likelihood.</summary>
    public MapKernel(nn.Module<Tensor, Tensor> network, Likelihood likelihood, IPrior prior, TrainerOptions options)
    {
        _network = network ?? throw new ArgumentNullException(nameof(network));
        _likelihood = likelihood ?? throw new ArgumentNullException(nameof(likelihood));
        _prior = prior ?? throw new ArgumentNullException(nameof(prior));
        _options = (options ?? throw new ArgumentNullException(nameof(options))).Validate();
    }

    /// <inheritdoc />
    public OptimiserState Init(RunSetup setup)
    {
        ArgumentNullException.ThrowIfNull(setup);
        _weights = WeightSpace.Of(_network);
        _count = setup.TrainingSize;
        _members = setup.Members;
        _network.train();
        return new OptimiserState(Optimizers.Create([.. _weights.Parameters, .. _likelihood.Parameters], _options));
    }

    /// <inheritdoc />
    public (OptimiserState State, StepInfo Info) Step(OptimiserState state, Batch batch, StepContext context)
    {
        state.Schedule(context.LearningRateFactor);
        var optimizer = state.Optimizer;
        var loss = optimizer.step(() =>
        {
            optimizer.zero_grad();
            var l = BatchLoss.MeanNegativeLogLikelihood(_network, _likelihood, batch, _members);
            l.backward();
            _prior.AddNegativeLogDensityGradient(_weights!, 1.0 / _count);
            return l;
        });
        return (state, new StepInfo(loss.detach().div(_members)));
    }
}
