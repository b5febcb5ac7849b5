using Occam.Core;
using Occam.Data;
using Occam.Inference.Ensembles;
using Occam.Likelihoods;
using Occam.Posteriors.Storage;
using TorchSharp;
using static TorchSharp.torch;

namespace Occam.Inference.Swag;

/// <summary>
/// MultiSWAG (Wilson &amp; Izmailov 2020): K independent SWAG runs from different initialisations and data
/// orders, predicting with the equal-weight mixture of their samples (<see cref="WeightMixturePosterior"/>,
/// each member with its own likelihood). Architectures that stack members (Occam's MLP) run all K in one
/// batched pass, pre-training and collection alike; other modules run one after another.
/// </summary>
public sealed class MultiSwagMethod : NetworkMethod<MultiSwagOptions>
{
    /// <summary>Creates the method.</summary>
    /// <exception cref="ArgumentException">Bad options, or a collection start at or after the last training epoch (ParamName: the option).</exception>
    public MultiSwagMethod(ModelSetup setup, MultiSwagOptions? options = null) : base("multiswag", setup, options ?? new MultiSwagOptions()) =>
        CollectionPlan.CheckStart(Options, setup.Training);

    /// <summary>The registry entry.</summary>
    public static MethodEntry Entry { get; } = MethodEntry.Create("multiswag",
        "MultiSWAG: K independent SWAG runs, predicting with the mixture of their samples",
        new MultiSwagOptions(), (setup, options) => new MultiSwagMethod(setup, options));

    /// <inheritdoc />
    public override IPosteriorMethod With(ModelSetup setup) => new MultiSwagMethod(setup, Options);

    /// <inheritdoc />
    protected override IPosterior Fit(NetworkFit fit)
    {
        int k = Options.Members;
        var plan = Plan(fit);
        if (!Options.Batched || k == 1 || !Setup.Network.SupportsMembers)
        {
            var trained = new List<WeightMixturePosterior>();
            try
            {
                for (int m = 0; m < k; m++) trained.Add(TrainMember(fit, plan, m));
                return Assemble(fit, trained);
            }
            finally
            {
                foreach (var t in trained) t.Dispose();
            }
        }
        var members = new List<MixtureMember>();
        nn.Module<Tensor, Tensor>? template = null;
        try
        {
            using var run = SwagTraining.Run(Setup, fit, Options, plan, k, fit.Context.Seed, $"multiswag of {k}");
            template = Setup.Network.Create(fit.Frame.InputShape, fit.Frame.Outputs, 1, fit.Context.Seed);
            template.to(fit.Context.ResolvedDevice);
            for (int m = 0; m < k; m++)
                members.Add(new MixtureMember(MemberLikelihood(run.Likelihood, m, fit), Member(run.Collector, m, k, m, template, fit)));
            SwagMethod.SetMean(template, (LowRankGaussianWeights)members[0].Distribution);
            return new WeightMixturePosterior(Name, fit.Frame, Setup.Network, template, members, fit.Context.Seed);
        }
        catch
        {
            template?.Dispose();
            Dispose(members);
            throw;
        }
    }

