using Occam.Core;
using Occam.Data;
using Occam.GaussianProcesses.Classification;
using Occam.GaussianProcesses.Fitting;
using Occam.GaussianProcesses.Sparse;
using Occam.Likelihoods;
using static TorchSharp.torch;

namespace Occam.Inference.GaussianProcesses;

/// <summary>
/// Sparse GP regression ("sgpr", Titsias 2009): M inducing inputs (k-means centres of the training inputs),
/// the kernel's hyperparameters and the noise (and optionally the inducing inputs) fitted by maximising the
/// collapsed variational bound with L-BFGS; O(NM²) time and O(NM) memory, for N well above 10⁴. On
/// classification data the GP classifier of "gp" runs on a seeded random subset of M training points.
/// </summary>
public sealed class SparseGpMethod : NetworkMethod<SgprOptions>
{
    /// <summary>Creates the method.</summary>
    public SparseGpMethod(ModelSetup setup, SgprOptions? options = null) : base("sgpr", setup, options ?? new SgprOptions()) { }

    /// <summary>The registry entry.</summary>
    public static MethodEntry Entry { get; } = MethodEntry.Create("sgpr",
        "sparse GP regression (Titsias 2009): M inducing inputs, hyperparameters fitted by the collapsed variational bound",
        new SgprOptions(), (setup, options) => new SparseGpMethod(setup, options));

    /// <inheritdoc />
    public override IPosteriorMethod With(ModelSetup setup) => new SparseGpMethod(setup, Options);

    /// <inheritdoc />
    protected override Likelihood LikelihoodFor(TaskKind task) => Likelihood.Default(task);

    /// <inheritdoc />
    protected override IPosterior Fit(NetworkFit fit)
    {
        long n = fit.Data.Count;
        int m = (int)Math.Min(Options.InducingPoints, n);
        long seed = fit.Context.Seed;
        using var scope = NewDisposeScope();
        if (fit.Frame.Task == TaskKind.Classification)
        {
            int classes = fit.Frame.Width;
            GpFitting.RequireExact(Name, m, classes > 2 ? 2 * classes + 4 : 4);
            var rows = GpFitting.Subset(n, m, seed);
            var all = GpFitting.Inputs(fit);
            var allLabels = GpFitting.Labels(fit);
            var xs = rows is null ? all : all.index_select(0, rows);
            var labels = rows is null ? allLabels : allLabels.index_select(0, rows);
            var (kind, shared, raw, fitting) = GpFitting.SearchClassifier(new GpKernelSpec(Options.Kernel, (int)xs.size(1), false), xs, labels, classes,
                Options.BinaryInference, m, seed);
            var classifier = new GpState(kind, shared, raw, 0, GpFitting.BinaryLink(Options.BinaryInference), classes, 0, 0, Options.Samples, Options.Link, null, 0,
                rows is null ? fitting : $"subset of data ({m} of {n} points); {fitting}");
            return GpPosterior.Create(Name, GpFitting.Frame(fit, kind), classifier, xs, labels, null, null, null, seed);
        }
        var x = GpFitting.Inputs(fit);
        var y = GpFitting.Targets(fit);
        var spec = new GpKernelSpec(Options.Kernel, (int)x.size(1), Options.Ard);
        var fixedNoise = GpFitting.FixedNoise(Setup);
        using var kernel = spec.Build(1.0, Math.Sqrt(x.size(1)));
        using var sparse = new SparseGaussianProcess(kernel, x, y, new SparseGpOptions
        {
            InducingPoints = m, TrainInducing = Options.TrainInducing, Seed = unchecked((int)seed),
            NoiseVariance = fixedNoise ?? Options.NoiseVariance, LearnNoise = fixedNoise is null,
        });
        sparse.FitHyperparameters(new GpFitOptions { Iterations = Options.Iterations, Restarts = Options.Restarts, Seed = unchecked((int)seed) });
        var inducing = sparse.InducingInputs.Value().detach();
        var state = new GpState(GpModelKind.SparseRegression, spec, GpKernelSpec.RawValues(kernel), sparse.NoiseVariance.Scalar, BinaryLikelihood.Probit, 0, 0, 0,
            Options.Samples, Options.Link, null, 0,
            $"collapsed bound with {m} inducing inputs ({(Options.TrainInducing ? "trained" : "k-means, fixed")}), L-BFGS ({Options.Iterations} iterations, {Options.Restarts} restarts)");
        return GpPosterior.Create(Name, GpFitting.Frame(fit, state.Model), state, x, y, inducing, null, null, seed);
    }
}
