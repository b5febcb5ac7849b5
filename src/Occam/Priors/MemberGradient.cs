using Occam.Core;
using static TorchSharp.torch;

namespace Occam.Priors;

/// <summary>
/// Adds a prior's −∇log p to the gradients of a weight space whose prior is not element-wise, member by
/// member: Occam's MLP keeps K members as one parameter [K, P] (one θ per row); any other space is one θ,
/// the concatenation of its parameters.
/// </summary>
internal static class MemberGradient
{
    /// <summary>
    /// Adds <paramref name="scale"/>·<paramref name="negativeGradient"/>(θ rows) to the gradients, where the
    /// function maps detached weight rows [K, P] to −∇log p(θ_k) per row (any float dtype, same shape).
    /// Parameters without a gradient are skipped.
    /// </summary>
    public static void Add(WeightSpace space, double scale, Func<Tensor, Tensor> negativeGradient)
    {
        ArgumentNullException.ThrowIfNull(space);
        if (scale == 0) return;
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        if (space.Parameters.Count == 1 && space.Parameters[0].dim() == 2)
        {
            var p = space.Parameters[0];
            if (p.grad is not { } grad) return;
            grad.add_(negativeGradient(p.detach()).to_type(p.dtype), alpha: scale);
            return;
        }
        if (space.Parameters.All(p => p.grad is null)) return;
        var flat = negativeGradient(space.Get().unsqueeze(0))[0].to_type(space.DType).contiguous();
        var views = space.Views(flat);
        try
        {
            for (int i = 0; i < views.Length; i++) space.Parameters[i].grad?.add_(views[i], alpha: scale);
        }
        finally
        {
            foreach (var v in views) v.Dispose();
        }
    }
}
