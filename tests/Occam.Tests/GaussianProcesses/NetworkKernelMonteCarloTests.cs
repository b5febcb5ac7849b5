using Occam.GaussianProcesses.Kernels;
using TorchSharp;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace Occam.Tests.GaussianProcesses;

/// <summary>
/// NNGP and NTK against Monte Carlo over wide random networks. Each draw samples a 3-hidden-layer,
/// width-2048 network in the NTK parameterisation (layer l: (σ_w/√fan_in)·φ(hˡ⁻¹)Wˡ + σ_b bˡ, all entries
/// N(0, 1)) with a linear read-out after every hidden layer, so one draw serves depths 1, 2 and 3; ReLU and
/// erf networks share the draw's weights. NNGP estimate per draw: the read-out's covariance given the
/// hidden features, σ_w² φ(h)·φ(h′)/n + σ_b² (the exact expectation over the read-out weights). NTK
/// estimate per draw: the empirical tangent kernel Σ_θ ∂f(x)/∂θ · ∂f(x′)/∂θ, with ∂f/∂hˡ from autograd and
/// ∂f/∂Wˡ = (σ_w/√fan_in) φ(hˡ⁻¹) ⊗ ∂f/∂hˡ. Tolerance per entry: 4.5 Monte Carlo standard errors
/// (sample sd over the 24 draws / √24, measured per entry; t with 23 degrees of freedom exceeds 4.5 with
/// probability 1.6e-4) plus 3/n of the entry for the O(1/width) finite-width bias. The standard errors
/// come out at 0.4–1.5% of the largest entry; dropping the Σ̇ factor's σ_w² from the NTK recursion
/// moves the estimate by about 30 of them.
/// </summary>
public sealed class NetworkKernelMonteCarloTests(ITestOutputHelper output)
{
    private const int Width = 2048;
    private const int Draws = 24;
    private const int MaxDepth = 3;
    private static readonly (NetworkActivation Activation, double WeightVariance, double BiasVariance)[] Networks =
        [(NetworkActivation.Relu, 2.0, 0.1), (NetworkActivation.Erf, 1.5, 0.2)];

    [Fact]
    public void NngpAndNtkMatchWideRandomReluAndErfNetworksAtDepthsOneToThree()
    {
        using var scope = NewDisposeScope();
        var x = tensor(new double[,] { { 1.0, 0.5, -0.3 }, { -0.8, 0.2, 1.1 }, { 0.3, -1.5, 0.4 }, { 2.0, 1.0, 0.5 } });
        int m = (int)x.size(0);
        var nngp = new double[Networks.Length, MaxDepth, Draws, m, m];
        var ntk = new double[Networks.Length, MaxDepth, Draws, m, m];
        var g = new Generator(7);
        for (int s = 0; s < Draws; s++)
        {
            using var draw = NewDisposeScope();
            var weights = new List<(Tensor W, Tensor B)>();
            for (int l = 0; l < MaxDepth; l++)
            {
                long fanIn = l == 0 ? x.size(1) : Width;
                // float32 draws (libtorch draws them faster), used in float64
                weights.Add((randn([fanIn, Width], dtype: ScalarType.Float32, generator: g).to_type(ScalarType.Float64),
                             randn([Width], dtype: ScalarType.Float64, generator: g)));
            }
            var readouts = Enumerable.Range(0, MaxDepth).Select(_ => randn([Width + 1], dtype: ScalarType.Float64, generator: g)).ToList();
            for (int a = 0; a < Networks.Length; a++)
            {
                var (k, t) = Estimates(x, weights, readouts, Networks[a].Activation, Networks[a].WeightVariance, Networks[a].BiasVariance);
                for (int l = 0; l < MaxDepth; l++)
                    for (int i = 0; i < m; i++)
                        for (int j = 0; j < m; j++)
                        {
                            nngp[a, l, s, i, j] = k[l][i, j];
                            ntk[a, l, s, i, j] = t[l][i, j];
                        }
            }
        }
        for (int a = 0; a < Networks.Length; a++)
        {
            var (activation, sw2, sb2) = Networks[a];
            for (int depth = 1; depth <= MaxDepth; depth++)
            {
                using var nngpKernel = new NngpKernel(depth, activation, sw2, sb2);
                using var ntkKernel = new NtkKernel(depth, activation, sw2, sb2);
                Check($"NNGP {activation} L={depth}", nngpKernel, x, nngp, a, depth - 1);
                Check($"NTK {activation} L={depth}", ntkKernel, x, ntk, a, depth - 1);
            }
        }
    }

