using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Occam.GaussianProcesses.Kernels;
using Occam.GaussianProcesses.Regression;
using TorchSharp;
using static TorchSharp.torch;

namespace Occam.Bench;

/// <summary>
/// Speed of one exact-GP log marginal likelihood evaluation at n = 5,000 (SE-ARD kernel with an output
/// scale, D = 5, Gaussian noise, constant mean) against a plain float64 Cholesky factorisation of an
/// n×n matrix: the LML alone (no gradients recorded), the LML with its backward pass, and, for
/// comparison, the LML written the plain way (Cholesky and triangular solves) with libtorch's autograd
/// doing the backward pass. Contenders are interleaved in every repeat; ratios are medians of per-repeat ratios.
/// </summary>
internal static class GpSpeedBenchmark
{
    private const int N = 5000, D = 5;

    /// <summary>Runs the benchmark, writes speed-gp.json and speed-gp.md under <paramref name="outDir"/> and prints the table.</summary>
    public static int RunAndReport(string outDir, int repeats)
    {
        var result = Run(repeats);
        Directory.CreateDirectory(outDir);
        File.WriteAllText(Path.Combine(outDir, "speed-gp.json"), JsonSerializer.Serialize(result, new JsonSerializerOptions { WriteIndented = true }) + "\n");
        var markdown = Markdown(result);
        File.WriteAllText(Path.Combine(outDir, "speed-gp.md"), markdown);
        Console.WriteLine(markdown);
        return 0;
    }

    public static GpSpeedResult Run(int repeats)
    {
        using var scope = NewDisposeScope();
        var g = new Generator(0);
        var x = randn([N, D], dtype: ScalarType.Float64, generator: g);
        var y = x.select(1, 0).sin() + 0.1 * randn([N], dtype: ScalarType.Float64, generator: g);
        using var kernel = new ScaleKernel(new SquaredExponentialKernel(1.0, 1.5, 2.0, 2.5, 3.0), 1.3);
        using var gp = new ExactGaussianProcess(kernel, x, y, new ExactGpOptions { Mean = GpMean.Constant, NoiseVariance = 0.1 });
        Tensor matrix;
        using (no_grad()) matrix = kernel.Matrix(x, x) + 0.1 * eye(N, dtype: ScalarType.Float64);

        var cholesky = new List<double>();
        var forward = new List<double>();
        var backward = new List<double>();
        var plain = new List<double>();
        double lml = 0;
        for (int r = -1; r < repeats; r++) // one unmeasured warm-up round
        {
            var c = Time(() => { using var l = linalg.cholesky(matrix); });
            var f = Time(() => lml = gp.LogMarginalLikelihood().Total);
            var b = Time(() =>
            {
                using var terms = gp.LogMarginalLikelihoodTerms();
                terms.Total.backward();
                ZeroGradients(gp);
            });
            var p = Time(() => PlainAutogradLml(gp, x, y));
            if (r < 0) continue;
            cholesky.Add(c); forward.Add(f); backward.Add(b); plain.Add(p);
        }
        return new GpSpeedResult(N, D, Median(cholesky), Median(forward), Median(backward), Median(plain),
            Median(forward.Zip(cholesky, (a, c) => a / c).ToList()), Median(backward.Zip(cholesky, (a, c) => a / c).ToList()),
            Median(plain.Zip(cholesky, (a, c) => a / c).ToList()), lml, Environment.ProcessorCount, torch.get_num_threads(), repeats);
    }

    /// <summary>LML = −½ rᵀα − Σ log Lᵢᵢ − (n/2) log 2π through torch.linalg.cholesky with autograd's own backward.</summary>
    private static void PlainAutogradLml(ExactGaussianProcess gp, Tensor x, Tensor y)
    {
        using var scope = NewDisposeScope();
        var k = gp.Kernel.Matrix(x, x) + gp.NoiseVariance.Value() * eye(N, dtype: ScalarType.Float64);
        var l = linalg.cholesky(k);
        var r = (y - gp.ConstantMean!.Value()).unsqueeze(1);
        var v = linalg.solve_triangular(l, r, upper: false);
        var lml = -0.5 * v.square().sum() - l.diagonal().log().sum() - 0.5 * N * Math.Log(2 * Math.PI);
        lml.backward();
        ZeroGradients(gp);
    }

    private static void ZeroGradients(ExactGaussianProcess gp)
    {
        foreach (var h in gp.Hyperparameters)
        {
            using var grad = h.Raw.grad;
            if (grad is not null) using (grad.zero_()) { }
        }
    }

    public static string Markdown(GpSpeedResult r)
    {
        string F(double v, int d) => v.ToString("F" + d, CultureInfo.InvariantCulture);
        var rows = new[]
        {
            ($"plain float64 Cholesky of an {r.N}×{r.N} matrix (s)", F(r.CholeskySeconds, 3), ""),
            ("exact-GP LML, forward only (s)", F(r.ForwardSeconds, 3), ""),
            ("exact-GP LML, forward + backward (s)", F(r.ForwardBackwardSeconds, 3), ""),
            ("LML through libtorch autograd of Cholesky, forward + backward (s)", F(r.PlainAutogradSeconds, 3), ""),
            ("LML forward / Cholesky", F(r.ForwardOverCholesky, 2), "≤ 1.5"),
            ("LML forward + backward / Cholesky", F(r.ForwardBackwardOverCholesky, 2), ""),
            ("plain autograd forward + backward / Cholesky", F(r.PlainAutogradOverCholesky, 2), ""),
        };
        var table = "| measure | value | goal |\n| --- | ---: | --- |\n" + string.Concat(rows.Select(row => $"| {row.Item1} | {row.Item2} | {row.Item3} |\n"));
        return $"# Occam GP speed benchmark\n\nExact GP, n = {r.N}, D = {r.D}, SE-ARD kernel; median of {r.Repeats} interleaved repeats on {r.Cores} cores ({r.TorchThreads} torch threads).\n\n{table}";
    }

    private static double Time(Action action)
    {
        var clock = Stopwatch.StartNew();
        action();
        return clock.Elapsed.TotalSeconds;
    }

    private static double Median(List<double> values)
    {
        var sorted = values.OrderBy(v => v).ToArray();
        return sorted[sorted.Length / 2];
    }
}

/// <summary>Seconds of each contender and medians of per-repeat ratios to the plain Cholesky.</summary>
internal sealed record GpSpeedResult(int N, int D, double CholeskySeconds, double ForwardSeconds, double ForwardBackwardSeconds, double PlainAutogradSeconds,
    double ForwardOverCholesky, double ForwardBackwardOverCholesky, double PlainAutogradOverCholesky, double LogMarginalLikelihood,
    int Cores, int TorchThreads, int Repeats);
