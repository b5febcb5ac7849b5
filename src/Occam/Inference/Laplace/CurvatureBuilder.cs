using Occam.Data;
using Occam.Likelihoods;
using TorchSharp;
using static TorchSharp.torch;

namespace Occam.Inference.Laplace;

/// <summary>
/// Accumulates the curvature of the negative log-likelihood at θ* over the training data, batch by
/// batch, in the requested structure: GGN Σ Jₙᵀ Λₙ Jₙ or empirical Fisher Σ gₙ gₙᵀ with
/// gₙ = Jₙᵀ ∂ℓₙ/∂f. For a homoscedastic Gaussian likelihood the GGN is accumulated with unit noise
/// and the noise enters later as the scale 1/σ², so the noise can be tuned without recomputing it.
/// </summary>
internal sealed class CurvatureBuilder
{
    private readonly WeightStack _stack;
    private readonly Likelihood _likelihood;
    private readonly LaplaceOptions _options;
    private readonly Tensor? _subset; // int64 indices into θ, or null for all

    public CurvatureBuilder(WeightStack stack, Likelihood likelihood, LaplaceOptions options, Tensor? subset)
    {
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
    public bool UnitNoise => _likelihood is GaussianLikelihood && _options.Curvature == CurvatureKind.Ggn;

    /// <summary>Size of the covered weight vector.</summary>
    public long Size => _subset?.shape[0] ?? _stack.ParameterCount;

    /// <summary>Builds the curvature over <paramref name="data"/> (standardised training data).</summary>
    public ICurvature Build(Dataset data, HessianStructure structure)
    {
        if (structure == HessianStructure.Full && Size > _options.MaxFullParameters)
            throw new ArgumentException($"The full Hessian over {Size} weights needs {Size * Size * 8 / 1048576} MiB; the limit is {_options.MaxFullParameters} weights. Use --hessian kron, diag or lowrank, or --subset last-layer.");
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

    /// <summary>Σ over batches of reduce(J, M) where M = ΛJ (GGN) or the EF's per-example gradients in the same shape.</summary>
    private Tensor Accumulate(Dataset data, Func<Tensor, Tensor, Tensor> reduce)
    {
        Tensor? total = null;
        foreach (var (x, y) in Batches(data))
        {
            using var scope = NewDisposeScope();
            var (outputs, layers) = _stack.Factors(_stack.Features(x));
            Record(outputs, y);
            var j = Select(WeightStack.Jacobian(layers, _stack.Outputs));
            Tensor part;
            if (_options.Curvature == CurvatureKind.Ggn)
            {
                var lambda = OutputHessian(outputs);
                part = reduce(j, lambda is null ? j : lambda.bmm(j));
            }
            else
            {
                var g = j.transpose(1, 2).bmm(OutputGradient(outputs, y).unsqueeze(2)).transpose(1, 2); // [N, 1, P]
                part = reduce(g, g);
            }
            if (total is null) total = part.MoveToOuterDisposeScope();
            else total.add_(part);
        }
        return total!;
    }

    /// <summary>diag(H) layer by layer from the factors (see <see cref="LayerCurvature.Diagonal"/>).</summary>
    private Tensor FactoredDiagonal(Dataset data)
    {
        var parts = _stack.LayerShapes.Select(s => zeros(s.Inputs, s.Outputs, ScalarType.Float64)).ToArray();
        ForEachLayerOfEachBatch(data, (l, input, gradient, lambda, r) =>
            parts[l].add_(LayerCurvature.Diagonal(input, gradient, lambda, r, _stack.Outputs)));
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
        ForEachLayerOfEachBatch(data, (l, input, gradient, lambda, r) =>
        {
            var (al, bl) = LayerCurvature.Kronecker(input, gradient, lambda, r, _stack.Outputs);
            a[l].add_(al);
            b[l].add_(bl);
            positions[l] = FactorAlgebra.Positions(input);
        });
        for (int l = 0; l < b.Length; l++) b[l].div_(data.Count * positions[l]); // H_l ≈ (Σ ããᵀ) ⊗ (1/(NT) Σ GᵀΛG): exact for one example when T = 1
        return new KroneckerCurvature(a.Zip(b, (al, bl) => new KroneckerBlock(al, bl)).ToList());
    }

    /// <summary>One pass over the data: per batch the layer factors, Λ (GGN) or the output gradients (EF), then <paramref name="visit"/> per layer.</summary>
    private void ForEachLayerOfEachBatch(Dataset data, Action<int, Tensor, Tensor?, Tensor?, Tensor?> visit)
    {
        foreach (var (x, y) in Batches(data))
        {
            using var scope = NewDisposeScope();
            var (outputs, layers) = _stack.Factors(_stack.Features(x));
            Record(outputs, y);
            var lambda = _options.Curvature == CurvatureKind.Ggn ? OutputHessian(outputs) : null;
            var r = _options.Curvature == CurvatureKind.EmpiricalFisher ? OutputGradient(outputs, y) : null;
            for (int l = 0; l < layers.Count; l++) visit(l, layers[l].Input, layers[l].Gradient, lambda, r);
        }
    }

    private ICurvature LowRank(Dataset data)
    {
        int rank = (int)Math.Min(_options.Rank, Size);
        Tensor Product(Tensor v)
        {
            using var scope = NewDisposeScope();
            var result = zeros(Size, dtype: ScalarType.Float64);
            foreach (var (x, y) in Batches(data))
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
                    var r = OutputGradient(outputs, y);
                    u = r * (r * jv).sum(1, keepdim: true);
                }
                var product = FactorAlgebra.TransposedProduct(layers, _stack.Outputs, u).to_type(ScalarType.Float64);
                result.add_(_subset is null ? product : product.index_select(0, _subset));
            }
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

    /// <summary>A covered-weight vector as a full stack vector (zeros outside the subset).</summary>
    private Tensor Embed(Tensor v) => _subset is null ? v : zeros(_stack.ParameterCount, dtype: v.dtype).index_copy_(0, _subset, v);

    private Tensor Select(Tensor jacobian) => _subset is null ? jacobian : jacobian.index_select(2, _subset);

    /// <summary>Consecutive batches as views; each is disposed once the caller moves to the next.</summary>
    private IEnumerable<(Tensor X, Tensor Y)> Batches(Dataset data)
    {
        int batch = Math.Min(_options.BatchSize, _stack.PreferredBatch);
        for (long start = 0; start < data.Count; start += batch)
        {
            long length = Math.Min(batch, data.Count - start);
            using var x = data.Inputs.narrow(0, start, length);
            using var y = data.Targets.narrow(0, start, length);
            yield return (x, y);
        }
    }
}
