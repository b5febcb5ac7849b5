using TorchSharp;
using static TorchSharp.torch;

namespace Occam.GaussianProcesses.Fitting;

/// <summary>
/// Maximises a differentiable objective (a log marginal likelihood or bound) over the raw values of
/// trainable hyperparameters, from the current values and from optional random restarts, and leaves the
/// hyperparameters at the best point found.
/// </summary>
internal static class HyperparameterFitter
{
    /// <summary>
    /// Fits <paramref name="parameters"/>; <paramref name="objective"/> returns the objective as a float64
    /// scalar tensor in the autograd graph of their raw tensors, in the caller's dispose scope.
    /// </summary>
    public static GpFitReport Maximise(IReadOnlyList<Hyperparameter> parameters, Func<Tensor> objective, GpFitOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var trainable = parameters.Where(p => p.Trainable).ToList();
        var start = trainable.SelectMany(p => p.RawValues()).ToArray();
        var random = new Random(options.Seed);
        var finals = new List<double>();
        double best = double.NegativeInfinity;
        double[]? bestRaw = null;
        int bestStart = -1, evaluations = 0;
        for (int run = 0; run <= options.Restarts; run++)
        {
            var initial = run == 0 ? start : Perturb(trainable, start, options.RestartSpread, random);
            var (raw, value, count) = trainable.Count == 0
                ? (initial, -Evaluate(trainable, initial, objective, false).F, 1)
                : options.Optimizer == GpOptimizer.Lbfgs ? RunLbfgs(trainable, initial, objective, options) : RunAdam(trainable, initial, objective, options);
            evaluations += count;
            finals.Add(double.IsFinite(value) ? value : double.NaN);
            if (double.IsFinite(value) && value > best)
            {
                (best, bestRaw, bestStart) = (value, raw, run);
            }
        }
        if (bestRaw is null)
            throw new OccamException($"Hyperparameter fitting failed: the log marginal likelihood could not be evaluated at any of the {options.Restarts + 1} start(s) (see CholeskyException: the kernel matrix was far from positive definite).");
        Assign(trainable, bestRaw);
        ClearGradients(trainable);
        return new GpFitReport(best, bestStart, finals, evaluations);
    }

    private static (double[] Raw, double Value, int Evaluations) RunLbfgs(List<Hyperparameter> trainable, double[] initial, Func<Tensor> objective, GpFitOptions options)
    {
        var (x, f, evaluations) = Lbfgs.Minimise(raw => Evaluate(trainable, raw, objective, true), initial, options.Iterations, options.GradientTolerance);
        return (x, -f, evaluations);
    }

    /// <summary>Adam (β₁ = 0.9, β₂ = 0.999, ε = 1e-8) on the raw values; keeps the best point visited.</summary>
    private static (double[] Raw, double Value, int Evaluations) RunAdam(List<Hyperparameter> trainable, double[] initial, Func<Tensor> objective, GpFitOptions options)
    {
        const double beta1 = 0.9, beta2 = 0.999, epsilon = 1e-8;
        var x = (double[])initial.Clone();
        var m = new double[x.Length];
        var v = new double[x.Length];
        double best = double.NegativeInfinity;
        double[] bestRaw = initial;
        int evaluations = 0;
        for (int step = 1; step <= options.Iterations; step++)
        {
            var (f, g) = Evaluate(trainable, x, objective, true);
            evaluations++;
            if (!double.IsFinite(f)) break;
            if (-f > best) (best, bestRaw) = (-f, (double[])x.Clone());
            double c1 = 1 - Math.Pow(beta1, step), c2 = 1 - Math.Pow(beta2, step);
            for (int i = 0; i < x.Length; i++)
            {
                m[i] = beta1 * m[i] + (1 - beta1) * g[i];
                v[i] = beta2 * v[i] + (1 - beta2) * g[i] * g[i];
                x[i] -= options.LearningRate * (m[i] / c1) / (Math.Sqrt(v[i] / c2) + epsilon);
            }
        }
        return (bestRaw, best, evaluations);
    }

    /// <summary>Sets the raw values, evaluates −objective and (when asked) its gradient in raw space; +∞ when the objective cannot be evaluated.</summary>
    private static (double F, double[] G) Evaluate(List<Hyperparameter> trainable, double[] raw, Func<Tensor> objective, bool gradient)
    {
        Assign(trainable, raw);
        ClearGradients(trainable);
        using var scope = NewDisposeScope();
        Tensor value;
        try
        {
            using var grad = gradient ? enable_grad() : no_grad();
            value = objective();
        }
        catch (CholeskyException)
        {
            return (double.PositiveInfinity, new double[raw.Length]);
        }
        double v = value.item<double>();
        if (!double.IsFinite(v) || !gradient) return (double.IsFinite(v) ? -v : double.PositiveInfinity, new double[raw.Length]);
        (-value).backward();
        var g = new List<double>(raw.Length);
        foreach (var p in trainable)
        {
            using var pg = p.Raw.grad;   // a new handle on every read: dispose it
            if (pg is not null) g.AddRange(pg.reshape(-1).data<double>().ToArray());
            else g.AddRange(new double[p.Count]);
        }
        return (-v, g.ToArray());
    }

    private static double[] Perturb(List<Hyperparameter> trainable, double[] start, double spread, Random random)
    {
        var raw = (double[])start.Clone();
        int offset = 0;
        foreach (var p in trainable)
        {
            if (p.Constraint == HyperparameterConstraint.Positive)
                for (int i = 0; i < p.Count; i++) raw[offset + i] += spread * StandardNormal(random);
            offset += p.Count;
        }
        return raw;
    }

    private static double StandardNormal(Random random)
    {
        double u1 = 1.0 - random.NextDouble(), u2 = random.NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
    }

    private static void Assign(List<Hyperparameter> trainable, double[] raw)
    {
        int offset = 0;
        foreach (var p in trainable)
        {
            p.AssignRaw(raw.AsSpan(offset, p.Count).ToArray());
            offset += p.Count;
        }
    }

    private static void ClearGradients(List<Hyperparameter> trainable)
    {
        foreach (var p in trainable)
        {
            using var grad = p.Raw.grad;       // a new handle on every read
            if (grad is not null) using (grad.zero_()) { }   // zero_ hands back one more handle
        }
    }
}
