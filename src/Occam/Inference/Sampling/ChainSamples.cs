using Occam.Core;
using Occam.Posteriors.Weights;
using static TorchSharp.torch;

namespace Occam.Inference.Sampling;

/// <summary>
/// The samples that K Markov chains kept, as a weight distribution: θ [S, P] in chain-major order (chain 0's
/// draws in the order it kept them, then chain 1's, ...), S = K × draws per chain, every prediction averaging
/// all S, like <see cref="WeightSamples"/>. It also keeps what the convergence diagnostics need and the run
/// measured: per-chain traces of scalar summaries recorded while sampling (the log posterior, a random
/// projection of θ) and the sampler's statistics (divergences; HMC's acceptance rate and step size).
/// </summary>
public sealed class ChainSamples : IWeightDistribution
{
    /// <summary>The stored kind.</summary>
    public const string KindName = "chain-samples";

    private readonly Tensor _thetas;

    /// <summary>Takes over <paramref name="thetas"/> [S, P] (S a multiple of <paramref name="chains"/>).</summary>
    /// <param name="thetas">The kept weight vectors, chain-major.</param>
    /// <param name="chains">K.</param>
    /// <param name="traces">Named per-chain traces [K][S/K].</param>
    /// <param name="statistics">Named sampler statistics.</param>
    /// <exception cref="ArgumentException">Shapes that do not fit together.</exception>
    public ChainSamples(Tensor thetas, int chains, IReadOnlyDictionary<string, double[][]>? traces = null, IReadOnlyDictionary<string, double>? statistics = null)
    {
        ArgumentNullException.ThrowIfNull(thetas);
        if (thetas.dim() != 2 || thetas.shape[0] < 1) throw new ArgumentException($"Expected weight vectors [S, P]; got [{string.Join(", ", thetas.shape)}].", nameof(thetas));
        if (chains < 1 || thetas.shape[0] % chains != 0) throw new ArgumentException($"{thetas.shape[0]} samples do not split into {chains} chains of equal length.", nameof(chains));
        Chains = chains;
        DrawsPerChain = (int)(thetas.shape[0] / chains);
        Traces = traces ?? new Dictionary<string, double[][]>();
        if (Traces.Any(t => t.Value.Length != chains || t.Value.Any(c => c.Length != DrawsPerChain)))
            throw new ArgumentException($"Every trace must hold {chains} chains of {DrawsPerChain} values.", nameof(traces));
        Statistics = statistics ?? new Dictionary<string, double>();
        _thetas = thetas.detach().DetachFromDisposeScope();
    }

    /// <inheritdoc />
    public string Kind => KindName;

    /// <summary>K, the chains.</summary>
    public int Chains { get; }

    /// <summary>Draws kept per chain.</summary>
    public int DrawsPerChain { get; }

    /// <summary>S, all draws.</summary>
    public int Count => Chains * DrawsPerChain;

    /// <summary>Per-chain traces recorded while sampling, by name ([K][draws per chain]).</summary>
    public IReadOnlyDictionary<string, double[][]> Traces { get; }

    /// <summary>The sampler's statistics, by name.</summary>
    public IReadOnlyDictionary<string, double> Statistics { get; }

    /// <inheritdoc />
    public int DefaultSamples => Count;

    /// <inheritdoc />
    public bool HasMean => Count == 1;

    /// <summary>A copy of the draws [S, P], chain-major.</summary>
    public Tensor Thetas() => _thetas.clone();

    /// <inheritdoc />
    public WeightDraws Draw(WeightSpace space, DrawRequest request)
    {
        ArgumentNullException.ThrowIfNull(space);
        ArgumentNullException.ThrowIfNull(request);
        if (request.AtMean && !HasMean)
            throw new ArgumentException($"{Count} posterior samples have no mean to predict at; predict with the model average instead.", nameof(request));
        return new ThetaDraws(space, _thetas.alias());
    }

    /// <inheritdoc />
    public StoredDistribution Store()
    {
        var tensors = new Dictionary<string, Tensor> { ["thetas"] = _thetas.clone() };
        foreach (var (name, trace) in Traces) tensors["trace." + name] = tensor(trace.SelectMany(c => c).ToArray(), ScalarType.Float64).view(Chains, DrawsPerChain);
        var settings = new Dictionary<string, double> { ["chains"] = Chains };
        foreach (var (name, value) in Statistics) settings["stat." + name] = value;
        return new StoredDistribution(KindName, tensors, settings);
    }

    /// <summary>Restores the stored form.</summary>
    public static ChainSamples Load(IReadOnlyDictionary<string, Tensor> tensors, IReadOnlyDictionary<string, double> settings)
    {
        ArgumentNullException.ThrowIfNull(tensors);
        ArgumentNullException.ThrowIfNull(settings);
        int chains = (int)settings["chains"];
        var traces = tensors.Where(t => t.Key.StartsWith("trace.", StringComparison.Ordinal)).ToDictionary(t => t.Key[6..], t =>
        {
            using var values = t.Value.to_type(ScalarType.Float64).cpu().contiguous();
            var flat = values.data<double>().ToArray();
            int n = flat.Length / chains;
            return Enumerable.Range(0, chains).Select(k => flat[(k * n)..((k + 1) * n)]).ToArray();
        });
        var statistics = settings.Where(s => s.Key.StartsWith("stat.", StringComparison.Ordinal)).ToDictionary(s => s.Key[5..], s => s.Value);
        return new ChainSamples(tensors["thetas"].clone(), chains, traces, statistics);
    }

    /// <inheritdoc />
    public void Dispose() => _thetas.Dispose();
}
