using Occam.Data;
using Occam.Likelihoods;
using TorchSharp;
using static TorchSharp.torch;

namespace Occam.Inference.Laplace;

/// <summary>
/// A Laplace posterior N(θ*, (s·H + P₀)⁻¹) over the covered weights of a trained network, with H the
/// curvature in its structure, s = 1/σ² for a Gaussian likelihood (else 1) and P₀ the prior
/// precision. Predicts with the linearised (GLM) predictive — closed-form Gaussian for regression,
/// probit or Monte Carlo logits for classification — or by sampling weights through the network.
/// </summary>
public sealed class LaplacePosterior : IPosterior
{
    private readonly nn.Module<Tensor, Tensor> _network;
    private readonly WeightStack _stack;
    private readonly ICurvature _curvature;
    private readonly EvidenceModel _evidence;
    private readonly Tensor _theta;        // all stack weights θ*, [P_stack]
    private readonly Tensor? _subset;      // covered indices into θ, or null
    private readonly Likelihood _likelihood;
    private readonly LaplaceOptions _options;
    private readonly long _seed;
    private bool _disposed;

    internal LaplacePosterior(TaskKind task, nn.Module<Tensor, Tensor> network, WeightStack stack, ICurvature curvature, EvidenceModel evidence,
        Tensor theta, Tensor? subset, Likelihood likelihood, Standardiser standardiser, LaplaceOptions options, double[] priorPrecision,
        double? noiseSd, long seed, NetworkDescription description)
    {
        Task = task;
        Description = description;
        _network = network;
        _stack = stack;
        _curvature = curvature;
        _evidence = evidence;
        _theta = theta.DetachFromDisposeScope();
        _subset = subset?.DetachFromDisposeScope();
        _likelihood = likelihood;
        Standardiser = standardiser;
        _options = options;
        _seed = seed;
        SetHyperparameters(priorPrecision, noiseSd);
    }

    /// <inheritdoc />
    public string Method => "laplace";

    /// <summary>The MAP network's architecture and sizes.</summary>
    public NetworkDescription Description { get; }

    internal nn.Module<Tensor, Tensor> Network => _network;

    internal ICurvature CurvatureStructure => _curvature;

    internal Tensor? SubsetIndices => _subset;

    internal Likelihood LikelihoodModel => _likelihood;

    internal EvidenceModel EvidenceTerms => _evidence;

    internal long Seed => _seed;

    /// <inheritdoc />
    public TaskKind Task { get; }

    /// <summary>Training-split standardisation.</summary>
    public Standardiser Standardiser { get; }

    /// <summary>The options it was fitted with.</summary>
    public LaplaceOptions Options => _options;

    /// <summary>Weights covered by the Gaussian.</summary>
    public long ParameterCount => _curvature.Size;

    /// <summary>Structure of the curvature ("full", "diag", "kron", "lowrank").</summary>
    public string Structure => _curvature.Structure;

    /// <summary>Prior precision(s) in use: one, or one per layer.</summary>
    public double[] PriorPrecision { get; private set; } = [];

    /// <summary>Gaussian observation noise sd in use (standardised units), or null.</summary>
    public double? NoiseSd { get; private set; }

