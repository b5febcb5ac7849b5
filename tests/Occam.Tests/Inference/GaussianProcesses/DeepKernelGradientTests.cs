using Occam.Core;
using Occam.GaussianProcesses;
using Occam.Inference.GaussianProcesses;
using Occam.Inference.GaussianProcesses.DeepKernel;
using TorchSharp;
using static TorchSharp.torch;

namespace Occam.Tests.Inference.GaussianProcesses;

/// <summary>
/// Deep kernel learning's training signal: the gradient of the log marginal likelihood (exact, sparse
/// bound, Dirichlet classification) with respect to the feature network's weights, by autograd through
/// the kernel against central finite differences of the objective, on a small float64 network.
/// </summary>
public sealed class DeepKernelGradientTests
{
    public static TheoryData<string> Cases => new() { "exact", "sparse", "dirichlet", "dirichlet-sparse" };

    [Theory, MemberData(nameof(Cases))]
    public void NetworkWeightGradient_MatchesFiniteDifferences(string kind)
    {
        var g = new TorchSharp.torch.Generator(11);
        long n = 14;
        using var x = randn(new long[] { n, 3 }, dtype: ScalarType.Float64, generator: g);
        using var network = nn.Sequential(nn.Linear(3, 5), nn.Tanh(), nn.Linear(5, 2));
        network.to(ScalarType.Float64);
        using var kernel = new GpKernelSpec(GpKernelKind.SquaredExponential, 2).Build(1.3, 0.8);
        bool dirichlet = kind.StartsWith("dirichlet", StringComparison.Ordinal);
        Tensor targets, noise;
        if (dirichlet)
        {
            using var labels = arange(n, dtype: ScalarType.Int64) % 3;
            (targets, noise) = DirichletTargets.From(labels, 3, 0.05);
        }
        else
        {
            targets = (x.select(1, 0).sin() + 0.2 * x.select(1, 2)).reshape(1, -1);
            noise = full(new long[] { 1, 1 }, 0.05, dtype: ScalarType.Float64).requires_grad_(true);
        }
        using var inducing = kind.EndsWith("sparse", StringComparison.Ordinal) ? randn(new long[] { 4, 2 }, dtype: ScalarType.Float64, generator: g) : null;
        using var mean = tensor(dirichlet ? -2.0 : 0.1, dtype: ScalarType.Float64);

        double Objective()
        {
            using var scope = NewDisposeScope();
            var (a, b, c, constant) = FeatureGpObjective.Evaluate(kernel, network.forward(x), targets, noise, mean, inducing, JitterSchedule.Default);
            return (a + b + c).item<double>() + constant;
        }

        var space = WeightSpace.Of(network);
        foreach (var p in network.parameters()) p.grad?.zero_();
        using (var scope = NewDisposeScope())
        {
            var (a, b, c, _) = FeatureGpObjective.Evaluate(kernel, network.forward(x), targets, noise, mean, inducing, JitterSchedule.Default);
            (a + b + c).backward();
        }
        using var analytic = space.Gradient();
        using var theta = space.Get();
        var values = theta.data<double>().ToArray();
        var gradient = analytic.data<double>().ToArray();
        const double h = 1e-6;
        for (int i = 0; i < values.Length; i++)
        {
            double Shifted(double delta)
            {
                var shifted = (double[])values.Clone();
                shifted[i] += delta;
                using var t = tensor(shifted, dtype: ScalarType.Float64);
                space.Set(t);
                return Objective();
            }
            double numeric = (Shifted(h) - Shifted(-h)) / (2 * h);
            Assert.True(Math.Abs(gradient[i] - numeric) <= 1e-5 * Math.Max(1, Math.Abs(numeric)), $"{kind} weight {i}: autograd {gradient[i]:g10} vs finite differences {numeric:g10}");
        }
        space.Set(theta);
        targets.Dispose();
        noise.Dispose();
    }
}
