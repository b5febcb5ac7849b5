using System.Runtime.CompilerServices;
using Occam.Data;
using Occam.Likelihoods;
using Occam.Models;
using Occam.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace Occam.Inference.Variational;

/// <summary>
/// Variational learning with the <see cref="Ivon"/> optimiser: trains the model's network with IVON in
/// place of Adam (same epochs, batch size and data order) and returns the learned diagonal Gaussian as
/// a <see cref="DiagonalGaussianPosterior"/>, predicting by the model average over S weight samples
/// (default 64, "ivon") or at the mean ("ivon@mean").
/// <para>
/// The model's Gaussian prior N(0, λ_p⁻¹ I) fixes IVON's weight decay δ = λ_p / ess, and ess defaults to
/// the training-set size N, so the optimiser's objective is the same posterior that MAP training finds
/// the mode of. The likelihood's own parameters (a learned noise) are optimised by IVON too; the
/// posterior keeps them at their mean.
/// </para>
/// </summary>
public sealed class IvonMethod : NetworkMethod
{
    private readonly ConditionalWeakTable<nn.Module, Tensor> _spreads = [];

    /// <summary>Creates the method.</summary>
    /// <param name="setup">Model, prior and training schedule (its optimiser choice is replaced by IVON).</param>
    /// <param name="options">IVON hyperparameters (null: the defaults, ess = N, δ from the prior).</param>
    /// <param name="samples">Weight samples S of the predictive model average (default 64).</param>
    /// <param name="prediction">Model average (default) or prediction at the mean.</param>
    public IvonMethod(ModelSetup setup, IvonOptions? options = null, int samples = 64, GaussianPrediction prediction = GaussianPrediction.ModelAverage)
        : base(setup)
    {
        Options = (options ?? new IvonOptions()).Validate();
        if (samples < 1) throw new ArgumentOutOfRangeException(nameof(samples), $"Samples must be at least 1; got {samples}.");
        if (Options.WeightDecay is null && !(setup.Prior.Precision > 0))
            throw new ArgumentException("IVON needs a proper prior (precision > 0), because its weight decay δ = prior precision / ess must be positive.", nameof(setup));
        Samples = samples;
        Prediction = prediction;
    }

    /// <summary>IVON hyperparameters.</summary>
    public IvonOptions Options { get; }

    /// <summary>Weight samples S of the predictive model average.</summary>
    public int Samples { get; }

    /// <summary>Model average or prediction at the mean.</summary>
    public GaussianPrediction Prediction { get; }

    /// <inheritdoc />
    public override string Name => Prediction == GaussianPrediction.Mean ? "ivon@mean" : "ivon";

    /// <summary>The options IVON runs with on <paramref name="trainingSize"/> examples: ess = N and δ = λ_p / ess unless set.</summary>
    public IvonOptions Resolve(long trainingSize)
    {
        double ess = Options.EffectiveSampleSize ?? trainingSize;
        return Options with { EffectiveSampleSize = ess, WeightDecay = Options.WeightDecay ?? Setup.Prior.Precision / ess };
    }

    /// <inheritdoc />
    protected override IReadOnlyList<NetworkMember> FitMembers(Dataset data, Likelihood likelihood, NetworkDescription description, FitContext context)
    {
        Ivon? optimizer = null;
        var hooks = new TrainingHooks { Optimizer = parameters => optimizer = new Ivon(parameters, Resolve(data.Count)), HandlesPrior = true };
        try
        {
            var member = TrainOne(data, likelihood, description, context, 1, Name, hooks);
            using (var all = optimizer!.StandardDeviation())
                _spreads.AddOrUpdate(member.Network, all.narrow(0, 0, FlatParameters.Count(member.Network)).clone());
            return [member];
        }
        finally
        {
            optimizer?.Dispose();
        }
    }

    /// <inheritdoc />
    protected override IPosterior CreatePosterior(TaskKind task, IReadOnlyList<NetworkMember> members, Standardiser standardiser,
        NetworkDescription description, Dataset data, FitContext context)
    {
        var member = members[0];
        if (!_spreads.TryGetValue(member.Network, out var sd)) throw new InvalidOperationException("IVON's posterior spread was not recorded.");
        _spreads.Remove(member.Network);
        return new DiagonalGaussianPosterior(Name, task, member.Network, member.Likelihood, sd, standardiser, description, Samples, Prediction, context.Seed);
    }
}
