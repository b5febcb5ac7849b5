using static TorchSharp.torch;

namespace Occam.Inference.Laplace;

/// <summary>One Kronecker block A ⊗ B of a KFAC curvature (A: layer inputs, B: layer outputs).</summary>
/// <param name="A">Input factor [a, a], symmetric PSD.</param>
/// <param name="B">Output factor [b, b], symmetric PSD.</param>
public sealed record KroneckerBlock(Tensor A, Tensor B);

/// <summary>
/// A block-diagonal Kronecker-factored curvature (KFAC): block k is A_k ⊗ B_k over a·b consecutive
/// weights ordered as torch.kron(A, B) (index i·b + j). Each factor is eigendecomposed once,
/// A = Qa diag(λa) Qaᵀ, B = Qb diag(λb) Qbᵀ, so with one prior precision δ per block:
/// log det(s·A⊗B + δI) = Σᵢⱼ log(s·λaᵢ·λbⱼ + δ), and solves, samples and J Π⁻¹ Jᵀ work in the
/// rotated basis without ever forming an (ab)×(ab) matrix.
/// </summary>
public sealed class KroneckerCurvature : ICurvature
{
    private readonly (Tensor Qa, Tensor La, Tensor Qb, Tensor Lb, long Offset, long A, long B)[] _blocks;

    /// <summary>Eigendecomposes the blocks (copies; tiny negative eigenvalues clamped to 0).</summary>
    public KroneckerCurvature(IReadOnlyList<KroneckerBlock> blocks)
    {
        ArgumentNullException.ThrowIfNull(blocks);
        if (blocks.Count == 0) throw new ArgumentException("Need at least one Kronecker block.", nameof(blocks));
        _blocks = new (Tensor, Tensor, Tensor, Tensor, long, long, long)[blocks.Count];
        long offset = 0;
        for (int k = 0; k < blocks.Count; k++)
        {
            var (a, b) = (blocks[k].A, blocks[k].B);
            if (a.dim() != 2 || a.shape[0] != a.shape[1] || b.dim() != 2 || b.shape[0] != b.shape[1])
                throw new ArgumentException($"Block {k}: factors must be square; got A [{string.Join(", ", a.shape)}], B [{string.Join(", ", b.shape)}].", nameof(blocks));
            using var scope = NewDisposeScope();
            var (la, qa) = linalg.eigh(Symmetric(a));
            var (lb, qb) = linalg.eigh(Symmetric(b));
            _blocks[k] = (qa.DetachFromDisposeScope(), la.clamp_min(0).DetachFromDisposeScope(), qb.DetachFromDisposeScope(),
                lb.clamp_min(0).DetachFromDisposeScope(), offset, a.shape[0], b.shape[0]);
            offset += a.shape[0] * b.shape[0];
        }
        Size = offset;
    }

    /// <inheritdoc />
    public long Size { get; }

    /// <inheritdoc />
    public string Structure => "kron";

    /// <inheritdoc />
    public Tensor LogDeterminant(Tensor priorPrecision, Tensor scale)
    {
        CurvatureChecks.Prior(priorPrecision, Size);
        using var scope = NewDisposeScope();
        Tensor total = zeros(1, ScalarType.Float64)[0];
        foreach (var blk in _blocks)
            total = total + Eigenvalues(blk, priorPrecision, scale).log().sum();
        return total.MoveToOuterDisposeScope();
    }

    /// <inheritdoc />
    public Tensor InverseQuadraticForm(Tensor jacobians, Tensor priorPrecision, Tensor scale)
    {
        CurvatureChecks.Jacobians(jacobians, Size);
        CurvatureChecks.Prior(priorPrecision, Size);
        using var scope = NewDisposeScope();
        long n = jacobians.shape[0], o = jacobians.shape[1];
        Tensor? total = null;
        foreach (var blk in _blocks)
        {
            var j = jacobians.narrow(2, blk.Offset, blk.A * blk.B).reshape(n, o, blk.A, blk.B);
            var rotated = blk.Qa.t().matmul(j).matmul(blk.Qb).reshape(n, o, blk.A * blk.B); // Qaᵀ J Qb
            var weighted = rotated / Eigenvalues(blk, priorPrecision, scale);
            var part = weighted.matmul(rotated.transpose(1, 2));
            total = total is null ? part : total + part;
        }
        return total!.MoveToOuterDisposeScope();
    }

    /// <inheritdoc />
    public Tensor Sample(int count, Tensor priorPrecision, Tensor scale, Generator? generator = null)
    {
        CurvatureChecks.Prior(priorPrecision, Size);
        using var scope = NewDisposeScope();
        var parts = new List<Tensor>();
        foreach (var blk in _blocks)
        {
            var z = randn(new long[] { count, blk.A, blk.B }, dtype: ScalarType.Float64, generator: generator);
            var scaled = z * Eigenvalues(blk, priorPrecision, scale).rsqrt().view(blk.A, blk.B);
            parts.Add(blk.Qa.matmul(scaled).matmul(blk.Qb.t()).reshape(count, blk.A * blk.B)); // (Qa⊗Qb) D^-½ z
        }
        return cat(parts.ToArray(), 1).MoveToOuterDisposeScope();
    }

    /// <inheritdoc />
    public Tensor MarginalVariances(Tensor priorPrecision, Tensor scale)
    {
        CurvatureChecks.Prior(priorPrecision, Size);
        using var scope = NewDisposeScope();
        var parts = new List<Tensor>();
        foreach (var blk in _blocks)
        {
            var inverse = Eigenvalues(blk, priorPrecision, scale).reciprocal().view(blk.A, blk.B);
            // diag((Qa⊗Qb) D⁻¹ (Qa⊗Qb)ᵀ)[i,j] = Σ_kl Qa[i,k]² Qb[j,l]² / d_kl
            parts.Add(blk.Qa.square().matmul(inverse).matmul(blk.Qb.square().t()).reshape(-1));
        }
        return cat(parts.ToArray()).MoveToOuterDisposeScope();
    }

    /// <inheritdoc />
    public Tensor ToDense()
    {
        using var scope = NewDisposeScope();
        var dense = zeros(Size, Size, ScalarType.Float64);
        foreach (var blk in _blocks)
        {
            var a = blk.Qa.matmul(diag(blk.La)).matmul(blk.Qa.t());
            var b = blk.Qb.matmul(diag(blk.Lb)).matmul(blk.Qb.t());
            long size = blk.A * blk.B;
            dense.narrow(0, blk.Offset, size).narrow(1, blk.Offset, size).copy_(kron(a, b));
        }
        return dense.MoveToOuterDisposeScope();
    }

    /// <summary>s·λa⊗λb + δ of a block, flattened [a·b]; δ must be constant within the block.</summary>
    private static Tensor Eigenvalues((Tensor Qa, Tensor La, Tensor Qb, Tensor Lb, long Offset, long A, long B) blk, Tensor priorPrecision, Tensor scale)
    {
        var delta = CurvatureChecks.Constant(priorPrecision.narrow(0, blk.Offset, blk.A * blk.B), "KFAC");
        return scale * blk.La.unsqueeze(1).mul(blk.Lb.unsqueeze(0)).reshape(-1) + delta;
    }

    private static Tensor Symmetric(Tensor m)
    {
        var m64 = m.to_type(ScalarType.Float64);
        return 0.5 * (m64 + m64.t());
    }

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (var blk in _blocks)
        {
            blk.Qa.Dispose();
            blk.La.Dispose();
            blk.Qb.Dispose();
            blk.Lb.Dispose();
        }
    }
}
