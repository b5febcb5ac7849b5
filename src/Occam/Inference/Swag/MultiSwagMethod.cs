using Occam.Core;
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
        var plan = CollectionPlan.For(Options, Setup.Training, fit.Data.Count, keepDeviations: !Options.Diagonal, minimumDeviations: 2);
        var members = new List<MixtureMember>();
        nn.Module<Tensor, Tensor>? template = null;
        try
        {
            if (Options.Batched && k > 1 && Setup.Network.SupportsMembers)
            {
                using var run = SwagTraining.Run(Setup, fit, Options, plan, k, fit.Context.Seed, $"multiswag of {k}");
                template = Setup.Network.Create(fit.Frame.InputShape, fit.Frame.Outputs, 1, fit.Context.Seed);
                template.to(fit.Context.ResolvedDevice);
                for (int m = 0; m < k; m++)
                    members.Add(new MixtureMember(MemberLikelihood(run.Likelihood, m, fit), Member(run.Collector, m, k, template, fit)));
            }
            else
            {
                for (int m = 0; m < k; m++)
                {
                    var run = SwagTraining.Run(Setup, fit, Options, plan, 1, MemberSeed(fit.Context.Seed, m), $"member {m + 1}/{k}");
                    try
                    {
                        members.Add(new MixtureMember(run.Likelihood, Member(run.Collector, 0, 1, run.Network, fit)));
                        run.Collector.Dispose();
                        if (template is null) template = run.Network;
                        else run.Network.Dispose();
                    }
                    catch
                    {
                        run.Dispose();
                        throw;
                    }
                }
            }
            SwagMethod.SetMean(template!, (LowRankGaussianWeights)members[0].Distribution);
            return new WeightMixturePosterior(Name, fit.Frame, Setup.Network, template!, members, fit.Context.Seed);
        }
        catch
        {
            template?.Dispose();
            foreach (var m in members)
            {
                m.Likelihood.Dispose();
                m.Distribution.Dispose();
            }
            throw;
        }
    }

    private LowRankGaussianWeights Member(SwagCollector collector, int member, int members, nn.Module<Tensor, Tensor> network, NetworkFit fit)
    {
        int share = Options.Samples / Options.Members + (member < Options.Samples % Options.Members ? 1 : 0);
        var batchNorm = BatchNormRefresh.For(network, fit.Data.Inputs, Options.BatchNormExamples, Setup.Training.BatchSize, MemberSeed(fit.Context.Seed, member));
        return SwagMethod.Gaussian(collector, Options, member, members, share, batchNorm);
    }

    /// <summary>Member <paramref name="member"/>'s single likelihood, with its trained parameters (e.g. its noise), on the fit's device.</summary>
    private static Likelihood MemberLikelihood(Likelihood stacked, int member, NetworkFit fit)
    {
        var dto = LikelihoodDto.From(stacked);
        var own = dto with { NoiseSd = dto.NoiseSd is { } sd ? [sd[Math.Min(member, sd.Length - 1)]] : null, Members = 1 };
        using var trained = own.ToLikelihood();
        var single = fit.Likelihood.ForMembers(1, fit.Context.ResolvedDevice);
        using var noGrad = no_grad();
        for (int i = 0; i < single.Parameters.Count; i++) single.Parameters[i].copy_(trained.Parameters[i]);
        return single;
    }

    private static long MemberSeed(long seed, int member) => unchecked(seed * 1_000_003 + member + 1); // as the ensemble's members
}
