using static TorchSharp.torch;

namespace Occam.Studies.SgdVsBayes;

/// <summary>
/// A network's function on the test inputs as one 128-bit number: bit j is the predicted class of test
/// input j (at most 128 test inputs). Text form: 0/1 characters in test-input order.
/// </summary>
public static class FunctionCodes
{
    /// <summary>The codes of the rows of <paramref name="predictions"/> (bool or 0/1, [K, T] with T ≤ 128).</summary>
    public static UInt128[] Pack(Tensor predictions)
    {
        ArgumentNullException.ThrowIfNull(predictions);
        long t = predictions.size(1);
        if (t > 128) throw new ArgumentException($"At most 128 test inputs fit a code; got {t}.", nameof(predictions));
        using var scope = NewDisposeScope();
        var bits = predictions.to_type(ScalarType.Int64);
        var codes = new UInt128[predictions.size(0)];
        for (long start = 0; start < t; start += 32)
        {
            long width = Math.Min(32, t - start);
            var powers = tensor(Enumerable.Range(0, (int)width).Select(j => 1L << j).ToArray());   // 1, 2, 4, …
            var words = (bits.narrow(1, start, width) * powers).sum(1).data<long>().ToArray();
            for (int i = 0; i < codes.Length; i++) codes[i] |= (UInt128)(ulong)words[i] << (int)start;
        }
        return codes;
    }

    /// <summary>Bit j of a code.</summary>
    public static bool Bit(UInt128 code, int j) => ((code >> j) & 1) == 1;

    /// <summary>The code as T characters 0/1, test input 0 first.</summary>
    public static string Text(UInt128 code, int length) => new(Enumerable.Range(0, length).Select(j => Bit(code, j) ? '1' : '0').ToArray());
}
