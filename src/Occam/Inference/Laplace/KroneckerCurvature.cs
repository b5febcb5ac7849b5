using Occam.Numerics;
using TorchSharp;
using static TorchSharp.torch;

namespace Occam.Inference.Laplace;

/// <summary>
/// A block-diagonal Kronecker-factored curvature (KFAC): H = blockdiag(A₁ ⊗ B₁, A₂ ⊗ B₂, …), blocks
/// consecutive and covering all P weights. Each factor is eigendecomposed once (A = Qa diag(λa) Qaᵀ,
/// eigenvalues below zero clamped to 0), and every primitive works in that eigenbasis: the eigenvalues of
/// block k of Π are s·λa_i·λb_j + δ_k, rotations are Qaᵀ·X·Qb on [a, b] reshapes, and no [ab, ab] matrix
/// is ever formed (except by <see cref="ToDense"/>). δ must be constant within each block (one prior
/// precision per layer); its gradient is spread evenly over the entries of a block.
/// </summary>
public sealed class KroneckerCurvature : IFactoredCurvature
{
    private readonly Factors[] _blocks;
    private bool _disposed;

    /// <summary>Creates the curvature; P is the sum of the blocks' a·b.</summary>
    /// <param name="blocks">The blocks in weight order (at least one). Factors are copied as float64 and symmetrised.</param>
    public KroneckerCurvature(IReadOnlyList<KroneckerBlock> blocks) : this(blocks, null) { }

    /// <summary>Creates the curvature and checks that the blocks cover exactly <paramref name="size"/> weights.</summary>
    /// <param name="blocks">The blocks in weight order (at least one). Factors are copied as float64 and symmetrised.</param>
    /// <param name="size">The number of weights P the blocks must cover.</param>
    public KroneckerCurvature(IReadOnlyList<KroneckerBlock> blocks, long size) : this(blocks, (long?)size) { }

    private KroneckerCurvature(Factors[] blocks)
    {
        _blocks = blocks;
        Size = blocks.Sum(b => b.Length);
    }

    /// <summary>The eigendecompositions of every block's factors, Qa, λa, Qb, λb per block (copies the caller owns): what a saved posterior stores.</summary>
    internal IReadOnlyList<Tensor> EigenFactors() =>
        _blocks.SelectMany(f => new[] { f.Qa.clone(), f.LambdaA.clone(), f.Qb.clone(), f.LambdaB.clone() }).ToList();

    /// <summary>The curvature from stored eigendecompositions (<see cref="EigenFactors"/>), bit for bit (copied).</summary>
    internal static KroneckerCurvature FromEigenFactors(IReadOnlyList<Tensor> factors)
    {
        if (factors.Count == 0 || factors.Count % 4 != 0) throw new ArgumentException($"Expected four tensors per block; got {factors.Count}.", nameof(factors));
        var blocks = new Factors[factors.Count / 4];
        long offset = 0;
        for (int k = 0; k < blocks.Length; k++)
        {
            blocks[k] = new Factors(factors[4 * k], factors[4 * k + 1], factors[4 * k + 2], factors[4 * k + 3], offset);
            offset += blocks[k].Length;
        }
        return new KroneckerCurvature(blocks);
    }

    private KroneckerCurvature(IReadOnlyList<KroneckerBlock> blocks, long? size)
    {
        ArgumentNullException.ThrowIfNull(blocks);
        if (blocks.Count == 0) throw new ArgumentException("KroneckerCurvature needs at least one block.", nameof(blocks));
        long offset = 0;
        for (int k = 0; k < blocks.Count; k++)
        {
            if (blocks[k] is null) throw new ArgumentException($"Block {k} is null.", nameof(blocks));
            var (a, b) = (blocks[k].A, blocks[k].B);
            if (a is null || b is null) throw new ArgumentException($"Block {k} has a null factor.", nameof(blocks));
            if (a.dim() != 2 || a.shape[0] != a.shape[1] || a.shape[0] < 1 || b.dim() != 2 || b.shape[0] != b.shape[1] || b.shape[0] < 1)
                throw new ArgumentException($"Block {k}: A must be [a, a] and B [b, b] (square, non-empty); got A {CurvatureArguments.Shape(a)}, B {CurvatureArguments.Shape(b)}.", nameof(blocks));
            offset += a.shape[0] * b.shape[0];
        }
        if (size is long p && p != offset)
            throw new ArgumentException($"The blocks cover {offset} weights but the curvature must cover {p}; blocks must be consecutive and cover all weights.", nameof(blocks));
        Size = offset;

        _blocks = new Factors[blocks.Count];
        offset = 0;
        try
        {
            for (int k = 0; k < blocks.Count; k++)
            {
                _blocks[k] = new Factors(blocks[k], offset);
                offset += _blocks[k].Length;
            }
        }
        catch
        {
            foreach (var f in _blocks) f?.Dispose();
            throw;
        }
    }

    /// <inheritdoc/>
    public long Size { get; }

    /// <inheritdoc/>
    public string Structure => "kron";

    /// <summary>Number of Kronecker blocks.</summary>
    public int BlockCount => _blocks.Length;