    /// <summary>
    /// Runs member <paramref name="member"/>'s SWAG alone, exactly as <see cref="NetworkMethod{TOptions}.Fit(Dataset, FitContext?)"/>
    /// runs it when members train one after another (<see cref="MultiSwagOptions.Batched"/> false): seed
    /// <see cref="EnsembleMethod.MemberSeed"/>(context seed, member), the member's share of
    /// <see cref="SwagOptions.Samples"/> and its own BatchNorm subset. The result is a one-member mixture whose
    /// network holds the member's SWA mean (the caller disposes it); <see cref="Combine"/> joins K of them.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="member"/> outside 0..K−1.</exception>
    public WeightMixturePosterior FitMember(Dataset train, FitContext context, int member)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (member < 0 || member >= Options.Members)
            throw new ArgumentOutOfRangeException(nameof(member), member, $"member must lie in 0..{Options.Members - 1}");
        return WithPreparedData(train, context, fit => TrainMember(fit, Plan(fit), member));
    }

    /// <summary>
    /// The MultiSWAG posterior of K members fitted separately by <see cref="FitMember"/> (in member order),
    /// identical to the one <see cref="NetworkMethod{TOptions}.Fit(Dataset, FitContext?)"/> builds with members trained one after
    /// another on the same data and seed. The members are only read; the caller still disposes them.
    /// </summary>
    /// <exception cref="ArgumentException">Not K members, a member that is not one SWAG Gaussian, or one of another architecture.</exception>
    public WeightMixturePosterior Combine(Dataset train, FitContext context, IReadOnlyList<WeightMixturePosterior> members)
    {
        ArgumentNullException.ThrowIfNull(members);
        if (members.Count != Options.Members)
            throw new ArgumentException($"MultiSWAG has {Options.Members} members; got {members.Count}.", nameof(members));
        if (members.Any(m => m.Members is not [{ Distribution: LowRankGaussianWeights }]))
            throw new ArgumentException("Every member must be a one-member mixture of a SWAG Gaussian (as FitMember returns).", nameof(members));
        return WithPreparedData(train, context, fit => Assemble(fit, members));
    }

    private CollectionPlan Plan(NetworkFit fit) =>
        CollectionPlan.For(Options, Setup.Training, fit.Data.Count, keepDeviations: !Options.Diagonal, minimumDeviations: 2);

    /// <summary>Member <paramref name="member"/>'s SWAG run alone, as a one-member mixture whose network holds its SWA mean.</summary>
    private WeightMixturePosterior TrainMember(NetworkFit fit, CollectionPlan plan, int member)
    {
        long seed = EnsembleMethod.MemberSeed(fit.Context.Seed, member);
        var run = SwagTraining.Run(Setup, fit, Options, plan, 1, seed, $"member {member + 1}/{Options.Members}");
        LowRankGaussianWeights? gaussian = null;
        try
        {
            gaussian = Member(run.Collector, 0, 1, member, run.Network, fit);
            run.Collector.Dispose();
            SwagMethod.SetMean(run.Network, gaussian);
            return new WeightMixturePosterior(Name, fit.Frame, Setup.Network, run.Network, [new MixtureMember(run.Likelihood, gaussian)], seed);
        }
        catch
        {
            gaussian?.Dispose();
            run.Dispose();
            throw;
        }
    }

    /// <summary>
    /// The mixture of separately trained members: a fresh network with member 0's weights (its SWA mean) and
    /// buffers as the template, and copies of every member's likelihood and Gaussian. Reads its arguments only.
    /// </summary>
    private WeightMixturePosterior Assemble(NetworkFit fit, IReadOnlyList<WeightMixturePosterior> trained)
    {
        var template = Setup.Network.Create(fit.Frame.InputShape, fit.Frame.Outputs, 1, fit.Context.Seed);
        var members = new List<MixtureMember>();
        try
        {
            template.to(fit.Context.ResolvedDevice);
            var space = WeightSpace.Of(template);
            if (trained.Any(t => t.Weights.Count != space.Count))
                throw new ArgumentException($"Every member must have {space.Count} weights ({Setup.Network.Describe()}).", "members");
            using (var scope = NewDisposeScope())
            {
                space.Set(trained[0].Weights.Get().to(fit.Context.ResolvedDevice));
                using var noGrad = no_grad();
                var source = trained[0].Network.named_buffers().ToDictionary(b => b.name, b => b.buffer);
                foreach (var (name, buffer) in template.named_buffers()) buffer.copy_(source[name]);
            }
            foreach (var t in trained)
            {
                var likelihood = Copy(t.Members[0].Likelihood, fit);
                try
                {
                    members.Add(new MixtureMember(likelihood, ((LowRankGaussianWeights)t.Members[0].Distribution).Copy()));
                }
                catch
                {
                    likelihood.Dispose();
                    throw;
                }
            }
            return new WeightMixturePosterior(Name, fit.Frame, Setup.Network, template, members, fit.Context.Seed);
        }
        catch
        {
            template.Dispose();
            Dispose(members);
            throw;
        }
    }

    /// <summary>
    /// Member <paramref name="member"/>'s Gaussian from slot <paramref name="slot"/> of a collector over
    /// <paramref name="slots"/> stacked networks: the member's share of the samples and its own BatchNorm subset.
    /// </summary>
    private LowRankGaussianWeights Member(SwagCollector collector, int slot, int slots, int member, nn.Module<Tensor, Tensor> network, NetworkFit fit)
    {
        int share = Options.Samples / Options.Members + (member < Options.Samples % Options.Members ? 1 : 0);
        var batchNorm = BatchNormRefresh.For(network, fit.Data.Inputs, Options.BatchNormExamples, Setup.Training.BatchSize, EnsembleMethod.MemberSeed(fit.Context.Seed, member));
        return SwagMethod.Gaussian(collector, Options, slot, slots, share, batchNorm);
    }

    /// <summary>A fresh single-member likelihood of the fit with <paramref name="source"/>'s parameters, on the fit's device.</summary>
    private static Likelihood Copy(Likelihood source, NetworkFit fit)
    {
        var copy = fit.Likelihood.ForMembers(1, fit.Context.ResolvedDevice);
        using var noGrad = no_grad();
        for (int i = 0; i < copy.Parameters.Count; i++) copy.Parameters[i].copy_(source.Parameters[i]);
        return copy;
    }

    private static void Dispose(IEnumerable<MixtureMember> members)
    {
        foreach (var m in members)
        {
            m.Likelihood.Dispose();
            m.Distribution.Dispose();
        }
    }

    /// <summary>Member <paramref name="member"/>'s single likelihood, with its trained parameters (e.g. its noise), on the fit's device.</summary>
    private static Likelihood MemberLikelihood(Likelihood stacked, int member, NetworkFit fit)
    {
        var dto = LikelihoodDto.From(stacked);
        var own = dto with { NoiseSd = dto.NoiseSd is { } sd ? [sd[Math.Min(member, sd.Length - 1)]] : null, Members = 1 };
        using var trained = own.ToLikelihood();
        return Copy(trained, fit);
    }
}
