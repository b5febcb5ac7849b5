using Occam.Core;
using Occam.GaussianProcesses;
using Occam.GaussianProcesses.Classification;
using Occam.GaussianProcesses.Kernels;
using Occam.GaussianProcesses.Regression;
using Occam.GaussianProcesses.Sparse;
using Occam.Inference.GaussianProcesses.DeepKernel;
using Occam.Models;
using Occam.Posteriors;
using TorchSharp;
using static TorchSharp.torch;

namespace Occam.Inference.GaussianProcesses;

/// <summary>
/// A Gaussian-process posterior as an Occam posterior: the fitted GP model gives the latent mean and
/// covariance at standardised inputs (flattened, or mapped through the feature network of a deep kernel)
/// and the likelihood turns them into the predictive: N(μ, v + σ²) for regression (the latent variance v
/// is the epistemic part, the fitted noise σ² the aleatoric part); for classification the Bernoulli
/// (one latent, binary EP or Laplace) or categorical (C latents) latent predictive. It knows its log
/// marginal likelihood (<see cref="IEvidence"/>). GP posteriors run on the CPU in float64.
/// </summary>
public sealed class GpPosterior : LatentGaussianPosterior, IEvidence
{
    private readonly Kernel _kernel;
    private readonly IGaussianProcessModel _model;
    private readonly Tensor _inputs;
    private readonly Tensor _targets;
    private readonly Tensor? _inducing;
    private EvidenceReport? _evidence;

    private GpPosterior(string method, ModelFrame frame, GpState state, Kernel kernel, IGaussianProcessModel model, Tensor inputs, Tensor targets,
        Tensor? inducing, NetworkSpec? spec, nn.Module<Tensor, Tensor>? network, long seed)
        : base(method, frame, state.CreateLikelihood(), seed)
    {
        State = state;
        _kernel = kernel;
        _model = model;
        _inputs = inputs;
        _targets = targets;
        _inducing = inducing;
        Spec = spec;
        Network = network;
    }

    /// <summary>
    /// Builds the posterior at the hyperparameters in <paramref name="state"/>. <paramref name="inputs"/> are
    /// the training inputs the model sees (float64 [N, D]) or, with a feature <paramref name="network"/>,
    /// its standardised inputs; <paramref name="targets"/> float64 [N] (regression, binary 0/1) or int64
    /// labels [N]. Tensors are copied; the posterior takes ownership of <paramref name="network"/>.
    /// </summary>
    internal static GpPosterior Create(string method, ModelFrame frame, GpState state, Tensor inputs, Tensor targets, Tensor? inducing,
        NetworkSpec? spec, nn.Module<Tensor, Tensor>? network, long seed)
    {
        Kernel? kernel = null;
        IGaussianProcessModel? model = null;
        using var scope = NewDisposeScope();
        try
        {
            kernel = state.Kernel.Build();
            GpKernelSpec.AssignRaw(kernel, state.KernelRaw);
            network?.eval();
            var x = Features(network, inputs);
            model = BuildModel(state, kernel, x, targets, inducing);
            return new GpPosterior(method, frame, state, kernel, model, inputs.detach().clone().DetachFromDisposeScope(),
                targets.detach().clone().DetachFromDisposeScope(), inducing?.detach().clone().DetachFromDisposeScope(), spec, network, seed);
        }
        catch
        {
            model?.Dispose();
            kernel?.Dispose();
            network?.Dispose();
            throw;
        }
    }

    /// <summary>The fitted settings and hyperparameters.</summary>
    public GpState State { get; }

    /// <summary>The fitted GP model (owned by the posterior).</summary>
    public IGaussianProcessModel Model => _model;

    /// <summary>The kernel at its fitted hyperparameters, described.</summary>
    public string KernelDescription => _kernel.ToString();

    /// <summary>The feature network's spec (deep kernels), or null.</summary>
    public NetworkSpec? Spec { get; }

    /// <summary>The feature network of a deep kernel (evaluation mode), or null.</summary>
    public nn.Module<Tensor, Tensor>? Network { get; }

    /// <summary>Training points N.</summary>
    public long Count => _targets.size(0);

    internal Tensor StoredInputs => _inputs;

    internal Tensor StoredTargets => _targets;

    internal Tensor? StoredInducing => _inducing;

    /// <summary>
    /// The log marginal likelihood at the fitted hyperparameters (standardised units): exact for exact GP
    /// regression; the Titsias bound for sparse models (its trace term counted in the Occam factor); the
    /// EP or Laplace approximation for classification; the Dirichlet regression likelihood for deep-kernel
    /// classification. DataFit is the data-fit part, OccamFactor the complexity part plus the constant
    /// (and any bound penalty), LogDeterminant −2 × the complexity part, Parameters the N training points.
    /// </summary>
    public EvidenceReport Evidence => _evidence ??= Report();

