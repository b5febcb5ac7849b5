using static TorchSharp.torch;

namespace Occam.Inference.Laplace;

/// <summary>
/// Products with a network's weight Jacobian given per layer as factors: the augmented layer input ã
/// ([N, a] for a linear layer, or the im2col patches [N, T, a] of a convolution with T output positions)
/// and the output Jacobian of the layer's pre-activation G ([N, O, b], [N, O, T, b], or null for the last
/// linear layer, where it is the identity). The weight Jacobian of layer l is
/// J_l[n, o, i·b + j] = Σ_t ã[n, t, i]·G[n, o, t, j] (T = 1 for a linear layer).
/// </summary>
internal static class FactorAlgebra
{
    /// <summary>Whether a layer's factors carry a spatial dimension T (a convolution).</summary>
    public static bool IsSpatial(Tensor input) => input.dim() == 3;

    /// <summary>Number of output positions T of a layer (1 for a linear layer).</summary>
    public static long Positions(Tensor input) => IsSpatial(input) ? input.shape[1] : 1;

    /// <summary>One layer's dense weight Jacobian [N, O, a·b].</summary>
    public static Tensor Block(Tensor input, Tensor? gradient, int outputs)
    {
        using var scope = NewDisposeScope();
        long n = input.shape[0], a = input.shape[^1];
        Tensor block;
        if (IsSpatial(input))
        {
            var g = gradient ?? throw new ArgumentException("A convolution's factors need its output Jacobian G [N, O, T, b].", nameof(gradient));
            block = input.transpose(1, 2).unsqueeze(1).matmul(g); // [N, 1, a, T]·[N, O, T, b] → [N, O, a, b]
            return block.reshape(n, outputs, a * g.shape[3]).MoveToOuterDisposeScope();
        }
        var h = gradient ?? eye(outputs, dtype: input.dtype, device: input.device).unsqueeze(0).expand(n, -1, -1);
        long b = h.shape[2];
        block = (input.view(n, 1, a, 1) * h.view(n, outputs, 1, b)).reshape(n, outputs, a * b);
        return block.MoveToOuterDisposeScope();
    }

    /// <summary>The Jacobian of the outputs with respect to all layers' weights, [N, O, P].</summary>
    public static Tensor Jacobian(IReadOnlyList<(Tensor Input, Tensor? Gradient)> layers, int outputs)
    {
        using var scope = NewDisposeScope();
        return cat(layers.Select(l => Block(l.Input, l.Gradient, outputs)).ToArray(), 2).MoveToOuterDisposeScope();
    }

    /// <summary>J v [N, O] for a weight vector v [P] (in the layers' dtype), without forming J.</summary>
    public static Tensor JacobianVectorProduct(IReadOnlyList<(Tensor Input, Tensor? Gradient)> layers, int outputs, Tensor v)
    {
        using var scope = NewDisposeScope();
        Tensor? total = null;
        long offset = 0;
        foreach (var (input, gradient) in layers)
        {
            long a = input.shape[^1], b = gradient?.shape[^1] ?? outputs;
            var projected = input.matmul(v.narrow(0, offset, a * b).view(a, b)); // [N, b] or [N, T, b]
            offset += a * b;
            Tensor part;
            if (gradient is null) part = projected;
            else if (IsSpatial(input)) part = (gradient * projected.unsqueeze(1)).sum(new long[] { 2, 3 });
            else part = (gradient * projected.unsqueeze(1)).sum(2);
            total = total is null ? part : total + part;
        }
        return total!.MoveToOuterDisposeScope();
    }

    /// <summary>Jᵀ u [P] summed over examples, for output-space vectors u [N, O], without forming J.</summary>
    public static Tensor TransposedProduct(IReadOnlyList<(Tensor Input, Tensor? Gradient)> layers, int outputs, Tensor u)
    {
        using var scope = NewDisposeScope();
        var parts = new List<Tensor>();
        foreach (var (input, gradient) in layers)
        {
            long n = input.shape[0], a = input.shape[^1];
            if (IsSpatial(input))
            {
                var g = gradient!;
                var gu = (g * u.view(n, outputs, 1, 1)).sum(1); // [N, T, b]
                parts.Add(input.reshape(-1, a).t().matmul(gu.reshape(-1, g.shape[3])).reshape(-1));
            }
            else
            {
                var gu = gradient is null ? u : (gradient * u.unsqueeze(2)).sum(1); // [N, b]
                parts.Add(input.t().matmul(gu).reshape(-1));
            }
        }
        return cat(parts.ToArray()).MoveToOuterDisposeScope();
    }
}
