using Occam.Core;
using Occam.Data;
using Occam.Inference;
using Occam.Likelihoods;
using Occam.Models;
using Occam.Posteriors;
using TorchSharp;
using static TorchSharp.torch;

namespace Occam.Inference.Laplace;

/// <summary>
/// A Laplace posterior N(θ*, (s·H + P₀)⁻¹) over the covered weights of a trained network, with H the
/// curvature in its structure, s = 1/σ² for a Gaussian likelihood (else 1) and P₀ the prior precision.
/// It predicts with the linearised network (GLM): a Gaussian over the outputs, f(x) ~ N(f(x; θ*), J Σ Jᵀ),
/// closed form for regression and probit (or Monte Carlo) probabilities with sample-based entropy and
/// mutual information for classification; or, with the sampled predictive, by running the network at
/// weight samples. It knows its evidence (<see cref="IEvidence"/>).
/// </summary>
public sealed class LaplacePosterior : LatentGaussianPosterior, IEvidence, INetworkPosterior
{
    private readonly WeightStack _stack;
    private readonly ICurvature _curvature;
    private readonly EvidenceModel _evidence;
    private readonly Tensor _theta;   // all stack weights θ*, [P_stack] float64
    private readonly Tensor? _subset; // covered indices into θ, or null

    internal LaplacePosterior(string method, ModelFrame frame, NetworkSpec spec, nn.Module<Tensor, Tensor> network, WeightStack stack, ICurvature curvature,
        EvidenceModel evidence, Tensor theta, Tensor? subset, Likelihood likelihood, LaplaceOptions options, double[] priorPrecision, double? noiseSd, long seed)
        : base(method, frame, likelihood, seed)
    {
        Spec = spec;
        Network = network;
        _stack = stack;
        _curvature = curvature;
        _evidence = evidence;
        _theta = theta.DetachFromDisposeScope();
        _subset = subset?.DetachFromDisposeScope();
        Options = options;
        SetHyperparameters(priorPrecision, noiseSd);
    }

    /// <summary>How the MAP network is rebuilt when loading.</summary>
    public NetworkSpec Spec { get; }

    /// <summary>The MAP network (evaluation mode).</summary>
    public nn.Module<Tensor, Tensor> Network { get; }

    /// <summary>The MAP weights θ* of the whole network [P] (the network's dtype), a fresh tensor the caller owns.</summary>
    public Tensor CentreWeights() => WeightSpace.Of(Network).Get();

    internal ICurvature CurvatureStructure => _curvature;

    internal Tensor? SubsetIndices => _subset;

    internal EvidenceModel EvidenceTerms => _evidence;

    /// <summary>The options it was fitted with.</summary>
    public LaplaceOptions Options { get; }

    /// <summary>Weights covered by the Gaussian.</summary>
    public long ParameterCount => _curvature.Size;

    /// <summary>Structure of the curvature ("full", "diag", "kron", "lowrank").</summary>
    public string Structure => _curvature.Structure;

    /// <summary>Prior precision(s) in use: one, or one per layer.</summary>
    public double[] PriorPrecision { get; private set; } = [];

    /// <summary>Gaussian observation noise sd in use (standardised units), or null.</summary>
    public double? NoiseSd { get; private set; }

    /// <summary>The Laplace log evidence at the current hyperparameters, with its parts.</summary>
    public EvidenceReport Evidence => _evidence.Evaluate(PriorPrecision, NoiseSd);

    /// <inheritdoc />
    public override int DefaultSamples => Options.Samples;

    /// <inheritdoc />
    public override LatentLink Link => Options.Link;

    /// <inheritdoc />
    public override Device Device => _theta.device;

    /// <inheritdoc />
    protected override int? PreferredBatch => _stack.PreferredBatch(_stack.Outputs);

    /// <summary>Sets the prior precision(s) and noise sd (e.g. after tuning).</summary>
    public void SetHyperparameters(double[] priorPrecision, double? noiseSd)
    {
        ArgumentNullException.ThrowIfNull(priorPrecision);
        int layers = _stack.LayerSizes.Length;
        if (priorPrecision.Length != 1 && priorPrecision.Length != layers)
            throw new ArgumentException($"Give one prior precision or one per layer ({layers}); got {priorPrecision.Length}.", nameof(priorPrecision));
        if (priorPrecision.Any(p => !(p > 0) || !double.IsFinite(p))) throw new ArgumentException("Prior precisions must be positive and finite.", nameof(priorPrecision));
        if (noiseSd is { } sd && !(sd > 0)) throw new ArgumentException("Noise sd must be positive.", nameof(noiseSd));
        PriorPrecision = priorPrecision.ToArray();
        NoiseSd = _evidence.HasNoise ? noiseSd : null;
        if (NoiseSd is { } s && Likelihood is GaussianLikelihood g) g.SetNoiseSd([s]);
    }

    /// <summary>The posterior mean of the covered weights θ* [P] (float64, in the weight subset's layout).</summary>
    public Tensor Mean()
    {
        using var scope = NewDisposeScope();
        return (_subset is null ? _theta.clone() : _theta.index_select(0, _subset)).MoveToOuterDisposeScope();
    }

