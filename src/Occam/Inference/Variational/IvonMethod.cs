using Occam.Core;
using Occam.Data;
using Occam.Posteriors;
using Occam.Posteriors.Weights;
using TorchSharp;
using static TorchSharp.torch;

namespace Occam.Inference.Variational;

/// <summary>
/// Variational learning with the <see cref="Ivon"/> optimiser: trains the model's network with IVON in
/// place of Adam (same epochs, batch size, data order and schedule) and returns the learned diagonal
/// Gaussian as a weight posterior, predicting by the model average over S weight samples (default 64),
/// or at the mean with <see cref="PredictOptions.AtMean"/> ("ivon@mean", no second fit).
/// <para>
/// The model's Gaussian prior N(0, λ_p⁻¹ I) fixes IVON's weight decay δ = λ_p / ess, and ess defaults to
/// the training-set size N (see <see cref="LogPosterior"/>), so the optimiser's objective is the same
/// posterior MAP training finds the mode of. The likelihood's own parameters (a learned noise) are
/// optimised by IVON too; the posterior keeps them at their mean.
/// </para>
/// </summary>
public sealed class IvonMethod : NetworkMethod<IvonOptions>
{
    /// <summary>Creates the method.</summary>
    /// <exception cref="ArgumentException">A flat or non-Gaussian prior without an explicit weight decay, or an invalid option.</exception>
    public IvonMethod(ModelSetup setup, IvonOptions? options = null) : base("ivon", setup, options ?? new IvonOptions())
    {
        if (Options.WeightDecay is null && !(setup.GaussianPrior(Name).Precision > 0))
            throw new ArgumentException("IVON needs a proper prior (precision > 0), because its weight decay δ = prior precision / ess must be positive.", nameof(setup));
    }

    /// <summary>The registry entry.</summary>
    public static MethodEntry Entry { get; } = MethodEntry.Create("ivon", "IVON: a diagonal Gaussian posterior learned by the variational online Newton optimiser",
        new IvonOptions(), (setup, options) => new IvonMethod(setup, options));

    /// <inheritdoc />
    public override IPosteriorMethod With(ModelSetup setup) => new IvonMethod(setup, Options);

    /// <summary>
    /// The options IVON runs with on <paramref name="trainingSize"/> examples: ess = N/T and δ = λ_p/(ess·T) = λ_p/N unless
    /// set, so IVON's target exp(−ess·(mean loss + δ‖θ‖²/2)) is the posterior tempered by T (prior included).
    /// The resolved options carry T in ess and δ, and temperature 1.
    /// </summary>
    public IvonOptions Resolve(long trainingSize)
    {
        double ess = Options.EffectiveSampleSize ?? trainingSize / Options.Temperature;
        return Options with { EffectiveSampleSize = ess, WeightDecay = Options.WeightDecay ?? Setup.GaussianPrior(Name).Precision / (ess * Options.Temperature), Temperature = 1.0 };
    }

    /// <inheritdoc />
    protected override IPosterior Fit(NetworkFit fit)
    {
        var network = Setup.Network.Create(fit.Frame.InputShape, fit.Frame.Outputs, 1, fit.Context.Seed);
        var likelihood = fit.Likelihood.ForMembers(1, fit.Context.ResolvedDevice);
        try
        {
            network.to(fit.Context.ResolvedDevice);
            int? warm = fit.Context.WarmStart?.Begin(network);
            using var kernel = new IvonKernel(network, likelihood, Resolve(fit.Data.Count));
            var (state, _) = Runner.Run(kernel, fit.Data, Setup.Training.Run(Name), fit.Context);
            if (warm is { } slot) fit.Context.WarmStart!.Remember(slot, network);
            Tensor sd;
            using (state)
            using (var all = kernel.Optimizer.StandardDeviation())
                sd = all.narrow(0, 0, WeightSpace.Of(network).Count).clone();
            network.eval();
            var mean = WeightSpace.Of(network).Get();
            return new WeightPosterior(Name, fit.Frame, Setup.Network, network, likelihood, new DiagonalGaussianWeights(mean, sd, Options.Samples), fit.Context.Seed);
        }
        catch
        {
            network.Dispose();
            likelihood.Dispose();
            throw;
        }
    }
}
