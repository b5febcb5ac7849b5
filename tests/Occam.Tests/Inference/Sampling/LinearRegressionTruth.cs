using Occam.Data;
using Occam.Evaluation.Diagnostics;
using Occam.Inference;
using Occam.Likelihoods;
using Occam.Models;
using Occam.Priors;
using Occam.Training;
using static TorchSharp.torch;

namespace Occam.Tests.Inference.Sampling;

/// <summary>
/// Bayesian linear regression with a known noise and a Gaussian prior, whose posterior is Gaussian in closed
/// form: Σ = (XᵀX/σ² + λI)⁻¹, μ = Σ Xᵀy/σ², with X holding a column of ones for the bias. Occam's MLP with no
/// hidden layer is this model, its θ = (w₁, w₂, b). Samples pass when each coordinate's mean, each variance
/// and each correlation lies within <see cref="Z"/> Monte Carlo standard errors of the closed form, the
/// errors taken from the measured bulk ESS.
/// </summary>
internal sealed class LinearRegressionTruth : IDisposable
{
    public const double NoiseSd = 1.0, PriorPrecision = 1.0, Z = 4.0;

    public LinearRegressionTruth(int n = 200, long seed = 5)
    {
        using var scope = NewDisposeScope();
        var g = new TorchSharp.torch.Generator((ulong)seed);
        var z = randn(new long[] { n, 2 }, ScalarType.Float64, generator: g);
        var x = stack([z[.., 0], 0.6 * z[.., 0] + 0.8 * z[.., 1]], 1); // correlated features
        var y = 0.8 * x[.., 0] - 0.5 * x[.., 1] + 0.3 + NoiseSd * randn(new long[] { n }, ScalarType.Float64, generator: g);
        Data = new Dataset(x.to_type(ScalarType.Float32).DetachFromDisposeScope(), y.unsqueeze(1).to_type(ScalarType.Float32).DetachFromDisposeScope(), TaskKind.Regression, name: "linear");
        var design = cat([x, ones(n, 1, ScalarType.Float64)], 1);
        var precision = design.T.mm(design) / (NoiseSd * NoiseSd) + PriorPrecision * eye(3, dtype: ScalarType.Float64);
        var covariance = linalg.inv(precision);
        var mean = covariance.mv(design.T.mv(y)) / (NoiseSd * NoiseSd);
        Mean = mean.data<double>().ToArray();
        Covariance = Enumerable.Range(0, 3).Select(i => Enumerable.Range(0, 3).Select(j => covariance[i, j].item<double>()).ToArray()).ToArray();
        // The data's own values as float32 (what the sampler sees) give the closed form above up to float rounding.
    }

    public Dataset Data { get; }

    /// <summary>Every comparison of the last <see cref="Measure"/>, for the test log.</summary>
    public List<string> Details { get; } = [];

    public double[] Mean { get; }

    public double[][] Covariance { get; }

    /// <summary>The model: a linear MLP, the known noise, the prior, batches of 50, no standardisation.</summary>
    public static ModelSetup Setup(int epochs = 1, int batch = 50) => new()
    {
        Network = new MlpSpec([]),
        Likelihood = new GaussianLikelihood(NoiseSd, learnNoise: false),
        Prior = new GaussianPrior(PriorPrecision),
        Training = new TrainerOptions { Epochs = epochs, BatchSize = batch },
        Standardise = false,
    };

    /// <summary>Null when the samples [S, 3] (chain-major, <paramref name="chains"/> chains) match the closed form; else what failed.</summary>
    public string? Check(Tensor thetas, int chains) => Measure(thetas, chains).Failure;

    /// <summary>
    /// Compares each mean, variance and correlation with the closed form in Monte Carlo standard errors
    /// (<see cref="MomentCheck"/>). Returns what failed (or null), the largest error and the smallest ESS of the coordinates.
    /// </summary>
    public (string? Failure, double WorstZ, double MinEss) Measure(Tensor thetas, int chains)
    {
        var values = thetas.to_type(ScalarType.Float64).cpu();
        var draws = Enumerable.Range(0, 3).Select(i => values[.., i].contiguous().data<double>().ToArray()).ToArray();
        var check = new MomentCheck(chains, Z);
        for (int i = 0; i < 3; i++)
        {
            check.Mean($"mean[{i}]", draws[i], Mean[i]);
            check.Variance($"var[{i}]", draws[i], Covariance[i][i]);
            for (int j = 0; j < i; j++)
                check.Correlation($"corr[{i},{j}]", draws[i], draws[j], Covariance[i][j] / Math.Sqrt(Covariance[i][i] * Covariance[j][j]));
        }
        Details.Clear();
        Details.AddRange(check.Details);
        return (check.Failure, check.Worst, draws.Min(check.Ess));
    }

    public void Dispose() => Data.Dispose();
}
