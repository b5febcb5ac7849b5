using System.Globalization;
using TorchSharp;
using static TorchSharp.torch;

namespace Occam.GaussianProcesses.Kernels;

/// <summary>
/// The fully connected network whose infinite-width limit the <see cref="NngpKernel"/> and
/// <see cref="NtkKernel"/> compute: L hidden layers, h¹ = W¹x + b¹, hˡ⁺¹ = Wˡ⁺¹φ(hˡ) + bˡ⁺¹, scalar output
/// f = h^{L+1}, with weights N(0, σ_w²/fan_in) and biases N(0, σ_b²). Holds the recursion shared by both
/// kernels (Lee et al. 2018; Jacot et al. 2018; Arora et al. 2019):
/// Σ¹(x, x′) = σ_w² x·x′/D + σ_b²,  Σˡ⁺¹ = σ_w² E[φ(u)φ(v)] + σ_b²,  Σ̇ˡ⁺¹ = σ_w² E[φ′(u)φ′(v)],
/// with (u, v) ~ N(0, [[Σˡ(x,x), Σˡ(x,x′)], [Σˡ(x,x′), Σˡ(x′,x′)]]), and Θ¹ = Σ¹, Θˡ⁺¹ = Θˡ Σ̇ˡ⁺¹ + Σˡ⁺¹.
/// </summary>
internal sealed record InfiniteWidthNetwork(int Depth, NetworkActivation Activation, double WeightVariance, double BiasVariance)
{
    /// <summary>Checks the architecture; errors name the parameter.</summary>
    public InfiniteWidthNetwork Validate(string kernel)
    {
        if (Depth < 1) throw new ArgumentOutOfRangeException("depth", Depth, $"{kernel}: depth (the number of hidden layers) must be at least 1; got {Depth}.");
        if (!Enum.IsDefined(Activation)) throw new ArgumentOutOfRangeException("activation", Activation, $"{kernel}: unknown activation {Activation}.");
        if (!(WeightVariance > 0) || !double.IsFinite(WeightVariance))
            throw new ArgumentOutOfRangeException("weightVariance", WeightVariance, $"{kernel}: weightVariance σ_w² must be positive and finite; got {WeightVariance}.");
        if (!(BiasVariance >= 0) || !double.IsFinite(BiasVariance))
            throw new ArgumentOutOfRangeException("biasVariance", BiasVariance, $"{kernel}: biasVariance σ_b² must be non-negative and finite; got {BiasVariance}.");
        return this;
    }

    /// <summary>
    /// The NNGP Σ^{L+1} and, when <paramref name="withNtk"/>, the NTK Θ^{L+1}, for the pairs
    /// (x1ᵢ, x2ⱼ) [N1, N2], or for the pairs (xᵢ, xᵢ) [N] when <paramref name="x2"/> is null.
    /// </summary>
    public (Tensor Nngp, Tensor? Ntk) Evaluate(Tensor x1, Tensor? x2, bool withNtk)
    {
        double d = x1.size(1);
        var a = WeightVariance * x1.square().sum(1) / d + BiasVariance;
        if (x2 is null) return Recurse(a, a, a, withNtk, Pairing.SamePoint);
        bool same = ReferenceEquals(x1, x2);
        var b = same ? a : WeightVariance * x2.square().sum(1) / d + BiasVariance;
        var c = WeightVariance * x1.mm(x2.T) / d + BiasVariance;
        return Recurse(a.unsqueeze(1), b.unsqueeze(0), c, withNtk, same ? Pairing.SameOnDiagonal : Pairing.Distinct);
    }

    /// <summary>Which pairs are one point twice (u = v exactly).</summary>
    private enum Pairing { Distinct, SameOnDiagonal, SamePoint }

