using TorchSharp;
using static TorchSharp.torch;

namespace Occam.Inference.Laplace;

/// <summary>
/// One batch's contribution of one layer to the layer-wise curvatures, from the layer's factors
/// (see <see cref="FactorAlgebra"/>) and the output Hessians Λ [N, O, O] (GGN; null: Λ = I). The
/// empirical and Monte Carlo Fisher come through the same code with Λ = I: their factors are seeded
/// with one gradient row per example (see <see cref="WeightStack.Factors"/>), so O is then 1. Results are float64.
/// <para>
/// KFAC ("KFAC-expand" for a convolution, Grosse &amp; Martens 2016; Eschenhagen et al. 2023, where the T
/// output positions count like extra examples): A = Σ_{n,t} ã ãᵀ and B = (1/(N·T)) Σ_{n,t} G_{n,·,t}ᵀ Λₙ G_{n,·,t}
/// (the caller divides the summed B by N·T); for T = 1 this is exact for a single example. "KFAC-reduce"
/// (same paper) treats a convolution as a linear layer on the mean patch āₙ with output Jacobian
/// ĝₙ = Σₜ Gₙₜ: exact for one example whose patches are all equal. The diagonal is
/// diag(Σ JᵀΛJ): for a linear layer Σₙ ãₙ² ⊗ diag(GₙᵀΛₙGₙ) without forming J; for a convolution that
/// identity fails (positions share weights), so the per-example layer Jacobian is formed slice by slice (see
/// <see cref="FactorAlgebra.ConvolutionDiagonal"/>).
/// </para>
/// </summary>
internal static class LayerCurvature
{
    /// <summary>The layer's part of diag(H), [a, b].</summary>
    public static Tensor Diagonal(Tensor input, Tensor? gradient, Tensor? lambda, int outputs)
    {
        using var scope = NewDisposeScope();
        var (a, b) = FactorAlgebra.Width(input, gradient, outputs);
        if (FactorAlgebra.IsSpatial(input))
        {
            var (kernels, bias) = FactorAlgebra.ConvolutionDiagonal(input, gradient, outputs, lambda); // [b, C·k·k], [b]
            var result = cat(new[] { kernels.t(), bias.unsqueeze(0) }, 0); // rows (c, u, v), then the bias
            return result.to_type(ScalarType.Float64).MoveToOuterDisposeScope();
        }
        Tensor m; // [N, b]
        if (gradient is null) m = lambda is null ? ones(input.shape[0], b, input.dtype) : lambda.diagonal(0, 1, 2);
        else m = lambda is null ? gradient.square().sum(1) : (gradient * lambda.bmm(gradient)).sum(1);
        return input.square().t().matmul(m).to_type(ScalarType.Float64).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// The layer's KFAC sums: Σ ããᵀ [a, a] and Σ GᵀΛG [b, b], over examples and positions (a
    /// convolution reduced by <see cref="WeightStack.Factors"/> arrives as a linear layer).
    /// </summary>
    public static (Tensor A, Tensor B) Kronecker(Tensor input, Tensor? gradient, Tensor? lambda, int outputs)
    {
        using var scope = NewDisposeScope();
        long n = input.shape[0];
        var (a, b) = FactorAlgebra.Width(input, gradient, outputs);
        Tensor factorA, factorB;
        if (FactorAlgebra.IsSpatial(input))
        {
            factorA = FactorAlgebra.PatchGram(input, gradient);
            var g = gradient!.flatten(3); // [N, O, b, T]
            var weighted = FactorAlgebra.Weighted(g, lambda); // ΛG
            factorB = g.reshape(-1, b, g.shape[3]).bmm(weighted.reshape(-1, b, g.shape[3]).transpose(1, 2)).sum(0L); // Σ over examples, directions and positions
        }
        else
        {
            var x = input.reshape(-1, a);
            factorA = x.t().matmul(x);
            if (gradient is null)
                factorB = lambda is null ? eye(b, dtype: input.dtype) * n : lambda.sum(0L);
            else
            {
                // Σₙ GᵀΛG as one product of [N·O, b] matrices, never an [N, b, b] stack
                var weighted = FactorAlgebra.Weighted(gradient, lambda); // ΛG
                factorB = gradient.reshape(-1, b).t().matmul(weighted.reshape(-1, b));
            }
        }
        return (factorA.to_type(ScalarType.Float64).MoveToOuterDisposeScope(), factorB.to_type(ScalarType.Float64).MoveToOuterDisposeScope());
    }
}
