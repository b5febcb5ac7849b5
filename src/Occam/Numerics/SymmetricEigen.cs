using System.Runtime.InteropServices;
using static TorchSharp.torch;

namespace Occam.Numerics;

/// <summary>
/// The eigendecomposition of a symmetric matrix, robust to what curvature matrices of ReLU networks look like:
/// many rows exactly zero (weights of dead units, or reached by no training row) and the rest small. LAPACK's
/// divide-and-conquer driver behind <c>linalg.eigh</c> can fail to converge on such a matrix (seen on a
/// 200 × 200 subnetwork GGN of rank one, with one torch thread but not with two). Exactly zero rows are split
/// off first: each is an eigenvector with eigenvalue 0, so only the rest is decomposed, and a decomposition
/// that still fails is retried once on the matrix scaled to unit largest entry, its eigenvalues scaled back.
/// </summary>
internal static class SymmetricEigen
{
    /// <summary>
    /// Eigenvalues [P] and eigenvectors [P, P] (columns) of the symmetric <paramref name="matrix"/> [P, P], in its
    /// dtype and on its device, in no particular order; the caller disposes both (they join its dispose scope).
    /// <paramref name="matrix"/> is read, not disposed.
    /// </summary>
    /// <exception cref="ExternalException">LAPACK failed on the rescaled matrix too.</exception>
    public static (Tensor Values, Tensor Vectors) Decompose(Tensor matrix)
    {
        ArgumentNullException.ThrowIfNull(matrix);
        if (matrix.dim() != 2 || matrix.shape[0] != matrix.shape[1])
            throw new ArgumentException($"Expected a square matrix; got shape [{string.Join(", ", matrix.shape)}].", nameof(matrix));
        long size = matrix.shape[0];
        Tensor values, vectors;
        using (var scope = NewDisposeScope())
        {
            var nonzero = matrix.ne(0).any(1);
            long active = nonzero.sum().item<long>();
            if (active == size)
            {
                (values, vectors) = Eigh(matrix);
            }
            else
            {
                var rows = nonzero.nonzero().squeeze(1);
                var zeroRows = nonzero.logical_not().nonzero().squeeze(1);
                var (subValues, subVectors) = active == 0
                    ? (zeros(0, dtype: matrix.dtype, device: matrix.device), zeros(0, 0, dtype: matrix.dtype, device: matrix.device))
                    : Eigh(matrix.index_select(0, rows).index_select(1, rows));
                values = cat([subValues, zeros(size - active, dtype: matrix.dtype, device: matrix.device)]);
                vectors = zeros(size, size, dtype: matrix.dtype, device: matrix.device);
                vectors.index_put_(subVectors, rows.unsqueeze(1), arange(active, device: matrix.device).unsqueeze(0));
                vectors.index_put_(ones(size - active, dtype: matrix.dtype, device: matrix.device), zeroRows, arange(active, size, device: matrix.device));
            }
            values = values.MoveToOuterDisposeScope();
            vectors = vectors.MoveToOuterDisposeScope();
        }
        return (values, vectors);
    }

    /// <summary>
    /// <c>linalg.eigh</c> of <paramref name="matrix"/> (ascending eigenvalues, no rows split off), retried once on the
    /// matrix scaled to unit largest entry when LAPACK fails; the caller disposes both results.
    /// </summary>
    internal static (Tensor Values, Tensor Vectors) Eigh(Tensor matrix)
    {
        try
        {
            return linalg.eigh(matrix);
        }
        catch (ExternalException)
        {
            using var scale = matrix.abs().max();
            var (values, vectors) = linalg.eigh(matrix / scale);
            return (values * scale, vectors);
        }
    }
}
