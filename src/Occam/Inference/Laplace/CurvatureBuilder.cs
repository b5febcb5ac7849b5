using Occam.Core;
using Occam.Data;
using Occam.Likelihoods;
using TorchSharp;
using static TorchSharp.torch;

namespace Occam.Inference.Laplace;

/// <summary>
/// Accumulates the curvature of the negative log-likelihood at θ* over the training data, batch by
/// batch, in the requested structure: GGN Σ Jₙᵀ Λₙ Jₙ or empirical Fisher Σ gₙ gₙᵀ with
/// gₙ = Jₙᵀ ∂ℓₙ/∂f, or its Monte Carlo version at labels drawn from the model (expectation: the GGN).
/// Both Fishers seed the factors with the one output gradient per example, so they cost one backward
/// pass per example where the GGN costs one per output. For a homoscedastic Gaussian likelihood the GGN is accumulated with unit noise
/// and the noise enters later as the scale 1/σ², so the noise can be tuned without recomputing it.
/// </summary>
internal sealed class CurvatureBuilder
{
    private readonly WeightStack _stack;
    private readonly Likelihood _likelihood;
    private readonly LaplaceOptions _options;
    private readonly Tensor? _subset; // int64 indices into θ, or null for all
    private const ulong MonteCarloSeed = 20261202;
    private Generator? _labels;       // Monte Carlo Fisher draws
    private readonly FitContext _context;
    private readonly string _stage;

    public CurvatureBuilder(WeightStack stack, Likelihood likelihood, LaplaceOptions options, Tensor? subset, FitContext? context = null, string method = "laplace")
    {
        _context = context ?? new FitContext();
        _stage = $"{method}: curvature";
        EnsureSupported(likelihood, options.Curvature);
        _stack = stack;
        _likelihood = likelihood;
        _options = options;
        _subset = subset;
    }

    private bool _fitRecorded;

    /// <summary>Σ (y − f(x; θ*))² over the training targets, recorded during the (first) curvature pass.</summary>
    public double SumSquaredResiduals { get; private set; }

    /// <summary>log p(D|θ*) under the likelihood as it is, recorded during the (first) curvature pass.</summary>
    public double LogLikelihood { get; private set; }

    /// <summary>Whether the curvature was accumulated with unit Gaussian noise (scale = 1/σ²).</summary>
    public bool UnitNoise => UsesUnitNoise(_likelihood, _options.Curvature);

    /// <summary>Throws unless a curvature of this kind can be built for this likelihood (cheap; call before training).</summary>
    /// <exception cref="NotSupportedException">The Monte Carlo Fisher for a likelihood it cannot draw labels from.</exception>
    public static void EnsureSupported(Likelihood likelihood, CurvatureKind kind)
    {
        if (kind == CurvatureKind.MonteCarloFisher && likelihood is not (GaussianLikelihood or CategoricalLikelihood))
            throw new NotSupportedException($"The Monte Carlo Fisher draws labels from Gaussian or categorical likelihoods; this model has a {likelihood.Name} likelihood. Choose the GGN or the empirical Fisher curvature.");
    }

    /// <summary>
    /// Whether a curvature of this kind is accumulated with unit Gaussian noise: the GGN and the Monte
    /// Carlo Fisher of a homoscedastic Gaussian likelihood (Λ = I/σ², so 1/σ² is applied later).
    /// </summary>
    public static bool UsesUnitNoise(Likelihood likelihood, CurvatureKind kind) => likelihood is GaussianLikelihood && kind != CurvatureKind.EmpiricalFisher;

    /// <summary>Size of the covered weight vector.</summary>
    public long Size => _subset?.shape[0] ?? _stack.ParameterCount;

    /// <summary>Builds the curvature over <paramref name="data"/> (standardised training data).</summary>
    public ICurvature Build(Dataset data, HessianStructure structure)
    {
        if (structure == HessianStructure.Full && Size > _options.MaxFullParameters)
            throw new ArgumentException($"The full Hessian over {Size} weights needs {Size * Size * 8 / 1048576} MiB; the limit is {_options.MaxFullParameters} weights. Choose the kron, diag or lowrank structure, or the last-layer subset.");
        var curvature = structure switch
        {
            HessianStructure.Full => new DenseCurvature(Accumulate(data, (j, m) => j.reshape(-1, j.shape[2]).t().matmul(m.reshape(-1, m.shape[2])).to_type(ScalarType.Float64))),
            HessianStructure.Diagonal when _subset is null => new DiagonalCurvature(FactoredDiagonal(data)),
            HessianStructure.Diagonal => new DiagonalCurvature(Accumulate(data, (j, m) => (j * m).sum(new long[] { 0, 1 }).to_type(ScalarType.Float64))),
            HessianStructure.Kron => Kronecker(data),
            HessianStructure.LowRank => LowRank(data),
            _ => throw new ArgumentOutOfRangeException(nameof(structure), structure, "Unknown structure."),
        };
        _fitRecorded = true;
        return curvature;
    }

