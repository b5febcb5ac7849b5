using Occam.Data;
using Occam.Likelihoods;
using Occam.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace Occam.Inference.Laplace;

/// <summary>
/// The Laplace approximation (MacKay 1992; Daxberger et al. 2021, "Laplace Redux"): train the MAP
/// network, then fit p(θ|D) ≈ N(θ*, (H + P₀)⁻¹) post hoc over a subset of the weights, with H the
/// GGN or empirical Fisher in a chosen structure, tune the prior precision (and noise) by the Laplace
/// evidence or on validation data, and predict with the linearised network.
/// </summary>
public sealed class LaplaceMethod : NetworkMethod
{
    /// <summary>Creates the method.</summary>
    public LaplaceMethod(ModelSetup setup, LaplaceOptions? options = null) : base(setup)
    {
        Options = (options ?? new LaplaceOptions()).Validate();
    }

    /// <summary>Subset, structure, curvature, predictive and tuning options.</summary>
    public LaplaceOptions Options { get; }

    /// <inheritdoc />
    public override string Name => "laplace";

    /// <summary>
    /// Fits the approximation post hoc around a network trained elsewhere (no training here): the
    /// data are used as given (no standardisation), the prior starts at <c>Setup.Prior</c>, and the
    /// posterior takes ownership of <paramref name="network"/> and <paramref name="likelihood"/>.
    /// </summary>
    public LaplacePosterior FitToNetwork(nn.Module<Tensor, Tensor> network, Likelihood likelihood, Dataset data, FitContext? context = null)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(likelihood);
        ArgumentNullException.ThrowIfNull(data);
        if (likelihood.Task != data.Task) throw new ArgumentException($"A {likelihood.Name} likelihood cannot model {data.Task} data.", nameof(likelihood));
        network.eval();
        int width = data.Task == TaskKind.Regression ? data.TargetDimension : data.ClassCount;
        var description = new NetworkDescription(data.InputShape, likelihood.OutputCount(width), width, Setup.Network);
        return (LaplacePosterior)CreatePosterior(data.Task, [new NetworkMember(network, likelihood, false)], Standardiser.Identity, description, data, context ?? new FitContext());
    }

    /// <inheritdoc />
    protected override IReadOnlyList<NetworkMember> FitMembers(Dataset data, Likelihood likelihood, NetworkDescription description, FitContext context)
    {
        CheckSupported(description);
        CurvatureBuilder.EnsureSupported(likelihood, Options.Curvature);
        if (Options.Tuning != PriorTuning.Validation) return [TrainOne(data, likelihood, description, context, 1, "laplace: map")];
        var (fit, _) = Split(data, context.Seed);
        using (fit) return [TrainOne(fit, likelihood, description, context, 1, "laplace: map")];
    }

    /// <inheritdoc />
    protected override IPosterior CreatePosterior(TaskKind task, IReadOnlyList<NetworkMember> members, Standardiser standardiser,
        NetworkDescription description, Dataset data, FitContext context)
    {
        var member = members[0];
        using var scope = NewDisposeScope();
        var stack = WeightStack.From(member.Network, Options.Subset);
        try
        {
            var theta = stack.Theta();
            var subset = Options.Subset == WeightSubset.Subnetwork ? SubnetworkIndices(stack, member.Likelihood, data) : null;
            var builder = new CurvatureBuilder(stack, member.Likelihood, Options, subset);
            var curvature = builder.Build(data, Options.Structure);
            var covered = subset is null ? theta : theta.index_select(0, subset);
            var evidence = CreateEvidence(stack, builder, curvature, covered, subset, data);
            double prior = Setup.Prior.Precision > 0 ? Setup.Prior.Precision : 1.0;
            double? noise = member.Likelihood is GaussianLikelihood g ? g.NoiseSd[0] : null;
            var posterior = new LaplacePosterior(task, member.Network, stack, curvature, evidence, theta, subset, member.Likelihood,
                standardiser, Options, [prior], noise, context.Seed, description);
            Tune(posterior, evidence, stack, data, context, prior, noise);
            return posterior;
        }
        catch
        {
            stack.Dispose();
            throw;
        }
    }

    private void Tune(LaplacePosterior posterior, EvidenceModel evidence, WeightStack stack, Dataset data, FitContext context, double prior, double? noise)
    {
        switch (Options.Tuning)
        {
            case PriorTuning.Evidence:
                var (tunedPrior, tunedNoise) = HyperparameterTuner.MaximiseEvidence(evidence, [prior], noise, Options.PerLayerPrior,
                    stack.LayerSizes.Length, Options.TuneNoise);
                posterior.SetHyperparameters(tunedPrior, tunedNoise);
                break;
            case PriorTuning.Validation:
                var (_, validation) = Split(data, context.Seed);
                using (validation) posterior.SetHyperparameters([HyperparameterTuner.ValidationSearch(posterior, validation, noise)], noise);
                break;
        }
    }

    /// <summary>Refuses unsupported requests before the MAP is trained (cheap: builds and measures an untrained network).</summary>
    private void CheckSupported(NetworkDescription description)
    {
        using var probe = Setup.Network.Create(description.InputShape, description.Outputs, 1, 0);
        using var stack = WeightStack.From(probe, Options.Subset);
        long covered = Options.Subset == WeightSubset.Subnetwork ? Options.SubnetworkIndices?.Length ?? Math.Min(Options.SubnetworkSize, stack.ParameterCount) : stack.ParameterCount;
        if (Options.Structure == HessianStructure.Full && covered > Options.MaxFullParameters)
            throw new ArgumentException($"The full Hessian over {covered} weights needs {covered * covered * 8 / 1048576} MiB; the limit is {Options.MaxFullParameters} weights. Use --hessian kron, diag or lowrank, or --subset last-layer.");
    }

    private static EvidenceModel CreateEvidence(WeightStack stack, CurvatureBuilder builder, ICurvature curvature, Tensor covered, Tensor? subset, Dataset data)
    {
        using var scope = NewDisposeScope();
        var layerIndex = cat(stack.LayerSizes.Select((size, l) => full(size, (long)l, ScalarType.Int64)).ToArray());
        if (subset is not null) layerIndex = layerIndex.index_select(0, subset);
        long targetsCount = data.Count * (data.Task == TaskKind.Regression ? data.TargetDimension : 1);
        return new EvidenceModel(curvature, covered.clone(), layerIndex, builder.UnitNoise, builder.SumSquaredResiduals, targetsCount, builder.LogLikelihood);
    }

    /// <summary>The user's mask, or the weights with the largest diagonal-Laplace marginal variance at the training prior.</summary>
    private Tensor SubnetworkIndices(WeightStack stack, Likelihood likelihood, Dataset data)
    {
        if (Options.SubnetworkIndices is { } given)
        {
            if (given.Length == 0 || given.Any(i => i < 0 || i >= stack.ParameterCount) || given.Distinct().Count() != given.Length)
                throw new ArgumentException($"Subnetwork indices must be distinct and lie in 0..{stack.ParameterCount - 1}.", nameof(Options));
            return tensor(given.OrderBy(i => i).ToArray(), ScalarType.Int64);
        }
        var diagonalOptions = Options with { Structure = HessianStructure.Diagonal, Subset = WeightSubset.All };
        using var diagonal = new CurvatureBuilder(stack, likelihood, diagonalOptions, null).Build(data, HessianStructure.Diagonal);
        double prior = Setup.Prior.Precision > 0 ? Setup.Prior.Precision : 1.0;
        double scale = likelihood is GaussianLikelihood g && CurvatureBuilder.UsesUnitNoise(likelihood, Options.Curvature) ? 1 / (g.NoiseSd[0] * g.NoiseSd[0]) : 1;
        using var variances = diagonal.MarginalVariances(full(stack.ParameterCount, prior, ScalarType.Float64), tensor(scale, ScalarType.Float64));
        int k = (int)Math.Min(Options.SubnetworkSize, stack.ParameterCount);
        return variances.topk(k).indexes.sort().Values;
    }

    private (Dataset Fit, Dataset Validation) Split(Dataset data, long seed)
    {
        double fraction = Options.ValidationFraction;
        var order = new long[data.Count];
        for (long i = 0; i < order.Length; i++) order[i] = i;
        new Random(unchecked((int)seed) ^ 0x5eed).Shuffle(order);
        int validation = (int)Math.Max(1, Math.Round(data.Count * fraction));
        if (validation >= data.Count) throw new ArgumentException("Too few training examples to hold out a validation split.");
        return (data.Subset(order[validation..]), data.Subset(order[..validation]));
    }
}
