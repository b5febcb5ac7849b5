using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Occam.Inference.Variational;

/// <summary>
/// IVON's element-wise work on float32 CPU storage as fused SIMD passes: one pass to draw a sample,
/// one to record its gradient, one for the whole update. Through libtorch the same work takes 13+
/// separate passes, each with a native call and, above 32,768 elements, an OpenMP fork; on an MLP
/// with 80k weights that cost more than the forward pass. Every formula is written once, on
/// <see cref="Vector256{T}"/> values, and applied to whole vectors and to the tail element by element,
/// so the result is the same wherever an element lies.
/// </summary>
internal static class IvonCpuKernel
{
    private const int Width = 8; // Vector256<float>.Count, as a constant the JIT can fold

    /// <summary>The coefficients of one update, fixed for all elements.</summary>
    internal readonly record struct UpdateCoefficients(float InverseCount, float Beta1Complement, float Ess, float Delta,
        float Beta2Complement, float HalfBeta2ComplementSquared, float StepScale, float DecayScale, float InverseDebias, float ClipRadius, bool Clip);

    /// <summary>True when the machine runs <see cref="Vector256{T}"/> in hardware.</summary>
    public static bool IsSupported => Vector256.IsHardwareAccelerated;

    /// <summary>
    /// Draws θ = m + σ ⊙ ε in place: on entry <paramref name="parameter"/> holds m and
    /// <paramref name="noise"/> holds ε; on exit <paramref name="mean"/> holds m, <paramref name="noise"/>
    /// holds σ ⊙ ε and <paramref name="parameter"/> holds θ.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Sample(Span<float> parameter, Span<float> mean, ReadOnlySpan<float> sd, Span<float> noise)
    {
        CheckLengths(parameter.Length, mean.Length, sd.Length, noise.Length);
        ref float p = ref MemoryMarshal.GetReference(parameter);
        ref float m = ref MemoryMarshal.GetReference(mean);
        ref float s = ref MemoryMarshal.GetReference(sd);
        ref float n = ref MemoryMarshal.GetReference(noise);
        int i = 0;
        for (; i + Width <= parameter.Length; i += Width)
        {
            var (u, e, theta) = Draw(Vector256.LoadUnsafe(ref p, (nuint)i), Vector256.LoadUnsafe(ref s, (nuint)i), Vector256.LoadUnsafe(ref n, (nuint)i));
            u.StoreUnsafe(ref m, (nuint)i);
            e.StoreUnsafe(ref n, (nuint)i);
            theta.StoreUnsafe(ref p, (nuint)i);
        }
        for (; i < parameter.Length; i++)
        {
            var (u, e, theta) = Draw(Vector256.Create(parameter[i]), Vector256.Create(sd[i]), Vector256.Create(noise[i]));
            (mean[i], noise[i], parameter[i]) = (u.ToScalar(), e.ToScalar(), theta.ToScalar());
        }
    }

    /// <summary>
    /// Records one sample's gradient ĝ: the first sample of a step sets Σĝ = ĝ and Σĝ(θ − m) = ĝ ⊙ noise,
    /// later ones add to them.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Record(ReadOnlySpan<float> gradient, ReadOnlySpan<float> noise, Span<float> gradSum, Span<float> noiseGradSum, bool first)
    {
        CheckLengths(gradient.Length, noise.Length, gradSum.Length, noiseGradSum.Length);
        ref float g = ref MemoryMarshal.GetReference(gradient);
        ref float n = ref MemoryMarshal.GetReference(noise);
        ref float gs = ref MemoryMarshal.GetReference(gradSum);
        ref float ngs = ref MemoryMarshal.GetReference(noiseGradSum);
        int i = 0;
        for (; i + Width <= gradient.Length; i += Width)
        {
            var (sum, noiseSum) = Accumulate(Vector256.LoadUnsafe(ref g, (nuint)i), Vector256.LoadUnsafe(ref n, (nuint)i),
                Vector256.LoadUnsafe(ref gs, (nuint)i), Vector256.LoadUnsafe(ref ngs, (nuint)i), first);
            sum.StoreUnsafe(ref gs, (nuint)i);
            noiseSum.StoreUnsafe(ref ngs, (nuint)i);
        }
        for (; i < gradient.Length; i++)
        {
            var (sum, noiseSum) = Accumulate(Vector256.Create(gradient[i]), Vector256.Create(noise[i]), Vector256.Create(gradSum[i]), Vector256.Create(noiseGradSum[i]), first);
            (gradSum[i], noiseGradSum[i]) = (sum.ToScalar(), noiseSum.ToScalar());
        }
    }

