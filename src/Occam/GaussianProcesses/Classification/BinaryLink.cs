using static TorchSharp.torch;

namespace Occam.GaussianProcesses.Classification;

/// <summary>
/// log p(y | f), its gradient and its negative Hessian W (diagonal) for labels y ∈ {−1, +1}
/// (Rasmussen &amp; Williams 2006, Table 3.1 and eq. 3.15–3.16). Tensors in the caller's scope.
/// </summary>
internal static class BinaryLink
{
    public static Tensor LogLikelihood(BinaryLikelihood likelihood, Tensor y, Tensor f) =>
        likelihood == BinaryLikelihood.Logistic ? nn.functional.logsigmoid(y * f) : NormalMath.LogCdf(y * f);

    /// <summary>(∇ log p, W = −∇∇ log p) elementwise.</summary>
    public static (Tensor Gradient, Tensor W) Derivatives(BinaryLikelihood likelihood, Tensor y, Tensor f)
    {
        if (likelihood == BinaryLikelihood.Logistic)
        {
            var p = f.sigmoid();
            return ((y + 1) / 2 - p, p * (1 - p));
        }
        var z = y * f;
        var ratio = NormalMath.MillsRatio(z); // N(f)/Φ(yf)
        return (y * ratio, (ratio.square() + z * ratio).clamp_min(0.0));
    }

    /// <summary>
    /// p(y = +1) under f ~ N(mean, variance): exact Φ(μ/√(1 + v)) for probit; for logistic the probit
    /// approximation σ(κμ), κ = (1 + πv/8)^(−1/2) (MacKay 1992; Rasmussen &amp; Williams eq. 3.25 ff.).
    /// </summary>
    public static Tensor PredictiveProbability(BinaryLikelihood likelihood, Tensor mean, Tensor variance) =>
        likelihood == BinaryLikelihood.Probit
            ? NormalMath.Cdf(mean / (1 + variance).sqrt())
            : (mean / (1 + Math.PI / 8 * variance).sqrt()).sigmoid();
}