    /// <summary>Σ over batches of reduce(J, M), with M = ΛJ for the GGN, and J = M = the per-example gradients [N, 1, P] for a Fisher (seeded factors).</summary>
    private Tensor Accumulate(Dataset data, Func<Tensor, Tensor, Tensor> reduce)
    {
        Tensor? total = null;
        Pass(data, (x, y) =>
        {
            using var scope = NewDisposeScope();
            var seeds = Seeds(y);
            var (outputs, layers) = _stack.Factors(_stack.Features(x), seeds);
            Record(outputs, y);
            var j = Select(WeightStack.Jacobian(layers, Rows(seeds))); // [N, O, P], or the per-example gradients [N, 1, P]
            var lambda = seeds is null ? OutputHessian(outputs) : null;
            var part = reduce(j, lambda is null ? j : lambda.bmm(j));
            if (total is null) total = part.DetachFromDisposeScope();
            else total.add_(part);
        });
        return total!;
    }

    /// <summary>diag(H) layer by layer from the factors (see <see cref="LayerCurvature.Diagonal"/>).</summary>
    private Tensor FactoredDiagonal(Dataset data)
    {
        var parts = _stack.LayerShapes.Select(s => zeros(s.Inputs, s.Outputs, ScalarType.Float64)).ToArray();
        ForEachLayerOfEachBatch(data, (l, input, gradient, lambda, rows) =>
            parts[l].add_(LayerCurvature.Diagonal(input, gradient, lambda, rows)));
        var result = cat(parts.Select(p => p.reshape(-1)).ToArray());
        foreach (var p in parts) p.Dispose();
        return result;
    }

    /// <summary>KFAC per layer (see <see cref="LayerCurvature.Kronecker"/>): A = Σ ããᵀ, B = Σ GᵀΛG / (N·T).</summary>
    private ICurvature Kronecker(Dataset data)
    {
        var shapes = _stack.LayerShapes.ToArray();
        var a = shapes.Select(s => zeros(s.Inputs, s.Inputs, ScalarType.Float64)).ToArray();
        var b = shapes.Select(s => zeros(s.Outputs, s.Outputs, ScalarType.Float64)).ToArray();
        var positions = new long[shapes.Length];
        bool reduce = _options.KfacConvolution == KfacConvolution.Reduce;
        ForEachLayerOfEachBatch(data, (l, input, gradient, lambda, rows) =>
        {
            var (al, bl) = LayerCurvature.Kronecker(input, gradient, lambda, rows);
            a[l].add_(al);
            b[l].add_(bl);
            positions[l] = FactorAlgebra.Positions(input, gradient); // 1 for reduced convolutions
        }, reduceConvolutions: reduce);
        for (int l = 0; l < b.Length; l++) b[l].div_(data.Count * positions[l]); // H_l ≈ (Σ ããᵀ) ⊗ (1/(NT) Σ GᵀΛG): exact for one example when T = 1 (reduce: T = 1)
        return new KroneckerCurvature(a.Zip(b, (al, bl) => new KroneckerBlock(al, bl)).ToList());
    }

    /// <summary>
    /// One pass over the data: per batch the layer factors (seeded for a Fisher) and Λ (GGN), then
    /// <paramref name="visit"/>(layer, input, gradient, Λ or null, rows of the gradient) per layer.
    /// </summary>
    private void ForEachLayerOfEachBatch(Dataset data, Action<int, Tensor, Tensor?, Tensor?, int> visit, bool reduceConvolutions = false)
    {
        Pass(data, (x, y) =>
        {
            using var scope = NewDisposeScope();
            var seeds = Seeds(y);
            var (outputs, layers) = _stack.Factors(_stack.Features(x), seeds, reduceConvolutions);
            Record(outputs, y);
            var lambda = seeds is null ? OutputHessian(outputs) : null;
            for (int l = 0; l < layers.Count; l++) visit(l, layers[l].Input, layers[l].Gradient, lambda, Rows(seeds));
        });
    }

    /// <summary>The seed rows of a Fisher (one output gradient per example, [N, 1, O]); null for the GGN.</summary>
    private Func<Tensor, Tensor>? Seeds(Tensor targets) => _options.Curvature switch
    {
        CurvatureKind.EmpiricalFisher => outputs => OutputGradient(outputs, targets).unsqueeze(1),
        CurvatureKind.MonteCarloFisher => outputs => SampledOutputGradient(outputs).unsqueeze(1),
        _ => null,
    };

    private int Rows(Func<Tensor, Tensor>? seeds) => seeds is null ? _stack.Outputs : 1;

