namespace Occam.Priors;

/// <summary>
/// Where each layer's weights and biases sit in the flat weight vector θ of Occam's <see cref="Models.Mlp"/>:
/// per layer l = 1..L, W_l [in, out] row-major and then b_l [out]. So the first in·out entries of θ are the
/// first layer's weights, and row j of W_1 (out contiguous entries) holds every weight leaving input j.
/// The layout is given by the inputs and hidden widths; the outputs O follow from the length of θ.
/// </summary>
public sealed record MlpLayout
{
    /// <summary>Creates the layout of an MLP with <paramref name="inputs"/> input features and the given hidden widths (empty: a linear model).</summary>
    /// <exception cref="ArgumentException">Fewer than one input, or a hidden width below 1.</exception>
    public MlpLayout(int inputs, IReadOnlyList<int> hidden)
    {
        ArgumentNullException.ThrowIfNull(hidden);
        if (inputs < 1) throw new ArgumentException($"An MLP needs at least one input; got {inputs}.", nameof(inputs));
        if (hidden.Any(h => h < 1)) throw new ArgumentException("Hidden widths must be at least 1.", nameof(hidden));
        Inputs = inputs;
        Hidden = [.. hidden];
    }

    /// <summary>Input features d.</summary>
    public int Inputs { get; }

    /// <summary>Hidden widths.</summary>
    public IReadOnlyList<int> Hidden { get; }

    /// <summary>
    /// The blocks of a weight vector of <paramref name="parameters"/> entries: names <c>w1</c>, <c>b1</c>, …,
    /// <c>wL</c>, <c>bL</c>, with <c>output-weights</c> and <c>output-bias</c> naming the last layer's.
    /// </summary>
    /// <exception cref="ArgumentException">No whole number of outputs fits <paramref name="parameters"/>.</exception>
    public MlpBlocks Resolve(long parameters)
    {
        long offset = 0;
        int fanIn = Inputs;
        foreach (int h in Hidden)
        {
            offset += (long)fanIn * h + h;
            fanIn = h;
        }
        long rest = parameters - offset;
        if (rest <= 0 || rest % (fanIn + 1) != 0)
            throw new ArgumentException($"A weight vector of {parameters} entries is not an MLP with {Inputs} inputs and hidden widths [{string.Join(", ", Hidden)}].", nameof(parameters));
        int[] widths = [Inputs, .. Hidden, (int)(rest / (fanIn + 1))];
        var blocks = new Dictionary<string, WeightBlock>(StringComparer.OrdinalIgnoreCase);
        offset = 0;
        for (int l = 0; l + 1 < widths.Length; l++)
        {
            long w = (long)widths[l] * widths[l + 1];
            blocks[$"w{l + 1}"] = new WeightBlock(offset, w);
            blocks[$"b{l + 1}"] = new WeightBlock(offset + w, widths[l + 1]);
            offset += w + widths[l + 1];
        }
        blocks["output-weights"] = blocks[$"w{widths.Length - 1}"];
        blocks["output-bias"] = blocks[$"b{widths.Length - 1}"];
        return new MlpBlocks(widths, blocks, parameters);
    }
}

/// <summary>A contiguous run of θ: <paramref name="Offset"/> and <paramref name="Length"/> entries.</summary>
public readonly record struct WeightBlock(long Offset, long Length)
{
    /// <summary>One past the last entry.</summary>
    public long End => Offset + Length;
}

/// <summary>An MLP's layout resolved for one length of θ.</summary>
/// <param name="Widths">Inputs, hidden widths, outputs.</param>
/// <param name="Blocks">Named blocks (case-insensitive names).</param>
/// <param name="Count">P, the length of θ.</param>
public sealed record MlpBlocks(IReadOnlyList<int> Widths, IReadOnlyDictionary<string, WeightBlock> Blocks, long Count)
{
    /// <summary>Input features d.</summary>
    public int Inputs => Widths[0];

    /// <summary>Units fed by every input: the first hidden width, or the outputs of a linear model.</summary>
    public int FanOut => Widths[1];

    /// <summary>The block named <paramref name="name"/>.</summary>
    /// <exception cref="ArgumentException">No such block; the message lists the names.</exception>
    public WeightBlock Block(string name) => Blocks.TryGetValue(name, out var b) ? b
        : throw new ArgumentException($"This MLP has no weight block '{name}'; expected one of {string.Join(", ", Blocks.Keys)}.", nameof(name));
}
