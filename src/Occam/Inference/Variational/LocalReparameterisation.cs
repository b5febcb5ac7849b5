using Occam.Randomness;
using static TorchSharp.torch;

namespace Occam.Inference.Variational;

/// <summary>
/// The local reparameterisation trick (Kingma, Salimans &amp; Welling 2015) for a linear layer with
/// factorised Gaussian weights W ~ N(μ_W, σ_W²) and bias b ~ N(μ_b, σ_b²): for a fixed input row a
/// the pre-activation a·W + b is Gaussian with mean a·μ_W + μ_b and variance a²·σ_W² + σ_b², so it
/// is sampled directly, independently for every example (one matrix product more than a plain layer,
/// and gradients with a lower variance than one weight sample shared by the batch).
/// </summary>
internal static class LocalReparameterisation
{
    /// <summary>Sampled pre-activations [N, out] for inputs [N, in] (draws seeded from libtorch's global generator, see <see cref="StandardNormal"/>).</summary>
    /// <param name="input">Inputs a [N, in].</param>
    /// <param name="weightMean">μ_W [in, out].</param>
    /// <param name="weightVariance">σ_W² [in, out].</param>
    /// <param name="biasMean">μ_b [out].</param>
    /// <param name="biasVariance">σ_b² [out].</param>
    public static Tensor Linear(Tensor input, Tensor weightMean, Tensor weightVariance, Tensor biasMean, Tensor biasVariance)
    {
        var mean = addmm(biasMean, input, weightMean, beta: 1, alpha: 1);
        var variance = addmm(biasVariance, input.square(), weightVariance, beta: 1, alpha: 1);
        return mean.addcmul(variance.sqrt(), StandardNormal.Like(mean), 1);
    }
}