    /// <summary>The dense posterior covariance T·(s·H + P₀)⁻¹ [P, P] of the covered weights (T the temperature, 1 by default), for inspecting small problems.</summary>
    public Tensor Covariance()
    {
        long p = _curvature.Size;
        if (p > Options.MaxFullParameters) throw new InvalidOperationException($"A dense covariance over {p} weights is too large; the limit is {Options.MaxFullParameters}.");
        using var scope = NewDisposeScope();
        var identity = eye(p, dtype: ScalarType.Float64).unsqueeze(0);
        return _curvature.InverseQuadraticForm(identity, Delta(), Scale())[0].MoveToOuterDisposeScope();
    }

    /// <summary>The prior precision of every covered weight, δ [P] (float64, a fresh tensor the caller owns).</summary>
    public Tensor PriorPrecisionVector() => Delta();

    /// <summary>
    /// The effective dimensionality N_eff = tr(s·H Π⁻¹) = P − Σᵢ δᵢ (Π⁻¹)ᵢᵢ with Π = s·H + diag(δ): the number of
    /// directions the data determine. For one prior precision α it is Σᵢ λᵢ/(λᵢ + α) over the eigenvalues λᵢ of s·H
    /// (Maddox, Benton &amp; Wilson 2020; MacKay's γ), computed from the structure's marginal variances.
    /// </summary>
    public double EffectiveDimension()
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var delta = Delta();
        var variances = _curvature.MarginalVariances(delta, Scale());
        return _curvature.Size - (delta * variances).sum().item<double>();
    }

    /// <summary>The curvature H as a dense matrix (for inspection and tests of small problems).</summary>
    public Tensor CurvatureMatrix() => _curvature.ToDense();

    /// <summary>J Σ Jᵀ [N, O, O] for standardised inputs: the GLM's covariance of the outputs.</summary>
    public Tensor FunctionCovariance(Tensor standardisedInputs)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var (_, layers) = _stack.Factors(_stack.Features(standardisedInputs));
        return QuadraticForm(Float64(layers)).MoveToOuterDisposeScope();
    }

    /// <inheritdoc />
    public override (Tensor Mean, Tensor Covariance) Latent(Tensor standardisedInputs)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var (outputs, layers) = _stack.Factors(_stack.Features(standardisedInputs));
        var covariance = QuadraticForm(Float64(layers));
        return (outputs.to_type(ScalarType.Float64).MoveToOuterDisposeScope(), covariance.MoveToOuterDisposeScope());
    }

    /// <inheritdoc />
    protected override ChunkPredictor BeginPrediction(PredictOptions options, long seed, Generator generator)
    {
        if (Options.Prediction != LaplacePrediction.Sampled || options.AtMean) return base.BeginPrediction(options, seed, generator);
        int samples = options.Samples ?? Options.Samples;
        var draws = _curvature.Sample(samples, Delta(), Scale(), generator); // [S, P_covered]
        var thetas = _theta.unsqueeze(0).repeat(samples, 1);
        if (_subset is null) thetas.add_(draws);
        else thetas.index_add_(1, _subset, draws, 1.0);
        draws.Dispose();
        thetas.DetachFromDisposeScope();
        return new ChunkPredictor(chunk => Likelihood.Predict(_stack.Forward(_stack.Features(chunk), thetas)), thetas, PreferredBatch);
    }

    /// <summary>The predictive for already standardised inputs, in standardised target units (validation tuning).</summary>
    internal Predictive PredictStandardised(Tensor inputs, PredictOptions options) => PredictWithoutStandardisation(inputs, options);

    private static List<(Tensor Input, Tensor? Gradient)> Float64(List<(Tensor Input, Tensor? Gradient)> layers) =>
        layers.Select(l => (l.Input.to_type(ScalarType.Float64), l.Gradient?.to_type(ScalarType.Float64))).ToList();

    /// <summary>J Π⁻¹ Jᵀ, from the layer factors when the structure allows (no dense Jacobian), else from J.</summary>
    private Tensor QuadraticForm(List<(Tensor Input, Tensor? Gradient)> layers)
    {
        if (_subset is null && _curvature is IFactoredCurvature factored)
            return factored.FactoredQuadraticForm(layers, _stack.Outputs, Delta(), Scale());
        var j = WeightStack.Jacobian(layers, _stack.Outputs);
        if (_subset is not null) j = j.index_select(2, _subset);
        return _curvature.InverseQuadraticForm(j, Delta(), Scale());
    }

    /// <summary>The prior precisions P₀ of the covariance, divided by the temperature (Σ_T = T·(s·H + P₀)⁻¹ = (s·H/T + P₀/T)⁻¹).</summary>
    private Tensor Delta()
    {
        using var scope = NewDisposeScope();
        var logPrior = tensor(PriorPrecision.Select(v => Math.Log(v / Options.Temperature)).ToArray(), ScalarType.Float64);
        return _evidence.PriorVector(logPrior).contiguous().MoveToOuterDisposeScope();
    }

    /// <summary>The curvature's scale s (the Gaussian noise precision, or 1), divided by the temperature.</summary>
    private Tensor Scale()
    {
        var scale = _evidence.Scale(NoiseSd is { } sd ? tensor(Math.Log(sd), ScalarType.Float64) : null);
        if (Options.Temperature == 1.0) return scale;
        using (scale) return scale / Options.Temperature;
    }

    /// <inheritdoc />
    public override void Save(string directory)
    {
        ThrowIfDisposed();
        LaplaceStore.Save(this, directory);
    }

    /// <inheritdoc />
    protected override void DisposeCore()
    {
        Network.Dispose();
        _stack.Dispose();
        _curvature.Dispose();
        _evidence.Dispose();
        _theta.Dispose();
        _subset?.Dispose();
        base.DisposeCore();
    }
}
