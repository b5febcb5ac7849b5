using System.Globalization;
using Occam.Core;
using Occam.Data;
using Occam.GaussianProcesses;
using Occam.GaussianProcesses.Classification;
using Occam.GaussianProcesses.Sparse;
using Occam.Inference.GaussianProcesses.DeepKernel;
using Occam.Likelihoods;
using Occam.Posteriors.Storage;
using TorchSharp;
using static TorchSharp.torch;

namespace Occam.Inference.GaussianProcesses;

/// <summary>
/// Deep kernel learning ("dkl", Wilson et al. 2016): k(x, x′) = s · k₀(g(x; w), g(x′; w)) with the model's
/// network g (any module; its outputs are the F features) and a base kernel k₀ with one lengthscale per
/// feature. The network's weights, the kernel's hyperparameters, the noise (regression) or the constant
/// mean (classification) are trained jointly by full-batch Adam on the log marginal likelihood: exact up
/// to <see cref="DklOptions.ExactLimit"/> points, the Titsias bound with inducing inputs in feature space
/// (k-means on the initial features, then trained) above it. Classification is Dirichlet-based GP
/// classification (Milios et al. 2018). The posterior is the GP on the trained features.
/// </summary>
public sealed class DeepKernelMethod : NetworkMethod<DklOptions>
{
    /// <summary>Creates the method.</summary>
    public DeepKernelMethod(ModelSetup setup, DklOptions? options = null) : base("dkl", setup, options ?? new DklOptions()) { }

    /// <summary>The registry entry.</summary>
    public static MethodEntry Entry { get; } = MethodEntry.Create("dkl",
        "deep kernel learning (Wilson et al. 2016): the network's features under an ARD kernel, trained jointly on the GP marginal likelihood (exact, or the sparse bound for large N)",
        new DklOptions(), (setup, options) => new DeepKernelMethod(setup, options));

    /// <inheritdoc />
    public override IPosteriorMethod With(ModelSetup setup) => new DeepKernelMethod(setup, Options);

    /// <inheritdoc />
    protected override Likelihood LikelihoodFor(TaskKind task) => Likelihood.Default(task);

    /// <inheritdoc />
    protected override IPosterior Fit(NetworkFit fit)
    {
        long n = fit.Data.Count, seed = fit.Context.Seed;
        bool regression = fit.Frame.Task == TaskKind.Regression;
        int classes = regression ? 0 : fit.Frame.Width, outputs = Math.Max(1, classes);
        int width = Options.FeatureWidth ?? (regression ? 2 : classes);
        bool sparse = n > Options.ExactLimit;
        int m = (int)Math.Min(Options.InducingPoints, n);
        if (sparse) MemoryGuard.Require(m, n, 4 * outputs + 2, $"{Name}: the sparse bound with M = {m:N0} inducing inputs on N = {n:N0} points", "Use fewer inducing inputs.");
        else GpFitting.RequireExact(Name, n, 4 * outputs + 2);

        using var scope = NewDisposeScope();
        using var seeded = new Core.RandomSeed(seed); // a module's dropout draws from libtorch's global generator
        var inputs = fit.Data.Inputs.cpu();
        Tensor targets, labels;
        Tensor? fixedNoise = null;
        if (regression)
        {
            labels = GpFitting.Targets(fit);
            targets = labels.reshape(1, -1);
        }
        else
        {
            labels = GpFitting.Labels(fit);
            (targets, var noise) = DirichletTargets.From(labels, classes, Options.DirichletAlpha);
            fixedNoise = noise;
        }
        var network = Setup.Network.Create(fit.Frame.InputShape, width, 1, seed);
        try
        {
            var spec = new GpKernelSpec(Options.Kernel, width, Ard: true);
            var (raw, noiseVariance, mean, inducing, objective) = Train(fit, network, spec, inputs, targets, fixedNoise, sparse ? m : 0, seed);
            network.eval();
            var state = new GpState(GpModelKind.Feature, spec, raw, noiseVariance, BinaryLikelihood.Probit, classes, Options.DirichletAlpha, mean,
                Options.Samples, Options.Link, NetworkSpecDto.From(Setup.Network), width, Describe(sparse, m, n, objective));
            return GpPosterior.Create(Name, GpFitting.Frame(fit, state.Model), state, inputs, labels, inducing, Setup.Network, network, seed);
        }
        catch
        {
            network.Dispose();
            throw;
        }
    }

    /// <summary>Full-batch Adam on −(log marginal likelihood)/(N·C); returns the trained values and the final objective per point.</summary>
    private (double[] KernelRaw, double NoiseVariance, double Mean, Tensor? Inducing, double Objective) Train(NetworkFit fit, nn.Module<Tensor, Tensor> network,
        GpKernelSpec spec, Tensor inputs, Tensor targets, Tensor? fixedNoise, int inducingPoints, long seed)
    {
        long n = inputs.size(0);
        double scale = n * targets.size(0);
        network.train();
        using var kernel = spec.Build(1.0, 1.0);
        var learnNoise = fixedNoise is null && GpFitting.FixedNoise(Setup) is null;
        double initialNoise = GpFitting.FixedNoise(Setup) ?? Options.NoiseVariance;
        using var logNoise = tensor(Math.Log(initialNoise), dtype: ScalarType.Float64).requires_grad_(learnNoise);
        bool learnMean = fixedNoise is not null;
        using var meanValue = (learnMean ? targets.mean() : zeros([], dtype: ScalarType.Float64)).detach().clone().requires_grad_(learnMean);
        Tensor? inducing = null;
        if (inducingPoints > 0)
        {
            using var initial = GpPosterior.Features(network, inputs);
            inducing = KMeans.Centers(initial, inducingPoints, seed: unchecked((int)seed)).requires_grad_(true);
        }
        var trained = network.parameters().Cast<Tensor>().Concat(kernel.Parameters).ToList();
        if (learnNoise) trained.Add(logNoise);
        if (learnMean) trained.Add(meanValue);
        if (inducing is not null) trained.Add(inducing);
        using var adam = new TensorAdam(trained, Options.LearningRate);
        double objective = double.NaN;
        for (int step = 0; step < Options.Steps; step++)
        {
            fit.Context.Cancellation.ThrowIfCancellationRequested();
            using var stepScope = NewDisposeScope();
            adam.ZeroGrad();
            var features = network.forward(inputs).reshape(n, -1).to_type(ScalarType.Float64);
            var noise = fixedNoise ?? logNoise.exp().reshape(1, 1);
            var (dataFit, complexity, penalty, constant) = FeatureGpObjective.Evaluate(kernel, features, targets, noise, meanValue, inducing, JitterSchedule.Default);
            var loss = -(dataFit + complexity + penalty + constant) / scale;
            objective = loss.item<double>();
            if (!double.IsFinite(objective)) throw new TrainingDivergedException(Name, step + 1, objective);
            loss.backward();
            adam.Step();
            fit.Context.Progress?.Report(new RunReport(Name, step + 1, Options.Steps, 1, 1, objective));
        }
        var result = (GpKernelSpec.RawValues(kernel), learnNoise ? Math.Exp(logNoise.item<double>()) : initialNoise, meanValue.item<double>(),
            inducing?.detach().clone(), objective);
        inducing?.Dispose();
        return result;
    }

    private string Describe(bool sparse, int m, long n, double objective) => string.Create(CultureInfo.InvariantCulture,
        $"{(sparse ? $"sparse bound with {m} inducing inputs" : "exact marginal likelihood")} on {n:N0} points, {Options.Steps} full-batch Adam steps (lr {Options.LearningRate:G3}); final −LML/N {objective:F4}");
}