    /// <summary>
    /// The IVON update of every element: momentum, Hessian estimate, mean (in
    /// <paramref name="parameter"/>, which holds m on entry) and σ. See <see cref="Ivon"/> for the formulas.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Update(Span<float> parameter, ReadOnlySpan<float> gradSum, ReadOnlySpan<float> noiseGradSum,
        Span<float> momentum, Span<float> hessian, Span<float> sd, in UpdateCoefficients c)
    {
        CheckLengths(parameter.Length, gradSum.Length, noiseGradSum.Length, momentum.Length);
        CheckLengths(parameter.Length, hessian.Length, sd.Length, parameter.Length);
        ref float p = ref MemoryMarshal.GetReference(parameter);
        ref float gs = ref MemoryMarshal.GetReference(gradSum);
        ref float ngs = ref MemoryMarshal.GetReference(noiseGradSum);
        ref float mo = ref MemoryMarshal.GetReference(momentum);
        ref float h = ref MemoryMarshal.GetReference(hessian);
        ref float s = ref MemoryMarshal.GetReference(sd);
        int i = 0;
        for (; i + Width <= parameter.Length; i += Width)
        {
            var (m, g, hh, ss) = Step(Vector256.LoadUnsafe(ref p, (nuint)i), Vector256.LoadUnsafe(ref gs, (nuint)i), Vector256.LoadUnsafe(ref ngs, (nuint)i),
                Vector256.LoadUnsafe(ref mo, (nuint)i), Vector256.LoadUnsafe(ref h, (nuint)i), c);
            m.StoreUnsafe(ref p, (nuint)i);
            g.StoreUnsafe(ref mo, (nuint)i);
            hh.StoreUnsafe(ref h, (nuint)i);
            ss.StoreUnsafe(ref s, (nuint)i);
        }
        for (; i < parameter.Length; i++)
        {
            var (m, g, hh, ss) = Step(Vector256.Create(parameter[i]), Vector256.Create(gradSum[i]), Vector256.Create(noiseGradSum[i]),
                Vector256.Create(momentum[i]), Vector256.Create(hessian[i]), c);
            (parameter[i], momentum[i], hessian[i], sd[i]) = (m.ToScalar(), g.ToScalar(), hh.ToScalar(), ss.ToScalar());
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static (Vector256<float> Mean, Vector256<float> Noise, Vector256<float> Theta) Draw(Vector256<float> mean, Vector256<float> sd, Vector256<float> standard)
    {
        var noise = sd * standard;
        return (mean, noise, mean + noise);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static (Vector256<float> Sum, Vector256<float> NoiseSum) Accumulate(Vector256<float> gradient, Vector256<float> noise,
        Vector256<float> sum, Vector256<float> noiseSum, bool first)
        => first ? (gradient, gradient * noise) : (sum + gradient, noiseSum + gradient * noise); // the sums hold garbage before a step's first sample

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static (Vector256<float> Mean, Vector256<float> Momentum, Vector256<float> Hessian, Vector256<float> Sd) Step(
        Vector256<float> mean, Vector256<float> gradSum, Vector256<float> noiseGradSum, Vector256<float> momentum, Vector256<float> hessian, in UpdateCoefficients c)
    {
        var delta = Vector256.Create(c.Delta);
        var gradient = gradSum * Vector256.Create(c.InverseCount);
        momentum += Vector256.Create(c.Beta1Complement) * (gradient - momentum);                    // g ← β₁g + (1 − β₁)ĝ
        var damped = hessian + delta;
        var gap = noiseGradSum * damped * Vector256.Create(c.Ess * c.InverseCount) - hessian;      // ĥ − h, ĥ = ĝ(θ − m)/σ²
        hessian += Vector256.Create(c.Beta2Complement) * gap + Vector256.Create(c.HalfBeta2ComplementSquared) * gap * gap / damped;
        damped = hessian + delta;
        var numerator = momentum + Vector256.Create(c.DecayScale) * mean;                             // debias·(g/debias + δm)
        if (c.Clip)
        {
            var radius = Vector256.Create(c.ClipRadius);
            var direction = Vector256.Min(Vector256.Max(numerator / damped * Vector256.Create(c.InverseDebias), -radius), radius);
            mean -= Vector256.Create(c.StepScale) * direction;
        }
        else
            mean -= Vector256.Create(c.StepScale * c.InverseDebias) * numerator / damped;
        return (mean, momentum, hessian, Sigma(hessian, Vector256.Create(c.Ess), delta));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> Sigma(Vector256<float> hessian, Vector256<float> ess, Vector256<float> delta)
        => Vector256<float>.One / Vector256.Sqrt(ess * (hessian + delta));

    private static void CheckLengths(int a, int b, int c, int d)
    {
        if (a != b || a != c || a != d) throw new ArgumentException($"IVON kernel spans differ in length: {a}, {b}, {c}, {d}.");
    }
}
