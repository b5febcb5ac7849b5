using Occam.Core;
using Occam.Posteriors;
using TorchSharp;
using static TorchSharp.torch;

namespace Occam.Inference.Swag;

/// <summary>
/// SWA-Gaussian (Maddox et al. 2019) and SWAG-diagonal: train with the setup's optimiser up to the start
/// epoch, then run SGD at a constant or cyclical rate for the remaining epochs, collecting every c steps
/// or epochs the first and second moments and the last K deviations (<see cref="SwagCollector"/> on the
/// runner). The posterior is the Gaussian <see cref="LowRankGaussianWeights"/> around the SWA mean;
/// networks with batch normalisation get their statistics re-estimated for every sample.
/// </summary>
public sealed class SwagMethod : NetworkMethod<SwagOptions>
{
    /// <summary>Creates the method (swag, or swag-diag when <see cref="SwagOptions.Diagonal"/>).</summary>
    /// <exception cref="ArgumentException">Bad options, or a collection start at or after the last training epoch (ParamName: the option).</exception>
    public SwagMethod(ModelSetup setup, SwagOptions? options = null)
        : base((options ?? new SwagOptions()).Diagonal ? "swag-diag" : "swag", setup, options ?? new SwagOptions()) =>
        CollectionPlan.CheckStart(Options, setup.Training);

    /// <summary>The registry entry of SWAG.</summary>
    public static MethodEntry Entry { get; } = MethodEntry.Create("swag",
        "SWA-Gaussian: SGD iterates' mean and low-rank-plus-diagonal covariance, sampled around the SWA solution",
        new SwagOptions(), (setup, options) => new SwagMethod(setup, options));

    /// <summary>The registry entry of SWAG-diagonal.</summary>
    public static MethodEntry DiagonalEntry { get; } = MethodEntry.Create("swag-diag",
        "SWAG-diagonal: SGD iterates' mean and diagonal variance, sampled around the SWA solution",
        new SwagOptions { Diagonal = true }, (setup, options) => new SwagMethod(setup, options));

    /// <inheritdoc />
    public override IPosteriorMethod With(ModelSetup setup) => new SwagMethod(setup, Options);

    /// <inheritdoc />
    protected override IPosterior Fit(NetworkFit fit)
    {
        var plan = CollectionPlan.For(Options, Setup.Training, fit.Data.Count, keepDeviations: !Options.Diagonal, minimumDeviations: 2);
        var run = SwagTraining.Run(Setup, fit, Options, plan, 1, fit.Context.Seed, Name);
        LowRankGaussianWeights? distribution = null;
        try
        {
            distribution = Gaussian(run.Collector, Options, 0, 1, Options.Samples,
                BatchNormRefresh.For(run.Network, fit.Data.Inputs, Options.BatchNormExamples, Setup.Training.BatchSize, fit.Context.Seed));
            SetMean(run.Network, distribution);
            run.Collector.Dispose();
            return new WeightPosterior(Name, fit.Frame, Setup.Network, run.Network, run.Likelihood, distribution, fit.Context.Seed);
        }
        catch
        {
            distribution?.Dispose();
            run.Dispose();
            throw;
        }
    }

    /// <summary>Writes the distribution's mean into <paramref name="network"/> (the weights a saved posterior keeps).</summary>
    internal static void SetMean(nn.Module<Tensor, Tensor> network, LowRankGaussianWeights distribution)
    {
        using var scope = NewDisposeScope();
        var space = WeightSpace.Of(network);
        space.Set(distribution.Mean().to_type(space.DType));
    }

    /// <summary>Member <paramref name="member"/>'s Gaussian from a collector over <paramref name="members"/> stacked members (takes over <paramref name="batchNorm"/>).</summary>
    internal static LowRankGaussianWeights Gaussian(SwagCollector collector, SwagOptions options, int member, int members, int samples, BatchNormRefresh? batchNorm)
    {
        using var scope = NewDisposeScope();
        var mean = collector.Mean();
        long p = mean.shape[0] / members;
        var variance = collector.Variance(options.VarianceFloor).narrow(0, member * p, p).clone();
        var deviations = options.Diagonal ? null : collector.Deviations().narrow(1, member * p, p).clone();
        var m = mean.narrow(0, member * p, p).clone();
        var result = new LowRankGaussianWeights(m.MoveToOuterDisposeScope(), variance.MoveToOuterDisposeScope(), deviations?.MoveToOuterDisposeScope(),
            options.Scale, samples, batchNorm);
        return result;
    }
}