    /// <inheritdoc />
    public override int DefaultSamples => State.Samples;

    /// <inheritdoc />
    public override Likelihoods.LatentLink Link => State.Link;

    /// <inheritdoc />
    public override Device Device => CPU;

    /// <inheritdoc />
    protected override int? PreferredBatch => (int)Math.Clamp((1L << 24) / Math.Max(1, _model.Outputs * Count), 16, 4096);

    /// <inheritdoc />
    public override (Tensor Mean, Tensor Covariance) Latent(Tensor standardisedInputs)
    {
        ThrowIfDisposed();
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var (mean, covariance) = _model.LatentMeanAndCovariance(Features(Network, standardisedInputs));
        return (mean.MoveToOuterDisposeScope(), covariance.MoveToOuterDisposeScope());
    }

    /// <inheritdoc />
    public override void Save(string directory)
    {
        ThrowIfDisposed();
        GpStore.Save(this, directory);
    }

    /// <inheritdoc />
    protected override void DisposeCore()
    {
        _model.Dispose();
        _kernel.Dispose();
        Network?.Dispose();
        _inputs.Dispose();
        _targets.Dispose();
        _inducing?.Dispose();
        base.DisposeCore();
    }

    /// <summary>The GP's inputs: flattened float64 inputs, or the network's features of them (float64, no graph), in the caller's scope.</summary>
    internal static Tensor Features(nn.Module<Tensor, Tensor>? network, Tensor inputs)
    {
        using var noGrad = no_grad();
        if (network is null) return inputs.reshape(inputs.shape[0], -1).to_type(ScalarType.Float64);
        return network.forward(inputs.to_type(ScalarType.Float32)).reshape(inputs.shape[0], -1).to_type(ScalarType.Float64);
    }

    /// <summary>The GP model of <paramref name="state"/> on inputs <paramref name="x"/> (float64 [N, D] or features); the caller disposes it.</summary>
    internal static IGaussianProcessModel BuildModel(GpState state, Kernel kernel, Tensor x, Tensor targets, Tensor? inducing) => state.Model switch
    {
        GpModelKind.ExactRegression => new ExactGaussianProcess(kernel, x, targets.to_type(ScalarType.Float64),
            new ExactGpOptions { NoiseVariance = state.NoiseVariance, LearnNoise = false }),
        GpModelKind.SparseRegression => new SparseGaussianProcess(kernel, x, targets.to_type(ScalarType.Float64), inducing,
            new SparseGpOptions { NoiseVariance = state.NoiseVariance, LearnNoise = false }),
        GpModelKind.EpBinary => new EpBinaryClassifier(kernel, x, targets),
        GpModelKind.LaplaceBinary => new LaplaceBinaryClassifier(kernel, x, targets, new LaplaceOptions { Likelihood = state.BinaryLink }),
        GpModelKind.LaplaceMulticlass => new LaplaceMulticlassClassifier(kernel, x, targets, state.Classes, new MulticlassLaplaceOptions { MonteCarloSamples = 1 }),
        GpModelKind.Feature => BuildFeatureModel(state, kernel, x, targets, inducing),
        _ => throw new NotSupportedException($"Unknown GP model kind {state.Model}."),
    };

    private static FeatureGpModel BuildFeatureModel(GpState state, Kernel kernel, Tensor features, Tensor targets, Tensor? inducing)
    {
        using var scope = NewDisposeScope();
        if (state.Classes == 0)
        {
            var y = targets.to_type(ScalarType.Float64).reshape(1, -1);
            return new FeatureGpModel(kernel, features, y, full_like(y, state.NoiseVariance), state.ConstantMean, inducing, JitterSchedule.Default);
        }
        var (dirichlet, noise) = DirichletTargets.From(targets, state.Classes, state.DirichletAlpha);
        return new FeatureGpModel(kernel, features, dirichlet, noise, state.ConstantMean, inducing, JitterSchedule.Default);
    }

    private EvidenceReport Report()
    {
        var lml = _model.LogMarginalLikelihood();
        bool regression = Frame.Task == Data.TaskKind.Regression;
        return new EvidenceReport(lml.Total, lml.DataFit, lml.Complexity + lml.Constant + lml.Penalty, -2 * lml.Complexity, Count, [],
            regression ? Math.Sqrt(State.NoiseVariance) : null);
    }
}
