using Occam.Core;
using Occam.Core.Collectors;
using Occam.Training;
using TorchSharp;

namespace Occam.Inference.Swa;

/// <summary>
/// Stochastic weight averaging (Izmailov et al. 2018): train as usual, then from a start epoch on keep a
/// constant learning rate and average the iterates at the end of every epoch; predict at the averaged
/// weights. Written only against the core: the MAP kernel on the runner, a moment collector, a weight posterior.
/// </summary>
public sealed class SwaMethod : NetworkMethod<SwaOptions>
{
    /// <summary>Creates the method.</summary>
    public SwaMethod(ModelSetup setup, SwaOptions? options = null) : base("swa", setup, options ?? new SwaOptions())
    {
        if (Options.StartEpoch is { } start && start >= setup.Training.Epochs)
            throw new ArgumentException($"The SWA start epoch ({start}) must come before the last of the {setup.Training.Epochs} training epochs.", nameof(SwaOptions.StartEpoch));
    }

    /// <summary>The registry entry.</summary>
    public static MethodEntry Entry { get; } = MethodEntry.Create("swa", "stochastic weight averaging: the running average of the iterates at a constant rate, predicting at the averaged weights",
        new SwaOptions(), (setup, options) => new SwaMethod(setup, options));

    /// <inheritdoc />
    public override IPosteriorMethod With(ModelSetup setup) => new SwaMethod(setup, Options);

    /// <summary>False: one weight vector (the average), no epistemic part.</summary>
    public override bool HasEpistemicPart => false;

    /// <inheritdoc />
    protected override IPosterior Fit(NetworkFit fit)
    {
        var training = Setup.Training;
        int start = Options.StartEpoch ?? (int)(0.75 * training.Epochs);
        var network = Setup.Network.Create(fit.Frame.InputShape, fit.Frame.Outputs, 1, fit.Context.Seed);
        var likelihood = fit.Likelihood.ForMembers(1, fit.Context.ResolvedDevice);
        try
        {
            network.to(fit.Context.ResolvedDevice);
            var space = WeightSpace.Of(network);
            var run = training.Run(Name);
            long batches = run.BatchesPerEpoch(fit.Data.Count), startStep = start * batches;
            double swaFactor = (Options.SwaLearningRate ?? training.LearningRate) / training.LearningRate;
            var schedule = LearningRateSchedule.Custom((t, total) => t < startStep ? training.Schedule.Factor(t, startStep) : swaFactor, $"{training.Schedule.Name}, then constant");
            using var average = new MomentCollector(space.Get);
            var (state, _) = Runner.Run(new MapKernel(network, likelihood, Setup.Prior, training), fit.Data,
                run with { Schedule = schedule, BurnIn = startStep, Thin = batches }, fit.Context, average);
            state.Dispose();
            network.eval();
            var theta = average.Mean().to_type(space.DType);
            space.Set(theta);
            return SamplesPosterior(fit, network, likelihood, theta.unsqueeze(0));
        }
        catch
        {
            network.Dispose();
            likelihood.Dispose();
            throw;
        }
    }
}
