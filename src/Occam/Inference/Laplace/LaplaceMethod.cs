using Occam.Core;
using Occam.Data;
using Occam.Likelihoods;
using Occam.Posteriors;
using TorchSharp;
using static TorchSharp.torch;

namespace Occam.Inference.Laplace;

/// <summary>
/// The Laplace approximation (MacKay 1992; Daxberger et al. 2021, "Laplace Redux"): train the MAP
/// network, then fit p(θ|D) ≈ N(θ*, (H + P₀)⁻¹) post hoc over a subset of the weights, with H the
/// GGN or a Fisher in a chosen structure, tune the prior precision (and noise) by the Laplace
/// evidence or on validation data, and predict with the linearised network.
/// </summary>
public sealed class LaplaceMethod : NetworkMethod<LaplaceOptions>
{
    /// <summary>Creates the method (registered as "laplace", or under a preset's name).</summary>
    /// <exception cref="ArgumentException">The setup's prior is not Gaussian (the approximation's prior precision needs one).</exception>
    public LaplaceMethod(ModelSetup setup, LaplaceOptions? options = null, string name = "laplace") : base(name, setup, options ?? new LaplaceOptions()) =>
        _ = Setup.GaussianPrior(Name);

    /// <inheritdoc />
    public override IPosteriorMethod With(ModelSetup setup) => new LaplaceMethod(setup, Options, Name);