    /// <summary>The Laplace log evidence at the current hyperparameters, with its parts.</summary>
    public LaplaceEvidence Evidence => _evidence.Evaluate(PriorPrecision, NoiseSd);

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
        if (NoiseSd is { } s && _likelihood is GaussianLikelihood g) g.SetNoiseSd([s]);
    }

    /// <summary>The posterior mean of the covered weights θ* [P] (float64, in the layout of the weight subset).</summary>
    public Tensor Mean()
    {
        using var scope = NewDisposeScope();
        return (_subset is null ? _theta.clone() : _theta.index_select(0, _subset)).MoveToOuterDisposeScope();
    }

    /// <summary>The dense posterior covariance (s·H + P₀)⁻¹ [P, P] of the covered weights, for inspection of small problems.</summary>
    public Tensor Covariance()
    {
        long p = _curvature.Size;
        if (p > _options.MaxFullParameters) throw new InvalidOperationException($"A dense covariance over {p} weights is too large; the limit is {_options.MaxFullParameters}.");
        using var scope = NewDisposeScope();
        var identity = eye(p, dtype: ScalarType.Float64).unsqueeze(0);
        return _curvature.InverseQuadraticForm(identity, Delta(), Scale())[0].MoveToOuterDisposeScope();
    }

    /// <summary>The curvature H as a dense matrix (for inspection and tests of small problems).</summary>
    public Tensor CurvatureMatrix() => _curvature.ToDense();

    /// <summary>Posterior covariance-weighted Jacobian products J Σ Jᵀ [N, O, O] for standardised inputs (the GLM's function-space covariance).</summary>
    public Tensor FunctionCovariance(Tensor standardisedInputs)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var (_, layers) = _stack.Factors(_stack.Features(standardisedInputs));
        return QuadraticForm(Float64(layers)).MoveToOuterDisposeScope();
    }

    /// <inheritdoc />
    public Predictive Predict(Tensor x, PredictOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(x);
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (x.dtype != ScalarType.Float32 && x.dtype != ScalarType.Float64) throw new ArgumentException($"Inputs must be floating point; got {x.dtype}.", nameof(x));
        options ??= new PredictOptions();
        int samples = options.Samples ?? _options.Samples;
        if (samples < 1) throw new ArgumentOutOfRangeException(nameof(options), "Samples must be at least 1.");
        using var scope = NewDisposeScope();
        var inputs = Standardiser.TransformInputs(x);
        using var standardised = PredictStandardised(inputs, options, samples);
        return Standardiser.HasTargets ? standardised.Affine(Standardiser.TargetMean, Standardiser.TargetSd) : standardised.Slice(0, standardised.Count);
    }

    /// <summary>The predictive for already standardised inputs, in standardised target units.</summary>
    internal Predictive PredictStandardised(Tensor inputs, PredictOptions options, int samples)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var generator = new Generator((ulong)(options.Seed ?? _seed));
        var chunks = new List<Predictive>();
        try
        {
            int batch = Math.Min(options.BatchSize, _stack.PreferredBatch(_stack.Outputs));
            for (long start = 0; start < inputs.shape[0]; start += batch)
            {
                using var inner = NewDisposeScope();
                var chunk = inputs.narrow(0, start, Math.Min(batch, inputs.shape[0] - start));
                chunks.Add(_options.Prediction == LaplacePrediction.Glm ? Linearised(chunk, samples, generator) : Sampled(chunk, samples, generator));
            }
            return Predictive.Join(chunks);
        }
        finally
        {
            foreach (var c in chunks) c.Dispose();
        }
    }

    private Predictive Linearised(Tensor x, int samples, Generator generator)
    {
        var (outputs, layers) = _stack.Factors(_stack.Features(x));
        var mean = outputs.to_type(ScalarType.Float64);
        var covariance = QuadraticForm(Float64(layers)); // [N, O, O]
        var variance = covariance.diagonal(0, 1, 2);
        switch (_likelihood)
        {
            case GaussianLikelihood:
                var noise = NoiseSd ?? 1.0;
                return Predictive.Regression(mean, full_like(mean, noise * noise), variance);
            case HeteroscedasticGaussianLikelihood h:
                long t = mean.shape[1] / 2;
                var aleatoric = nn.functional.softplus(mean.narrow(1, t, t)) + h.MinVariance;
                return Predictive.Regression(mean.narrow(1, 0, t), aleatoric, variance.narrow(1, 0, t));
            case CategoricalLikelihood when _options.Link == ClassificationLink.Probit:
                var kappa = (1 + Math.PI / 8 * variance).rsqrt();
                return Predictive.Classification((mean * kappa).log_softmax(-1));
            case CategoricalLikelihood:
                var o = covariance.shape[1];
                var jitter = eye(o, dtype: ScalarType.Float64) * (1e-9 * variance.mean().item<double>() + 1e-12);
                var chol = linalg.cholesky(covariance + jitter);
                var z = randn(new long[] { samples, mean.shape[0], o, 1 }, dtype: ScalarType.Float64, generator: generator);
                var logits = mean.unsqueeze(0) + chol.unsqueeze(0).matmul(z).squeeze(-1);
                return Predictive.Classification(logits.log_softmax(-1));
            default:
                throw new NotSupportedException($"The GLM predictive does not support a {_likelihood.Name} likelihood.");
        }
    }

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

    private Predictive Sampled(Tensor x, int samples, Generator generator)
    {
        var draws = _curvature.Sample(samples, Delta(), Scale(), generator); // [S, P_covered]
        var thetas = _theta.unsqueeze(0).repeat(samples, 1);
        if (_subset is null) thetas.add_(draws);
        else thetas.index_add_(1, _subset, draws, 1.0);
        var raw = _stack.Forward(_stack.Features(x), thetas); // [S, N, O]
        return _likelihood.Predict(raw);
    }

    private Tensor Delta()
    {
        using var scope = NewDisposeScope();
        var logPrior = tensor(PriorPrecision.Select(v => Math.Log(v)).ToArray(), ScalarType.Float64);
        return _evidence.PriorVector(logPrior).contiguous().MoveToOuterDisposeScope();
    }

    private Tensor Scale() => _evidence.Scale(NoiseSd is { } sd ? tensor(Math.Log(sd), ScalarType.Float64) : null);

    /// <inheritdoc />
    public void Save(string directory) => LaplaceStore.Save(this, directory);

    /// <inheritdoc />
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        _network.Dispose();
        _stack.Dispose();
        _curvature.Dispose();
        _evidence.Dispose();
        _theta.Dispose();
        _subset?.Dispose();
        _likelihood.Dispose();
    }
}
