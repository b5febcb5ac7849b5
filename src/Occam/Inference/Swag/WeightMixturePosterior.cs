using Occam.Core;
using Occam.Likelihoods;
using Occam.Models;
using Occam.Posteriors;
using Occam.Posteriors.Weights;
using TorchSharp;
using static TorchSharp.torch;

namespace Occam.Inference.Swag;

/// <summary>One member of a <see cref="WeightMixturePosterior"/>: its likelihood (e.g. its own learned noise) and its belief over the weights.</summary>
/// <param name="Likelihood">A single-member likelihood.</param>
/// <param name="Distribution">The member's weight distribution.</param>
public sealed record MixtureMember(Likelihood Likelihood, IWeightDistribution Distribution);

/// <summary>
/// An equal-weight mixture of K weight posteriors over one architecture, each with its own likelihood:
/// MultiSWAG's K SWAG Gaussians (Wilson &amp; Izmailov 2020). A prediction draws from every member (the
/// requested samples split evenly; by default each member's own count) and mixes all the draws'
/// predictives, so the model average keeps every member's noise and epistemic spread.
/// </summary>
public sealed class WeightMixturePosterior : Posterior
{
    /// <summary>Assembles the posterior; it takes ownership of the network and of every member's likelihood and distribution.</summary>
    /// <param name="method">Method name for reports.</param>
    /// <param name="frame">Task, input shape and standardisation.</param>
    /// <param name="spec">How to rebuild the network when loading.</param>
    /// <param name="network">A single-member network whose weight layout the members' distributions use.</param>
    /// <param name="members">The K members (K ≥ 1).</param>
    /// <param name="seed">Default seed of the draws.</param>
    public WeightMixturePosterior(string method, ModelFrame frame, NetworkSpec spec, nn.Module<Tensor, Tensor> network, IReadOnlyList<MixtureMember> members, long seed = 0)
        : base(method, frame, seed)
    {
        Spec = spec ?? throw new ArgumentNullException(nameof(spec));
        Network = network ?? throw new ArgumentNullException(nameof(network));
        ArgumentNullException.ThrowIfNull(members);
        if (members.Count == 0) throw new ArgumentException("A mixture needs at least one member.", nameof(members));
        Members = members.ToArray();
        Weights = WeightSpace.Of(network);
        network.eval();
    }

    /// <summary>How the network is rebuilt when loading.</summary>
    public NetworkSpec Spec { get; }

    /// <summary>The network (evaluation mode) the draws run through.</summary>
    public nn.Module<Tensor, Tensor> Network { get; }

    /// <summary>The network's weight space.</summary>
    public WeightSpace Weights { get; }

    /// <summary>The members.</summary>
    public IReadOnlyList<MixtureMember> Members { get; }

    /// <inheritdoc />
    public override Device Device => Weights.Device;

    /// <inheritdoc />
    protected override ChunkPredictor BeginPrediction(PredictOptions options, long seed, Generator generator)
    {
        if (options.AtMean) throw new ArgumentException($"A mixture of {Members.Count} posteriors has no single mean to predict at; predict with the model average instead.", nameof(options));
        if (options.Samples is { } total && total < Members.Count)
            throw new ArgumentException($"The mixture draws from each of its {Members.Count} members; ask for at least {Members.Count} samples (got {total}).", nameof(options));
        var draws = new List<WeightDraws>(Members.Count);
        try
        {
            for (int k = 0; k < Members.Count; k++)
            {
                int? share = options.Samples is { } s ? s / Members.Count + (k < s % Members.Count ? 1 : 0) : null;
                draws.Add(Members[k].Distribution.Draw(Weights, new DrawRequest(share, false, seed, generator)));
            }
        }
        catch
        {
            foreach (var d in draws) d.Dispose();
            throw;
        }
        return new ChunkPredictor(chunk => Predict(draws, chunk), new DrawSet(draws));
    }

    private Predictive Predict(List<WeightDraws> draws, Tensor chunk)
    {
        var parts = new List<Predictive>(draws.Count);
        try
        {
            for (int k = 0; k < draws.Count; k++)
            {
                using var outputs = draws[k].Outputs(chunk);
                parts.Add(Members[k].Likelihood.Predict(outputs));
            }
            return Predictive.Concatenate(parts);
        }
        finally
        {
            foreach (var p in parts) p.Dispose();
        }
    }

    /// <inheritdoc />
    public override void Save(string directory)
    {
        ThrowIfDisposed();
        WeightMixtureStore.Save(this, directory);
    }

    /// <inheritdoc />
    protected override void DisposeCore()
    {
        Network.Dispose();
        foreach (var m in Members)
        {
            m.Likelihood.Dispose();
            m.Distribution.Dispose();
        }
    }

    private sealed class DrawSet(List<WeightDraws> draws) : IDisposable
    {
        public void Dispose()
        {
            foreach (var d in draws) d.Dispose();
        }
    }
}
