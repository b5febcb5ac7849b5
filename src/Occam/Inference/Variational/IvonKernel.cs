using Occam.Core;
using Occam.Likelihoods;
using Occam.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace Occam.Inference.Variational;

/// <summary>
/// Variational learning with the <see cref="Ivon"/> optimiser as a kernel: each step draws weight
/// samples from q, takes the mean batch NLL and its gradient at each, and updates q's mean, Hessian
/// estimate and momentum. The prior enters through IVON's weight decay δ, so no prior gradient is
/// added. The network's and the likelihood's parameters are all optimised (the likelihood's at q's mean).
/// A run that blows up (a non-finite step loss, or an epoch's mean loss more than 10 nats per example above the
/// lowest so far) is rolled back to its best epoch and continues at half the learning rate; after twenty
/// roll-backs the fit is refused with <see cref="TrainingDivergedException"/>. Dispose the kernel after its run.
/// </summary>
public sealed class IvonKernel : IKernel<OptimiserState>, IDisposable
{
    private readonly nn.Module<Tensor, Tensor> _network;
    private readonly Likelihood _likelihood;
    private readonly IvonOptions _options;
    private readonly IvonDivergenceGuard? _guard;
    private Ivon? _ivon;

    /// <summary>Creates the kernel; <paramref name="options"/> must carry the effective sample size.</summary>
    public IvonKernel(nn.Module<Tensor, Tensor> network, Likelihood likelihood, IvonOptions options)
    {
        _network = network ?? throw new ArgumentNullException(nameof(network));
        _likelihood = likelihood ?? throw new ArgumentNullException(nameof(likelihood));
        _options = options ?? throw new ArgumentNullException(nameof(options));
        _guard = options.Unguarded ? null : new IvonDivergenceGuard();
    }

    /// <summary>Times the current run was rolled back to its best epoch (each halving the learning rate).</summary>
    public int Rollbacks => _guard?.Rollbacks ?? 0;

    /// <summary>The optimiser of the current run (valid until its state is disposed).</summary>
    public Ivon Optimizer => _ivon ?? throw new InvalidOperationException("The kernel has not been initialised.");

    /// <inheritdoc />
    public OptimiserState Init(RunSetup setup)
    {
        _network.train();
        _ivon = new Ivon([.. _network.parameters(), .. _likelihood.Parameters], _options); // draws its noise seed from the run's seeded generator
        _guard?.Begin(_ivon, setup.BatchesPerEpoch);
        return new OptimiserState(_ivon);
    }

    /// <inheritdoc />
    public (OptimiserState State, StepInfo Info) Step(OptimiserState state, Batch batch, StepContext context)
    {
        state.Schedule(context.LearningRateFactor * (_guard?.Shrink ?? 1.0));
        var optimizer = state.Optimizer;
        var loss = optimizer.step(() =>
        {
            optimizer.zero_grad();
            var l = BatchLoss.MeanNegativeLogLikelihood(_network, _likelihood, batch, 1);
            l.backward();
            return l;
        });
        if (_guard is null) return (state, new StepInfo(loss.detach()));
        double value = loss.to_type(ScalarType.Float64).item<double>();
        double reported = _guard.Observe(Optimizer, value, context);
        return (state, new StepInfo(reported.Equals(value) ? loss.detach() : tensor(reported, ScalarType.Float64)));
    }

    /// <summary>Disposes the divergence guard's saved state (not the optimiser: its run state owns it).</summary>
    public void Dispose() => _guard?.Dispose();
}
