using Occam.GaussianProcesses;
using static TorchSharp.torch;

namespace Occam.Tests.GaussianProcesses;

/// <summary>Compares autograd gradients of a log marginal likelihood with central finite differences in the raw (log) hyperparameters.</summary>
internal static class FiniteDifferences
{
    public static void AssertGradientMatches(IReadOnlyList<Hyperparameter> parameters, Func<LmlTerms> evaluate, Func<LmlTerms, Tensor>? part = null,
        double step = 1e-5, double tolerance = 1e-6)
    {
        part ??= t => t.Total;
        foreach (var p in parameters) p.Raw.grad?.zero_();
        using (var terms = evaluate()) part(terms).backward();
        var analytic = parameters.Select(p => p.Raw.grad is null ? new double[p.Count] : p.Raw.grad.reshape(-1).data<double>().ToArray()).ToList();
        for (int k = 0; k < parameters.Count; k++)
        {
            var p = parameters[k];
            var raw = p.RawValues();
            for (int i = 0; i < raw.Length; i++)
            {
                double Value(double delta)
                {
                    var shifted = (double[])raw.Clone();
                    shifted[i] += delta;
                    p.AssignRaw(shifted);
                    using var noGrad = no_grad();
                    using var terms = evaluate();
                    return part(terms).item<double>();
                }
                double numeric = (Value(step) - Value(-step)) / (2 * step);
                p.AssignRaw(raw);
                double g = analytic[k][i];
                Assert.True(Math.Abs(g - numeric) <= tolerance * Math.Max(1, Math.Abs(numeric)),
                    $"{p.Name}[{i}]: autograd {g:g10} vs finite differences {numeric:g10}");
            }
        }
        foreach (var p in parameters) p.Raw.grad?.zero_();
    }
}
