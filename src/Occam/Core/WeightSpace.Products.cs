using Occam.Likelihoods;
using TorchSharp;
using static TorchSharp.torch;

namespace Occam.Core;

public sealed partial class WeightSpace
{
    /// <summary>
    /// J(x)·v: the directional derivative of the outputs f(x; θ) [N, O] along <paramref name="v"/> [P],
    /// at the current weights. Computed by the double-backward identity J v = ∂(vᵀ Jᵀ u)/∂u (any module
    /// whose operations have second derivatives in autograd). Returns [N, O].
    /// </summary>
    public Tensor JacobianVector(Tensor x, Tensor v)
    {
        CheckVector(v, nameof(v));
        using var scope = NewDisposeScope();
        using var grad = enable_grad();
        var f = Module.call(x);
        return OutputJacobianVector(f, v).detach().MoveToOuterDisposeScope();
    }

    /// <summary>J(x)ᵀ·u for output weights <paramref name="u"/> (the outputs' shape, e.g. [N, O]); returns [P].</summary>
    public Tensor VectorJacobian(Tensor x, Tensor u)
    {
        ArgumentNullException.ThrowIfNull(u);
        using var scope = NewDisposeScope();
        using var grad = enable_grad();
        var f = Module.call(x);
        if (!f.shape.SequenceEqual(u.shape)) throw new ArgumentException($"Output weights must have the outputs' shape [{string.Join(", ", f.shape)}]; got [{string.Join(", ", u.shape)}].", nameof(u));
        return Flatten(autograd.grad([f], _parameters, [u.to_type(f.dtype)], allow_unused: true)).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// ∇²L(θ)·v for a scalar loss L built by <paramref name="loss"/> from the module's current weights
    /// (it must call the module inside, e.g. a batch's summed negative log-likelihood). Returns [P].
    /// </summary>
    public Tensor HessianVector(Func<Tensor> loss, Tensor v)
    {
        ArgumentNullException.ThrowIfNull(loss);
        CheckVector(v, nameof(v));
        using var scope = NewDisposeScope();
        using var grad = enable_grad();
        var value = loss();
        if (value.numel() != 1) throw new ArgumentException($"The loss must be a scalar; got shape [{string.Join(", ", value.shape)}].", nameof(loss));
        var gradient = autograd.grad([value], _parameters, retain_graph: true, create_graph: true, allow_unused: true);
        var directional = Dot(gradient, v);
        return Flatten(autograd.grad([directional], _parameters, allow_unused: true)).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// The generalised Gauss–Newton product Σₙ Jₙᵀ Λₙ Jₙ v over the inputs <paramref name="x"/>, with Λ
    /// the likelihood's output-space Hessian of the negative log-likelihood at the outputs (a homoscedastic
    /// Gaussian gives Λ = I/σ²). Returns [P].
    /// </summary>
    public Tensor GgnVector(Tensor x, Likelihood likelihood, Tensor v)
    {
        ArgumentNullException.ThrowIfNull(likelihood);
        CheckVector(v, nameof(v));
        using var scope = NewDisposeScope();
        using var grad = enable_grad();
        var f = Module.call(x);
        if (f.dim() != 2) throw new ArgumentException($"The GGN product needs outputs [N, O]; got [{string.Join(", ", f.shape)}].", nameof(x));
        var jv = OutputJacobianVector(f, v, retainGraph: true);
        using (no_grad())
        {
            var lambda = likelihood.OutputHessian(f.detach()).to_type(f.dtype); // [N, O, O]
            var u = lambda.bmm(jv.unsqueeze(2)).squeeze(2);
            return Flatten(autograd.grad([f], _parameters, [u], allow_unused: true)).MoveToOuterDisposeScope();
        }
    }

    /// <summary>J v for outputs <paramref name="f"/> already computed with a graph to the parameters.</summary>
    private Tensor OutputJacobianVector(Tensor f, Tensor v, bool retainGraph = false)
    {
        var u = zeros_like(f).requires_grad_(true);
        var transposed = autograd.grad([f], _parameters, [u], retain_graph: true, create_graph: true, allow_unused: true);
        var directional = Dot(transposed, v);
        if (!directional.requires_grad) return zeros_like(f); // f does not depend on the weights
        return autograd.grad([directional], [u], retain_graph: retainGraph)[0];
    }

    /// <summary>Σᵢ ⟨gᵢ, vᵢ⟩ over the parameters' pieces of <paramref name="v"/> (missing gradients count as zero).</summary>
    private Tensor Dot(IList<Tensor> gradients, Tensor v)
    {
        Tensor total = zeros(1, DType, Device).squeeze();
        var pieces = v.to_type(DType).to(Device);
        for (int i = 0; i < _parameters.Length; i++)
        {
            if (IsMissing(gradients[i])) continue;
            total = total + (gradients[i].reshape(-1) * pieces.narrow(0, _offsets[i], _offsets[i + 1] - _offsets[i])).sum();
        }
        return total;
    }

    private Tensor Flatten(IList<Tensor> gradients)
    {
        var parts = new Tensor[_parameters.Length];
        for (int i = 0; i < parts.Length; i++)
            parts[i] = IsMissing(gradients[i]) ? zeros(_parameters[i].numel(), DType, Device) : gradients[i].detach().reshape(-1);
        return parts.Length == 1 ? parts[0].clone() : cat(parts);
    }

    private static bool IsMissing(Tensor? t) => t is null || t.Handle == IntPtr.Zero;
}
