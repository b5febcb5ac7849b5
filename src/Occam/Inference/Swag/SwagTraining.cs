using System.Globalization;
using Occam.Core;
using Occam.Likelihoods;
using Occam.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace Occam.Inference.Swag;

/// <summary>
/// One SWAG run of M stacked members (M = 1 for a plain network), written against the core: the MAP
/// kernel with the setup's optimiser on the runner for the pre-training epochs, then the MAP kernel with
/// SGD at the collection rate (<see cref="CollectionRate"/>) on the runner with a <see cref="SwagCollector"/> that sees every
/// interval-th step. The caller owns the returned network, likelihood and collector.
/// </summary>
internal static class SwagTraining
{
    /// <summary>What a run leaves: the network at its last iterate (evaluation mode), its trained likelihood and the collector.</summary>
    public sealed record Result(nn.Module<Tensor, Tensor> Network, Likelihood Likelihood, SwagCollector Collector) : IDisposable
    {
        public void Dispose()
        {
            Network.Dispose();
            Likelihood.Dispose();
            Collector.Dispose();
        }
    }

    /// <summary>Builds M members from <paramref name="seed"/>, pre-trains them and collects.</summary>
    public static Result Run(ModelSetup setup, NetworkFit fit, SwagCollectionOptions options, CollectionPlan plan, int members, long seed, string stage)
    {
        var training = setup.Training;
        var network = setup.Network.Create(fit.Frame.InputShape, fit.Frame.Outputs, members, seed);
        var likelihood = fit.Likelihood.ForMembers(members, fit.Context.ResolvedDevice);
        SwagCollector? collector = null;
        try
        {
            network.to(fit.Context.ResolvedDevice);
            if (plan.StartEpoch > 0)
            {
                var (pretrained, _) = Runner.Run(new MapKernel(network, likelihood, setup.Prior, training), fit.Data,
                    training.Run($"{stage}: pre-training", members) with { Epochs = plan.StartEpoch }, fit.Context.WithSeed(seed));
                pretrained.Dispose();
            }
            var space = WeightSpace.Of(network);
            collector = new SwagCollector(space.Get, plan.MaxRank);
            double rate = CollectionRate.Choose(options, training, network, likelihood, fit.Data, members, seed, fit.Context.ResolvedDevice);
            var sgd = training with { Optimizer = OptimizerKind.Sgd, LearningRate = rate, Epochs = plan.CollectionEpochs };
            var run = new RunOptions
            {
                Epochs = plan.CollectionEpochs, BatchSize = training.BatchSize, Members = members, Schedule = plan.Schedule(options),
                Thin = plan.Interval, Stage = $"{stage}: collection at SGD rate {rate.ToString("G3", CultureInfo.InvariantCulture)}",
            };
            var (state, _) = Runner.Run(new MapKernel(network, likelihood, setup.Prior, sgd), fit.Data, run, fit.Context.WithSeed(CollectionSeed(seed)), collector);
            state.Dispose();
            network.eval();
            return new Result(network, likelihood, collector);
        }
        catch
        {
            collector?.Dispose();
            network.Dispose();
            likelihood.Dispose();
            throw;
        }
    }

    /// <summary>The collection phase's seed: its own shuffles, not a replay of the pre-training's first epochs.</summary>
    private static long CollectionSeed(long seed) => unchecked(seed * 7_919 + 104_729);
}