    private ICurvature LowRank(Dataset data)
    {
        int rank = (int)Math.Min(_options.Rank, Size);
        Tensor Product(Tensor v)
        {
            using var scope = NewDisposeScope();
            var result = zeros(Size, dtype: ScalarType.Float64);
            _labels?.Dispose();
            _labels = null; // every product draws the same labels, so Lanczos sees one fixed matrix
            Pass(data, (x, y) =>
            {
                using var inner = NewDisposeScope();
                var (outputs, layers) = _stack.Factors(_stack.Features(x));
                Record(outputs, y);
                var full = Embed(v).to_type(outputs.dtype);
                var jv = FactorAlgebra.JacobianVectorProduct(layers, _stack.Outputs, full); // [N, O]
                Tensor u; // output-space weights of Jᵀ: Λ J v (GGN) or r (rᵀ J v) (EF)
                if (_options.Curvature == CurvatureKind.Ggn)
                {
                    var lambda = OutputHessian(outputs);
                    u = lambda is null ? jv : lambda.bmm(jv.unsqueeze(2)).squeeze(2);
                }
                else
                {
                    var r = _options.Curvature == CurvatureKind.EmpiricalFisher ? OutputGradient(outputs, y) : SampledOutputGradient(outputs);
                    u = r * (r * jv).sum(1, keepdim: true);
                }
                var product = FactorAlgebra.TransposedProduct(layers, _stack.Outputs, u).to_type(ScalarType.Float64);
                result.add_(_subset is null ? product : product.index_select(0, _subset));
            });
            _fitRecorded = true;
            return result.MoveToOuterDisposeScope();
        }
        return LowRankCurvature.FromMatrixVectorProduct(Product, Size, rank, new Generator(17));
    }

    /// <summary>Adds a batch's residuals and log-likelihood to the data-fit totals (first pass only).</summary>
    private void Record(Tensor outputs, Tensor targets)
    {
        if (_fitRecorded) return;
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        if (targets.dtype == ScalarType.Int64)
            LogLikelihood -= _likelihood.NegativeLogLikelihood(outputs, targets).sum().to_type(ScalarType.Float64).item<double>();
        else
        {
            var y = targets.to_type(outputs.dtype);
            SumSquaredResiduals += (y - outputs).to_type(ScalarType.Float64).square().sum().item<double>();
            LogLikelihood -= _likelihood.NegativeLogLikelihood(outputs, y).sum().to_type(ScalarType.Float64).item<double>();
        }
    }

    /// <summary>Λ [N, O, O] (compute dtype), or null for the unit Gaussian case (Λ = I, the noise enters as a scale).</summary>
    private Tensor? OutputHessian(Tensor outputs) =>
        UnitNoise ? null : _likelihood.OutputHessian(outputs).to_type(outputs.dtype);

    /// <summary>∂ℓₙ/∂f [N, O] by autograd on the outputs (cheap: the outputs are a leaf).</summary>
    private Tensor OutputGradient(Tensor outputs, Tensor targets)
    {
        using var scope = NewDisposeScope();
        using var gradients = enable_grad(); // callers may be inside no_grad(); autograd must run here
        var f = outputs.detach().clone().requires_grad_(true);
        var y = targets.dtype == ScalarType.Int64 ? targets : targets.to_type(outputs.dtype);
        var loss = _likelihood.NegativeLogLikelihood(f, y).sum();
        var grad = autograd.grad([loss], [f])[0];
        return grad.detach().MoveToOuterDisposeScope();
    }

    /// <summary>
    /// ∂ℓ/∂f at a label drawn from the model, [N, O]: p − onehot(ŷ) with ŷ ~ softmax(f) (categorical), or
    /// a standard normal draw (Gaussian with unit noise, see <see cref="UnitNoise"/>). E[r rᵀ] = Λ.
    /// </summary>
    private Tensor SampledOutputGradient(Tensor outputs)
    {
        using var scope = NewDisposeScope();
        _labels ??= new Generator(MonteCarloSeed);
        if (_likelihood is GaussianLikelihood) return randn(outputs.shape, outputs.dtype, generator: _labels).MoveToOuterDisposeScope();
        var p = outputs.softmax(-1);
        var labels = p.to_type(ScalarType.Float64).multinomial(1, generator: _labels); // [N, 1]
        return p.scatter_add(1, labels, full(labels.shape, -1.0, p.dtype)).MoveToOuterDisposeScope();
    }

    /// <summary>A covered-weight vector as a full stack vector (zeros outside the subset).</summary>
    private Tensor Embed(Tensor v) => _subset is null ? v : zeros(_stack.ParameterCount, dtype: v.dtype).index_copy_(0, _subset, v);

    private Tensor Select(Tensor jacobian) => _subset is null ? jacobian : jacobian.index_select(2, _subset);

    /// <summary>
    /// One pass over the data in consecutive batches (views) on the runner, which reports progress and
    /// honours cancellation; <paramref name="visit"/> sees each batch's inputs and targets.
    /// </summary>
    private void Pass(Dataset data, Action<Tensor, Tensor> visit)
    {
        int batch = Math.Min(_options.BatchSize, _stack.PreferredBatch(_options.Curvature == CurvatureKind.Ggn ? _stack.Outputs : 1));
        var options = new RunOptions { BatchSize = batch, Shuffle = false, Stage = _stage };
        Runner.Run(new BatchVisitor(visit), data, options, _context).State.Dispose();
    }
}
