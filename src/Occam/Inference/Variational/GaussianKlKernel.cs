using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using Occam.Numerics;

namespace Occam.Inference.Variational;

/// <summary>
/// KL(q‖p) between a factorised Gaussian q = N(μ, softplus(ρ)²) and the prior N(0, λ⁻¹I), with its
/// gradients with respect to μ and ρ, in one SIMD pass over float32 CPU storage. Through libtorch's
/// autograd the same value and gradients take about twenty passes (softplus, log, dot products and
/// their backward), which on an 80k-weight MLP cost half of a MAP training step.
/// Per element, with σ = softplus(ρ) = max(ρ, 0) + log1p(e^−|ρ|):
/// <code>
/// kl = ½λ(σ² + μ²) − log σ − ½(1 + log λ),   ∂kl/∂μ = λμ,   ∂kl/∂ρ = (λσ − 1/σ)·sigmoid(ρ)
/// </code>
/// Sums are accumulated in float64.
/// </summary>
internal static class GaussianKlKernel
{
    private const int Width = 8; // Vector256<float>.Count, as a constant the JIT can fold

    /// <summary>The KL and the inner products Σμ·∂μ and Σρ·∂ρ (unscaled) that a surrogate needs (see <see cref="BayesianNetwork.KullbackLeibler"/>).</summary>
    internal readonly record struct Result(double KullbackLeibler, double MeanDotGradient, double RawScaleDotGradient);

    /// <summary>True when the machine runs <see cref="Vector256{T}"/> in hardware.</summary>
    public static bool IsSupported => Vector256.IsHardwareAccelerated;

    /// <summary>
    /// Computes the KL for prior precision <paramref name="precision"/> and writes c·∂KL/∂μ and
    /// c·∂KL/∂ρ, with c = <paramref name="scale"/>, into the gradient spans, or adds them there with
    /// <paramref name="accumulate"/>. The two work spans hold σ and sigmoid(ρ) between passes; they
    /// may be the gradient spans themselves when not accumulating.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static Result Evaluate(ReadOnlySpan<float> means, ReadOnlySpan<float> rawScales, Span<float> meanGradient, Span<float> rawScaleGradient,
        Span<float> workSd, Span<float> workSigmoid, float precision, float scale, bool accumulate)
    {
        int n = means.Length;
        if (rawScales.Length != n || meanGradient.Length != n || rawScaleGradient.Length != n || workSd.Length < n || workSigmoid.Length < n)
            throw new ArgumentException($"KL kernel spans differ in length: {n}, {rawScales.Length}, {meanGradient.Length}, {rawScaleGradient.Length}, {workSd.Length}, {workSigmoid.Length}.");
        ref float mu = ref MemoryMarshal.GetReference(means);
        ref float rho = ref MemoryMarshal.GetReference(rawScales);
        ref float gMu = ref MemoryMarshal.GetReference(meanGradient);
        ref float gRho = ref MemoryMarshal.GetReference(rawScaleGradient);
        ref float sdRef = ref MemoryMarshal.GetReference(workSd);
        ref float sigRef = ref MemoryMarshal.GetReference(workSigmoid);
        var lambda = Vector256.Create(precision);
        var c = Vector256.Create(scale);
        // Three passes with short dependency chains (exp; log; log) overlap far better in the
        // out-of-order window than one pass with the whole chain (measured: 2.5× faster). Passes 1 and 2
        // park e^−|ρ|, then σ and sigmoid(ρ), in the work spans.
        int i = 0;
        for (; i + Width <= n; i += Width)
            VectorMath.Exp(-Vector256.Abs(Vector256.LoadUnsafe(ref rho, (nuint)i))).StoreUnsafe(ref sdRef, (nuint)i);
        for (; i < n; i++) workSd[i] = VectorMath.Exp(-Vector256.Abs(Vector256.Create(rawScales[i]))).ToScalar();
        for (i = 0; i + Width <= n; i += Width)
        {
            var (sd, sigmoid) = VectorMath.SoftplusAndSigmoid(Vector256.LoadUnsafe(ref rho, (nuint)i), Vector256.LoadUnsafe(ref sdRef, (nuint)i));
            sd.StoreUnsafe(ref sdRef, (nuint)i);
            sigmoid.StoreUnsafe(ref sigRef, (nuint)i);
        }
        for (; i < n; i++)
        {
            var (sd, sigmoid) = VectorMath.SoftplusAndSigmoid(Vector256.Create(rawScales[i]), Vector256.Create(workSd[i]));
            (workSd[i], workSigmoid[i]) = (sd.ToScalar(), sigmoid.ToScalar());
        }
        double kl = 0, muDot = 0, rhoDot = 0;
        i = 0;
        while (i + Width <= n)
        {
            // float accumulators over at most 128 vectors, then flushed to float64
            Vector256<float> klPart = default, muPart = default, rhoPart = default;
            for (int block = 0; block < 128 && i + Width <= n; block++, i += Width)
            {
                var m = Vector256.LoadUnsafe(ref mu, (nuint)i);
                var r = Vector256.LoadUnsafe(ref rho, (nuint)i);
                var (term, dm, dr) = Element(m, Vector256.LoadUnsafe(ref sdRef, (nuint)i), Vector256.LoadUnsafe(ref sigRef, (nuint)i), lambda);
                (accumulate ? c * dm + Vector256.LoadUnsafe(ref gMu, (nuint)i) : c * dm).StoreUnsafe(ref gMu, (nuint)i); // never 0·x: x may be garbage
                (accumulate ? c * dr + Vector256.LoadUnsafe(ref gRho, (nuint)i) : c * dr).StoreUnsafe(ref gRho, (nuint)i);
                klPart += term;
                muPart += m * dm;
                rhoPart += r * dr;
            }
            kl += Sum(klPart);
            muDot += Sum(muPart);
            rhoDot += Sum(rhoPart);
        }
        for (; i < n; i++)
        {
            var (term, dm, dr) = Element(Vector256.Create(means[i]), Vector256.Create(workSd[i]), Vector256.Create(workSigmoid[i]), lambda);
            meanGradient[i] = (c * dm).ToScalar() + (accumulate ? meanGradient[i] : 0);
            rawScaleGradient[i] = (c * dr).ToScalar() + (accumulate ? rawScaleGradient[i] : 0);
            kl += term.ToScalar();
            muDot += (double)means[i] * dm.ToScalar();
            rhoDot += (double)rawScales[i] * dr.ToScalar();
        }
        kl -= 0.5 * n * (1 + Math.Log(precision));
        return new Result(kl, muDot, rhoDot);
    }

    /// <summary>½λ(σ² + μ²) − log σ and the two partial derivatives, per lane.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static (Vector256<float> Term, Vector256<float> MeanGradient, Vector256<float> RawScaleGradient) Element(Vector256<float> mu, Vector256<float> sd, Vector256<float> sigmoid, Vector256<float> lambda)
    {
        var term = Vector256.Create(0.5f) * lambda * (sd * sd + mu * mu) - VectorMath.Log(sd);
        return (term, lambda * mu, (lambda * sd - Vector256<float>.One / sd) * sigmoid);
    }

    private static double Sum(Vector256<float> v)
    {
        double s = 0;
        for (int k = 0; k < Vector256<float>.Count; k++) s += v.GetElement(k);
        return s;
    }
}
