using Occam.Data;
using Occam.Likelihoods;
using Occam.Training;
using TorchSharp;

namespace Occam.Inference;

/// <summary>
/// Shared frame of the methods that train networks: validate, standardise on the training split,
/// move data to the device, size the likelihood, let the method train its members, and wrap them
/// in a <see cref="NetworkPosterior"/> that predicts in the original units.
/// </summary>
public abstract class NetworkMethod : IPosteriorMethod
{
    /// <summary>Creates the method for a model setup.</summary>
    protected NetworkMethod(ModelSetup setup)
    {
        Setup = setup ?? throw new ArgumentNullException(nameof(setup));
        setup.Training.Validate();
    }

    /// <summary>Architecture, likelihood, prior and training options.</summary>
    public ModelSetup Setup { get; }

    /// <inheritdoc />
    public abstract string Name { get; }

    /// <summary>Stochastic passes per prediction (1 unless the method samples at test time).</summary>
    protected virtual int Passes => 1;

    /// <inheritdoc />
    public IPosterior Fit(Dataset train, FitContext? context = null)
    {
        ArgumentNullException.ThrowIfNull(train);
        context ??= new FitContext();
        if (train.Count < 1) throw new ArgumentException("The training set is empty.", nameof(train));
        var likelihood = Setup.LikelihoodFor(train.Task);
        var standardiser = Setup.Standardise ? Standardiser.Fit(train) : Standardiser.Identity;
        using var standardised = standardiser.Transform(train);
        using var data = standardised.To(context.ResolvedDevice);
        int width = train.Task == TaskKind.Regression ? train.TargetDimension : train.ClassCount;
        var description = new NetworkDescription(train.InputShape, likelihood.OutputCount(width), width, Setup.Network);
        var members = FitMembers(data, likelihood, description, context);
        try
        {
            return CreatePosterior(train.Task, members, standardiser, description, data, context);
        }
        catch
        {
            foreach (var m in members)
            {
                m.Network.Dispose();
                m.Likelihood.Dispose();
            }
            throw;
        }
    }

    /// <summary>
    /// Turns the trained members into the posterior (default: a <see cref="NetworkPosterior"/> that
    /// averages them). Post-hoc methods such as Laplace override it; they take ownership of the members.
    /// </summary>
    /// <param name="task">Regression or classification.</param>
    /// <param name="members">The trained networks.</param>
    /// <param name="standardiser">Training-split standardisation.</param>
    /// <param name="description">Input shape and output sizes.</param>
    /// <param name="data">The standardised training data (valid during this call only).</param>
    /// <param name="context">Seed, device, progress, cancellation.</param>
    protected virtual IPosterior CreatePosterior(TaskKind task, IReadOnlyList<NetworkMember> members, Standardiser standardiser,
        NetworkDescription description, Dataset data, FitContext context) =>
        new NetworkPosterior(Name, task, members, standardiser, description, Passes, context.Seed);

    /// <summary>Trains the members on standardised data already on the device.</summary>
    /// <param name="data">Standardised training data.</param>
    /// <param name="likelihood">The setup's likelihood (a template: size copies with <see cref="Likelihood.ForMembers"/>).</param>
    /// <param name="description">Input shape and output sizes.</param>
    /// <param name="context">Seed, device, progress, cancellation.</param>
    protected abstract IReadOnlyList<NetworkMember> FitMembers(Dataset data, Likelihood likelihood, NetworkDescription description, FitContext context);

    /// <summary>Builds one network (K stacked members when <paramref name="members"/> &gt; 1), trains it and returns it.</summary>
    /// <param name="data">Standardised training data.</param>
    /// <param name="likelihood">Likelihood template.</param>
    /// <param name="description">Input shape and output sizes.</param>
    /// <param name="context">Seed, device, progress, cancellation.</param>
    /// <param name="members">K stacked members, or 1.</param>
    /// <param name="stage">Label for progress reports.</param>
    /// <param name="hooks">The method's own optimiser, loss term or prior handling (null: MAP training).</param>
    protected NetworkMember TrainOne(Dataset data, Likelihood likelihood, NetworkDescription description, FitContext context, int members, string stage,
        TrainingHooks? hooks = null)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(likelihood);
        ArgumentNullException.ThrowIfNull(description);
        ArgumentNullException.ThrowIfNull(context);
        var network = Setup.Network.Create(description.InputShape, description.Outputs, members, context.Seed);
        var sized = likelihood.ForMembers(members, context.ResolvedDevice);
        try
        {
            network.to(context.ResolvedDevice);
            Trainer.Train(network, sized, data, Setup.Prior, Setup.Training, context, members, stage, hooks);
            return new NetworkMember(network, sized, members > 1);
        }
        catch
        {
            network.Dispose();
            sized.Dispose();
            throw;
        }
    }
}
