using Occam.Core;
using Occam.Data;
using Occam.Likelihoods;
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
            var thetas = stack(networks.Select(n => WeightSpace.Of(n).Get()).ToArray());
            var stackedLikelihood = likelihoods[0].Stack(likelihoods);
            var posterior = SamplesPosterior(fit, networks[0], stackedLikelihood, thetas);
            networks.RemoveAt(0);
            return posterior;
        }
        finally
        {
            foreach (var n in networks) n.Dispose();
            foreach (var l in likelihoods) l.Dispose();
        }
    }

    private static long MemberSeed(long seed, int member) => unchecked(seed * 1_000_003 + member + 1); // never the MAP seed
}