    /// <summary>
    /// Runs the layers from variances a, b and covariance c. Where a pair is one point, the correlation is
    /// exactly 1, so Matrix(x, x) and Diagonal(x) agree to rounding rather than to the √ε error of arccos near 1.
    /// </summary>
    private (Tensor Nngp, Tensor? Ntk) Recurse(Tensor a, Tensor b, Tensor c, bool withNtk, Pairing pairing)
    {
        Tensor? same = pairing == Pairing.SameOnDiagonal ? eye(c.size(0), dtype: ScalarType.Bool, device: c.device) : null;
        Tensor? theta = withNtk ? c : null;
        for (int layer = 0; layer < Depth; layer++)
        {
            var (next, derivative) = Expectations(a, b, c, pairing, same);
            var nextA = Expectations(a, a, a, Pairing.SamePoint, null).Value;
            c = WeightVariance * next + BiasVariance;
            if (theta is not null) theta = theta * (WeightVariance * derivative) + c;
            var newA = WeightVariance * nextA + BiasVariance;
            b = pairing switch
            {
                Pairing.Distinct => WeightVariance * Expectations(b, b, b, Pairing.SamePoint, null).Value + BiasVariance,
                Pairing.SameOnDiagonal => newA.reshape(b.shape),
                _ => newA,
            };
            a = newA;
        }
        return (c, theta);
    }

    private (Tensor Value, Tensor Derivative) Expectations(Tensor a, Tensor b, Tensor c, Pairing pairing, Tensor? same) =>
        Activation == NetworkActivation.Relu ? Relu(a, b, c, pairing, same) : Erf(a, b, c, pairing, same);

    /// <summary>E[relu(u)relu(v)] and E[step(u)step(v)] for variances a, b and covariance c (arc-cosine kernels of degree 1 and 0).</summary>
    private static (Tensor Value, Tensor Derivative) Relu(Tensor a, Tensor b, Tensor c, Pairing pairing, Tensor? same)
    {
        if (pairing == Pairing.SamePoint) return (a / 2, full_like(a, 0.5));
        var norm = (a * b).sqrt();
        var cosine = (c / norm.clamp_min(1e-300)).clamp(-1.0, 1.0);
        if (same is not null)
        {
            cosine = cosine.masked_fill(same, 1.0);
            norm = where(same, a.expand_as(norm), norm);
        }
        var theta = cosine.acos();
        var value = norm / (2 * Math.PI) * ((1 - cosine.square()).clamp_min(0.0).sqrt() + (Math.PI - theta) * cosine);
        var derivative = (Math.PI - theta) / (2 * Math.PI);
        return (value, derivative);
    }

    /// <summary>E[erf(u)erf(v)] = (2/π) asin(2c/√((1+2a)(1+2b))) and E[erf′(u)erf′(v)] = (4/π)/√((1+2a)(1+2b) − 4c²).</summary>
    private static (Tensor Value, Tensor Derivative) Erf(Tensor a, Tensor b, Tensor c, Pairing pairing, Tensor? same)
    {
        if (pairing == Pairing.SamePoint) return (2 / Math.PI * (2 * a / (1 + 2 * a)).asin(), 4 / Math.PI / (1 + 4 * a).sqrt());
        var product = (1 + 2 * a) * (1 + 2 * b);
        var value = 2 / Math.PI * (2 * c / product.sqrt()).clamp(-1.0, 1.0).asin();
        var derivative = 4 / Math.PI / (product - 4 * c.square()).clamp_min(1e-300).sqrt();
        if (same is not null)
        {
            var (diagonalValue, diagonalDerivative) = Erf(a.squeeze(1), a.squeeze(1), a.squeeze(1), Pairing.SamePoint, null);
            value = where(same, diag_embed(diagonalValue), value);
            derivative = where(same, diag_embed(diagonalDerivative), derivative);
        }
        return (value, derivative);
    }

    /// <summary>"depth L, ReLU, σ_w²=…, σ_b²=…".</summary>
    public string Describe() => string.Create(CultureInfo.InvariantCulture,
        $"L={Depth}, {(Activation == NetworkActivation.Relu ? "ReLU" : "erf")}, σ_w²={WeightVariance:g4}, σ_b²={BiasVariance:g4}");
}