    /// <inheritdoc/>
    public Tensor LogDeterminant(Tensor priorPrecision, Tensor scale)
    {
        using var scope = NewDisposeScope();
        var (deltas, s) = Arguments(priorPrecision, scale);
        Tensor? total = null;
        for (int k = 0; k < _blocks.Length; k++)
        {
            var term = _blocks[k].Spectrum(deltas[k], s).log().sum();
            total = total is null ? term : total + term;
        }
        return total!.MoveToOuterDisposeScope();
    }

    /// <inheritdoc/>
    public Tensor InverseQuadraticForm(Tensor jacobians, Tensor priorPrecision, Tensor scale)
    {
        Live();
        using var scope = NewDisposeScope();
        var j = CurvatureArguments.Jacobians(jacobians, Size);
        var (deltas, s) = Arguments(priorPrecision, scale);
        long n = j.shape[0], o = j.shape[1];
        Tensor? total = null;
        for (int k = 0; k < _blocks.Length; k++)
        {
            var f = _blocks[k];
            var rotated = f.Qa.T.matmul(j.narrow(2, f.Offset, f.Length).reshape(n, o, f.RowsA, f.RowsB)).matmul(f.Qb); // [N, O, a, b]
            var w = (rotated * f.Spectrum(deltas[k], s).rsqrt()).reshape(n, o, f.Length);
            var term = w.matmul(w.transpose(1, 2));
            total = total is null ? term : total + term;
        }
        return total!.MoveToOuterDisposeScope();
    }

    /// <summary>The factors A_k, B_k rebuilt from their (clamped) eigendecompositions; fresh tensors the caller owns.</summary>
    public IReadOnlyList<KroneckerBlock> Blocks()
    {
        Live();
        using var scope = NewDisposeScope();
        return _blocks.Select(f => new KroneckerBlock(
            f.Qa.matmul(diag(f.LambdaA)).matmul(f.Qa.T).MoveToOuterDisposeScope(),
            f.Qb.matmul(diag(f.LambdaB)).matmul(f.Qb.T).MoveToOuterDisposeScope())).ToList();
    }

    /// <inheritdoc/>
    public Tensor FactoredQuadraticForm(IReadOnlyList<(Tensor Input, Tensor? Gradient)> layers, int outputs, Tensor priorPrecision, Tensor scale)
    {
        ArgumentNullException.ThrowIfNull(layers);
        Live();
        if (layers.Count != _blocks.Length) throw new ArgumentException($"Expected one factor pair per block ({_blocks.Length}); got {layers.Count}.", nameof(layers));
        using var scope = NewDisposeScope();
        var (deltas, s) = Arguments(priorPrecision, scale);
        Tensor? total = null;
        for (int k = 0; k < _blocks.Length; k++)
        {
            var f = _blocks[k];
            var (input, gradient) = layers[k];
            if (FactorAlgebra.Width(input, gradient, outputs) != (f.RowsA, f.RowsB))
                throw new ArgumentException($"Block {k} is [{f.RowsA}, {f.RowsB}]; the layer factors do not match.", nameof(layers));
            if (FactorAlgebra.IsSpatial(input))
            {
                // A convolution's Jacobian is a sum over positions, not one Kronecker product: use its dense block (small for conv layers).
                long n = input.shape[0];
                var rotated = f.Qa.T.matmul(FactorAlgebra.Block(input, gradient, outputs).view(n, outputs, f.RowsA, f.RowsB)).matmul(f.Qb);
                var scaled = (rotated * f.Spectrum(deltas[k], s).rsqrt()).reshape(n, outputs, f.Length);
                var dense = scaled.matmul(scaled.transpose(1, 2));
                total = total is null ? dense : total + dense;
                continue;
            }
            var u = input.matmul(f.Qa); // Qaᵀã per example, [N, a]
            var w = u.square().matmul(f.Spectrum(deltas[k], s).reciprocal()); // [N, b]
            var gq = gradient is null ? f.Qb.unsqueeze(0) : gradient.matmul(f.Qb); // G·Qb, [N or 1, O, b]
            var term = (gq * w.unsqueeze(1)).matmul(gq.transpose(1, 2)); // (GQb) diag(w) (GQb)ᵀ
            total = total is null ? term : total + term;
        }
        return total!.MoveToOuterDisposeScope();
    }

    /// <inheritdoc/>
    public Tensor Sample(int count, Tensor priorPrecision, Tensor scale, Generator? generator = null)
    {
        CurvatureArguments.Count(count);
        using var scope = NewDisposeScope();
        var (deltas, s) = Arguments(priorPrecision, scale);
        var z = CurvatureArguments.StandardNormal(count, Size, generator);
        var parts = new Tensor[_blocks.Length];
        for (int k = 0; k < _blocks.Length; k++)
        {
            var f = _blocks[k];
            var zk = z.narrow(1, f.Offset, f.Length).reshape(count, f.RowsA, f.RowsB) * f.Spectrum(deltas[k], s).rsqrt();
            parts[k] = f.Qa.matmul(zk).matmul(f.Qb.T).reshape(count, f.Length); // (Qa ⊗ Qb) diag(λ^-½) z
        }
        return cat(parts, 1).MoveToOuterDisposeScope();
    }

