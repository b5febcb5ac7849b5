using Occam.Data;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Occam.Inference.Laplace;

/// <summary>
/// Post-hoc hyperparameters of a Laplace posterior: prior precision (scalar or per layer) and, for
/// a Gaussian likelihood, the noise sd — by maximising the Laplace log evidence with Adam on their
/// logarithms (learning rate decaying as 0.1/(1 + t/200), stopped when the gradient vanishes), or
/// by a grid search on the predictive NLL of a validation split.
/// </summary>
internal static class HyperparameterTuner
{
    /// <summary>The log-spaced prior-precision grid of the validation search: 10^−3 … 10^4 in quarter decades.</summary>
    public static double[] ValidationGrid { get; } = Enumerable.Range(0, 29).Select(k => Math.Pow(10, -3 + 0.25 * k)).ToArray();

    /// <summary>Maximises the evidence from the given start; returns the tuned values.</summary>
    public static (double[] PriorPrecision, double? NoiseSd) MaximiseEvidence(EvidenceModel evidence, double[] prior, double? noiseSd,
        bool perLayer, int layers, bool tuneNoise, int maxSteps = 3000)
    {
        using var gradients = enable_grad(); // callers may be inside no_grad()
        double[] start = perLayer && prior.Length == 1 ? Enumerable.Repeat(prior[0], layers).ToArray() : prior;
        using var logPrior = new Parameter(tensor(start.Select(v => Math.Log(v)).ToArray(), ScalarType.Float64), requires_grad: true);
        bool noise = tuneNoise && evidence.HasNoise && noiseSd is not null;
        using var logSd = new Parameter(tensor(Math.Log(noiseSd ?? 1.0), ScalarType.Float64), requires_grad: noise);
        var parameters = noise ? new[] { logPrior, logSd } : new[] { logPrior };
        using var adam = optim.Adam(parameters, 0.1);
        for (int step = 0; step < maxSteps; step++)
        {
            using var scope = NewDisposeScope();
            adam.zero_grad();
            var loss = -evidence.LogEvidence(logPrior, evidence.HasNoise ? logSd : null);
            loss.backward();
            double gradNorm = parameters.Sum(p => p.grad is null ? 0 : p.grad.square().sum().item<double>());
            if (!double.IsFinite(loss.item<double>())) throw new OccamException("the Laplace evidence became non-finite while tuning the prior; try another structure or a larger initial prior precision");
            if (gradNorm < 1e-16) break;
            foreach (var group in adam.ParamGroups) group.LearningRate = 0.1 / (1 + step / 200.0);
            adam.step();
        }
        using var noGrad = no_grad();
        var tunedPrior = logPrior.exp().data<double>().ToArray();
        return (tunedPrior, evidence.HasNoise ? Math.Exp(logSd.item<double>()) : null);
    }

    /// <summary>Picks the grid prior precision with the lowest validation NLL of the posterior's predictive.</summary>
    public static double ValidationSearch(LaplacePosterior posterior, Dataset validation, double? noiseSd)
    {
        double best = double.NaN, bestNll = double.PositiveInfinity;
        foreach (var delta in ValidationGrid)
        {
            posterior.SetHyperparameters([delta], noiseSd);
            using var predictive = posterior.PredictStandardised(validation.Inputs, new PredictOptions(), posterior.Options.Samples);
            using var logDensity = predictive.LogDensity(validation.Targets);
            double nll = -logDensity.mean().item<double>();
            if (nll < bestNll) (best, bestNll) = (delta, nll);
        }
        return best;
    }
}
