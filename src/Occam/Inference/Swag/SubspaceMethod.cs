using Occam.Core;
using Occam.Posteriors;
using static TorchSharp.torch;

namespace Occam.Inference.Swag;

/// <summary>
/// Subspace inference (Izmailov et al. 2019): SWAG's collection, then the PCA subspace of the K′
/// deviations around the SWA mean, θ = θ̄ + Pᵀz with P's rows the top r right singular vectors of
/// D/√(K′ − 1) scaled by their singular values (so that z ~ N(0, I) is SWAG's low-rank covariance in
/// the subspace). The posterior over z, p_T(z | D) ∝ p(D | z)^(1/T) N(z; 0, σ²I), is sampled by elliptical
/// slice sampling (or HMC) on the runner with the whole training set as the batch; the prediction
/// averages over the samples. The network's own weight prior does not enter: the prior is on z, as in
/// the paper.
/// </summary>
public sealed class SubspaceMethod : NetworkMethod<SubspaceOptions>
{
    /// <summary>The subspace dimension when none is given (within the paper's 5–20).</summary>
    public const int DefaultRank = 10;

    /// <summary>Creates the method.</summary>
    /// <exception cref="ArgumentException">Bad options, or a collection start at or after the last training epoch (ParamName: the option).</exception>
    public SubspaceMethod(ModelSetup setup, SubspaceOptions? options = null) : base("subspace", setup, options ?? new SubspaceOptions()) =>
        CollectionPlan.CheckStart(Options, setup.Training);

    /// <summary>The registry entry.</summary>
    public static MethodEntry Entry { get; } = MethodEntry.Create("subspace",
        "subspace inference: elliptical slice sampling in the PCA subspace of SWAG's deviations around the SWA mean",
        new SubspaceOptions(), (setup, options) => new SubspaceMethod(setup, options));

    /// <inheritdoc />
    public override IPosteriorMethod With(ModelSetup setup) => new SubspaceMethod(setup, Options);

    /// <inheritdoc />
    protected override IPosterior Fit(NetworkFit fit)
    {
        var plan = CollectionPlan.For(Options, Setup.Training, fit.Data.Count, keepDeviations: true, minimumDeviations: 2);
        int rank = Options.SubspaceRank ?? Math.Min(DefaultRank, plan.MaxRank);
        if (rank > plan.MaxRank)
            throw new ArgumentException($"The subspace dimension ({rank}) exceeds the {plan.MaxRank} deviations this run keeps.", nameof(SubspaceOptions.SubspaceRank));
        var run = SwagTraining.Run(Setup, fit, Options, plan, 1, fit.Context.Seed, Name);
        SubspaceWeights? distribution = null;
        try
        {
            var space = WeightSpace.Of(run.Network);
            using var mean = run.Collector.Mean();
            using var deviations = run.Collector.Deviations();
            run.Collector.Dispose();
            using var basis = Basis(deviations, rank);
            var batchNorm = BatchNormRefresh.For(run.Network, fit.Data.Inputs, Options.BatchNormExamples, Setup.Training.BatchSize, fit.Context.Seed);
            using (var theta = mean.to_type(space.DType)) space.Set(theta);
            batchNorm?.Refresh(run.Network); // the likelihood is evaluated with the SWA mean's statistics
            double temperature = Options.SubspaceTemperature ?? fit.Data.Count / (double)rank;
            using var coordinates = Sample(fit, space, run, mean, basis, temperature);
            using (var theta = mean.to_type(space.DType)) space.Set(theta);
            distribution = new SubspaceWeights(mean.clone(), basis.clone(), coordinates.clone(), batchNorm);
            return new WeightPosterior(Name, fit.Frame, Setup.Network, run.Network, run.Likelihood, distribution, fit.Context.Seed);
        }
        catch
        {
            distribution?.Dispose();
            run.Dispose();
            throw;
        }
    }

    /// <summary>
    /// The PCA basis [r, P] (float64, fresh) of deviations [K′, P]: the top r right singular vectors of
    /// D/√(K′ − 1), each scaled by its singular value.
    /// </summary>
    public static Tensor Basis(Tensor deviations, int rank)
    {
        ArgumentNullException.ThrowIfNull(deviations);
        if (deviations.dim() != 2 || deviations.shape[0] < 2) throw new ArgumentException($"Need at least 2 deviations [K′, P]; got [{string.Join(", ", deviations.shape)}].", nameof(deviations));
        long most = Math.Min(deviations.shape[0], deviations.shape[1]);
        if (rank < 1 || rank > most) throw new ArgumentOutOfRangeException(nameof(rank), $"The rank must lie in 1..{most} (deviations and weights); got {rank}.");
        using var scope = NewDisposeScope();
        var scaled = deviations.to_type(ScalarType.Float64) / Math.Sqrt(deviations.shape[0] - 1);
        var (_, s, vh) = linalg.svd(scaled, fullMatrices: false);
        return (s.narrow(0, 0, rank).unsqueeze(1) * vh.narrow(0, 0, rank)).MoveToOuterDisposeScope();
    }

    private Tensor Sample(NetworkFit fit, WeightSpace space, SwagTraining.Result run, Tensor mean, Tensor basis, double temperature)
    {
        using var target = new SubspaceTarget(space, run.Likelihood, mean, basis, temperature);
        int burnIn = Options.SubspaceBurnIn;
        IKernel<SubspaceChain> kernel = Options.SubspaceSampler == SubspaceSampler.Hmc
            ? new SubspaceHmcKernel(target, Options.SubspacePriorSd, Options.SubspaceLeapfrogSteps, Options.SubspaceStepSize, burnIn)
            : new EllipticalSliceKernel(target, Options.SubspacePriorSd);
        using var samples = new SubspaceSamples();
        var options = new RunOptions
        {
            Epochs = burnIn + Options.Samples, BatchSize = (int)Math.Min(int.MaxValue, fit.Data.Count), Shuffle = false, BurnIn = burnIn,
            Stage = $"{Name}: {(Options.SubspaceSampler == SubspaceSampler.Hmc ? "HMC" : "elliptical slice sampling")} in {target.Dimension} dimensions",
        };
        var (chain, _) = Runner.Run(kernel, fit.Data, options, fit.Context.WithSeed(unchecked(fit.Context.Seed * 31 + 17)), samples);
        chain.Dispose();
        return samples.Stack();
    }
}
