using Occam.Core;
using Occam.Data;
using Occam.Likelihoods;
using Occam.Priors;
using TorchSharp;
using static TorchSharp.torch;

namespace Occam.Training;

/// <summary>Trains any network to the posterior mode: the <see cref="MapKernel"/> on the <see cref="Runner"/>, in one call.</summary>
public static class MapTraining
{
    /// <summary>Trains <paramref name="network"/> and the likelihood's parameters in place; leaves the network in evaluation mode.</summary>
    /// <param name="network">The network (K stacked members when <paramref name="members"/> &gt; 1).</param>
    /// <param name="likelihood">Its likelihood, sized for the members.</param>
    /// <param name="data">Training data (standardised if wanted) on the network's device; not disposed.</param>
    /// <param name="prior">The prior over the weights.</param>
    /// <param name="options">Epochs, batch size, optimiser, learning rate, schedule.</param>
    /// <param name="context">Seed, progress, cancellation.</param>
    /// <param name="members">K stacked members, or 1.</param>
    /// <param name="stage">What progress reports call the run.</param>
    public static RunResult Train(nn.Module<Tensor, Tensor> network, Likelihood likelihood, Dataset data, IPrior prior, TrainerOptions options,
        FitContext context, int members = 1, string stage = "training")
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(likelihood);
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(options);
        if (likelihood.Task != data.Task) throw new ArgumentException($"A {likelihood.Name} likelihood cannot fit {data.Task.ToString().ToLowerInvariant()} data.", nameof(likelihood));
        try
        {
            var (state, result) = Runner.Run(new MapKernel(network, likelihood, prior, options), data, options.Run(stage, members), context);
            state.Dispose();
            return result;
        }
        finally
        {
            network.eval();
        }
    }
}
