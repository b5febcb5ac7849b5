using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using Occam.Numerics;

namespace Occam.Randomness;

/// <summary>
/// Fills spans with standard normal draws, eight lanes at a time: eight independent xoshiro128**
/// streams (Blackman and Vigna 2018), seeded through SplitMix64, give 24-bit uniforms, and the
/// Box–Muller transform turns each pair into two normals with vectorised log, sqrt and sin/cos
/// (<see cref="VectorMath"/>). On a 2-core AVX2 machine it is several times faster than libtorch's CPU normal_ (which draws from one
/// Mersenne Twister serially), which matters where a method draws one normal per weight per step
/// (IVON). The uniform in the logarithm lies in [2⁻²⁴, 1], so |z| never exceeds 5.77: a tail of
/// probability 8·10⁻⁹ is cut, as with any float32 Box–Muller. The sequence depends on the seed only.
/// </summary>
public sealed class VectorNormalGenerator
{
    private const int Lanes = 8;
    private const int Block = 2 * Lanes;
    private Vector256<uint> _s0, _s1, _s2, _s3;

    /// <summary>Creates the streams from one 64-bit seed.</summary>
    public VectorNormalGenerator(ulong seed)
    {
        var words = new uint[4 * Lanes];
        ulong state = seed;
        for (int i = 0; i < words.Length; i += 2)
        {
            ulong z = SplitMix64(ref state);
            words[i] = (uint)z;
            words[i + 1] = (uint)(z >> 32);
        }
        _s0 = Vector256.Create(words.AsSpan(0, Lanes));
        _s1 = Vector256.Create(words.AsSpan(Lanes, Lanes));
        _s2 = Vector256.Create(words.AsSpan(2 * Lanes, Lanes));
        _s3 = Vector256.Create(words.AsSpan(3 * Lanes, Lanes));
    }

    /// <summary>Writes independent N(0, 1) draws into every element of <paramref name="destination"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // a hot numeric loop: skip the slow first JIT tier
    public void Fill(Span<float> destination)
    {
        var (s0, s1, s2, s3) = (_s0, _s1, _s2, _s3);
        int i = 0;
        for (; i + Block <= destination.Length; i += Block)
        {
            var (cos, sin) = Pair(ref s0, ref s1, ref s2, ref s3);
            cos.CopyTo(destination.Slice(i, Lanes));
            sin.CopyTo(destination.Slice(i + Lanes, Lanes));
        }
        if (i < destination.Length)
        {
            Span<float> last = stackalloc float[Block];
            var (cos, sin) = Pair(ref s0, ref s1, ref s2, ref s3);
            cos.CopyTo(last);
            sin.CopyTo(last[Lanes..]);
            last[..(destination.Length - i)].CopyTo(destination[i..]);
        }
        (_s0, _s1, _s2, _s3) = (s0, s1, s2, s3);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static (Vector256<float> Cos, Vector256<float> Sin) Pair(ref Vector256<uint> s0, ref Vector256<uint> s1, ref Vector256<uint> s2, ref Vector256<uint> s3)
    {
        var scale = Vector256.Create(1f / (1 << 24));
        var u1 = (Vector256.ConvertToSingle(Vector256.ShiftRightLogical(Next(ref s0, ref s1, ref s2, ref s3), 8).AsInt32()) + Vector256<float>.One) * scale; // (0, 1]
        var u2 = Vector256.ConvertToSingle(Vector256.ShiftRightLogical(Next(ref s0, ref s1, ref s2, ref s3), 8).AsInt32()) * scale;                        // [0, 1)
        var radius = Vector256.Sqrt(Vector256.Create(-2f) * VectorMath.Log(u1));
        var (sin, cos) = VectorMath.SinCosTurns(u2);
        return (radius * cos, radius * sin);
    }

    /// <summary>One xoshiro128** step in every lane.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<uint> Next(ref Vector256<uint> s0, ref Vector256<uint> s1, ref Vector256<uint> s2, ref Vector256<uint> s3)
    {
        var result = RotateLeft(s1 * 5u, 7) * 9u;
        var t = Vector256.ShiftLeft(s1, 9);
        s2 ^= s0;
        s3 ^= s1;
        s1 ^= s2;
        s0 ^= s3;
        s2 ^= t;
        s3 = RotateLeft(s3, 11);
        return result;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<uint> RotateLeft(Vector256<uint> x, int k) => Vector256.ShiftLeft(x, k) | Vector256.ShiftRightLogical(x, 32 - k);

    private static ulong SplitMix64(ref ulong state)
    {
        ulong z = state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