    private void Check(string name, Kernel kernel, Tensor x, double[,,,,] draws, int network, int layer)
    {
        using var k = kernel.Matrix(x, x);
        using var diag = kernel.Diagonal(x);
        var exact = k.data<double>().ToArray();
        var exactDiag = diag.data<double>().ToArray();
        int m = (int)x.size(0);
        double worst = 0, largestSe = 0;
        for (int i = 0; i < m; i++)
        {
            Assert.Equal(exact[i * m + i], exactDiag[i], 12);
            for (int j = 0; j < m; j++)
            {
                var samples = Enumerable.Range(0, Draws).Select(s => draws[network, layer, s, i, j]).ToArray();
                double mean = samples.Average();
                double sd = Math.Sqrt(samples.Sum(v => (v - mean) * (v - mean)) / (Draws - 1));
                double se = sd / Math.Sqrt(Draws);
                double target = exact[i * m + j];
                double tolerance = 4.5 * se + 3.0 / Width * Math.Abs(target);
                worst = Math.Max(worst, Math.Abs(mean - target) / se);
                largestSe = Math.Max(largestSe, se / exact.Max(Math.Abs));
                Assert.True(Math.Abs(mean - target) <= tolerance,
                    $"{name} [{i},{j}]: Monte Carlo {mean:F5} ± {se:F5} (SE) vs kernel {target:F5}; tolerance {tolerance:F5}");
            }
        }
        output.WriteLine($"{name}: largest |MC − kernel| = {worst:F2} standard errors; largest SE = {largestSe:P2} of the largest entry");
    }

    /// <summary>Per-depth NNGP and NTK estimates [m, m] of one network (the draw's weights, this activation's σ_w, σ_b).</summary>
    private static (double[][,] Nngp, double[][,] Ntk) Estimates(Tensor x, List<(Tensor W, Tensor B)> weights, List<Tensor> readouts,
        NetworkActivation activation, double sw2, double sb2)
    {
        double sw = Math.Sqrt(sw2), sb = Math.Sqrt(sb2);
        Func<Tensor, Tensor> phi = activation == NetworkActivation.Relu ? t => t.relu() : t => t.erf();
        int m = (int)x.size(0);
        var pre = new List<Tensor>();
        var inputs = new List<Tensor> { x };
        for (int l = 0; l < MaxDepth; l++)
        {
            var (w, b) = weights[l];
            var below = inputs[^1];
            var h = (sw / Math.Sqrt(below.size(1))) * below.mm(w) + sb * b;
            if (l == 0) h = h.detach().requires_grad_(true);
            pre.Add(h);
            inputs.Add(phi(h));
        }
        var nngp = new double[MaxDepth][,];
        var ntk = new double[MaxDepth][,];
        for (int depth = 1; depth <= MaxDepth; depth++)
        {
            var features = inputs[depth];
            var readout = readouts[depth - 1];
            var f = (sw / Math.Sqrt(Width)) * features.mv(readout.narrow(0, 0, Width)) + sb * readout[Width];
            var detached = features.detach();
            var theta = (sw2 / Width) * detached.mm(detached.T) + sb2;        // ∂f/∂(read-out weights and bias)
            var kernel = theta.clone();                                      // NNGP: its expectation over the read-out
            var deltas = torch.autograd.grad([f.sum()], pre.Take(depth).ToList(), retain_graph: true);
            for (int l = 0; l < depth; l++)
            {
                var below = inputs[l].detach();
                theta = theta + ((sw2 / below.size(1)) * below.mm(below.T) + sb2) * deltas[l].mm(deltas[l].T);
            }
            nngp[depth - 1] = ToArray(kernel, m);
            ntk[depth - 1] = ToArray(theta, m);
        }
        return (nngp, ntk);
    }

    private static double[,] ToArray(Tensor t, int m)
    {
        var data = t.detach().contiguous().data<double>().ToArray();
        var result = new double[m, m];
        for (int i = 0; i < m; i++) for (int j = 0; j < m; j++) result[i, j] = data[i * m + j];
        return result;
    }
}
