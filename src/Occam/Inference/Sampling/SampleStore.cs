using static TorchSharp.torch;

namespace Occam.Inference.Sampling;

/// <summary>
/// The kept draws of all chains while they run, in buffers sized before the run (K × draws per chain × P
/// floats): weights, the likelihood's own parameters, and named scalar traces.
/// </summary>
internal sealed class SampleStore : IDisposable
{
    private readonly Tensor _thetas;     // [K, D, P]
    private readonly Tensor _likelihood; // [K, D, Q]
    private readonly Dictionary<string, double[][]> _traces = new(StringComparer.Ordinal);
    private readonly int[] _counts;

    public SampleStore(int chains, int perChain, long parameters, long likelihoodValues, Device device)
    {
        Chains = chains;
        PerChain = perChain;
        _thetas = zeros(new long[] { chains, perChain, parameters }, ScalarType.Float32, device).DetachFromDisposeScope();
        _likelihood = zeros(new long[] { chains, perChain, likelihoodValues }, ScalarType.Float32, device).DetachFromDisposeScope();
        _counts = new int[chains];
    }

    public int Chains { get; }

    public int PerChain { get; }

    /// <summary>Adds one draw of chains [first, first + k): weights [k, P], likelihood values [k, Q], trace values (k each).</summary>
    public void Add(int first, Tensor thetas, Tensor likelihood, IReadOnlyDictionary<string, double[]> traces)
    {
        int k = (int)thetas.shape[0];
        int at = _counts[first];
        if (at >= PerChain) throw new InvalidOperationException($"Chain {first} kept more than the {PerChain} draws planned.");
        using var noGrad = no_grad();
        for (int c = 0; c < k; c++)
        {
            if (_counts[first + c] != at) throw new InvalidOperationException("Chains of one run must keep their draws together.");
            _counts[first + c]++;
        }
        using (var slot = _thetas.narrow(0, first, k).select(1, at)) slot.copy_(thetas);
        if (likelihood.shape[1] > 0)
            using (var slot = _likelihood.narrow(0, first, k).select(1, at)) slot.copy_(likelihood);
        foreach (var (name, values) in traces)
        {
            if (!_traces.TryGetValue(name, out var trace)) _traces[name] = trace = Enumerable.Range(0, Chains).Select(_ => new double[PerChain]).ToArray();
            for (int c = 0; c < k; c++) trace[first + c][at] = values[c];
        }
    }

    /// <summary>Draws per chain actually kept (the same for every chain).</summary>
    public int Kept => _counts.Min();

    /// <summary>The kept draws: weights [K·D, P] and likelihood values [K·D, Q], chain-major, and the traces.</summary>
    public (Tensor Thetas, Tensor Likelihood, Dictionary<string, double[][]> Traces) Build()
    {
        int d = Kept;
        if (d < 1) throw new InvalidOperationException("The run kept no draws.");
        using var scope = NewDisposeScope();
        var thetas = _thetas.narrow(1, 0, d).reshape(Chains * d, -1).clone().MoveToOuterDisposeScope();
        var likelihood = _likelihood.narrow(1, 0, d).reshape(Chains * d, -1).clone().MoveToOuterDisposeScope();
        return (thetas, likelihood, _traces.ToDictionary(t => t.Key, t => t.Value.Select(c => c[..d]).ToArray()));
    }

    public void Dispose()
    {
        _thetas.Dispose();
        _likelihood.Dispose();
    }
}
