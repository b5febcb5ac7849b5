using Occam.GaussianProcesses.Kernels;
using TorchSharp;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace Occam.Tests.GaussianProcesses;

/// <summary>
/// NNGP and NTK against Monte Carlo over wide random networks. Each draw samples a 3-hidden-layer,
/// width-2048 network in the NTK parameterisation (layer l: (σ_w/√fan_in)·Wˡ φ(hˡ⁻¹) + σ_b bˡ with all
/// entries N(0, 1)) and a linear read-out after every hidden layer, so one draw serves depths 1, 2 and 3.
/// NNGP estimate per draw: the read-out's covariance given the hidden features, σ_w² φ(h)ᵀφ(h′)/n + σ_b²
/// (the exact expectation over the read-out weights). NTK estimate per draw: the empirical tangent kernel
/// Σ_params ∂f(x)/∂θ · ∂f(x′)/∂θ, with ∂f/∂hˡ from autograd and ∂f/∂Wˡ = (σ_w/√fan_in) ∂f/∂hˡ ⊗ φ(hˡ⁻¹).
/// Tolerance per entry: 4 Monte Carlo standard errors (sample sd over draws / √draws, measured) plus
/// 3/n of the entry for the O(1/width) finite-width bias.
/// </summary>
public sealed class NetworkKernelMonteCarloTests(ITestOutputHelper output)
{
    private const int Width = 2048;
    private const int Draws = 12;
    private const int MaxDepth = 3;

    [Theory]
    [InlineData(NetworkActivation.Relu, 2.0, 0.1)]
    [InlineData(NetworkActivation.Erf, 1.5, 0.2)]
    public void NngpAndNtkMatchWideRandomNetworksAtDepthsOneToThree(NetworkActivation activation, double sw2, double sb2)
    {
        using var scope = NewDisposeScope();
        var x = tensor(new double[,] { { 1.0, 0.5, -0.3 }, { -0.8, 0.2, 1.1 }, { 0.3, -1.5, 0.4 }, { 2.0, 1.0, 0.5 } });
        int m = (int)x.size(0);
        var nngpDraws = new double[MaxDepth][,,];
        var ntkDraws = new double[MaxDepth][,,];
        for (int l = 0; l < MaxDepth; l++) { nngpDraws[l] = new double[Draws, m, m]; ntkDraws[l] = new double[Draws, m, m]; }
        var g = new Generator(7);
        for (int s = 0; s < Draws; s++)
        {
            using var draw = NewDisposeScope();
            var (nngp, ntk) = OneDraw(x, activation, sw2, sb2, g);
            for (int l = 0; l < MaxDepth; l++)
                for (int i = 0; i < m; i++)
                    for (int j = 0; j < m; j++)
                    {
                        nngpDraws[l][s, i, j] = nngp[l][i, j];
                        ntkDraws[l][s, i, j] = ntk[l][i, j];
                    }
        }
        for (int depth = 1; depth <= MaxDepth; depth++)
        {
            using var nngpKernel = new NngpKernel(depth, activation, sw2, sb2);
            using var ntkKernel = new NtkKernel(depth, activation, sw2, sb2);
            Check($"NNGP {activation} L={depth}", nngpKernel, x, nngpDraws[depth - 1]);
            Check($"NTK {activation} L={depth}", ntkKernel, x, ntkDraws[depth - 1]);
        }
    }

    private void Check(string name, Kernel kernel, Tensor x, double[,,] draws)
    {
        using var k = kernel.Matrix(x, x);
        using var diag = kernel.Diagonal(x);
        var exact = k.data<double>().ToArray();
        var exactDiag = diag.data<double>().ToArray();
        int m = (int)x.size(0);
        double worst = 0, relative = 0;
        for (int i = 0; i < m; i++)
        {
            Assert.Equal(exact[i * m + i], exactDiag[i], 12);
            for (int j = 0; j < m; j++)
            {
                var samples = Enumerable.Range(0, Draws).Select(s => draws[s, i, j]).ToArray();
                double mean = samples.Average();
                double sd = Math.Sqrt(samples.Sum(v => (v - mean) * (v - mean)) / (Draws - 1));
                double se = sd / Math.Sqrt(Draws);
                double target = exact[i * m + j];
                double tolerance = 4 * se + 3.0 / Width * Math.Abs(target);
                relative = Math.Max(relative, se / Math.Abs(target));
                worst = Math.Max(worst, Math.Abs(mean - target) / se);
                Assert.True(Math.Abs(mean - target) <= tolerance,
                    $"{name} [{i},{j}]: Monte Carlo {mean:F5} ± {se:F5} (SE) vs kernel {target:F5}; tolerance {tolerance:F5}");
            }
        }
        output.WriteLine($"{name}: largest |MC − kernel| = {worst:F2} standard errors; largest SE/|k| = {relative:P2}");
    }

    /// <summary>One random network; returns per-depth NNGP and NTK estimates [m, m].</summary>
    private static (double[][,] Nngp, double[][,] Ntk) OneDraw(Tensor x, NetworkActivation activation, double sw2, double sb2, Generator g)
    {
        double sw = Math.Sqrt(sw2), sb = Math.Sqrt(sb2);
        Func<Tensor, Tensor> phi = activation == NetworkActivation.Relu ? t => t.relu() : t => t.erf();
        int m = (int)x.size(0);
        var hs = new List<Tensor>();
        var inputs = new List<Tensor> { x };
        Tensor current = x;
        for (int l = 0; l < MaxDepth; l++)
        {
            long fanIn = current.size(1);
            // float32 draws (libtorch draws them faster), used in float64
            var w = randn([fanIn, Width], dtype: ScalarType.Float32, generator: g).to_type(ScalarType.Float64);
            var b = randn([Width], dtype: ScalarType.Float64, generator: g);
            var h = (sw / Math.Sqrt(fanIn)) * current.mm(w) + sb * b;
            if (l == 0) h = h.detach().requires_grad_(true);
            hs.Add(h);
            current = phi(h);
            inputs.Add(current);
        }
        var nngp = new double[MaxDepth][,];
        var ntk = new double[MaxDepth][,];
        for (int depth = 1; depth <= MaxDepth; depth++)
        {
            var features = inputs[depth];                                   // φ(h^depth), [m, n]
            var readout = randn([Width], dtype: ScalarType.Float64, generator: g);
            var f = (sw / Math.Sqrt(Width)) * features.mv(readout) + sb * randn([1], dtype: ScalarType.Float64, generator: g);
            var readoutKernel = (sw * sw / Width) * features.detach().mm(features.detach().T) + sb * sb; // ∂f/∂readout and ∂f/∂bias
            var deltas = torch.autograd.grad([f.sum()], hs.Take(depth).ToList(), retain_graph: true);
            var theta = readoutKernel.clone();
            for (int l = 0; l < depth; l++)
            {
                var below = inputs[l].detach();
                double fanIn = below.size(1);
                var weightPart = (sw * sw / fanIn) * below.mm(below.T) + sb * sb;
                theta = theta + weightPart * deltas[l].mm(deltas[l].T);
            }
            nngp[depth - 1] = ToArray(readoutKernel, m);
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
