using Occam.Data;
using TorchSharp;
using static TorchSharp.torch;

namespace Occam.Inference.Laplace;

/// <summary>
/// Post-hoc hyperparameters of a Laplace posterior: prior precision (scalar or per layer) and, for
/// a Gaussian likelihood, the noise sd — by maximising the Laplace log evidence over their
/// logarithms with damped Newton steps, or by a grid search on the predictive NLL of a
/// validation split.
/// </summary>
internal static class HyperparameterTuner
{
    /// <summary>The log-spaced prior-precision grid of the validation search: 10^−3 … 10^4 in quarter decades.</summary>
    public static double[] ValidationGrid { get; } = Enumerable.Range(0, 29).Select(k => Math.Pow(10, -3 + 0.25 * k)).ToArray();

    /// <summary>
    /// Maximises the evidence from the given start by damped Newton steps on the log-parameters
    /// (exact gradient and Hessian by double autograd; backtracking line search; a gradient step
    /// where the Hessian is not negative definite). Converges in a few dozen evaluations.
    /// </summary>
    public static (double[] PriorPrecision, double? NoiseSd) MaximiseEvidence(EvidenceModel evidence, double[] prior, double? noiseSd,
        bool perLayer, int layers, bool tuneNoise, int maxIterations = 100)
    {
        using var gradients = enable_grad(); // callers may be inside no_grad()
        double[] start = perLayer && prior.Length == 1 ? Enumerable.Repeat(prior[0], layers).ToArray() : prior;
        bool noise = tuneNoise && evidence.HasNoise && noiseSd is not null;
        int k = start.Length;
        var x = start.Select(v => Math.Log(v)).Concat(noise ? [Math.Log(noiseSd!.Value)] : []).ToArray();
        double fixedLogSd = Math.Log(noiseSd ?? 1.0);

        double Objective(double[] point)
        {
            using var scope = NewDisposeScope();
            using var noGrad = no_grad();
            return -Evaluate(evidence, tensor(point, ScalarType.Float64), k, noise, fixedLogSd).item<double>();
        }

        double current = Objective(x);
        for (int iteration = 0; iteration < maxIterations; iteration++)
        {
            var (gradient, hessian) = Derivatives(evidence, x, k, noise, fixedLogSd);
            double gradNorm = Math.Sqrt(gradient.Sum(g => g * g));
            if (gradNorm < 1e-10 * (1 + Math.Abs(current))) break;
            var step = NewtonStep(gradient, hessian);
            double t = 1;
            double[] next = x;
            double value = double.PositiveInfinity;
            for (int halving = 0; halving < 40; halving++, t /= 2)
            {
                next = x.Zip(step, (xi, si) => xi - t * si).ToArray();
                value = Objective(next);
                if (double.IsFinite(value) && value <= current - 1e-4 * t * gradient.Zip(step, (g, si) => g * si).Sum()) break;
            }
            if (!double.IsFinite(value)) throw new OccamException("the Laplace evidence became non-finite while tuning the prior; try another structure or a larger initial prior precision");
            double moved = x.Zip(next, (a, b) => Math.Abs(a - b)).Max();
            x = next;
            current = value;
            if (moved < 1e-12) break;
        }
        var tuned = x.Take(k).Select(Math.Exp).ToArray();
        return (tuned, evidence.HasNoise ? (noise ? Math.Exp(x[k]) : noiseSd) : null);
    }

    private static Tensor Evaluate(EvidenceModel evidence, Tensor point, int k, bool noise, double fixedLogSd)
    {
        var logPrior = point.narrow(0, 0, k);
        Tensor? logSd = noise ? point[k] : evidence.HasNoise ? tensor(fixedLogSd, ScalarType.Float64) : null;
        return evidence.LogEvidence(logPrior, logSd);
    }

    /// <summary>Gradient and Hessian of the negative log evidence at <paramref name="x"/>.</summary>
    private static (double[] Gradient, double[,] Hessian) Derivatives(EvidenceModel evidence, double[] x, int k, bool noise, double fixedLogSd)
    {
        using var scope = NewDisposeScope();
        var point = tensor(x, ScalarType.Float64).requires_grad_(true);
        var loss = -Evaluate(evidence, point, k, noise, fixedLogSd);
        var grad = autograd.grad([loss], [point], retain_graph: true, create_graph: true)[0];
        int n = x.Length;
        var hessian = new double[n, n];
        for (int i = 0; i < n; i++)
        {
            var row = autograd.grad([grad[i]], [point], retain_graph: true, allow_unused: true)[0];
            var values = row is null ? new double[n] : row.data<double>().ToArray();
            for (int j = 0; j < n; j++) hessian[i, j] = values[j];
        }
        return (grad.detach().data<double>().ToArray(), hessian);
    }

    /// <summary>Solves H·d = g by Cholesky; falls back to d = g (a gradient step) when H is not positive definite.</summary>
    private static double[] NewtonStep(double[] gradient, double[,] hessian)
    {
        int n = gradient.Length;
        var l = new double[n, n];
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j <= i; j++)
            {
                double sum = 0.5 * (hessian[i, j] + hessian[j, i]);
                for (int m = 0; m < j; m++) sum -= l[i, m] * l[j, m];
                if (i == j)
                {
                    if (!(sum > 1e-14)) return gradient.ToArray();
                    l[i, i] = Math.Sqrt(sum);
                }
                else l[i, j] = sum / l[j, j];
            }
        }
        var y = new double[n];
        for (int i = 0; i < n; i++)
        {
            double sum = gradient[i];
            for (int m = 0; m < i; m++) sum -= l[i, m] * y[m];
            y[i] = sum / l[i, i];
        }
        var d = new double[n];
        for (int i = n - 1; i >= 0; i--)
        {
            double sum = y[i];
            for (int m = i + 1; m < n; m++) sum -= l[m, i] * d[m];
            d[i] = sum / l[i, i];
        }
        return d;
    }

    /// <summary>Picks the grid prior precision with the lowest validation NLL of the posterior's predictive.</summary>
    public static double ValidationSearch(LaplacePosterior posterior, Dataset validation, double? noiseSd)
    {
        double best = double.NaN, bestNll = double.PositiveInfinity;
        foreach (var delta in ValidationGrid)
        {
            posterior.SetHyperparameters([delta], noiseSd);
            using var predictive = posterior.PredictStandardised(validation.Inputs, new PredictOptions());
            using var logDensity = predictive.LogDensity(validation.Targets);
            double nll = -logDensity.mean().item<double>();
            if (nll < bestNll) (best, bestNll) = (delta, nll);
        }
        return best;
    }
}
