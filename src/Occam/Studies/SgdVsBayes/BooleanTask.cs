using System.Globalization;

namespace Occam.Studies.SgdVsBayes;

/// <summary>
/// The Boolean learning problem of the study: all 2ⁿ inputs x ∈ {0, 1}ⁿ (input i holds the bits of i,
/// most significant first), a target function given as its 2ⁿ-bit truth table, and a training set S of m
/// inputs drawn without replacement by a seed; the other 2ⁿ − m inputs are the test set.
/// </summary>
public sealed class BooleanTask
{
    private BooleanTask(int bits, bool[] target, int[] train, int[] test, string targetName)
    {
        Bits = bits;
        Target = target;
        Train = train;
        Test = test;
        TargetName = targetName;
    }

    /// <summary>Input bits n.</summary>
    public int Bits { get; }

    /// <summary>2ⁿ.</summary>
    public int Count => 1 << Bits;

    /// <summary>The target's truth table over the 2ⁿ inputs (true = class 1).</summary>
    public IReadOnlyList<bool> Target { get; }

    /// <summary>The training inputs' indices (sorted).</summary>
    public IReadOnlyList<int> Train { get; }

    /// <summary>The test inputs' indices (sorted).</summary>
    public IReadOnlyList<int> Test { get; }

    /// <summary>How the target was given (e.g. "pattern 0011").</summary>
    public string TargetName { get; }

    /// <summary>Input i as n bits, most significant first.</summary>
    public float[] Input(int i) => Enumerable.Range(0, Bits).Select(b => (float)((i >> (Bits - 1 - b)) & 1)).ToArray();

    /// <summary>
    /// Builds the task. <paramref name="target"/>: "pattern:BITS" (BITS repeated to 2ⁿ, e.g. pattern:0011),
    /// a plain bit string of length 2ⁿ, "hex:HEX" (2ⁿ/4 hex digits, first digit = inputs 0–3), "parity", or
    /// "random:SEED" (uniform random labels).
    /// </summary>
    /// <exception cref="ArgumentException">A bad target, n or m; ParamName names it.</exception>
    public static BooleanTask Create(int bits, string target, int trainSize, long seed)
    {
        if (bits < 2 || bits > 16) throw new ArgumentException($"Bits must lie in 2..16; got {bits}.", nameof(bits));
        int count = 1 << bits;
        if (trainSize < 1 || trainSize >= count) throw new ArgumentException($"The training set must hold 1..{count - 1} of the {count} inputs; got {trainSize}.", nameof(trainSize));
        var table = ParseTarget(target ?? throw new ArgumentNullException(nameof(target)), count);
        var random = new Random(unchecked((int)seed));
        var order = Enumerable.Range(0, count).OrderBy(_ => random.Next()).ToArray();
        var train = order.Take(trainSize).Order().ToArray();
        var test = order.Skip(trainSize).Order().ToArray();
        return new BooleanTask(bits, table, train, test, target.Trim());
    }

    private static bool[] ParseTarget(string text, int count)
    {
        var t = text.Trim().ToLowerInvariant();
        if (t.StartsWith("pattern:", StringComparison.Ordinal))
        {
            var bits = ParseBits(t[8..], "target pattern");
            if (bits.Length == 0 || count % bits.Length != 0)
                throw new ArgumentException($"A target pattern's length must divide {count}; got {bits.Length}.", "target");
            return Enumerable.Range(0, count).Select(i => bits[i % bits.Length]).ToArray();
        }
        if (t.StartsWith("hex:", StringComparison.Ordinal))
        {
            var hex = t[4..];
            if (hex.Length * 4 != count) throw new ArgumentException($"A hex target needs {count / 4} hex digits; got {hex.Length}.", "target");
            var table = new bool[count];
            for (int d = 0; d < hex.Length; d++)
            {
                if (!int.TryParse(hex[d].ToString(), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out int value))
                    throw new ArgumentException($"'{hex[d]}' is not a hex digit in the target.", "target");
                for (int b = 0; b < 4; b++) table[4 * d + b] = ((value >> (3 - b)) & 1) == 1;
            }
            return table;
        }
        if (t == "parity") return Enumerable.Range(0, count).Select(i => System.Numerics.BitOperations.PopCount((uint)i) % 2 == 1).ToArray();
        if (t.StartsWith("random:", StringComparison.Ordinal))
        {
            if (!int.TryParse(t[7..], NumberStyles.Integer, CultureInfo.InvariantCulture, out int s))
                throw new ArgumentException($"random:SEED needs an integer seed; got '{t[7..]}'.", "target");
            var random = new Random(s);
            return Enumerable.Range(0, count).Select(_ => random.Next(2) == 1).ToArray();
        }
        if (t.Length == count) return ParseBits(t, "target");
        throw new ArgumentException($"The target must be pattern:BITS, hex:HEX, parity, random:SEED or {count} bits; got '{text}'.", "target");
    }

    private static bool[] ParseBits(string text, string what) => text.Select(c => c switch
    {
        '0' => false,
        '1' => true,
        _ => throw new ArgumentException($"The {what} may hold only 0 and 1; got '{c}'.", "target"),
    }).ToArray();
}