    /// <summary>
    /// Fits the approximation post hoc around a network trained elsewhere (no training here): the data
    /// are used as given (no standardisation), the prior is the setup's, and the posterior takes
    /// ownership of <paramref name="network"/> and <paramref name="likelihood"/>.
    /// </summary>
    public LaplacePosterior FitToNetwork(nn.Module<Tensor, Tensor> network, Likelihood likelihood, Dataset data, FitContext? context = null)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(likelihood);
        ArgumentNullException.ThrowIfNull(data);
        if (likelihood.Task != data.Task) throw new ArgumentException($"A {likelihood.Name} likelihood cannot model {data.Task} data.", nameof(likelihood));
        network.eval();
        int width = data.Task == TaskKind.Regression ? data.TargetDimension : data.ClassCount;
        var frame = new ModelFrame(data.Task, data.InputShape, likelihood.OutputCount(width), width, Standardiser.Identity);
        return Posterior(new NetworkFit(data, likelihood, frame, context ?? new FitContext()), network, likelihood);
    }

    /// <inheritdoc />
    protected override IPosterior Fit(NetworkFit fit)
    {
        CheckSupported(fit);
        CurvatureBuilder.EnsureSupported(fit.Likelihood, Options.Curvature);
        nn.Module<Tensor, Tensor> network;
        Likelihood likelihood;
        if (Options.Tuning != PriorTuning.Validation) (network, likelihood) = TrainMap(fit, 1, fit.Context.Seed, $"{Name}: map");
        else
        {
            var (train, _) = Split(fit.Data, fit.Context.Seed);
            using (train) (network, likelihood) = TrainMap(fit with { Data = train }, 1, fit.Context.Seed, $"{Name}: map");
        }
        return Posterior(fit, network, likelihood);
    }

    private LaplacePosterior Posterior(NetworkFit fit, nn.Module<Tensor, Tensor> network, Likelihood likelihood)
    {
        using var scope = NewDisposeScope();
        var stack = WeightStack.From(network, Options.Subset, fit.Frame.InputShape, Options.LastLayer);
        try
        {
            var data = fit.Data;
            var theta = stack.Theta();
            var subset = Options.Subset == WeightSubset.Subnetwork ? SubnetworkIndices(stack, likelihood, fit) : null;
            var builder = new CurvatureBuilder(stack, likelihood, Options, subset, fit.Context, Name);
            var curvature = builder.Build(data, Options.Structure);
            var covered = subset is null ? theta : theta.index_select(0, subset);
            var evidence = CreateEvidence(stack, builder, curvature, covered, subset, data);
            double prior = Prior();
            double? noise = likelihood is GaussianLikelihood g ? g.NoiseSd[0] : null;
            var posterior = new LaplacePosterior(Name, fit.Frame, Setup.Network, network, stack, curvature, evidence, theta, subset, likelihood,
                Options, [prior], noise, fit.Context.Seed);
            Tune(posterior, evidence, stack, fit, prior, noise);
            return posterior;
        }
        catch
        {
            stack.Dispose();
            network.Dispose();
            likelihood.Dispose();
            throw;
        }
    }

    private double Prior()
    {
        double precision = Setup.GaussianPrior(Name).Precision;
        return precision > 0 ? precision : 1.0;
    }

    private void Tune(LaplacePosterior posterior, EvidenceModel evidence, WeightStack stack, NetworkFit fit, double prior, double? noise)
    {
        switch (Options.Tuning)
        {
            case PriorTuning.Evidence:
                var (tunedPrior, tunedNoise) = HyperparameterTuner.MaximiseEvidence(evidence, [prior], noise, Options.PerLayerPrior,
                    stack.LayerSizes.Length, Options.TuneNoise);
                posterior.SetHyperparameters(tunedPrior, tunedNoise);
                break;
            case PriorTuning.Validation:
                var (_, validation) = Split(fit.Data, fit.Context.Seed);
                using (validation) posterior.SetHyperparameters([HyperparameterTuner.ValidationSearch(posterior, validation, noise)], noise);
                break;
        }
    }

    /// <summary>Refuses unsupported requests before the MAP is trained (cheap: builds and measures an untrained network).</summary>
    private void CheckSupported(NetworkFit fit)
    {
        using var probe = Setup.Network.Create(fit.Frame.InputShape, fit.Frame.Outputs, 1, 0);
        using var stack = WeightStack.From(probe, Options.Subset, fit.Frame.InputShape, Options.LastLayer);
        long covered = Options.Subset == WeightSubset.Subnetwork ? Options.SubnetworkIndices?.Length ?? Math.Min(Options.SubnetworkSize, stack.ParameterCount) : stack.ParameterCount;
        if (Options.Structure == HessianStructure.Full && covered > Options.MaxFullParameters)
            throw new ArgumentException($"The full Hessian over {covered} weights needs {covered * covered * 8 / 1048576} MiB; the limit is {Options.MaxFullParameters} weights. "
                + "Choose the kron, diag or lowrank structure, or the last-layer subset.", nameof(LaplaceOptions.Structure));
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
    private Tensor SubnetworkIndices(WeightStack stack, Likelihood likelihood, NetworkFit fit)
    {
        if (Options.SubnetworkIndices is { } given)
        {
            if (given.Length == 0 || given.Any(i => i < 0 || i >= stack.ParameterCount) || given.Distinct().Count() != given.Length)
                throw new ArgumentException($"Subnetwork indices must be distinct and lie in 0..{stack.ParameterCount - 1}.", nameof(LaplaceOptions.SubnetworkIndices));
            return tensor(given.OrderBy(i => i).ToArray(), ScalarType.Int64);
        }
        var diagonalOptions = Options with { Structure = HessianStructure.Diagonal, Subset = WeightSubset.All };
        using var diagonal = new CurvatureBuilder(stack, likelihood, diagonalOptions, null, fit.Context, Name).Build(fit.Data, HessianStructure.Diagonal);
        double scale = likelihood is GaussianLikelihood g && CurvatureBuilder.UsesUnitNoise(likelihood, Options.Curvature) ? 1 / (g.NoiseSd[0] * g.NoiseSd[0]) : 1;
        using var variances = diagonal.MarginalVariances(full(stack.ParameterCount, Prior(), ScalarType.Float64), tensor(scale, ScalarType.Float64));
        int k = (int)Math.Min(Options.SubnetworkSize, stack.ParameterCount);
        return variances.topk(k).indexes.sort().Values;
    }

    private (Dataset Fit, Dataset Validation) Split(Dataset data, long seed)
    {
        var order = new long[data.Count];
        for (long i = 0; i < order.Length; i++) order[i] = i;
        new Random(unchecked((int)seed) ^ 0x5eed).Shuffle(order);
        int validation = (int)Math.Max(1, Math.Round(data.Count * Options.ValidationFraction));
        if (validation >= data.Count) throw new ArgumentException("Too few training examples to hold out a validation split.", nameof(LaplaceOptions.ValidationFraction));
        return (data.Subset(order[validation..]), data.Subset(order[..validation]));
    }
}
