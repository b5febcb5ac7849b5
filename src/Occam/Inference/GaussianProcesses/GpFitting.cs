using System.Globalization;
using Occam.Data;
using Occam.GaussianProcesses;
using Occam.GaussianProcesses.Classification;
using Occam.GaussianProcesses.Fitting;
using Occam.GaussianProcesses.Regression;
using Occam.Likelihoods;
using Occam.Posteriors;
using static TorchSharp.torch;

namespace Occam.Inference.GaussianProcesses;

/// <summary>What the GP methods share: data in the GP's form, the memory check, and the two hyperparameter fits.</summary>
internal static class GpFitting
{
    /// <summary>Standardised inputs as float64 [N, D] on the CPU (images flattened), in the caller's scope.</summary>
    public static Tensor Inputs(NetworkFit fit) => fit.Data.Inputs.cpu().reshape(fit.Data.Count, -1).to_type(ScalarType.Float64);

    /// <summary>Standardised regression targets as float64 [N] on the CPU, in the caller's scope.</summary>
    /// <exception cref="ArgumentException">More than one target.</exception>
    public static Tensor Targets(NetworkFit fit)
    {
        if (fit.Data.TargetDimension != 1)
            throw new ArgumentException($"GP regression models one target; the data have {fit.Data.TargetDimension}. Fit one target at a time.", "targets");
        return fit.Data.Targets.cpu().reshape(-1).to_type(ScalarType.Float64);
    }

    /// <summary>Class labels as int64 [N] on the CPU, in the caller's scope.</summary>
    public static Tensor Labels(NetworkFit fit) => fit.Data.Targets.cpu().reshape(-1).to_type(ScalarType.Int64);

    /// <summary>The frame of a GP posterior: one latent output for two classes, C for more, one for regression.</summary>
    public static ModelFrame Frame(NetworkFit fit, GpModelKind kind) =>
        fit.Frame with { Outputs = kind is GpModelKind.EpBinary or GpModelKind.LaplaceBinary ? 1 : fit.Frame.Task == TaskKind.Regression ? 1 : fit.Frame.Width };

    /// <summary>The noise variance fixed by the model's likelihood (a Gaussian with fixed noise), or null when it is learned.</summary>
    public static double? FixedNoise(ModelSetup setup) =>
        setup.Likelihood is GaussianLikelihood { LearnNoise: false } g ? g.InitialSd * g.InitialSd : null;

    /// <summary>
    /// Refuses, before any work, an exact GP on <paramref name="n"/> points whose <paramref name="matrices"/>
    /// N×N float64 matrices would not fit in the memory available now, suggesting the sparse method.
    /// </summary>
    /// <exception cref="GpTooLargeException">It would not fit.</exception>
    public static void RequireExact(string method, long n, int matrices) =>
        MemoryGuard.Require(n, n, matrices, $"{method}: an exact GP on N = {n:N0} training points",
            "Use the sparse method instead (--method sgpr, the Titsias bound with --inducing-points M), or fewer training points.");

    /// <summary>A seeded random subset of at most <paramref name="count"/> of <paramref name="n"/> rows, or null when all fit.</summary>
    public static Tensor? Subset(long n, int count, long seed)
    {
        if (n <= count) return null;
        var generator = new TorchSharp.torch.Generator((ulong)seed);
        return randperm(n, generator: generator).narrow(0, 0, count).sort().Values;
    }

    /// <summary>
    /// Fits the kernel's hyperparameters and the noise by maximising the exact log marginal likelihood with
    /// L-BFGS (on a seeded subset of at most <paramref name="fitPoints"/> points), from output scale 1,
    /// lengthscales √D and the given noise. Returns the raw kernel values, the noise variance and a description.
    /// </summary>
    public static (double[] KernelRaw, double NoiseVariance, string Fitting) ExactRegression(GpKernelSpec spec, Tensor x, Tensor y, double initialNoise,
        double? fixedNoise, int iterations, int restarts, int fitPoints, long seed)
    {
        using var scope = NewDisposeScope();
        long n = x.size(0);
        var rows = Subset(n, fitPoints, seed);
        var xs = rows is null ? x : x.index_select(0, rows);
        var ys = rows is null ? y : y.index_select(0, rows);
        using var kernel = spec.Build(1.0, Math.Sqrt(x.size(1)));
        using var gp = new ExactGaussianProcess(kernel, xs, ys, new ExactGpOptions { NoiseVariance = fixedNoise ?? initialNoise, LearnNoise = fixedNoise is null });
        gp.FitHyperparameters(new GpFitOptions { Iterations = iterations, Restarts = restarts, Seed = unchecked((int)seed) });
        var fitting = rows is null
            ? $"exact marginal likelihood, L-BFGS ({iterations} iterations, {restarts} restarts)"
            : string.Create(CultureInfo.InvariantCulture, $"exact marginal likelihood of a random {xs.size(0):N0} of {n:N0} points, L-BFGS ({iterations} iterations, {restarts} restarts)");
        return (GpKernelSpec.RawValues(kernel), gp.NoiseVariance.Scalar, fitting);
    }

