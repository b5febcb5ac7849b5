using Occam.Randomness;
using static TorchSharp.torch;

namespace Occam.Inference.Variational;

/// <summary>
/// Flipout (Wen et al. 2018) for a Conv2d layer with factorised Gaussian weights W ~ N(μ_W, σ_W²)
/// and bias b ~ N(μ_b, σ_b²): one perturbation ΔW = σ_W ⊙ ε, Δb = σ_b ⊙ ε' is drawn per batch and
/// decorrelated across examples by random signs per example on the input channels (s_in) and the
/// output channels (s_out):
/// out = conv(x, μ_W) + μ_b + [conv(x ⊙ s_in, ΔW) + Δb] ⊙ s_out.
/// Each example then sees the weights μ_W + ΔW ⊙ s_out s_inᵀ, which are distributed exactly as
/// q(W), so every example's output has the right marginal: mean conv(x, μ_W) + μ_b and variance
/// conv(x², σ_W²) + σ_b²; two examples are uncorrelated. Costs two convolutions.
/// </summary>
internal static class Flipout
{
    /// <summary>Sampled outputs [N, out, H', W'] for inputs [N, in, H, W] (draws from, or seeded from, libtorch's global generator).</summary>
    /// <param name="input">Inputs x [N, in, H, W].</param>
    /// <param name="weightMean">μ_W [out, in, kH, kW].</param>
    /// <param name="weightSd">σ_W [out, in, kH, kW].</param>
    /// <param name="biasMean">μ_b [out].</param>
    /// <param name="biasSd">σ_b [out].</param>
    /// <param name="padding">Zero padding on each side (stride 1).</param>
    public static Tensor Conv2d(Tensor input, Tensor weightMean, Tensor weightSd, Tensor biasMean, Tensor biasSd, long padding)
    {
        long batch = input.shape[0];
        var signsIn = RandomSigns(batch, weightMean.shape[1], input);
        var signsOut = RandomSigns(batch, weightMean.shape[0], input);
        var weightNoise = weightSd * StandardNormal.Like(weightSd);
        var biasNoise = biasSd * randn_like(biasSd);
        long[] pad = [padding, padding];
        var mean = nn.functional.conv2d(input, weightMean, biasMean, padding: pad);
        var perturbation = nn.functional.conv2d(input * signsIn, weightNoise, biasNoise, padding: pad);
        return mean.addcmul(perturbation, signsOut, 1);
    }

    /// <summary>Independent ±1 with equal probability, one per example and channel: [N, C, 1, 1].</summary>
    private static Tensor RandomSigns(long batch, long channels, Tensor like) =>
        empty(new[] { batch, channels, 1L, 1L }, like.dtype, like.device).bernoulli_(0.5).mul_(2).sub_(1);
}
