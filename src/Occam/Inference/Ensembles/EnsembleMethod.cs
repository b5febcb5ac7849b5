using Occam.Core;
using Occam.Data;
using Occam.Likelihoods;
using Occam.Posteriors;
using Occam.Posteriors.Weights;
using TorchSharp;
using static TorchSharp.torch;

namespace Occam.Inference.Ensembles;

/// <summary>
/// Deep ensembles (Lakshminarayanan et al. 2017): K networks trained from different random
/// initialisations and data orders; the predictive is their equal-weight mixture. Architectures that
/// stack members (Occam's MLP) train all K in one batched pass; other modules one after another. The
/// posterior is the set of K weight vectors, each with its own likelihood (e.g. its learned noise).
/// </summary>
public sealed class EnsembleMethod : NetworkMethod<EnsembleOptions>
{
    /// <summary>Creates the method.</summary>
    public EnsembleMethod(ModelSetup setup, EnsembleOptions? options = null) : base("ensemble", setup, options ?? new EnsembleOptions()) { }

    /// <summary>The registry entry.</summary>
    public static MethodEntry Entry { get; } = MethodEntry.Create("ensemble", "deep ensemble: K networks from different initialisations, mixed with equal weights",
        new EnsembleOptions(), (setup, options) => new EnsembleMethod(setup, options));

    /// <inheritdoc />
    public override IPosteriorMethod With(ModelSetup setup) => new EnsembleMethod(setup, Options);

    /// <summary>True when the ensemble has more than one member.</summary>
    public override bool HasEpistemicPart => Options.Members > 1;

    /// <inheritdoc />
    protected override Likelihood LikelihoodFor(TaskKind task) =>
        task == TaskKind.Regression && Options.Likelihood == EnsembleLikelihood.Heteroscedastic ? new HeteroscedasticGaussianLikelihood() : Setup.LikelihoodFor(task);

    /// <inheritdoc />
    protected override IPosterior Fit(NetworkFit fit)
    {
        int k = Options.Members;
        if (Options.Batched && k > 1 && Setup.Network.SupportsMembers)
        {
            var (stacked, likelihood) = TrainMap(fit, k, fit.Context.Seed, $"ensemble of {k}");
            using (stacked)
            {
                var template = Setup.Network.Create(fit.Frame.InputShape, fit.Frame.Outputs, 1, fit.Context.Seed);
                template.to(fit.Context.ResolvedDevice);
                return SamplesPosterior(fit, template, likelihood, WeightSpace.Of(stacked).Get().view(k, -1));
            }
        }
        var networks = new List<nn.Module<Tensor, Tensor>>();
        var likelihoods = new List<Likelihood>();
        try
        {
            for (int m = 0; m < k; m++)
            {
                var (network, likelihood) = TrainMap(fit, 1, MemberSeed(fit.Context.Seed, m), $"member {m + 1}/{k}");
                networks.Add(network);
                likelihoods.Add(likelihood);
            }
            return Assemble(fit, networks, likelihoods);
        }
        finally
        {
            foreach (var n in networks) n.Dispose();
            foreach (var l in likelihoods) l.Dispose();
        }
    }

    /// <summary>
    /// Trains member <paramref name="member"/> of the ensemble alone, exactly as <see cref="NetworkMethod{TOptions}.Fit(Dataset, FitContext?)"/>
    /// trains it when members train one after another (<see cref="EnsembleOptions.Batched"/> false): seed
    /// <see cref="MemberSeed"/>(context seed, member). The result is a one-member weight posterior (the caller disposes it);
    /// <see cref="Combine"/> joins K of them into the ensemble.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="member"/> outside 0..K−1.</exception>
    public WeightPosterior FitMember(Dataset train, FitContext context, int member)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (member < 0 || member >= Options.Members)
            throw new ArgumentOutOfRangeException(nameof(member), member, $"member must lie in 0..{Options.Members - 1}");
        return WithPreparedData(train, context, fit =>
        {
            var (network, likelihood) = TrainMap(fit, 1, MemberSeed(fit.Context.Seed, member), $"member {member + 1}/{Options.Members}");
            try
            {
                using var theta = WeightSpace.Of(network).Get();
                return new WeightPosterior(Name, fit.Frame, Setup.Network, network, likelihood, new WeightSamples(theta.unsqueeze(0)), MemberSeed(fit.Context.Seed, member));
            }
            catch
            {
                network.Dispose();
                likelihood.Dispose();
                throw;
            }
        });
    }

    /// <summary>
    /// The ensemble of K members fitted separately by <see cref="FitMember"/> (in member order), identical to
    /// the one <see cref="NetworkMethod{TOptions}.Fit(Dataset, FitContext?)"/> builds with members trained one after another on the same
    /// data and seed. The members are only read; the caller still disposes them.
    /// </summary>
    /// <exception cref="ArgumentException">Not K members, or a member of another architecture.</exception>
    public WeightPosterior Combine(Dataset train, FitContext context, IReadOnlyList<WeightPosterior> members)
    {
        ArgumentNullException.ThrowIfNull(members);
        if (members.Count != Options.Members)
            throw new ArgumentException($"The ensemble has {Options.Members} members; got {members.Count}.", nameof(members));
        return WithPreparedData(train, context, fit => Assemble(fit, members.Select(m => m.Network).ToList(), members.Select(m => m.Likelihood).ToList()));
    }

    /// <summary>The training seed of member <paramref name="member"/> (0-based) of an ensemble fitted with <paramref name="seed"/>: seed · 1 000 003 + member + 1, never the seed itself (MAP's).</summary>
    public static long MemberSeed(long seed, int member) => unchecked(seed * 1_000_003 + member + 1);

    /// <summary>The posterior over the members' weights: a fresh copy of member 0's network as the template, the members' likelihoods stacked. Reads its arguments only.</summary>
    private WeightPosterior Assemble(NetworkFit fit, IReadOnlyList<nn.Module<Tensor, Tensor>> networks, IReadOnlyList<Likelihood> likelihoods)
    {
        var template = Setup.Network.Create(fit.Frame.InputShape, fit.Frame.Outputs, 1, fit.Context.Seed);
        Tensor? thetas = null;
        Likelihood? stacked = null;
        try
        {
            template.to(fit.Context.ResolvedDevice);
            var space = WeightSpace.Of(template);
            using (var scope = NewDisposeScope())
            {
                var weights = networks.Select(n => WeightSpace.Of(n)).ToList();
                if (weights.Any(w => w.Count != space.Count))
                    throw new ArgumentException($"Every member must have {space.Count} weights ({Setup.Network.Describe()}).", nameof(networks));
                thetas = stack(weights.Select(w => w.Get().to(fit.Context.ResolvedDevice)).ToArray()).MoveToOuterDisposeScope();
                space.Set(thetas[0]);
                using var noGrad = no_grad();
                var source = networks[0].named_buffers().ToDictionary(b => b.name, b => b.buffer);
                foreach (var (name, buffer) in template.named_buffers()) buffer.copy_(source[name]);
            }
            stacked = likelihoods[0].Stack(likelihoods);
            return SamplesPosterior(fit, template, stacked, thetas);
        }
        catch
        {
            template.Dispose();
            thetas?.Dispose();
            stacked?.Dispose();
            throw;
        }
    }
}