    /// <inheritdoc/>
    public Tensor MarginalVariances(Tensor priorPrecision, Tensor scale)
    {
        using var scope = NewDisposeScope();
        var (deltas, s) = Arguments(priorPrecision, scale);
        var parts = new Tensor[_blocks.Length];
        for (int k = 0; k < _blocks.Length; k++)
        {
            var f = _blocks[k];
            // diag((Qa⊗Qb) diag(1/λ) (Qa⊗Qb)ᵀ)[i·b + j] = Σ_pq Qa[i,p]² Qb[j,q]² / λ[p,q]
            parts[k] = f.Qa.square().matmul(f.Spectrum(deltas[k], s).reciprocal()).matmul(f.Qb.square().T).reshape(f.Length);
        }
        return cat(parts, 0).MoveToOuterDisposeScope();
    }

    /// <summary>H as a dense block-diagonal [P, P] matrix of kron(A₊, B₊), where A₊, B₊ are the factors with clamped eigenvalues.</summary>
    public Tensor ToDense()
    {
        Live();
        using var scope = NewDisposeScope();
        var dense = zeros(Size, Size, dtype: ScalarType.Float64);
        foreach (var f in _blocks)
        {
            var a = f.Qa.matmul(f.LambdaA.unsqueeze(1) * f.Qa.T);
            var b = f.Qb.matmul(f.LambdaB.unsqueeze(1) * f.Qb.T);
            dense.narrow(0, f.Offset, f.Length).narrow(1, f.Offset, f.Length).copy_(kron(a, b));
        }
        return dense.MoveToOuterDisposeScope();
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        foreach (var f in _blocks) f.Dispose();
    }

    /// <summary>Validated δ as one 0-dim tensor per block, and s.</summary>
    private (Tensor[] Deltas, Tensor Scale) Arguments(Tensor priorPrecision, Tensor scale)
    {
        Live();
        var (delta, values) = CurvatureArguments.PriorPrecision(priorPrecision, Size);
        var s = CurvatureArguments.Scale(scale);
        var deltas = new Tensor[_blocks.Length];
        for (int k = 0; k < _blocks.Length; k++)
        {
            var f = _blocks[k];
            if (!CurvatureArguments.IsConstant(values, f.Offset, f.Length))
                throw new ArgumentException($"KFAC needs one prior precision per layer: the prior precision varies within block {k} (weights {f.Offset} to {f.Offset + f.Length - 1}); pass a δ that is constant on each block.", nameof(priorPrecision));
            deltas[k] = delta.narrow(0, f.Offset, f.Length).mean();
        }
        return (deltas, s);
    }

    private void Live() => ObjectDisposedException.ThrowIf(_disposed, this);

    /// <summary>Eigendecompositions of one block's factors and where the block sits.</summary>
    private sealed class Factors : IDisposable
    {
        public Factors(KroneckerBlock block, long offset)
        {
            using var scope = NewDisposeScope();
            var (la, qa) = SymmetricEigen.Decompose(CurvatureArguments.SymmetricMatrix(block.A, "A"));
            var (lb, qb) = SymmetricEigen.Decompose(CurvatureArguments.SymmetricMatrix(block.B, "B"));
            Qa = qa.contiguous().DetachFromDisposeScope();
            LambdaA = la.clamp_min(0.0).DetachFromDisposeScope();
            Qb = qb.contiguous().DetachFromDisposeScope();
            LambdaB = lb.clamp_min(0.0).DetachFromDisposeScope();
            Offset = offset;
            RowsA = Qa.shape[0];
            RowsB = Qb.shape[0];
        }

        public Factors(Tensor qa, Tensor la, Tensor qb, Tensor lb, long offset)
        {
            Qa = qa.to_type(ScalarType.Float64).contiguous().clone().DetachFromDisposeScope();
            LambdaA = la.to_type(ScalarType.Float64).clone().DetachFromDisposeScope();
            Qb = qb.to_type(ScalarType.Float64).contiguous().clone().DetachFromDisposeScope();
            LambdaB = lb.to_type(ScalarType.Float64).clone().DetachFromDisposeScope();
            Offset = offset;
            RowsA = Qa.shape[0];
            RowsB = Qb.shape[0];
        }

        public Tensor Qa { get; }
        public Tensor LambdaA { get; }
        public Tensor Qb { get; }
        public Tensor LambdaB { get; }
        public long Offset { get; }
        public long RowsA { get; }
        public long RowsB { get; }
        public long Length => RowsA * RowsB;

        /// <summary>Eigenvalues of this block of Π, [a, b]: s·λa_i·λb_j + δ_k.</summary>
        public Tensor Spectrum(Tensor delta, Tensor s) => s * LambdaA.unsqueeze(1) * LambdaB.unsqueeze(0) + delta;

        public void Dispose()
        {
            Qa.Dispose();
            LambdaA.Dispose();
            Qb.Dispose();
            LambdaB.Dispose();
        }
    }
}