    /// <summary>
    /// Picks a shared lengthscale (stationary kernels: the median distance between training inputs times
    /// ¼, ½, 1, 2) and the output scale (1, 4, 16) by the approximate log marginal likelihood of the
    /// classifier (binary EP or Laplace, multi-class Laplace) on a seeded subset of at most
    /// <paramref name="fitPoints"/> points. Returns the model kind, the shared-lengthscale kernel spec, its
    /// raw values and a description.
    /// </summary>
    public static (GpModelKind Kind, GpKernelSpec Kernel, double[] KernelRaw, string Fitting) SearchClassifier(GpKernelSpec spec, Tensor x, Tensor labels,
        int classes, BinaryInference inference, int fitPoints, long seed)
    {
        using var scope = NewDisposeScope();
        var kind = classes > 2 ? GpModelKind.LaplaceMulticlass : inference == BinaryInference.Ep ? GpModelKind.EpBinary : GpModelKind.LaplaceBinary;
        var shared = spec with { Ard = false };
        long n = x.size(0);
        var rows = Subset(n, fitPoints, seed);
        var xs = rows is null ? x : x.index_select(0, rows);
        var ys = rows is null ? labels : labels.index_select(0, rows);
        double median = shared.HasLengthscale ? MedianDistance(xs) : 1.0;
        double[] lengthscales = shared.HasLengthscale ? [0.25 * median, 0.5 * median, median, 2 * median] : [1.0];
        double best = double.NegativeInfinity;
        double[]? bestRaw = null;
        foreach (double lengthscale in lengthscales)
            foreach (double outputscale in new[] { 1.0, 4.0, 16.0 })
            {
                using var kernel = shared.Build(outputscale, lengthscale);
                var state = new GpState(kind, shared, GpKernelSpec.RawValues(kernel), 0, BinaryLink(inference), classes, 0, 0, 1, LatentLink.Probit, null, 0, "");
                double lml;
                try
                {
                    using var model = GpPosterior.BuildModel(state, kernel, xs, ys, null);
                    lml = model.LogMarginalLikelihood().Total;
                }
                catch (CholeskyException)
                {
                    continue;
                }
                if (double.IsFinite(lml) && lml > best) (best, bestRaw) = (lml, state.KernelRaw);
            }
        if (bestRaw is null) throw new OccamException("GP classification failed: no kernel on the search grid gave a finite approximate marginal likelihood.");
        var what = kind switch { GpModelKind.EpBinary => "EP", GpModelKind.LaplaceBinary => "Laplace", _ => "multi-class Laplace" };
        var points = rows is null ? "" : string.Create(CultureInfo.InvariantCulture, $" of a random {xs.size(0):N0} of {n:N0} points");
        return (kind, shared, bestRaw, $"grid search ({lengthscales.Length * 3} kernels) on the {what} approximate marginal likelihood{points}");
    }

    /// <summary>The Laplace classifier's likelihood for a binary inference choice (EP is always probit).</summary>
    public static BinaryLikelihood BinaryLink(BinaryInference inference) =>
        inference == BinaryInference.Ep ? BinaryLikelihood.Probit : BinaryLikelihood.Logistic;

    /// <summary>The median Euclidean distance between distinct rows of (at most 1,000 of) <paramref name="x"/>; 1 when it is not positive.</summary>
    private static double MedianDistance(Tensor x)
    {
        using var scope = NewDisposeScope();
        var rows = x.size(0) > 1000 ? x.narrow(0, 0, 1000) : x;
        long m = rows.size(0);
        if (m < 2) return 1.0;
        var distances = cdist(rows, rows);
        var upper = distances.masked_select(ones(m, m, dtype: ScalarType.Bool).triu(1));
        double median = upper.median().item<double>();
        return median > 0 && double.IsFinite(median) ? median : 1.0;
    }

    /// <summary>
    /// The exact GP of the "gp" and "gp-nngp" methods: regression by the exact marginal likelihood,
    /// classification by the grid search; refuses, before any work, data whose dense matrices would not fit.
    /// </summary>
    public static GpPosterior FitExact(string method, NetworkFit fit, ModelSetup setup, Func<int, GpKernelSpec> spec, ExactSettings settings)
    {
        long n = fit.Data.Count;
        bool regression = fit.Frame.Task == TaskKind.Regression;
        int classes = fit.Frame.Width;
        RequireExact(method, n, regression ? MemoryGuard.ExactGpMatrices : classes > 2 ? 2 * classes + 4 : 4);
        using var scope = NewDisposeScope();
        var x = Inputs(fit);
        var kernelSpec = spec((int)x.size(1));
        long seed = fit.Context.Seed;
        GpState state;
        Tensor targets;
        if (regression)
        {
            targets = Targets(fit);
            var (raw, noise, fitting) = ExactRegression(kernelSpec, x, targets, settings.NoiseVariance, FixedNoise(setup), settings.Iterations, settings.Restarts, settings.FitPoints, seed);
            state = new GpState(GpModelKind.ExactRegression, kernelSpec, raw, noise, BinaryLikelihood.Probit, 0, 0, 0, settings.Samples, settings.Link, null, 0, fitting);
        }
        else
        {
            targets = Labels(fit);
            var (kind, shared, raw, fitting) = SearchClassifier(kernelSpec, x, targets, classes, settings.BinaryInference, settings.FitPoints, seed);
            state = new GpState(kind, shared, raw, 0, BinaryLink(settings.BinaryInference), classes, 0, 0, settings.Samples, settings.Link, null, 0, fitting);
        }
        return GpPosterior.Create(method, Frame(fit, state.Model), state, x, targets, null, null, null, seed);
    }
}

/// <summary>The fitting settings of an exact GP method.</summary>
internal sealed record ExactSettings(double NoiseVariance, int Iterations, int Restarts, int FitPoints, BinaryInference BinaryInference, int Samples, LatentLink Link);
