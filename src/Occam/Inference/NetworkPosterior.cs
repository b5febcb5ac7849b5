using Occam.Data;
using Occam.Likelihoods;
using Occam.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace Occam.Inference;

/// <summary>One trained network and its likelihood; <paramref name="Stacked"/> when it holds K members along a leading dimension.</summary>
/// <param name="Network">The trained module (evaluation mode).</param>
/// <param name="Likelihood">Its likelihood (holding e.g. the learned noise).</param>
/// <param name="Stacked">Whether outputs are [K, N, O] rather than [N, O].</param>
public sealed record NetworkMember(nn.Module<Tensor, Tensor> Network, Likelihood Likelihood, bool Stacked);

/// <summary>
/// A posterior represented by trained networks: MAP (one network), deep ensembles (K networks, or
/// one network stacking K members) and MC dropout (one network, S stochastic passes). Its
/// predictive is the equal-weight average over all members and passes.
/// </summary>
public sealed class NetworkPosterior : IPosterior
{
    private readonly IReadOnlyList<NetworkMember> _members;
    private bool _disposed;

    /// <summary>Assembles the posterior; it takes ownership of the members' networks and likelihoods.</summary>
    /// <param name="method">Method name for reports.</param>
    /// <param name="task">Regression or classification.</param>
    /// <param name="members">Trained networks.</param>
    /// <param name="standardiser">The training-split standardisation to apply to inputs and undo on targets.</param>
    /// <param name="description">Architecture (used to rebuild the networks on load).</param>
    /// <param name="passes">Stochastic (dropout) passes per prediction; 1 = deterministic.</param>
    /// <param name="seed">Default seed of stochastic passes.</param>
    public NetworkPosterior(string method, TaskKind task, IReadOnlyList<NetworkMember> members, Standardiser standardiser,
        NetworkDescription description, int passes = 1, long seed = 0)
    {
        ArgumentNullException.ThrowIfNull(members);
        if (members.Count == 0) throw new ArgumentException("A posterior needs at least one network.", nameof(members));
        if (passes < 1) throw new ArgumentOutOfRangeException(nameof(passes), $"Passes must be at least 1; got {passes}.");
        Method = method;
        Task = task;
        _members = members;
        Standardiser = standardiser ?? throw new ArgumentNullException(nameof(standardiser));
        Description = description ?? throw new ArgumentNullException(nameof(description));
        Passes = passes;
        Seed = seed;
        foreach (var m in members) m.Network.eval();
    }

    /// <inheritdoc />
    public string Method { get; }

    /// <inheritdoc />
    public TaskKind Task { get; }

    /// <summary>The trained networks.</summary>
    public IReadOnlyList<NetworkMember> Members => _members;

    /// <summary>Training-split standardisation.</summary>
    public Standardiser Standardiser { get; }

    /// <summary>How to rebuild the networks.</summary>
    public NetworkDescription Description { get; }

    /// <summary>Stochastic passes per prediction (MC dropout), 1 otherwise.</summary>
    public int Passes { get; }

    /// <summary>Default seed of stochastic passes.</summary>
    public long Seed { get; }

    /// <inheritdoc />
    public Predictive Predict(Tensor x, PredictOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(x);
        ObjectDisposedException.ThrowIf(_disposed, this);
        options ??= new PredictOptions();
        if (options.BatchSize < 1) throw new ArgumentOutOfRangeException(nameof(options), "Prediction batch size must be at least 1.");
        Description.CheckInputs(x);
        int passes = Passes > 1 ? options.Samples ?? Passes : 1;
        if (passes < 1) throw new ArgumentOutOfRangeException(nameof(options), "Samples must be at least 1.");
        var device = _members[0].Network.parameters().First().device;
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        using var seeded = new RandomSeed(options.Seed ?? Seed);
        var inputs = Standardiser.TransformInputs(x.to(device));
        var chunks = new List<Predictive>();
        try
        {
            for (long start = 0; start < inputs.shape[0]; start += options.BatchSize)
            {
                var chunk = inputs.narrow(0, start, Math.Min(options.BatchSize, inputs.shape[0] - start));
                chunks.Add(PredictChunk(chunk, passes));
            }
            using var joined = Predictive.Join(chunks);
            return Standardiser.HasTargets ? joined.Affine(Standardiser.TargetMean, Standardiser.TargetSd) : joined.Slice(0, joined.Count);
        }
        finally
        {
            foreach (var c in chunks) c.Dispose();
        }
    }

    private Predictive PredictChunk(Tensor x, int passes)
    {
        var parts = new List<Predictive>();
        try
        {
            foreach (var member in _members)
            {
                using var scope = NewDisposeScope();
                var raw = passes == 1 ? Forward(member, x) : StochasticForward(member, x, passes);
                parts.Add(member.Likelihood.Predict(raw));
            }
            return parts.Count == 1 ? parts[0].Slice(0, parts[0].Count) : Predictive.Concatenate(parts);
        }
        finally
        {
            foreach (var p in parts) p.Dispose();
        }
    }

    private static Tensor Forward(NetworkMember member, Tensor x)
    {
        var raw = member.Network.forward(x);
        return member.Stacked ? raw : raw.unsqueeze(0);
    }

    private static Tensor StochasticForward(NetworkMember member, Tensor x, int passes)
    {
        using var dropout = new DropoutSwitch(member.Network);
        if (member.Network is Mlp { Members: 1 })
            return member.Network.forward(x.unsqueeze(0).expand([passes, .. x.shape])); // all passes in one batched call
        return cat(Enumerable.Range(0, passes).Select(_ => Forward(member, x)).ToArray(), 0);
    }


    /// <inheritdoc />
    public void Save(string directory) => PosteriorStore.Save(this, directory);

    /// <inheritdoc />
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        foreach (var m in _members)
        {
            m.Network.Dispose();
            m.Likelihood.Dispose();
        }
    }
}
