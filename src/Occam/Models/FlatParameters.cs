using TorchSharp;
using static TorchSharp.torch;

namespace Occam.Models;

/// <summary>
/// Views a module's parameters as one vector w ∈ ℝᴾ (in <c>parameters()</c> order, each flattened
/// row-major) and back. Used by methods that think of the weights as one vector.
/// </summary>
public static class FlatParameters
{
    /// <summary>Number of scalar weights P.</summary>
    public static long Count(nn.Module module)
    {
        ArgumentNullException.ThrowIfNull(module);
        return module.parameters().Sum(p => p.numel());
    }

    /// <summary>A detached copy of the weights as one vector [P].</summary>
    public static Tensor Get(nn.Module module)
    {
        ArgumentNullException.ThrowIfNull(module);
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        return Join(module.parameters().Select(p => p.detach().reshape(-1)).ToArray()).MoveToOuterDisposeScope();
    }

    /// <summary>Copies the vector <paramref name="flat"/> [P] into the module's parameters (in place).</summary>
    public static void Set(nn.Module module, Tensor flat)
    {
        ArgumentNullException.ThrowIfNull(module);
        ArgumentNullException.ThrowIfNull(flat);
        var count = Count(module);
        if (flat.dim() != 1 || flat.shape[0] != count)
            throw new ArgumentException($"Expected a weight vector of length {count}; got shape [{string.Join(", ", flat.shape)}].", nameof(flat));
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        long offset = 0;
        foreach (var p in module.parameters())
        {
            p.copy_(flat.narrow(0, offset, p.numel()).view(p.shape));
            offset += p.numel();
        }
    }

    /// <summary>The gradients as one vector [P] (zeros where a parameter has no gradient).</summary>
    public static Tensor Gradient(nn.Module module)
    {
        ArgumentNullException.ThrowIfNull(module);
        using var scope = NewDisposeScope();
        var parts = module.parameters().Select(p => p.grad is null ? zeros_like(p).reshape(-1) : p.grad.reshape(-1)).ToArray();
        return Join(parts).MoveToOuterDisposeScope();
    }

    /// <summary>Concatenates into fresh storage: TorchSharp's <c>cat</c> of a single tensor returns that tensor, which would alias a one-parameter module (an <see cref="Mlp"/>).</summary>
    private static Tensor Join(Tensor[] parts) => parts.Length == 1 ? parts[0].clone() : cat(parts);
}
