using Occam.Core;
using Occam.Core.Options;
using Occam.Data;
using Occam.Likelihoods;
using Occam.Posteriors;
using Occam.Posteriors.Weights;
using Occam.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace Occam.Inference;

/// <summary>
/// The shared frame of methods that train networks: validate the data, standardise on the training
/// split, move to the device, size the likelihood, and hand the method a <see cref="NetworkFit"/>. It
/// offers MAP training (the <see cref="MapKernel"/> on the <see cref="Runner"/>) and a weight
/// posterior over a fixed set of weight vectors.
/// </summary>
/// <typeparam name="TOptions">The method's options record.</typeparam>
public abstract class NetworkMethod<TOptions> : IPosteriorMethod where TOptions : class, IMethodOptions
{
    /// <summary>Sets name, setup and options (validated).</summary>
    protected NetworkMethod(string name, ModelSetup setup, TOptions options)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        Setup = setup ?? throw new ArgumentNullException(nameof(setup));
        setup.Training.Validate();
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        Name = name;
        Options = options;
    }

    /// <inheritdoc />
    public string Name { get; }

    /// <inheritdoc />
    public ModelSetup Setup { get; }

    /// <summary>The method's options.</summary>
    public TOptions Options { get; }

    object? IPosteriorMethod.Options => Options;

    /// <inheritdoc />
    public abstract IPosteriorMethod With(ModelSetup setup);

    /// <inheritdoc />
    public virtual bool HasEpistemicPart => true;

    /// <inheritdoc />
    public IPosterior Fit(Dataset train, FitContext? context = null) => WithPreparedData(train, context, Fit);

    /// <summary>
    /// Validates and standardises <paramref name="train"/>, moves it to the context's device, sizes the
    /// likelihood and runs <paramref name="body"/> on the prepared fit (its data live until it returns).
    /// </summary>
    protected T WithPreparedData<T>(Dataset train, FitContext? context, Func<NetworkFit, T> body)
    {
        ArgumentNullException.ThrowIfNull(train);
        ArgumentNullException.ThrowIfNull(body);
        context ??= new FitContext();
        if (train.Count < 1) throw new ArgumentException("The training set is empty.", nameof(train));
        var likelihood = LikelihoodFor(train.Task);
        int width = train.Task == TaskKind.Regression ? train.TargetDimension : train.ClassCount;
        MemoryPlan.Check(Setup, train, likelihood.OutputCount(width));
        var standardiser = Setup.Standardise ? Standardiser.Fit(train) : Standardiser.Identity;
        using var standardised = standardiser.Transform(train);
        using var data = standardised.To(context.ResolvedDevice);
        var frame = new ModelFrame(train.Task, train.InputShape, likelihood.OutputCount(width), width, standardiser) { Schema = ModelSchema.Describe(train, this) };
        return body(new NetworkFit(data, likelihood, frame, context));
    }

    /// <summary>Fits the posterior on the prepared data; the result owns every network and likelihood it holds.</summary>
    protected abstract IPosterior Fit(NetworkFit fit);

    /// <summary>The likelihood the method fits data of <paramref name="task"/> with (default: the setup's).</summary>
    protected virtual Likelihood LikelihoodFor(TaskKind task) => Setup.LikelihoodFor(task);

    /// <summary>
    /// Builds one network (K stacked members when <paramref name="members"/> &gt; 1) seeded with
    /// <paramref name="seed"/>, trains it to the MAP and returns it with its trained likelihood (sized for K).
    /// </summary>
    protected (nn.Module<Tensor, Tensor> Network, Likelihood Likelihood) TrainMap(NetworkFit fit, int members, long seed, string stage)
    {
        ArgumentNullException.ThrowIfNull(fit);
        var network = Setup.Network.Create(fit.Frame.InputShape, fit.Frame.Outputs, members, seed);
        var likelihood = fit.Likelihood.ForMembers(members, fit.Context.ResolvedDevice);
        try
        {
            network.to(fit.Context.ResolvedDevice);
            int? warm = fit.Context.WarmStart?.Begin(network);
            var kernel = new MapKernel(network, likelihood, Setup.Prior, Setup.Training);
            var (state, _) = Runner.Run(kernel, fit.Data, Setup.Training.Run(stage, members), fit.Context.WithSeed(seed));
            state.Dispose();
            network.eval();
            if (warm is { } slot) fit.Context.WarmStart!.Remember(slot, network);
            return (network, likelihood);
        }
        catch
        {
            network.Dispose();
            likelihood.Dispose();
            throw;
        }
    }

    /// <summary>A weight posterior over the fixed weight vectors <paramref name="thetas"/> [K, P] (taken over) of <paramref name="network"/>'s architecture.</summary>
    protected WeightPosterior SamplesPosterior(NetworkFit fit, nn.Module<Tensor, Tensor> network, Likelihood likelihood, Tensor thetas) =>
        new(Name, fit.Frame, Setup.Network, network, likelihood, new WeightSamples(thetas), fit.Context.Seed);
}
